"""Opening the bids after the deadline (PRO-8): an explicit, audited action by a commissioner of
the commissioning body; only then are the submitted bids readable, and only by them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.bids import access, keys, reading
from commissioning.bids.models import Bid, BidDocument, BidKey
from commissioning.bids.services import members_of
from commissioning.notifications.services import notify
from commissioning.permissions import Visitor
from commissioning.procurement.models import Opportunity
from commissioning.procurement.services import bid_deadline_passed


def submitted_bids(opportunity: Opportunity) -> Any:
    return (
        Bid.objects.filter(lot__opportunity=opportunity, status=Bid.Status.SUBMITTED)
        .select_related("organisation", "lot")
        .order_by("lot__number", "organisation__name")
    )


def opened_at(opportunity: Opportunity) -> datetime | None:
    key = BidKey.objects.filter(opportunity=opportunity).first()
    return key.opened_at if key else None


def open_bids(actor: User, opportunity: Opportunity, now: datetime | None = None) -> int:
    """Open the bids: refused before the deadline by the server's clock and to anyone but the
    body's commissioners. Returns how many submitted bids there are; opening twice is a no-op."""
    if not access.can_open_bids(actor, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners open the bids.")
    now = now or timezone.now()
    if not bid_deadline_passed(opportunity, now):
        raise keys.BidsSealed("Bids are sealed until the bid deadline.")
    with transaction.atomic():
        key = keys.ensure_key(opportunity)
        key = BidKey.objects.select_for_update().get(pk=key.pk)
        count = submitted_bids(opportunity).count()
        if key.opened_at is not None:
            return count
        key.opened_at = now
        key.opened_by = actor
        key.save(update_fields=["opened_at", "opened_by"])
        record(actor, "bids.open", opportunity, {"submitted_bids": count})
        bidders = {bid.organisation_id for bid in submitted_bids(opportunity)}
        notify(
            [user for org_id in sorted(bidders) for user in members_of(org_id)],
            subject=f"Bids opened: {opportunity.reference}",
            body=(
                f"The commissioner opened the bids for {opportunity.reference} "
                f"“{opportunity.title}” after the deadline. Evaluation follows."
            ),
            url=opportunity.get_absolute_url(),
            kind="bids.opened",
        )
    return count


def opened_bid(user: Visitor, bid: Bid, now: datetime | None = None) -> reading.OpenBid:
    """A submitted bid unsealed for the body's commissioners once opened (else refused)."""
    bid = Bid.objects.select_related("lot__opportunity", "organisation").get(pk=bid.pk)
    key = keys.released_key(user, bid.lot.opportunity, now)
    if bid.status != Bid.Status.SUBMITTED:
        raise PermissionDenied("Only submitted bids are read.")
    return reading.open_bid(bid, key)


def opened_document(
    user: Visitor, document: BidDocument, now: datetime | None = None
) -> tuple[str, bytes]:
    bid = Bid.objects.select_related("lot__opportunity").get(pk=document.bid_id)
    key = keys.released_key(user, bid.lot.opportunity, now)
    if bid.status != Bid.Status.SUBMITTED:
        raise PermissionDenied("Only submitted bids are read.")
    return reading.name_of(document, key), reading.data_of(document, key)
