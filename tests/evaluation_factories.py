"""Builders for evaluation tests: an opportunity whose deadline has passed with two submitted
bids, opened by its commissioner, and evaluators ready to assign (EVA-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine

from commissioning.accounts.models import User
from commissioning.bids import opening, services, submission
from commissioning.bids.content import COST_LINES
from commissioning.bids.models import Bid
from commissioning.directory.models import Organisation
from commissioning.procurement.models import Criterion, Opportunity
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.procurement_factories import commissioner_of, open_opportunity

ANSWER = "Caseworkers with lived experience meet every person at the gate."


@dataclass
class Evaluation:
    opportunity: Opportunity
    commissioner: User
    bids: list[Bid]
    bidders: list[Organisation]
    bidder_users: list[User]
    evaluators: list[User]

    @property
    def quality(self) -> Criterion:
        return self.opportunity.criteria.get(kind="quality")

    @property
    def social_value(self) -> Criterion:
        return self.opportunity.criteria.get(kind="social_value")


def _bid(opportunity: Opportunity, organisation: Organisation, user: User, price: str) -> Bid:
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    bid = services.start_bid(user, lot, organisation)
    services.save_pricing(
        user,
        bid,
        price=Decimal(price),
        costs={key: Decimal("50000") for key in COST_LINES},
        has_subsidy=False,
        subsidy_details="",
    )
    services.save_answers(user, bid, {str(c.pk): ANSWER for c in services.answerable_criteria(bid)})
    submission.submit(user, bid)
    return bid


def evaluation_setup(*, open_bids: bool = True) -> Evaluation:
    """Two submitted bids on the first lot; the clock is moved past the deadline and (by
    default) the commissioner opens the bids. Leaves the real clock afterwards."""
    start = datetime.now(tz=UTC) - timedelta(days=200)
    opportunity = open_opportunity(published_at=start)
    commissioner = commissioner_of(opportunity)
    names = ("Northshire Resettlement Trust", "Women Onward CIC")
    bidders = [OrganisationFactory(name=name) for name in names]
    users = [member_of(org) for org in bidders]
    assert opportunity.bid_deadline is not None
    with time_machine.travel(opportunity.bid_deadline - timedelta(days=1), tick=False):
        bids = [
            _bid(opportunity, org, user, price)
            for org, user, price in zip(bidders, users, ("250000", "300000"), strict=True)
        ]
    if open_bids:
        opening.open_bids(commissioner, opportunity)
    evaluators = [
        UserFactory(role=User.Role.EVALUATOR, email=f"panel{i}@example.org") for i in (1, 2)
    ]
    return Evaluation(opportunity, commissioner, bids, bidders, users, evaluators)
