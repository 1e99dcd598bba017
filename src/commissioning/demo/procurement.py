"""Synthetic demo opportunities at every status (issue 3; PRO-1 … PRO-9, EVA-1, EVA-5), so a
newcomer can follow the whole flow on the demo commissioner's body (the Northumbria PCC):

* ``OPP-DEMO-11`` draft: complete, with a timeline that passes the policy today, so the demo
  commissioner can publish it;
* ``OPP-DEMO-12`` open for bids (deadline about six weeks from loading): published questions
  and answers, one question unanswered and overdue, interest from a prime, a sub-contractor
  and a private consortium member, and a draft bid from the demo provider's charity;
* ``OPP-DEMO-13`` closed: the deadline has passed, two submitted bids still sealed (one names
  the demo provider's charity as a confirmed sub-contractor);
* ``OPP-DEMO-14`` in evaluation: two submitted bids, opened, with the demo evaluator assigned;
* ``OPP-DEMO-15`` cancelled with a coded, published reason;
* ``OPP-DEMO-16`` … ``18`` evaluated, awarded, with a contract (:mod:`.procurement_awards`).

Everything goes through the services (publication guards, clarifications, interest, sealed
bids, opening, evaluation) as the demo users, with the services' ``now`` set to past moments
instead of moving the clock; dates are computed from today, so the demo stays live whenever it
is loaded. Bids are sealed with the server's key (the development key in the local demo).

Run after the market, the demo contracts and the demo users are loaded. Loading again replaces
what was made before (by reference prefix). :func:`delete_demo_procurement` must run before
synthetic opportunities or organisations are deleted: bids protect their lots and bidders.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from commissioning.audit.models import AuditEvent
from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.bids import keys, opening
from commissioning.bids import services as bids
from commissioning.bids.models import Bid
from commissioning.clarifications import services as clarifications
from commissioning.demo.procurement_bids import costs, price, submitted_bids
from commissioning.demo.procurement_cast import DemoCast, at
from commissioning.demo.replace import awards_first, delete_demo_notifications
from commissioning.demo.users import demo_organisations
from commissioning.directory.models import Specialism
from commissioning.equality.demo import load_demo_assessments
from commissioning.evaluation import services as evaluation
from commissioning.exercises.models import CommissioningExercise
from commissioning.partnering import services as partnering
from commissioning.procurement import services as procurement
from commissioning.procurement.lifecycle import Status, TransitionError
from commissioning.procurement.models import (
    Criterion,
    Interest,
    Lot,
    Opportunity,
    SpecSection,
    TransferringStaff,
)
from commissioning.procurement.services_editing import DEFAULT_SECTIONS
from commissioning_analytics.payments.builder import build_mechanism
from commissioning_analytics.timelines.working_days import (
    add_working_days,
    next_working_day_on_or_after,
)

PREFIX = "OPP-DEMO-1"
"""References OPP-DEMO-11 …; the demo contracts' awarded opportunities are OPP-DEMO-0x."""
SYNTHETIC = "Synthetic demo data: every organisation, person and figure here is made up."
CRITERIA = (
    ("Price", Criterion.Kind.PRICE, 30, "Scored by formula against the lowest price."),
    ("Quality of the service model", Criterion.Kind.QUALITY, 50, "Must-haves and the ideal."),
    ("Social value", Criterion.Kind.SOCIAL_VALUE, 20, "Local jobs and lived-experience roles."),
)
SECTION_TEXT = {  # must-haves, ideal level (PRO-5)
    "service": ("Settled accommodation for people leaving prison.", "One worker throughout."),
    "people": ("Adults released to the area, women and young adults.", "Shaped with users."),
    "delivery": ("Caseworkers in the area on weekdays and release days.", "Peer mentors."),
    "quality": ("Safeguarding leads and monthly outcome reports.", "Independent review yearly."),
    "partnership": ("Fair terms and payment for sub-contractors.", "Local charities in it."),
}


class DemoProcurementError(Exception):
    """The demo opportunities could not be made: the message says why."""


def delete_demo_procurement() -> dict[str, int]:
    """Remove the demo opportunities made here (bids first: they protect lots and bidders) and
    the notifications the story sent the demo's accounts."""
    opportunities = Opportunity.objects.filter(is_synthetic=True, reference__startswith=PREFIX)
    deleted: dict[str, int] = {"notifications.Notification": delete_demo_notifications()}
    with replacing_synthetic_demo():
        for queryset in (
            *awards_first(opportunities),  # awards protect winning bids, contracts their lots
            Bid.objects.filter(lot__opportunity__in=opportunities),
            opportunities,
        ):
            _, by_model = queryset.delete()
            for label, count in by_model.items():
                deleted[label] = deleted.get(label, 0) + count
    return deleted


def load_demo_procurement(*, seed: int = 2026) -> dict[str, int]:
    """Make the demo opportunities (replacing earlier ones) and return how many of each kind of
    record were made. Needs the demo users; raises :class:`DemoUsersError` without them."""
    try:
        keys.kek()
    except ImproperlyConfigured as error:
        raise DemoProcurementError(f"Bids cannot be sealed: {error}") from error
    from commissioning.demo import procurement_awards  # it builds on this module

    rng = random.Random(f"{seed}:procurement")
    with transaction.atomic():
        delete_demo_procurement()
        demo = DemoCast(demo_organisations())
        # A tender is published only once its exercise's assessment is (EQU-1).
        load_demo_assessments(CommissioningExercise.objects.filter(pk=demo.exercise.pk))
        made = [
            _draft(demo, 11),
            _open(demo, 12, rng),
            _closed(demo, 13, rng),
            _in_evaluation(demo, 14, rng),
            _cancelled(demo, 15),
        ]
        made += procurement_awards.evaluated_and_awarded(demo, rng)  # 16 … 18 (issue 4)
        counts = _counts(made) | procurement_awards.counts(made)
        AuditEvent.objects.create(
            actor=None,
            actor_label="system",
            action="demo_procurement_loaded",
            target_type="demo.DemoProcurement",
            target_id=str(seed),
            target_label=f"Synthetic demo opportunities (seed {seed})",
            changes={"opportunities": {o.reference: o.status for o in made}, "counts": counts},
        )
    return counts


def _counts(made: list[Opportunity]) -> dict[str, int]:
    bid_rows = Bid.objects.filter(lot__opportunity__in=made)
    return {
        "opportunities": len(made),
        "lots": Lot.objects.filter(opportunity__in=made).count(),
        "questions": sum(o.questions.count() for o in made),
        "answered_questions": sum(o.questions.filter(status="answered").count() for o in made),
        "interests": Interest.objects.filter(lot__opportunity__in=made).count(),
        "bids": bid_rows.count(),
        "submitted_bids": bid_rows.filter(status=Bid.Status.SUBMITTED).count(),
        "evaluator_assignments": sum(
            evaluation.assignments(o).count() for o in made if o.status == "evaluation"
        ),
    }


# ---------------------------------------------------------------- building an opportunity


def _build(
    demo: DemoCast,
    number: int,
    title: str,
    *,
    published_on: date,
    question_weeks: int,
    bid_on: date,
    lots: tuple[tuple[str, str], ...] = (("Resettlement and accommodation", "accommodation"),),
    consortium: bool = False,
) -> Opportunity:
    """A complete draft whose timeline passes the policy if published on ``published_on``:
    questions close ``question_weeks`` after it, answers five working days later, bids on
    ``bid_on`` at noon (London)."""
    question_on = next_working_day_on_or_after(published_on + timedelta(weeks=question_weeks))
    answers_on = add_working_days(question_on, 5)
    place = demo.area.name if demo.area else "the area"
    budget = Decimal(450_000) * len(lots) * 3
    opportunity = Opportunity.objects.create(
        exercise=demo.exercise,
        reference=f"OPP-DEMO-{number}",
        title=f"{title} – {place} (synthetic)",
        description=(f"{demo.pcc.name} is buying {title.lower()} in {place}. {SYNTHETIC}"),
        is_synthetic=True,
        created_by=demo.commissioner,
        question_deadline=at(question_on),
        answers_by=at(answers_on),
        bid_deadline=at(next_working_day_on_or_after(bid_on)),
        consortium_encouraged=consortium,
        contact_name="Casey Morgan",
        contact_email="commissioning@pcc.demo.example",
        barriers_considered=(
            "Lots by service keep each contract small enough for local charities; the "
            "financial-standing thresholds are proportionate to each lot's value."
        ),
        not_divided_rationale=(
            ""
            if len(lots) > 1
            else "One countywide service: splitting it would break up "
            "the single point of contact for people leaving prison."
        ),
        sme_suitable=True,
        vcse_suitable=True,
        budget_total=budget,
        expected_service_users=300 * len(lots) * 3,
        good_practice_cost_per_user=Decimal("1500.00"),
        tupe_information="Four staff of the current provider may transfer (synthetic).",
        incumbent_details="The current service is run by a synthetic local charity.",
        outcomes_sought="Settled accommodation within 12 weeks of release; fewer recalls.",
    )
    specialisms = {s.slug: s for s in Specialism.objects.filter(slug__in=[s for _, s in lots])}
    for index, (lot_title, slug) in enumerate(lots, start=1):
        lot = Lot.objects.create(
            opportunity=opportunity,
            number=index,
            title=f"{lot_title} – {place}",
            tendered_mechanism=tendered_mechanism(f"{lot_title} – {place}", demo.pcc.name),
            estimated_annual_value=Decimal(450_000),
            duration_months=36,
            payment_model_summary="A fixed fee with 10% paid on outcomes achieved.",
            outcome_payment_percent=Decimal(10),
            turnover_multiple=Decimal(2),
            minimum_reserves_months=Decimal(3),
            sme_suitable=True,
            vcse_suitable=True,
        )
        if demo.area is not None:
            lot.areas.set([demo.area])
        if slug in specialisms:
            lot.specialisms.set([specialisms[slug]])
    SpecSection.objects.bulk_create(
        SpecSection(
            opportunity=opportunity,
            key=key,
            title=section_title,
            required=required,
            must_have=SECTION_TEXT[key][0],
            ideal=SECTION_TEXT[key][1],
            order=order,
        )
        for order, (key, section_title, required) in enumerate(DEFAULT_SECTIONS, start=1)
    )
    Criterion.objects.bulk_create(
        Criterion(
            opportunity=opportunity,
            name=name,
            kind=kind,
            weight=Decimal(weight),
            guidance=text,
            order=order,
        )
        for order, (name, kind, weight, text) in enumerate(CRITERIA, start=1)
    )
    TransferringStaff.objects.bulk_create(
        TransferringStaff(opportunity=opportunity, order=order, **row)
        for order, row in enumerate(TRANSFERRING_STAFF, start=1)
    )
    return opportunity


def tendered_mechanism(lot_title: str, commissioner: str) -> dict[str, object]:
    """The payment mechanism bids are priced on (issue 15, PBR-1), built by the same builder
    the commissioner's forms use, as the lot's summary says: £450,000 a year paid quarterly in
    arrears over 12 quarters (the lot's 36 months), 10% of it withheld until 60% of people are
    in settled accommodation within 12 weeks of release (the outcome the opportunity seeks),
    and a place for the winning bidder and one sub-contractor."""
    return build_mechanism(
        {
            "name": f"{lot_title} (synthetic)",
            "commissioner_name": commissioner,
            "prime_name": "The winning bidder",
            "period": "quarter",
            "term_periods": "12",
            "payment_terms_days": "30",
            "measure_kind": "intermediate",
            "measure_id": "settled-accommodation-within-12-weeks-of-release",
            "measure_description": "Settled accommodation within 12 weeks of release",
            "annual_value": "450000",
            "frequency": "quarterly",
            "timing": "arrears",
            "at_risk_percent": "10",
            "at_risk_mode": "withheld",
            "at_risk_target": "60",
            "sub1_name": "A local specialist partner",
            "sub1_fee_share": "30",
            "sub1_outcome_share": "30",
            "sub1_management_fee": "10",
        }
    )


TRANSFERRING_STAFF: tuple[dict[str, object], ...] = (
    {
        "role": "Caseworker (synthetic)",
        "headcount": 3,
        "annual_salary": Decimal("28500"),
        "weekly_hours": Decimal("37.5"),
        "pension": TransferringStaff.Pension.DEFINED_BENEFIT,
        "employer_pension_percent": Decimal("18.5"),
        "years_of_service": 6,
        "age": 42,
    },
    {
        "role": "Team leader (synthetic)",
        "headcount": 1,
        "annual_salary": Decimal("36000"),
        "weekly_hours": Decimal("37.5"),
        "pension": TransferringStaff.Pension.DEFINED_CONTRIBUTION,
        "employer_pension_percent": Decimal("5"),
        "years_of_service": 11,
        "age": 51,
    },
)
"""The four staff of the current provider who may transfer (PRO-10), as anonymised rows."""


def _publish(demo: DemoCast, opportunity: Opportunity, published_on: date) -> Opportunity:
    try:
        return procurement.publish(demo.commissioner, opportunity, now=at(published_on, time(9)))
    except TransitionError as error:
        raise DemoProcurementError(f"{opportunity.reference}: {error.message}") from error


# ---------------------------------------------------------------- one per status


def _draft(demo: DemoCast, number: int) -> Opportunity:
    """Ready to publish today."""
    return _build(
        demo,
        number,
        "Women's community support",
        published_on=demo.today,
        question_weeks=3,
        bid_on=demo.today + timedelta(weeks=10),
        lots=(("Women's centre support", "womens-services"),),
    )


def _open(demo: DemoCast, number: int, rng: random.Random) -> Opportunity:
    published = demo.today - timedelta(weeks=7)
    opportunity = _build(
        demo,
        number,
        "Resettlement and accommodation support",
        published_on=published,
        question_weeks=8,
        bid_on=demo.today + timedelta(weeks=6),
        lots=(
            ("Accommodation support", "accommodation"),
            ("Resettlement through the gate", "resettlement-through-the-gate"),
        ),
        consortium=True,
    )
    _publish(demo, opportunity, published)
    first = opportunity.lots.order_by("number").first()
    assert first is not None
    _questions(demo, opportunity, first, published)
    interests = (  # who, for which organisation, as what, private?, note (PRO-6)
        (demo.prime, demo.prime_org, Interest.Role.PRIME, False, "Looking for local partners."),
        (demo.provider2, demo.charity2, Interest.Role.SUBCONTRACTOR, False, "Women's housing."),
        (demo.provider, demo.charity, Interest.Role.CONSORTIUM_MEMBER, True, ""),
    )
    for user, organisation, role, private, note in interests:
        partnering.register_interest(
            user, first, organisation=organisation, role=role, note=note, is_private=private
        )
    draft = bids.start_bid(demo.provider, first, demo.charity)
    bids.save_pricing(
        demo.provider,
        draft,
        price=price(rng, 420_000),
        costs=costs(price(rng, 400_000)),
        has_subsidy=False,
    )
    return opportunity


QUESTIONS = (  # who asks, days after publication, question, published wording, answer
    ("provider2", 8, "Can a sub-contractor deliver the women's caseload on its own premises?",
     "Can a sub-contractor deliver the women's caseload on its own premises?",
     "Yes. Premises must meet the safeguarding must-haves in the specification."),
    ("prime", 15, "Our contract with the PCC ends in March: can TUPE dates be flexible?",
     "Can the TUPE transfer date be flexible for an incumbent provider?",
     "The transfer date is fixed by the service start; see the TUPE information."),
)  # fmt: skip


def _questions(demo: DemoCast, opportunity: Opportunity, lot: Lot, published: date) -> None:
    """Two questions answered on time and published (one in anonymised wording); one asked two
    weeks ago, still unanswered and past its guaranteed response time (PRO-4)."""
    for username, days, text, wording, answer in QUESTIONS:
        asked = at(published + timedelta(days=days), time(10, 30))
        question = clarifications.ask_question(
            getattr(demo, username), opportunity, text=text, lot=lot, now=asked
        )
        clarifications.publish_answer(
            demo.commissioner, question, answer=answer, text=wording, now=asked + timedelta(2)
        )
    clarifications.ask_question(
        demo.provider,
        opportunity,
        text="Will the payment on outcomes be made quarterly or yearly?",
        now=at(demo.today - timedelta(days=14), time(11)),
    )


def _closed(demo: DemoCast, number: int, rng: random.Random) -> Opportunity:
    bid_on = next_working_day_on_or_after(demo.today - timedelta(days=10))
    published = bid_on - timedelta(weeks=11)
    opportunity = _build(
        demo,
        number,
        "Mentoring for young adults",
        published_on=published,
        question_weeks=4,
        bid_on=bid_on,
        lots=(("Young adults mentoring", "mentoring"),),
    )
    _publish(demo, opportunity, published)
    submitted_bids(demo, opportunity, bid_on, rng, with_subcontractor=True)
    procurement.transition(demo.commissioner, opportunity, Status.CLOSED)
    return opportunity


def _in_evaluation(demo: DemoCast, number: int, rng: random.Random) -> Opportunity:
    bid_on = next_working_day_on_or_after(demo.today - timedelta(days=35))
    published = bid_on - timedelta(weeks=11)
    opportunity = _build(
        demo,
        number,
        "Education, training and employment support",
        published_on=published,
        question_weeks=4,
        bid_on=bid_on,
        lots=(("Employment support", "education-training-and-employment"),),
    )
    _publish(demo, opportunity, published)
    submitted_bids(demo, opportunity, bid_on, rng, with_subcontractor=False)
    after = at(bid_on, time(14))
    procurement.transition(demo.commissioner, opportunity, Status.CLOSED, now=after)
    opening.open_bids(demo.commissioner, opportunity, now=after + timedelta(days=1))
    procurement.transition(
        demo.commissioner,
        opportunity,
        Status.EVALUATION,
        now=after + timedelta(days=1),
    )
    for criterion in evaluation.judged_criteria(opportunity):
        evaluation.assign_evaluator(demo.commissioner, criterion, demo.evaluator)
    return opportunity


def _cancelled(demo: DemoCast, number: int) -> Opportunity:
    published = demo.today - timedelta(weeks=3)
    opportunity = _build(
        demo,
        number,
        "Family and relationships support",
        published_on=published,
        question_weeks=4,
        bid_on=published + timedelta(weeks=10),
        lots=(("Families and relationships", "families-and-relationships"),),
    )
    _publish(demo, opportunity, published)
    procurement.cancel(
        demo.commissioner,
        opportunity,
        code=Opportunity.CancellationCode.BUDGET_WITHDRAWN,
        reason="The joint funding with the local authority was withdrawn (synthetic).",
        now=at(demo.today - timedelta(days=7), time(16)),
    )
    return opportunity
