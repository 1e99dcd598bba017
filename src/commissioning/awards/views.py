"""Award pages (PRO-9, EVA-4): thin views over :mod:`.services` for the commissioners of the
opportunity's commissioning body (403 for anyone else; sign in first)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning.awards import services
from commissioning.awards.access import can_manage_award
from commissioning.awards.forms import ContractForm, DecisionForm, PriceAdjustmentForm
from commissioning.awards.presentation import results_context
from commissioning.awards.results import is_public_sector, lot_bids
from commissioning.awards.tendered import TenderedPaymentModel, tendered_payment_model
from commissioning.bids.models import Bid
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.procurement.access import published_opportunity
from commissioning.procurement.models import Lot, Opportunity

Crumbs = list[tuple[str, str | None]]


def _opportunity(request: HttpRequest, reference: str) -> Opportunity:
    refusal = "Only the commissioning body's commissioners see the award."
    return published_opportunity(request.user, reference, can_manage_award, refusal)


def _lot(request: HttpRequest, reference: str, number: int) -> Lot:
    opportunity = _opportunity(request, reference)
    lot = opportunity.lots.filter(number=number).first()
    if lot is None:
        raise Http404("No such lot")
    lot.opportunity = opportunity
    return lot


def _crumbs(opportunity: Opportunity, *extra: tuple[str, str | None]) -> Crumbs:
    crumbs: Crumbs = [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, opportunity.get_absolute_url()),
        ("Evaluation", reverse("evaluation:opportunity", args=[opportunity.reference])),
        ("Award", reverse("awards:opportunity", args=[opportunity.reference]) if extra else None),
    ]
    return crumbs + list(extra)


def lot_url(lot: Lot) -> str:
    return reverse("awards:lot", args=[lot.opportunity.reference, lot.number])


@login_required
def opportunity_page(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    lots = []
    for lot in opportunity.lots.order_by("number"):
        award = services.existing_award(lot)
        last_day = services.standstill_last_day(award) if award else None
        lots.append((lot, award, len(lot_bids(lot)), last_day))
    return render(
        request,
        "awards/opportunity.html",
        {"opportunity": opportunity, "lots": lots, "crumbs": _crumbs(opportunity)},
    )


def _tendered(lot: Lot) -> TenderedPaymentModel | None:
    """The lot's tendered payment model, or ``None`` when it cannot be read (creating the
    contract then says why)."""
    try:
        return tendered_payment_model(lot)
    except ValidationError:
        return None


def _render_lot(
    request: HttpRequest,
    lot: Lot,
    decision_form: DecisionForm | None = None,
    contract_form: ContractForm | None = None,
    status: int = 200,
) -> HttpResponse:
    results = services.lot_results(signed_in_user(request), lot)
    award = results.award
    now = timezone.now()
    can_contract = bool(
        award
        and award.winning_bid_id
        and award.contract_id is None
        and award.standstill_ends_at
        and now >= award.standstill_ends_at
    )
    public_bids = {str(bid.pk) for bid in lot_bids(lot) if is_public_sector(bid.organisation)}
    context: dict[str, Any] = {
        "opportunity": lot.opportunity,
        "lot": lot,
        "results": results,
        "award": award,
        "public_bids": public_bids,
        "decision_form": decision_form or (DecisionForm() if award is None else None),
        "contract_form": contract_form
        or (ContractForm(tendered=_tendered(lot)) if can_contract else None),
        "can_contract": can_contract,
        "standstill_last_day": services.standstill_last_day(award) if award else None,
        "standstill_days": settings.AWARD_STANDSTILL_WORKING_DAYS,
        "form": decision_form if decision_form is not None else contract_form,
        "crumbs": _crumbs(lot.opportunity, (f"Lot {lot.number}", None)),
        **results_context(results),
    }
    return render(request, "awards/lot.html", context, status=status)


@login_required
def lot_page(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _render_lot(request, _lot(request, reference, number))


@login_required
@require_POST
def decide(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    lot = _lot(request, reference, number)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            award = services.decide_award(
                signed_in_user(request), lot, form.cleaned_data["reasons"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Award decided: {award.get_outcome_display()}.")
            return HttpResponseRedirect(lot_url(lot))
    return _render_lot(request, lot, decision_form=form, status=400)


@login_required
@require_POST
def create_contract(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    lot = _lot(request, reference, number)
    award = services.existing_award(lot)
    if award is None:
        raise Http404("The award for this lot has not been decided")
    form = ContractForm(request.POST, tendered=_tendered(lot))
    if form.is_valid():
        try:
            contract = services.create_contract(
                signed_in_user(request),
                award,
                form.cleaned_data["start_date"],
                outcome_target=form.cleaned_data.get("outcome_target"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Contract {contract.reference} created.")
            return HttpResponseRedirect(contract.get_absolute_url())
    return _render_lot(request, lot, contract_form=form, status=400)


@login_required
def adjust(request: HttpRequest, reference: str, number: int, bid_pk: int) -> HttpResponse:
    lot = _lot(request, reference, number)
    bid = (
        Bid.objects.select_related("organisation")
        .filter(pk=bid_pk, lot=lot, status=Bid.Status.SUBMITTED)
        .first()
    )
    if bid is None:
        raise Http404("No such bid")
    existing = getattr(bid, "price_adjustment", None)
    if request.method == "POST":
        form = PriceAdjustmentForm(request.POST)
        if form.is_valid():
            try:
                services.record_price_adjustment(
                    signed_in_user(request),
                    bid,
                    form.cleaned_data["hidden_subsidy"],
                    form.cleaned_data["reason"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Price adjustment saved for {bid.organisation}.")
                return HttpResponseRedirect(lot_url(lot))
    else:
        initial = (
            {"hidden_subsidy": existing.hidden_subsidy, "reason": existing.reason}
            if existing
            else {}
        )
        form = PriceAdjustmentForm(initial=initial)
    return render(
        request,
        "awards/adjust.html",
        {
            "opportunity": lot.opportunity,
            "lot": lot,
            "bid": bid,
            "public": is_public_sector(bid.organisation),
            "decided": services.existing_award(lot) is not None,
            "form": form,
            "cancel_url": lot_url(lot),
            "crumbs": _crumbs(
                lot.opportunity,
                (f"Lot {lot.number}", lot_url(lot)),
                ("Price adjustment", None),
            ),
        },
        status=400 if form.errors else 200,
    )
