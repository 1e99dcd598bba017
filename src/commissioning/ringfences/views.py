"""Pages for ring-fenced budgets (CYC-5): thin over :mod:`commissioning.ringfences.services`.
Every ring-fence and its spend is public; the commissioners of the body whose money it is see
a warning when it is under-spent or spent off purpose, and say what was paid from it."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning import permissions
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.directory.models import Area
from commissioning.grants import access as grant_access
from commissioning.grants.forms import RoundForm
from commissioning.grants.models import GrantRound
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.ringfences import access, services
from commissioning.ringfences.forms import ChargeForm, CountRoundForm, RingFenceForm
from commissioning.ringfences.purposes import RULES

SECTION = "ringfences:contract"
LIST_CRUMB = ("Ring-fenced money", "/ring-fences/")
CSV_HEADINGS = [
    "id",
    "purpose",
    "commissioning_body",
    "contract",
    "area",
    "amount",
    "starts_on",
    "ends_on",
    "expected_by_now",
    "committed",
    "committed_on_purpose",
    "committed_off_purpose",
    "paid",
    "under_spent",
    "off_purpose",
    "synthetic",
]


def ring_fence_list(request: HttpRequest) -> HttpResponse:
    rows = [services.spend(ring_fence) for ring_fence in services.published()]
    return render(
        request,
        "ringfences/list.html",
        {
            "rows": rows,
            "may_create": bool(permissions.commissioning_bodies_for(request.user)),
            "crumbs": [("Ring-fenced money", None)],
        },
    )


def ring_fence_csv(request: HttpRequest) -> HttpResponse:
    """Every ring-fence with its spend today, one row each (open data)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS)
    for ring_fence in services.published():
        spent = services.spend(ring_fence)
        writer.writerow(
            [
                ring_fence.pk,
                ring_fence.purpose,
                ring_fence.commissioning_body.name,
                ring_fence.contract.reference if ring_fence.contract else "",
                ring_fence.area.name if ring_fence.area else "",
                ring_fence.amount,
                ring_fence.starts_on.isoformat(),
                ring_fence.ends_on.isoformat(),
                spent.expected_by_now,
                spent.committed,
                spent.committed_on_purpose,
                spent.off_purpose,
                spent.paid,
                "yes" if spent.is_under_spent else "no",
                "yes" if spent.is_off_purpose else "no",
                "yes" if ring_fence.is_synthetic else "no",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ring-fences.csv"'
    return response


def ring_fence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ring_fence = get_object_or_404(services.published(), pk=pk)
    manages = access.can_manage(request.user, ring_fence)
    context = {
        "ring_fence": ring_fence,
        "spend": services.spend(ring_fence),
        "rule": RULES[ring_fence.purpose],
        "manages": manages,
        "rounds": services.counted_rounds(ring_fence),
        "crumbs": [LIST_CRUMB, (f"Ring-fence {ring_fence.pk}", None)],
    }
    if manages:
        context["charge_form"] = ChargeForm(invoices=services.chargeable_invoices(ring_fence))
        context["round_form"] = CountRoundForm(rounds=services.countable_rounds(ring_fence))
    return render(request, "ringfences/detail.html", context)


@login_required
def ring_fence_create(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    bodies = permissions.commissioning_bodies_for(actor)
    if not bodies:
        raise PermissionDenied("Only commissioners can ring-fence money.")
    form = RingFenceForm(
        request.POST or None,
        bodies=bodies,
        areas=Area.objects.all(),
        initial={"contract": request.GET.get("contract", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = next(b for b in bodies if str(b.pk) == data["commissioning_body"])
        contract = None
        if data["contract"].strip():
            contract = Contract.objects.filter(
                reference=data["contract"].strip(), commissioning_body=body
            ).first()
            if contract is None:
                form.add_error("contract", "Enter the reference of one of this body's contracts")
        area = Area.objects.filter(pk=data["area"]).first() if data["area"] else None
        if not form.errors:
            try:
                ring_fence = services.create_ring_fence(
                    actor,
                    purpose=data["purpose"],
                    amount=data["amount"],
                    contract=contract,
                    area=area,
                    commissioning_body=body,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    description=data["description"],
                )
            except ValidationError as problem:
                apply_validation_error(form, problem)
            else:
                messages.success(request, "The ring-fence is published.")
                return redirect(ring_fence)
    return render(
        request,
        "grants/form_page.html",
        {
            "form": form,
            "heading": "Ring-fence money for a purpose",
            "intro": "The ring-fence is published with its amount as soon as you save it.",
            "submit_label": "Publish the ring-fence",
            "cancel_url": reverse("ringfences:list"),
            "crumbs": [LIST_CRUMB, ("New ring-fence", None)],
        },
    )


def _spend_from(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Charge an invoice (``field`` "invoice") or count a grant round's awards ("grant_round")
    against the ring-fence, from the form on its page."""
    ring_fence = get_object_or_404(services.published(), pk=pk)
    actor = signed_in_user(request)
    if not access.can_manage(actor, ring_fence):
        raise PermissionDenied("Only the commissioning body's commissioners can do this.")
    if field == "invoice":
        choices = services.chargeable_invoices(ring_fence)
        form: ChargeForm | CountRoundForm = ChargeForm(request.POST, invoices=choices)
        done, act = "The invoice now counts against the ring-fence.", services.charge_invoice
    else:
        choices = services.countable_rounds(ring_fence)  # type: ignore[assignment]
        form = CountRoundForm(request.POST, rounds=choices)
        done, act = "The round's awards now count against it.", services.count_round  # type: ignore[assignment]
    if not form.is_valid():
        messages.error(request, str(form.errors[field][0]))
        return redirect(ring_fence)
    try:
        act(actor, ring_fence, choices.get(pk=form.cleaned_data[field]))
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(ring_fence)


@require_POST
@login_required
def charge(request: HttpRequest, pk: int) -> HttpResponse:
    return _spend_from(request, pk, "invoice")


@require_POST
@login_required
def count_round(request: HttpRequest, pk: int) -> HttpResponse:
    return _spend_from(request, pk, "grant_round")


@login_required
def pot_create(request: HttpRequest, reference: str) -> HttpResponse:
    """The prime opens a small-grants pot inside its contract: the same call form as any grant
    round, its panel drawn from the prime's own members (CYC-6)."""
    contract = contract_or_404(reference)
    actor = signed_in_user(request)
    if not grant_access.can_run_pot(actor, contract.prime_id):
        raise PermissionDenied("Only the prime's members can run a small-grants pot.")
    people = list(permissions.approved_members([contract.prime_id]))
    form = RoundForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        grant_round = form.save_round(
            actor, contract.lot.opportunity.exercise, people, contract=contract
        )
        if grant_round is not None:
            messages.success(request, f"Small-grants pot {grant_round.reference} saved as a draft.")
            return redirect(grant_round)
    return render(
        request,
        "grants/form_page.html",
        {
            "form": form,
            "heading": "Run a small-grants pot",
            "caption": f"{contract.reference}: {contract.title}",
            "intro": "Fund small local pieces of work inside the contract. The call is saved as "
            "a draft; you publish it from its page.",
            "submit_label": "Save the pot",
            "cancel_url": reverse(SECTION, args=[contract.reference]),
            "crumbs": [
                ("Contracts", reverse("contracts:list")),
                (contract.reference, reverse(SECTION, args=[contract.reference])),
                ("New small-grants pot", None),
            ],
        },
    )


def contract_section(request: HttpRequest, reference: str) -> HttpResponse:
    """A contract's ring-fenced money and the prime's small-grants pots (CYC-5, CYC-6)."""
    contract = contract_or_404(reference)
    pots = GrantRound.objects.filter(contract=contract)
    if not permissions.is_approved_member(request.user, contract.prime_id):
        pots = pots.exclude(status=GrantRound.Status.DRAFT)
    context = section_context(
        request.user,
        contract,
        SECTION,
        rows=[services.spend(r) for r in services.for_contract(contract)],
        pots=pots.order_by("reference"),
        may_run_pot=permissions.is_approved_member(request.user, contract.prime_id),
        may_ring_fence=access.can_manage_for(request.user, contract.commissioning_body),
    )
    return render(request, "ringfences/contract.html", context)
