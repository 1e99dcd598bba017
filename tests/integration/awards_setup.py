"""Builders for award tests (PRO-9, EVA-4, EVA-5), importable read-only by other helpers.

:func:`award_setup` builds an opportunity in evaluation with three submitted, opened and fully
moderated bids in lot 1: two charities (the first naming a confirmed sub-contractor) and a
public-sector bidder. The published criteria are those of ``ready_opportunity``: price 30%,
quality 50%, social value 20%, price scored relative to the lowest. With the default scores and
prices the totals are, by hand:

=====================  =======  ===  ===  =======  ======  =====  ====
bidder                 price    Q    SV   quality  price   total  rank
=====================  =======  ===  ===  =======  ======  =====  ====
Northshire (charity)   250,000  75   50   47.50    30.00   77.50  1
Women Onward (charity) 300,000  50   75   40.00    25.00   65.00  3
Probation unit (public) 280,000 75   25   42.50    26.79   69.29  2
=====================  =======  ===  ===  =======  ======  =====  ====

(quality = 50 × Q/100 + 20 × SV/100; price = 30 × 250,000 ÷ price).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine

from commissioning.accounts.models import User
from commissioning.bids import consent, opening, services, submission
from commissioning.bids.content import COST_LINES, Terms
from commissioning.bids.models import Bid
from commissioning.directory.models import Organisation
from commissioning.evaluation import services as evaluation
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import Status
from commissioning.procurement.models import Criterion, Lot, Opportunity
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.procurement_factories import commissioner_of, open_opportunity, ready_opportunity

ANSWER = "Caseworkers with lived experience meet every person at the gate."
RATIONALE = "Agreed at moderation against the published scale descriptors."
NAMES = ("Northshire Resettlement Trust", "Women Onward CIC", "Northshire Probation Delivery Unit")
PRICES = ("250000", "300000", "280000")
QUALITY = (75, 50, 75)
SOCIAL_VALUE = (50, 75, 25)
PUBLIC_INDEX = 2
SUBCONTRACT_TERMS = Terms(
    role="Accommodation partner",
    services="Move-on accommodation and tenancy sustainment for women leaving custody.",
    referrals_per_year=40,
    value_per_year=Decimal("60000.00"),
)


@dataclass
class AwardSetup:
    opportunity: Opportunity
    lot: Lot
    commissioner: User
    bids: list[Bid]
    bidders: list[Organisation]
    bidder_users: list[User]
    subcontractor: Organisation
    subcontractor_user: User
    evaluator: User

    @property
    def public_bid(self) -> Bid:
        return next(b for b in self.bids if b.organisation.org_type == "public_sector")

    @property
    def quality(self) -> Criterion:
        return self.opportunity.criteria.get(kind="quality")

    @property
    def social_value(self) -> Criterion:
        return self.opportunity.criteria.get(kind="social_value")


def award_commissioner(opportunity: Opportunity) -> User:
    """Another approved commissioner of the opportunity's commissioning body."""
    return commissioner_of(opportunity)


def _bidder(name: str, public: bool) -> Organisation:
    if public:
        return OrganisationFactory(
            name=name,
            org_type=Organisation.OrgType.PUBLIC_SECTOR,
            public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION,
        )
    return OrganisationFactory(name=name)


def submit_bid(
    lot: Lot,
    organisation: Organisation,
    user: User,
    price: str,
    subcontractor: tuple[Organisation, User] | None,
) -> Bid:
    bid = services.start_bid(user, lot, organisation)
    public = organisation.org_type == Organisation.OrgType.PUBLIC_SECTOR
    services.save_pricing(
        user,
        bid,
        price=Decimal(price),
        costs={key: Decimal(price) / len(COST_LINES) for key in COST_LINES},
        has_subsidy=public,
        subsidy_details="Premises and pensions are carried by the parent body." if public else "",
    )
    services.save_answers(user, bid, {str(c.pk): ANSWER for c in services.answerable_criteria(bid)})
    if subcontractor is not None:
        sub_org, sub_user = subcontractor
        sub = services.add_subcontractor(user, bid, sub_org, SUBCONTRACT_TERMS)
        consent.answer(sub_user, sub, confirm=True)
    submission.submit(user, bid)
    return bid


def moderate_all(
    setup: AwardSetup, quality: Sequence[int], social_value: Sequence[int], bids: Sequence[Bid]
) -> None:
    """Record (or change) the moderated scores of ``bids`` on quality and social value."""
    for bid, q, s in zip(bids, quality, social_value, strict=True):
        evaluation.moderate(setup.commissioner, bid, setup.quality, q, RATIONALE)
        evaluation.moderate(setup.commissioner, bid, setup.social_value, s, RATIONALE)


def award_setup(
    *,
    prices: Sequence[str] = PRICES,
    quality: Sequence[int] = QUALITY,
    social_value: Sequence[int] = SOCIAL_VALUE,
    public_index: int | None = PUBLIC_INDEX,
    lots: int = 1,
    moderate: bool = True,
    before_publishing: Callable[[Opportunity, User], None] | None = None,
) -> AwardSetup:
    """An opportunity in evaluation with ``len(prices)`` submitted, opened bids in lot 1 (the
    first bidder names a confirmed sub-contractor; the bidder at ``public_index`` is a
    public-sector body), scored by one evaluator and (by default) fully moderated with
    ``quality`` / ``social_value``. With ``lots=2`` lot 2 gets no bids. Uses the real clock
    afterwards: the bid deadline lies about 130 days in the past."""
    start = datetime.now(tz=UTC) - timedelta(days=200)
    if before_publishing is None:
        opportunity = open_opportunity(published_at=start, lots=lots)
        commissioner = commissioner_of(opportunity)
    else:
        # The draft is prepared by its commissioner (a lot's mechanism built, issue 15), then
        # published through the service.
        opportunity = ready_opportunity(now=start, lots=lots)
        commissioner = commissioner_of(opportunity)
        before_publishing(opportunity, commissioner)
        with time_machine.travel(start, tick=False):
            procurement.publish(commissioner, opportunity)
        opportunity.refresh_from_db()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None and opportunity.bid_deadline is not None
    names = [NAMES[i] if i < len(NAMES) else f"Bidder {i + 1}" for i in range(len(prices))]
    bidders = [_bidder(name, i == public_index) for i, name in enumerate(names)]
    users = [member_of(org) for org in bidders]
    sub_org = OrganisationFactory(name="Safe Homes for Women", women_led=True)
    sub_user = member_of(sub_org)
    with time_machine.travel(opportunity.bid_deadline - timedelta(days=1), tick=False):
        bids = [
            submit_bid(lot, org, user, price, (sub_org, sub_user) if i == 0 else None)
            for i, (org, user, price) in enumerate(zip(bidders, users, prices, strict=True))
        ]
    procurement.transition(commissioner, opportunity, Status.CLOSED)
    opening.open_bids(commissioner, opportunity)
    procurement.transition(commissioner, opportunity, Status.EVALUATION)
    evaluator = UserFactory(role=User.Role.EVALUATOR, email="award-panel@example.org")
    setup = AwardSetup(
        opportunity, lot, commissioner, bids, bidders, users, sub_org, sub_user, evaluator
    )
    for criterion in (setup.quality, setup.social_value):
        evaluation.assign_evaluator(commissioner, criterion, evaluator)
    evaluation.declare_conflicts(evaluator, opportunity, {org.pk: (False, "") for org in bidders})
    for criterion, values in ((setup.quality, quality), (setup.social_value, social_value)):
        assignment = criterion.evaluator_assignments.get(evaluator=evaluator)
        for bid, value in zip(bids, values, strict=True):
            evaluation.save_score(evaluator, assignment, bid, value, ANSWER)
        evaluation.submit_scores(evaluator, assignment)
    if moderate:
        moderate_all(setup, quality, social_value, bids)
    return setup
