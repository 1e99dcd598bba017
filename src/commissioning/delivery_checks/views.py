"""A contract's "Promised and received" section: public (SUP-2, PBR-3); its "Code of conduct"
section: the prime's commissioners and members only (SUP-3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.contracts import access
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import section_context
from commissioning.delivery_checks import access as checks_access
from commissioning.delivery_checks import code_of_conduct, conduct_ratings, services
from commissioning.delivery_checks.forms import ConductRatingForm
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning_analytics.payments.money import percent


def _contract_or_404(reference: str) -> Contract:
    contract = (
        Contract.objects.select_related("commissioning_body", "prime", "lot")
        .filter(reference=reference)
        .first()
    )
    if contract is None:
        raise Http404("No contract with that reference")
    return contract


def contract_section(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _contract_or_404(reference)
    promises = services.promises_kept(contract)
    policy = services.thresholds()
    context = section_context(
        request.user,
        contract,
        "delivery_checks:contract",
        promises=[
            {
                "promise": p,
                "flags": [services.flag_words(f) for f in p.flags],
            }
            for p in promises
        ],
        policy=policy,
        referral_share=percent(policy.referral_share),
        value_share=percent(policy.value_share),
        need_groups=services.by_need_group(contract),
    )
    return render(request, "delivery_checks/contract.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def code_of_conduct_section(request: HttpRequest, reference: str) -> HttpResponse:
    """The evidence table, and beside it the independent reviewer's form for a rating (SUP-3);
    anyone else who may not see the evidence is told no such page exists, and anyone but the
    reviewer who posts a rating is refused."""
    contract = _contract_or_404(reference)
    may_rate = checks_access.can_rate_code_of_conduct(request.user, contract)
    if request.method == "POST" and not may_rate:
        raise PermissionDenied("Only the independent reviewer rates a prime's code of conduct")
    if not access.can_see_code_of_conduct(request.user, contract):
        raise Http404("No contract with that reference")
    form = ConductRatingForm(request.POST or None) if may_rate else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            conduct_ratings.record_rating(
                signed_in_user(request),
                contract,
                assessed_on=form.cleaned_data["assessed_on"],
                summary=form.cleaned_data["summary"],
                judgements=form.judgements(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Rating of {contract.prime.name} published.")
            return HttpResponseRedirect(
                reverse("delivery_checks:code_of_conduct", args=[contract.reference])
            )
    evidence = code_of_conduct.evidence_for(contract)
    context = section_context(
        request.user,
        contract,
        "delivery_checks:code_of_conduct",
        evidence=evidence,
        principles=list(code_of_conduct.Principle),
        form=form,
        ratings=conduct_ratings.history(contract),
    )
    return render(request, "delivery_checks/code_of_conduct.html", context)
