"""Key handling for sealed bids (PRO-8, ADR 0006): the key-encryption key (KEK) from the
environment, one data key per opportunity wrapped by it, and the only three ways to get a data
key back — each behind its permission rule:

* :func:`bidder_key` — the bidder's own approved members, for their own bid;
* :func:`subcontractor_key` — a named sub-contractor's approved members, for their own terms;
* :func:`released_key` — the commissioners of the body, only once the deadline has passed and
  they have opened the bids.

Nothing else in the web process unwraps a data key, so the stored ciphertext cannot be read by
the commissioner, site administrators or the admin before the deadline.

The key-encryption key itself is rotated with :func:`rotate` (``commissioning keys rotate``,
docs/keys.md): every data key is re-wrapped, no bid is re-encrypted.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction

from commissioning.bids import access, sealing
from commissioning.bids.models import Bid, BidKey, Subcontractor
from commissioning.kernel.secrets import configured_key
from commissioning.permissions import Visitor
from commissioning.procurement.models import Opportunity
from commissioning.procurement.services import bid_deadline_passed

#: Public (it is in the repository): used only where BID_SEALING_ALLOW_DEV_KEY=1 is set
#: explicitly (the local demo, commissioning.settings_dev for development and the tests).
DEV_KEY = sealing.encode_key(b"development-only-bid-sealing-key")


class BidsSealed(PermissionDenied):
    """Refused: the bids are still sealed (before the deadline, or not yet opened)."""


def kek() -> bytes:
    missing = "Set BID_SEALING_KEY (32 random bytes, URL-safe base64) to seal and open bids."
    text = configured_key("BID_SEALING_KEY", DEV_KEY, missing)
    try:
        return sealing.decode_key(text)
    except sealing.SealingError as error:
        raise ImproperlyConfigured(f"BID_SEALING_KEY: {error}") from error


def _context(opportunity: Opportunity) -> str:
    return f"opportunity:{opportunity.pk}"


def ensure_key(opportunity: Opportunity) -> BidKey:
    """The opportunity's wrapped data key, created (with a fresh random key) on first use. A
    page that read the key with the opportunity (``select_related``) is not asked again."""
    existing = read_with(opportunity) or BidKey.objects.filter(opportunity=opportunity).first()
    if existing is not None:
        return existing
    wrapped = sealing.wrap_key(kek(), sealing.generate_key(), _context(opportunity))
    return BidKey.objects.create(opportunity=opportunity, wrapped_key=wrapped)


def read_with(opportunity: Opportunity) -> BidKey | None:
    """The key read along with ``opportunity`` in the same query, if it was (issue 21)."""
    if not Opportunity.bid_key.is_cached(opportunity):
        return None
    try:
        return opportunity.bid_key
    except BidKey.DoesNotExist:
        return None


def unwrap_data_key(opportunity: Opportunity) -> bytes:
    """The opportunity's data key, unwrapped: only for callers that have checked the reader may
    see opened content (bids.opening for commissioners, evaluation.panel for evaluators)."""
    return sealing.unwrap_key(
        kek(), bytes(ensure_key(opportunity).wrapped_key), _context(opportunity)
    )


def bidder_key(user: Visitor, bid: Bid) -> bytes:
    if not access.can_prepare_bid(user, bid):
        raise PermissionDenied("Only the bidding organisation can read its bid before opening.")
    return unwrap_data_key(bid.lot.opportunity)


def subcontractor_key(user: Visitor, subcontractor: Subcontractor) -> bytes:
    if not access.can_answer_subcontract(user, subcontractor):
        raise PermissionDenied("Only the named organisation can see what it is promised.")
    return unwrap_data_key(subcontractor.bid.lot.opportunity)


def released_key(user: Visitor, opportunity: Opportunity, now: datetime | None = None) -> bytes:
    """The data key for reading opened bids: refused before the deadline whoever asks, to anyone
    but the body's commissioners, and until they have opened the bids."""
    if not bid_deadline_passed(opportunity, now):
        raise BidsSealed("Bids are sealed until the bid deadline.")
    if not access.can_open_bids(user, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners read the bids.")
    key = BidKey.objects.filter(opportunity=opportunity).first()
    if key is None or key.opened_at is None:
        raise BidsSealed("The bids have not been opened yet.")
    return unwrap_data_key(opportunity)


class RotationError(Exception):
    """The rotation was refused and nothing was changed."""


def rotate(old: bytes, new: bytes) -> int:
    """Re-wrap every opportunity's data key under the new key-encryption key, in one transaction:
    if any data key does not open with ``old`` nothing is written. Returns how many were
    re-wrapped. The data keys themselves, and so every sealed bid, stay as they are."""
    if old == new:
        raise RotationError("The new key is the key in use: choose a new one.")
    with transaction.atomic():
        rewrapped = []
        locked = BidKey.objects.select_for_update(of=("self",)).select_related("opportunity")
        for bid_key in locked:
            context = _context(bid_key.opportunity)
            try:
                data_key = sealing.unwrap_key(old, bytes(bid_key.wrapped_key), context)
            except sealing.SealingError as error:
                raise RotationError(
                    f"The data key of opportunity {bid_key.opportunity.reference} does not open "
                    "with the key in use (BID_SEALING_KEY); nothing was changed."
                ) from error
            bid_key.wrapped_key = sealing.wrap_key(new, data_key, context)
            rewrapped.append(bid_key)
        BidKey.objects.bulk_update(rewrapped, ["wrapped_key"], batch_size=500)
    return len(rewrapped)


def opens(kek_in_use: bytes, bid_key: BidKey) -> bool:
    try:
        sealing.unwrap_key(kek_in_use, bytes(bid_key.wrapped_key), _context(bid_key.opportunity))
    except sealing.SealingError:
        return False
    return True


def unreadable(kek_in_use: bytes) -> list[str]:
    """References of the opportunities whose data key does not open with ``kek_in_use``: empty
    when the configured key is the right one (after a restore, before and after a rotation)."""
    bid_keys = BidKey.objects.select_related("opportunity").order_by("pk")
    return [key.opportunity.reference for key in bid_keys if not opens(kek_in_use, key)]
