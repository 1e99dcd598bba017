"""A small hand-made cycle for the review tests (CYC-4): the hand quarter of referrals and
payments (tests/supply_return_factories.py) under an exercise at its review stage, with the
prime's return for the quarter (housing confirms its line, the women's centre disputes), one KPI
assessed once, one code-of-conduct rating, one published outcome study and one consultation's
published "you said, we did"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from commissioning.contracts.models import Kpi, KpiAssessment, KpiRating
from commissioning.delivery_checks.models import CodeOfConductRating, PrincipleRating
from commissioning.engagement.models import SummaryTheme
from commissioning.exercises.lifecycle import Stage
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning.supply_returns import services as supply_returns
from tests.engagement_factories import ConsultationFactory
from tests.referral_factories import ReferralSetting
from tests.supply_return_factories import QUARTER, TODAY, hand_quarter


def at_review(exercise: CommissioningExercise) -> None:
    """Test set-up: the exercise has run its cycle to the review stage."""
    stages = [Stage.PLAN, Stage.PROCURE, Stage.DELIVER, Stage.REVIEW]
    previous = exercise.stage
    for stage in stages:
        StageChange.objects.create(
            exercise=exercise,
            from_stage=previous,
            to_stage=stage.value,
            changed_at=datetime.now(UTC),
        )
        previous = stage.value
    CommissioningExercise.objects.filter(pk=exercise.pk).update(stage=Stage.REVIEW.value)
    exercise.refresh_from_db()


def hand_cycle() -> tuple[ReferralSetting, CommissioningExercise]:
    setting = hand_quarter()
    contract = setting.contract
    exercise = contract.lot.opportunity.exercise
    # The prime's return for July to September 2026: housing confirms, women's centre disputes.
    drafted = supply_returns.draft(contract, QUARTER, today=TODAY)
    supply_returns.submit(setting.prime, drafted, today=TODAY)
    lines = {line.party.party_id: line for line in drafted.lines.select_related("party")}
    supply_returns.answer(setting.housing, lines["housing-charity"], "confirm")
    supply_returns.answer(setting.womens, lines["womens-centre"], "dispute", "Paid late")
    # One KPI assessed once.
    kpi = Kpi.objects.create(
        contract=contract,
        name="Settled accommodation on release",
        measure="People in settled accommodation on the day of release.",
        target="75%",
        frequency=Kpi.Frequency.ANNUALLY,
        data_source=Kpi.DataSource.PROVIDER_RETURN,
    )
    assessment = KpiAssessment.objects.create(
        contract=contract,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        recorded_at=datetime.now(UTC),
    )
    KpiRating.objects.create(
        assessment=assessment,
        kpi=kpi,
        rating=KpiRating.Rating.REQUIRES_IMPROVEMENT,
        result="61%",
    )
    rating = CodeOfConductRating.objects.create(
        contract=contract, assessed_on=date(2026, 10, 20), summary="Pays late."
    )
    PrincipleRating.objects.create(
        rating=rating, principle="Conduct", level="partly", reasons="Late payment."
    )
    OutcomeStudy.objects.create(
        organisation=setting.housing_party.organisation,
        title="Housing first cohort",
        outcome="reoffended",
        cohort_csv="",
        status=OutcomeStudy.Status.DONE,
        result={"statement": "Fewer reoffended than matched people."},
        exercise=exercise,
        published_at=datetime.now(UTC),
    )
    consultation = ConsultationFactory(
        exercise=exercise,
        title="What should resettlement look like?",
        published_at=datetime.now(UTC) - timedelta(days=60),
        summary_published_at=datetime.now(UTC) - timedelta(days=10),
    )
    SummaryTheme.objects.create(
        consultation=consultation,
        position=1,
        you_said="Women need a women-only service.",
        we_did="A women's centre runs a lot of its own.",
    )
    at_review(exercise)
    return setting, exercise
