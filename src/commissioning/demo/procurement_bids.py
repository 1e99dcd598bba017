"""Bids in the demo procurement story (issue 3; PRO-7, PRO-8, EVA-4): priced with a full-cost
disclosure, answered, with a confirmed sub-contractor, and submitted (sealed) through the bids
services."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from commissioning.bids import consent, submission
from commissioning.bids import services as bids
from commissioning.bids.content import COST_LINES, Terms
from commissioning.bids.models import Bid
from commissioning.demo.procurement_cast import DemoCast, at
from commissioning.procurement.models import Opportunity

COST_SHARES = {
    "staff": Decimal("0.62"),
    "overheads": Decimal("0.12"),
    "premises": Decimal("0.09"),
    "subcontracting": Decimal("0.12"),
    "other": Decimal("0.05"),
}

ANSWER = (
    "Caseworkers with lived experience meet every person at the gate and stay with them until "
    "they are settled; we report monthly against the outcomes sought."
)


def submitted_bids(
    demo: DemoCast,
    opportunity: Opportunity,
    bid_on: date,
    rng: random.Random,
    *,
    with_subcontractor: bool,
) -> list[Bid]:
    """Two bids on the first lot, priced, answered and submitted before the deadline; the
    prime's names the demo provider's charity, which confirmed (PRO-7)."""
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    made = []
    for user, organisation, base in (
        (demo.prime, demo.prime_org, 430_000),
        (demo.provider2, demo.charity2, 395_000),
    ):
        when = at(bid_on - timedelta(days=3), time(10))
        bid = bids.start_bid(user, lot, organisation, now=when)
        amount = price(rng, base)
        bids.save_pricing(
            user,
            bid,
            price=amount,
            costs=costs(amount * Decimal("0.96")),
            has_subsidy=False,
            now=when,
        )
        bids.save_answers(
            user, bid, {str(c.pk): ANSWER for c in bids.answerable_criteria(bid)}, now=when
        )
        if with_subcontractor and organisation == demo.prime_org:
            sub = bids.add_subcontractor(
                user,
                bid,
                demo.charity,
                Terms(
                    role="Sub-contractor",
                    services="Peer mentoring for women (synthetic).",
                    referrals_per_year=60,
                    value_per_year=Decimal(72_000),
                    upfront_percent=Decimal(20),
                    payment_terms_days=30,
                ),
                now=when,
            )
            consent.answer(demo.provider, sub, confirm=True, now=when + timedelta(hours=2))
        submission.submit(user, bid, now=when + timedelta(days=1))
        made.append(bid)
    return made


def price(rng: random.Random, base: int) -> Decimal:
    return Decimal(round(base * rng.uniform(0.95, 1.05), -3))


def costs(total: Decimal) -> dict[str, Decimal]:
    """Every line of the full-cost disclosure (EVA-4), adding up to ``total``."""
    costs = {key: (total * COST_SHARES[key]).quantize(Decimal(1)) for key in COST_LINES}
    costs["other"] += total.quantize(Decimal(1)) - sum(costs.values(), Decimal(0))
    return costs
