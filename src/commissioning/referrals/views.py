"""Web pages for referrals (REF-1): thin views over :mod:`.services`, :mod:`.queries` and the
rules of :mod:`.access`.

* ``/contracts/<reference>/referrals/`` — the contract's referrals section: the public counts
  per provider and quarter and the equality-monitoring counts for everyone; the referrals
  themselves, with filters, for those who may see them.
* ``/contracts/<reference>/referrals/new/`` — refer a person.
* ``/referrals/`` — referrals for your organisation, those waiting for a decision first.
* ``/referrals/<reference>/`` — one referral, with the next allowed steps as forms.
* ``/referrals/import/`` — a quarter's events from a CSV file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from commissioning.contracts.models import Contract
from commissioning.contracts.sections import section_context
from commissioning.directory.models import Organisation
from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.pagination import paginate
from commissioning.permissions import member_organisations
from commissioning.referrals import access, characteristics, imports, queries, retention, services
from commissioning.referrals.forms import (
    CharacteristicsForm,
    ImportForm,
    ReferForm,
    ReferralFilterForm,
    StepForm,
    need_group_label,
)
from commissioning.referrals.lifecycle import ACTIONS, VERB, Status, allowed_next, side_of
from commissioning.referrals.models import Referral


def _contract_or_404(reference: str) -> Contract:
    contract = (
        Contract.objects.select_related("commissioning_body", "prime", "lot")
        .filter(reference=reference)
        .first()
    )
    if contract is None:
        raise Http404("No contract with that reference")
    return contract


def _public_counts(contract: Contract) -> str:
    """The counts everyone sees, rendered once per state of the contract's referrals and day
    (:func:`queries.public_counts_key`): they are the same for every visitor."""
    today = timezone.localdate()
    key = queries.public_counts_key(contract, today)
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "referrals/_public_counts.html",
            {
                "counts": queries.public_counts(contract, today),
                "counted_steps": [status.label for status in queries.COUNTED],
                "equality": queries.equality_counts(Referral.objects.filter(contract=contract)),
            },
        )
        cache.set(key, html, queries.PUBLIC_COUNTS_CACHE_SECONDS)
    return mark_safe(html)  # rendered (and escaped) by the templates


def _unfiltered_form(
    form: ReferralFilterForm, providers: list[Organisation], groups: list[str]
) -> str:
    """The filter form as first shown (nothing chosen), rendered once per set of choices: it is
    the same for everyone who sees the list, and rendering it is a good part of the page's time
    (issue 14 speed). The key holds the choices, so a new sub-contractor or need group shows."""
    choices = [[o.slug, o.name] for o in providers], groups
    digest = hashlib.sha256(json.dumps(choices).encode()).hexdigest()
    key = f"referral-filter-form:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, queries.PUBLIC_COUNTS_CACHE_SECONDS)
    return mark_safe(html)  # rendered (and escaped) by crispy's templates


@require_http_methods(["GET", "HEAD"])
def contract_referrals(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    visible = access.visible_referrals(request.user, contract)
    groups = services.need_groups(contract)
    providers = Organisation.objects.filter(
        pk__in=access.receiving_parties(contract).values("organisation")
    ).order_by("name")
    form = ReferralFilterForm(request.GET, providers=providers, need_groups=groups)
    form.is_valid()  # invalid filters are reported and left out; the valid ones still apply
    sees_some = visible.exists()
    if sees_some and not request.GET:
        extra_form = {"form_html": _unfiltered_form(form, list(providers), groups)}
    else:
        extra_form = {}
    extra: dict[str, Any] = {
        "public_counts": _public_counts(contract),
        "may_refer": access.may_refer(request.user, contract),
        "sees_some": sees_some,
        "form": form,
        **extra_form,
    }
    if sees_some:
        extra.update(paginate(request, queries.filtered(visible, form.cleaned_data)))
        extra["filtered"] = any(form.cleaned_data.values())
    context = section_context(request.user, contract, "referrals:contract", **extra)
    return render(request, "referrals/contract.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refer(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    referrers = access.referring_organisations(request.user, contract)
    if not referrers:
        raise PermissionDenied("You cannot refer under this contract.")
    data = request.POST if request.method == "POST" else None
    form = ReferForm(
        data,
        contract=contract,
        referrers=referrers,
        parties=access.receiving_parties(contract),
        need_groups=services.need_groups(contract),
    )
    equality_form = CharacteristicsForm(data)
    if request.method == "POST" and form.is_valid() & equality_form.is_valid():
        cleaned = form.cleaned_data
        try:
            referral = services.refer(
                request.user,
                contract,
                services.NewReferral(
                    party_id=cleaned["party"].pk,
                    referrer_id=cleaned["referrer"].pk,
                    case_reference=cleaned["case_reference"],
                    need_group=cleaned["need_group"],
                    referred_on=cleaned["referred_on"],
                    characteristics=equality_form.cleaned_data,
                    submission_key=cleaned.get("submission_key", ""),
                ),
            )
        except ValidationError as error:
            names = {c.name for c in characteristics.CHARACTERISTICS}
            if hasattr(error, "error_dict") and set(error.message_dict) & names:
                apply_validation_error(equality_form, error)
            else:
                apply_validation_error(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} was made")
            return redirect(referral)
    context = section_context(
        request.user,
        contract,
        "referrals:contract",
        form=form,
        equality_form=equality_form,
        section_label="Refer a person",
        retention_days=retention.retention_days(),
    )
    context["crumbs"] = [
        *context["crumbs"][:2],
        ("Referrals", reverse("referrals:contract", args=[contract.reference])),
        ("Refer a person", None),
    ]
    return render(request, "referrals/refer.html", context)


MADE_SHOWN = 25
"""The most recent referrals an organisation made, listed under those it received (each
contract's referrals page lists them all)."""


@login_required
@require_http_methods(["GET", "HEAD"])
def for_organisation(request: HttpRequest) -> HttpResponse:
    mine = member_organisations(request.user)
    received = queries.waiting_first(
        Referral.objects.filter(provider__in=mine.values("pk"))
    ).select_related("contract", "provider", "referrer")
    made = Referral.objects.filter(referrer__in=mine.values("pk")).select_related(
        "contract", "provider", "referrer"
    )
    context = {
        "crumbs": [("Referrals for your organisation", None)],
        "waiting": received.filter(status=Status.REFERRED).count(),
        "made": made[:MADE_SHOWN],
        "made_count": made.count(),
        "made_shown": MADE_SHOWN,
        "organisations": list(mine),
        **paginate(request, received),
    }
    return render(request, "referrals/for_organisation.html", context)


def _step_forms(
    request: HttpRequest, referral: Referral, bound: StepForm | None = None
) -> list[Any]:
    sides = access.sides(request.user, referral)
    forms = []
    for target in allowed_next(referral.status):
        if side_of(target) not in sides:
            continue
        form = bound if bound is not None and bound.target is target else StepForm(target=target)
        form.prefix = VERB[target]
        forms.append(
            {"verb": VERB[target], "target": target, "form": form, "button": BUTTONS[target]}
        )
    return forms


BUTTONS = {
    Status.ACCEPTED: "Accept the referral",
    Status.DECLINED: "Decline the referral",
    Status.STARTED: "Record that the person started",
    Status.ENGAGED: "Record that the person engaged",
    Status.COMPLETED: "Record that the person completed",
    Status.WITHDRAWN: "Withdraw the referral",
    Status.DISENGAGED: "Record that the person disengaged",
}


def _referral_page(
    request: HttpRequest, referral: Referral, bound: StepForm | None = None, status: int = 200
) -> HttpResponse:
    contract = referral.contract
    shown = access.sees_characteristics(request.user, referral)
    context = {
        "referral": referral,
        "need_group": need_group_label(referral.need_group),
        "events": referral.events.select_related(
            "organisation", "recorded_by", "recorded_with_token"
        ),
        "steps": _step_forms(request, referral, bound),
        "bound": bound,
        "characteristics": [
            (item.label, item.label_of(referral.characteristics.get(item.name, "")))
            for item in characteristics.CHARACTERISTICS
        ]
        if shown
        else None,
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Referrals", reverse("referrals:contract", args=[contract.reference])),
            (referral.reference, None),
        ],
    }
    return render(request, "referrals/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _referral_page(request, access.referral_or_404(request.user, reference))


@login_required
@require_http_methods(["POST"])
def referral_step(request: HttpRequest, reference: str, verb: str) -> HttpResponse:
    referral = access.referral_or_404(request.user, reference)
    target = ACTIONS.get(verb)
    if target is None:
        raise Http404("No such step")
    if not access.may_move(request.user, referral, target):
        raise PermissionDenied("Your organisation cannot record that step of this referral.")
    form = StepForm(request.POST, target=target, prefix=verb)
    if form.is_valid():
        try:
            services.move(
                request.user,
                referral,
                target,
                happened_on=form.cleaned_data["happened_on"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Referral {referral.reference}: {target.label.lower()}")
            return redirect(referral)
    return _referral_page(request, referral, bound=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_events(request: HttpRequest) -> HttpResponse:
    organisations = access.import_organisations(request.user)
    if not organisations:
        raise PermissionDenied("Only members of an organisation can import its referral events.")
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    problems: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        result = imports.import_events(
            request.user, form.cleaned_data["organisation"], form.cleaned_data["file"].read()
        )
        if not result.errors:
            messages.success(request, f"{result.stored} referral events were imported")
            return redirect("referrals:mine")
        problems = result.errors
    context = {
        "form": form,
        "problems": problems,
        "cancel_url": reverse("referrals:mine"),
        "crumbs": [
            ("Referrals for your organisation", reverse("referrals:mine")),
            ("Import events", None),
        ],
    }
    return render(request, "referrals/import.html", context, status=400 if problems else 200)
