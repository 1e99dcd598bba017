"""The bids' part of ``/healthz`` (PRO-8): the configured sealing key opens the newest
opportunity's data key. A web machine left with a retired key after a rotation, or given the
wrong one, answers 503 and leaves the load balancer, rather than failing every bid page."""

from __future__ import annotations

import logging

from django.db import DatabaseError

from commissioning.bids import keys
from commissioning.bids.models import BidKey
from commissioning.kernel.health import Check

log = logging.getLogger(__name__)


def check_bid_sealing_key() -> Check:
    try:
        newest = BidKey.objects.select_related("opportunity").order_by("-pk").first()
    except DatabaseError:
        log.exception("Health check: the bid keys could not be read")
        return Check("bid_sealing_key", False, "The bid keys could not be read.")
    if newest is None:
        return Check("bid_sealing_key", True, "No bids are sealed yet.")
    if not keys.opens(keys.kek(), newest):
        log.error("Health check: BID_SEALING_KEY does not open the bids' data keys")
        return Check(
            "bid_sealing_key", False, "The configured bid-sealing key does not open the bids."
        )
    return Check("bid_sealing_key", True, "The bid-sealing key opens the bids.")
