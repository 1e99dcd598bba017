"""The commissioner's pages (PRO-8): the opportunity's bids — sealed until the deadline, then
opened by an explicit, audited action — and each opened bid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from commissioning.bids import access, keys, opening
from commissioning.bids.models import Bid, BidDocument
from commissioning.bids.views import _attachment
from commissioning.permissions import signed_in_user
from commissioning.procurement.access import published_opportunity
from commissioning.procurement.models import Opportunity
from commissioning.procurement.services import bid_deadline_passed


def _opportunity(request: HttpRequest, reference: str) -> Opportunity:
    refusal = "Only the commissioning body's commissioners see the bids."
    return published_opportunity(request.user, reference, access.can_open_bids, refusal)


def _crumbs(opportunity: Opportunity, label: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, opportunity.get_absolute_url()),
        ("Bids", reverse("bids:opportunity", args=[opportunity.reference]) if label else None),
    ]
    if label:
        crumbs.append((label, None))
    return crumbs


@login_required
def opportunity_bids(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    passed = bid_deadline_passed(opportunity)
    opened_at = opening.opened_at(opportunity)
    context = {
        "opportunity": opportunity,
        "deadline_passed": passed,
        "opened_at": opened_at,
        "bids": opening.submitted_bids(opportunity) if passed else [],
        "crumbs": _crumbs(opportunity),
    }
    return render(request, "bids/opportunity.html", context)


@login_required
def open_bids(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("bids:opportunity", args=[reference]))
    try:
        count = opening.open_bids(signed_in_user(request), opportunity, timezone.now())
    except keys.BidsSealed as refusal:
        messages.error(request, str(refusal.args[0]) if refusal.args else "Bids are sealed.")
        return HttpResponseRedirect(reverse("bids:opportunity", args=[reference]))
    messages.success(request, f"Bids opened: {count} submitted bid{'s' if count != 1 else ''}.")
    return HttpResponseRedirect(reverse("bids:opportunity", args=[reference]))


@login_required
def opened_bid(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    bid = get_object_or_404(
        Bid.objects.select_related("lot", "organisation"), pk=pk, lot__opportunity=opportunity
    )
    view = opening.opened_bid(request.user, bid)
    criteria = opportunity.criteria.exclude(kind="price").order_by("order", "pk")
    context = {
        "opportunity": opportunity,
        "bid": bid,
        "view": view,
        "criteria": [(c, view.content.answers.get(str(c.pk), "")) for c in criteria],
        "crumbs": _crumbs(opportunity, f"{bid.organisation}, lot {bid.lot.number}"),
    }
    return render(request, "bids/opened_bid.html", context)


@login_required
def opened_document(request: HttpRequest, reference: str, pk: int, key: str) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    document = get_object_or_404(
        BidDocument.objects.select_related("bid__lot__opportunity"),
        bid__pk=pk,
        bid__lot__opportunity=opportunity,
        key=key,
    )
    name, data = opening.opened_document(request.user, document)
    return _attachment(name, data)
