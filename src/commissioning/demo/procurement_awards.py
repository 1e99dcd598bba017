"""Synthetic demo opportunities evaluated and awarded (issue 4; EVA-4, EVA-5, PRO-7, PRO-9), on
the demo commissioner's body beside those of :mod:`commissioning.demo.procurement`:

* ``OPP-DEMO-16`` evaluated, awaiting award: three bids in one lot (a prime naming the demo
  provider's charity as a confirmed sub-contractor, another charity, and a local authority's
  in-house service whose hidden subsidy is added to its price), opened, scored independently by
  a panel of two (the demo evaluator and the national commissioner, an invited neutral member)
  who declared no conflicts, with one (bid, criterion) more than one band apart, and every
  (bid, criterion) moderated with its rationale. The results page ranks them; no award yet.
* ``OPP-DEMO-17`` the same, awarded two working days ago: in its standstill.
* ``OPP-DEMO-18`` the same, awarded months ago, with the contract created from the winning bid
  after the standstill: its parties are the winning bid's supply chain as promised, and its fee
  keeps the 10% paid on outcomes the lot was tendered on (PBR-1).

Everything goes through the services with their ``now`` set to past moments. Services without
a ``now`` (assigning an evaluator, saving a draft score) stamp the loading time instead.
The local authority bids through a story-only account (no password: nobody signs in as it);
without a local authority in the market the lots get the two charity bids only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from commissioning.accounts import lifecycle as membership_lifecycle
from commissioning.accounts.models import Membership, User
from commissioning.awards import services as awards
from commissioning.awards.models import LotAward
from commissioning.bids import opening, submission
from commissioning.bids import services as bids
from commissioning.bids.models import Bid
from commissioning.contracts.models import Contract
from commissioning.demo.procurement import DemoProcurementError, _build, _publish
from commissioning.demo.procurement_bids import ANSWER, costs, price, submitted_bids
from commissioning.demo.procurement_cast import DemoCast, at, demo_user
from commissioning.demo.users import DEMO_EMAIL_DOMAIN, HOME_AREA, demo_organisations
from commissioning.directory.models import Organisation
from commissioning.evaluation import services as evaluation
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import Status
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import (
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
)

COUNCIL_USER = "demo-council-bids"
"""The story-only account that prepares the local authority's bid (unusable password)."""
SECOND_EVALUATOR = "commissioner-national"
HIDDEN_SUBSIDY = Decimal(45_000)
DEMO_OUTCOME_TARGET = Decimal(60)
"""OPP-DEMO-18's contract: the percentage in settled accommodation that releases the fee at
risk."""

# bidder → criterion kind → (demo evaluator's score, second evaluator's score, agreed score)
SCORES: dict[str, dict[str, tuple[int, int, int]]] = {
    "prime": {"quality": (75, 75, 75), "social_value": (75, 50, 75)},
    "charity2": {"quality": (50, 50, 50), "social_value": (75, 25, 50)},  # two bands apart
    "council": {"quality": (75, 50, 75), "social_value": (25, 25, 25)},
}
JUSTIFICATIONS = {
    100: "Exceeds every must-have and reaches the ideal, with evidence from similar contracts.",
    75: "Meets every must-have with good evidence; much of the ideal is covered.",
    50: "Meets the must-haves, but the evidence is thin in places and the ideal is not reached.",
    25: "Gives little evidence for one must-have; the rest is stated rather than shown.",
}
DIVERGENT = {  # the divergent (bid, criterion): each evaluator's own reading
    75: "The local jobs pledge is specific: six paid posts for people with lived experience.",
    25: "The lived-experience roles are promised but neither costed nor dated in the plan.",
}
RATIONALES = {
    ("charity2", "social_value"): (
        "Scored two bands apart. The panel agreed 50: the pledge of six posts is specific, but "
        "the bid neither costs nor dates them, so the good descriptor is not fully met."
    ),
    ("council", "quality"): (
        "The panel agreed 75: the second evaluator's concern about weekend cover is answered "
        "by the rota in the delivery plan."
    ),
    ("prime", "social_value"): (
        "The panel agreed 75: the local supply chain, with two charities paid fairly, meets "
        "the good descriptor."
    ),
}
AGREED = "Both evaluators' readings match the published descriptor for this score."


class DemoAwardsError(DemoProcurementError):
    """The demo award story did not come out as written (its scores or prices changed)."""


@dataclass(frozen=True)
class Bidders:
    """The bids on a demo lot by who made them (``council`` is ``None`` without one)."""

    prime: Bid
    charity2: Bid
    council: Bid | None

    def by_key(self) -> dict[str, Bid]:
        found = {"prime": self.prime, "charity2": self.charity2, "council": self.council}
        return {key: bid for key, bid in found.items() if bid is not None}


def evaluated_and_awarded(demo: DemoCast, rng: random.Random) -> list[Opportunity]:
    """Make OPP-DEMO-16 … 18 (see the module's docstring)."""
    council = _council(demo)
    return [
        _awaiting_award(demo, 16, rng, council),
        _in_standstill(demo, 17, rng, council),
        _with_contract(demo, 18, rng, council),
    ]


def counts(made: list[Opportunity]) -> dict[str, int]:
    """How many of ``made`` are evaluated (moderated, awaiting award) and awarded, and how many
    contracts were created from their awards."""
    return {
        "evaluated_opportunities": sum(
            o.status == Status.EVALUATION and evaluation.moderation_complete(o) for o in made
        ),
        "awarded_opportunities": sum(o.status == Status.AWARDED for o in made),
        "award_contracts": Contract.objects.filter(award__lot__opportunity__in=made).count(),
    }


# ---------------------------------------------------------------- the cast beyond DemoCast


def _council(demo: DemoCast) -> tuple[Organisation, User] | None:
    """A local authority in the demo area (not a party to the exercise) and its bid writer."""
    exercise = demo.exercise
    candidates = Organisation.objects.filter(
        is_synthetic=True,
        org_type=Organisation.OrgType.PUBLIC_SECTOR,
        public_body_kind=Organisation.PublicBodyKind.LOCAL_AUTHORITY,
        is_commissioning_body=False,
    ).exclude(pk__in=[exercise.commissioning_body_id, *exercise.partners.values_list("pk")])
    organisation = (
        candidates.filter(areas__slug=HOME_AREA).order_by("slug").first()
        or candidates.order_by("slug").first()
    )
    if organisation is None:
        return None
    user, _ = User.objects.update_or_create(
        username=COUNCIL_USER,
        defaults={
            "email": f"{COUNCIL_USER}@{DEMO_EMAIL_DOMAIN}",
            "first_name": "Lee",
            "last_name": "Marsh",
            "role": User.Role.PROVIDER,
            "is_active": True,
            "password": make_password(None),  # unusable: nobody signs in as it
        },
    )
    Membership.objects.filter(user=user).exclude(organisation=organisation).delete()
    membership_lifecycle.seed(
        user,
        organisation,
        Membership.Status.APPROVED,
        job_title="Bid writer, in-house resettlement service (synthetic)",
    )
    return organisation, user


def _second_evaluator() -> User:
    return demo_user(SECOND_EVALUATOR, demo_organisations()["hmpps"])


# ---------------------------------------------------------------- evaluation, step by step


def _evaluated(
    demo: DemoCast,
    number: int,
    title: str,
    bid_on: date,
    rng: random.Random,
    council: tuple[Organisation, User] | None,
) -> tuple[Opportunity, Bidders, datetime]:
    """An opportunity whose bids (due ``bid_on``) were opened, scored by the panel, and
    moderated; returns it, its bids and when moderation ended."""
    published = bid_on - timedelta(weeks=11)
    opportunity = _build(
        demo,
        number,
        title,
        published_on=published,
        question_weeks=4,
        bid_on=bid_on,
        lots=((title, "accommodation"),),
    )
    _publish(demo, opportunity, published)
    prime, charity2 = submitted_bids(demo, opportunity, bid_on, rng, with_subcontractor=True)
    public = _public_bid(opportunity, bid_on, rng, council) if council else None
    bidders = Bidders(prime, charity2, public)
    closed = at(bid_on, time(14))
    opened = closed + timedelta(days=1)
    procurement.transition(demo.commissioner, opportunity, Status.CLOSED, now=closed)
    opening.open_bids(demo.commissioner, opportunity, now=opened)
    procurement.transition(demo.commissioner, opportunity, Status.EVALUATION, now=opened)
    if public is not None:
        awards.record_price_adjustment(
            demo.commissioner,
            public,
            HIDDEN_SUBSIDY,
            "The council carries the premises, pensions and back-office costs of its in-house "
            "service; their share for this lot is added to its price (synthetic).",
            now=opened + timedelta(hours=2),
        )
    panel = [demo.evaluator, _second_evaluator()]
    _score(demo.commissioner, opportunity, bidders, panel, opened)
    moderated = at(add_working_days(opened.date(), 12), time(15))
    _moderate(demo, opportunity, bidders, moderated)
    return opportunity, bidders, moderated


def _public_bid(
    opportunity: Opportunity,
    bid_on: date,
    rng: random.Random,
    council: tuple[Organisation, User],
) -> Bid:
    """The local authority's bid: a lower declared price, with its subsidy declared (EVA-4)."""
    organisation, user = council
    lot = opportunity.lots.order_by("number").get()
    when = at(bid_on - timedelta(days=4), time(11))
    bid = bids.start_bid(user, lot, organisation, now=when)
    amount = price(rng, 385_000)
    bids.save_pricing(
        user,
        bid,
        price=amount,
        costs=costs(amount),
        has_subsidy=True,
        subsidy_details="Premises, pensions and back-office support are carried by the council.",
        now=when,
    )
    answers = {str(c.pk): ANSWER for c in bids.answerable_criteria(bid)}
    bids.save_answers(user, bid, answers, now=when)
    submission.submit(user, bid, now=when + timedelta(days=1))
    return bid


def _score(
    commissioner: User,
    opportunity: Opportunity,
    bidders: Bidders,
    panel: list[User],
    opened: datetime,
) -> None:
    """Both evaluators are assigned to every judged criterion, declare no conflict with any
    bidder, score every bid with a justification and submit."""
    criteria = list(evaluation.judged_criteria(opportunity))
    for evaluator in panel:
        for criterion in criteria:
            evaluation.assign_evaluator(commissioner, criterion, evaluator)
    organisations = evaluation.bidders(opportunity)
    for days, evaluator in enumerate(panel, start=1):
        evaluation.declare_conflicts(
            evaluator,
            opportunity,
            {org.pk: (False, "") for org in organisations},
            now=opened + timedelta(days=days),
        )
    for index, evaluator in enumerate(panel):
        for criterion in criteria:
            assignment = criterion.evaluator_assignments.get(evaluator=evaluator)
            for key, bid in bidders.by_key().items():
                score = SCORES[key][criterion.kind][index]
                divergent = (key, criterion.kind) == ("charity2", "social_value")
                text = DIVERGENT[score] if divergent else JUSTIFICATIONS[score]
                evaluation.save_score(evaluator, assignment, bid, score, text)
            submitted = at(add_working_days(opened.date(), 6 + index), time(16))
            evaluation.submit_scores(evaluator, assignment, now=submitted)


def _moderate(
    demo: DemoCast, opportunity: Opportunity, bidders: Bidders, moderated: datetime
) -> None:
    """The agreed score and its rationale for every (bid, judged criterion)."""
    for criterion in evaluation.judged_criteria(opportunity):
        for key, bid in bidders.by_key().items():
            agreed = SCORES[key][criterion.kind][2]
            rationale = RATIONALES.get((key, criterion.kind), AGREED)
            evaluation.moderate(demo.commissioner, bid, criterion, agreed, rationale, now=moderated)


# ---------------------------------------------------------------- one per stage


def _awaiting_award(
    demo: DemoCast, number: int, rng: random.Random, council: tuple[Organisation, User] | None
) -> Opportunity:
    bid_on = next_working_day_on_or_after(demo.today - timedelta(days=42))
    opportunity, _, _ = _evaluated(
        demo, number, "Accommodation and tenancy sustainment", bid_on, rng, council
    )
    return opportunity


def _in_standstill(
    demo: DemoCast, number: int, rng: random.Random, council: tuple[Organisation, User] | None
) -> Opportunity:
    """Awarded two working days ago: the standstill has about six working days to run."""
    bid_on = next_working_day_on_or_after(demo.today - timedelta(days=63))
    opportunity, bidders, _ = _evaluated(
        demo, number, "Move-on accommodation for women", bid_on, rng, council
    )
    decided = at(_working_days_before(demo.today, 2), time(11))
    _decide(demo, opportunity, bidders, decided)
    return opportunity


def _with_contract(
    demo: DemoCast, number: int, rng: random.Random, council: tuple[Organisation, User] | None
) -> Opportunity:
    """Awarded about four months ago; the contract was created from the winning bid once the
    standstill had ended, starting on the first of a month after it."""
    bid_on = next_working_day_on_or_after(demo.today - timedelta(days=180))
    opportunity, bidders, moderated = _evaluated(
        demo, number, "Supported housing for prison leavers", bid_on, rng, council
    )
    decided = at(add_working_days(moderated.date(), 5), time(11))
    award = _decide(demo, opportunity, bidders, decided)
    assert award.standstill_ends_at is not None
    created = award.standstill_ends_at + timedelta(days=1, hours=10)
    starts = (award.standstill_ends_at + timedelta(days=32)).date().replace(day=1)
    # The lot was tendered with 10% of the fee paid on outcomes: the contract keeps it, released
    # when 60% of people leaving prison are in settled accommodation (synthetic target).
    awards.create_contract(
        demo.commissioner, award, starts, now=created, outcome_target=DEMO_OUTCOME_TARGET
    )
    return opportunity


def _decide(
    demo: DemoCast, opportunity: Opportunity, bidders: Bidders, decided: datetime
) -> LotAward:
    """The award of the lot: the core's top-ranked bid (the prime, with its local supply
    chain), with the commissioner's reasons."""
    award = awards.decide_award(
        demo.commissioner,
        opportunity.lots.get(),
        "The highest total score: the strongest service model and a local supply chain with a "
        "women's charity paid fairly, at a price within the budget (synthetic).",
        now=decided,
    )
    if award.winning_bid_id != bidders.prime.pk:
        raise DemoAwardsError(f"{opportunity.reference}: the demo prime should win its lot.")
    opportunity.refresh_from_db(fields=["status"])  # awarded with its only lot
    return award


def _working_days_before(day: date, n: int) -> date:
    """The ``n``-th working day before ``day``."""
    while n:
        day -= timedelta(days=1)
        n -= is_working_day(day)
    return day
