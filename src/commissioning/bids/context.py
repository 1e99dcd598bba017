"""What the opportunity page shows about bids for one lot: ``bids_for_lot(user, lot)`` feeds the
include ``bids/lot_section.html`` (wired in by the procurement page)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from commissioning.bids import access
from commissioning.bids.models import Bid, Subcontractor
from commissioning.permissions import Visitor, is_signed_in, member_organisations
from commissioning.procurement.models import Lot, Opportunity
from commissioning.procurement.services import bid_deadline_passed, is_open_for_bids


def bids_for_lot(user: Visitor, lot: Lot) -> dict[str, Any]:
    """Context for ``bids/lot_section.html``: the user's organisations' bids on the lot (status
    only), whether they can start one, sub-contract requests to them for the lot, and for the
    body's commissioners a link to the (sealed or opened) bids. Never any bid content."""
    opportunity = lot.opportunity
    organisations = access.bidding_organisations(user)
    own = list(
        Bid.objects.filter(lot=lot, organisation__in=organisations).select_related("organisation")
    )
    bidding_ids = {bid.organisation_id for bid in own}
    open_for_bids = is_open_for_bids(opportunity)
    requests = []
    if is_signed_in(user):
        requests = list(
            Subcontractor.objects.filter(
                bid__lot=lot, organisation__in=member_organisations(user)
            ).select_related("bid__organisation", "organisation")
        )
    is_commissioner = access.can_open_bids(user, opportunity)
    return {
        "bids_lot": lot,
        "bids_own": own,
        "bids_can_start": open_for_bids and any(o.pk not in bidding_ids for o in organisations),
        "bids_start_url": reverse("bids:start", args=[lot.pk]),
        "bids_requests": requests,
        "bids_open_for_bids": open_for_bids,
        "bids_deadline_passed": bid_deadline_passed(opportunity),
        "bids_is_commissioner": is_commissioner and opportunity.status != Opportunity.Status.DRAFT,
        "bids_commissioner_url": reverse("bids:opportunity", args=[opportunity.reference]),
    }
