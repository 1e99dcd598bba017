"""The level-playing-field price adjustment (EVA-4): the hidden subsidy a commissioner adds to a
public-sector bid's declared price before price scoring, with the reason; audited."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.awards.access import can_manage_award
from commissioning.awards.models import LotAward, PriceAdjustment
from commissioning.awards.results import is_public_sector
from commissioning.bids import opening
from commissioning.bids.models import Bid

MIN_ADJUSTMENT_REASON = 20
MAX_SUBSIDY = Decimal("999999999999.99")


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_SUBSIDY:
        return None
    if amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def record_price_adjustment(
    actor: User, bid: Bid, hidden_subsidy: Any, reason: str, now: datetime | None = None
) -> PriceAdjustment:
    """Record (or change) the hidden subsidy of a public-sector bid (EVA-4): only by the body's
    commissioners, only for submitted public-sector bids once opened, and only until the lot's
    award is decided. Raises ``PermissionDenied`` or ``ValidationError`` (nothing written)."""
    bid = Bid.objects.select_related("lot__opportunity__exercise", "organisation").get(pk=bid.pk)
    opportunity = bid.lot.opportunity
    if not can_manage_award(actor, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners adjust prices.")
    if bid.status != Bid.Status.SUBMITTED:
        raise ValidationError("Only submitted bids are priced.")
    if not is_public_sector(bid.organisation):
        raise ValidationError(
            {
                "hidden_subsidy": "Only public-sector bids are adjusted for hidden subsidies; "
                "other bidders include every cost in their full-cost price."
            }
        )
    if opening.opened_at(opportunity) is None:
        raise ValidationError("Open the bids before adjusting a price.")
    errors: dict[str, str] = {}
    amount = _amount(hidden_subsidy)
    if amount is None:
        errors["hidden_subsidy"] = "Enter the hidden subsidy in pounds, 0 or more, like 25000.00"
    text = (reason or "").strip()
    if len(text) < MIN_ADJUSTMENT_REASON:
        errors["reason"] = (
            f"Explain which costs the bidder does not bear in at least "
            f"{MIN_ADJUSTMENT_REASON} characters"
        )
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    with transaction.atomic():
        Bid.objects.select_for_update().get(pk=bid.pk)
        if LotAward.objects.filter(lot_id=bid.lot_id).exists():
            raise ValidationError(
                "The award for this lot has been decided: its prices can no longer change."
            )
        before = PriceAdjustment.objects.filter(bid=bid).first()
        adjustment, _ = PriceAdjustment.objects.update_or_create(
            bid=bid,
            defaults={
                "hidden_subsidy": amount,
                "reason": text,
                "recorded_by": actor,
                "recorded_at": now or timezone.now(),
            },
        )
        record(
            actor,
            "award.price_adjustment",
            bid,
            {
                "hidden_subsidy": {
                    "from": str(before.hidden_subsidy) if before else None,
                    "to": str(amount),
                },
                "reason": {"from": before.reason if before else None, "to": text},
            },
        )
    return adjustment
