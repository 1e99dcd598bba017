"""Synthetic demo consultations and market engagement events (CYC-2, CYC-3, USR-1).

For a few synthetic exercises (one planning, one assessing need and one further on, where the
market has them): a consultation for each stage the exercise has reached — on the needs, then
on the lots — closed with synthetic responses (some anonymous) and a published "you said, we
did" summary once the exercise has moved on, open while it is at that stage; and a market
engagement event with published notes from the plan stage on. Every record is
``is_synthetic=True`` and shown with a "Synthetic" tag. Running it again replaces the synthetic
engagement records only (idempotent); dates are relative to today and to each exercise's stage
history, so the consultations of the exercise at its consultation stage are always open.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.directory.models import Organisation
from commissioning.engagement import rules
from commissioning.engagement.models import (
    Answer,
    Consultation,
    MarketEvent,
    Question,
    Response,
    SummaryTheme,
)
from commissioning.exercises.lifecycle import STAGE_ORDER, Stage
from commissioning.exercises.models import CommissioningExercise

EXERCISES = 3
QUESTIONS = [
    ("What support do people need in the first weeks after release?", []),
    ("What stops small local organisations from bidding?", []),
    (
        "How large should each lot be?",
        ["One lot for the whole area", "A lot for each local authority", "No view"],
    ),
]
ANSWERS = [
    "Somewhere safe to stay on the first night, and someone to meet them at the gate.",
    "The turnover conditions and the short bid windows; we cannot partner in four weeks.",
    "Help with benefits and ID before release, not after.",
    "Peer mentors who have been through it themselves.",
    "Payment in arrears: we cannot carry three months of costs.",
]
THEMES = [
    (
        "Lots covering the whole region are too large for local charities to bid for.",
        "The draft lots are split by local authority, each under £250,000 a year.",
    ),
    (
        "Eight weeks is too short to build a partnership bid.",
        "The bid window will be twelve weeks, with a partner-finding event in week one.",
    ),
    (
        "People with lived experience should help evaluate bids.",
        "Two peer evaluators will score the user-involvement questions.",
    ),
]


def delete_demo_engagement() -> None:
    with replacing_synthetic_demo():
        Consultation.objects.filter(is_synthetic=True).delete()
        MarketEvent.objects.filter(is_synthetic=True).delete()


CONSULTATIONS = (("Needs assessment", Stage.ASSESS_NEED), ("Shaping the lots", Stage.PLAN))
"""Each demo consultation and the stage it is held at: needs are assessed, then lots shaped."""
Period = tuple[datetime, datetime | None]


def load_demo_engagement(*, seed: int = 2026) -> dict[str, int]:
    """(Re)make the synthetic engagement records; returns how many of each were made.

    The story follows each exercise's stage (issue 11 item 27; CYC-1, CYC-2): a consultation is
    open only while its exercise is at the consultation's stage, and closed (dated while the
    exercise was at that stage, with its "you said, we did") once the exercise has moved on; an
    exercise that has not reached a stage has no consultation for it yet. The market event on
    the draft lots belongs to the plan stage in the same way.
    """
    rng = random.Random(seed)
    made = {"consultations": 0, "responses": 0, "events": 0}
    with transaction.atomic():
        delete_demo_engagement()
        exercises = _chosen(
            list(
                CommissioningExercise.objects.filter(is_synthetic=True)
                .select_related("commissioning_body", "service_area")
                .prefetch_related("stage_changes")
                .order_by("reference")
            )
        )
        providers = list(
            Organisation.objects.filter(is_synthetic=True, is_commissioning_body=False).order_by(
                "slug"
            )[:50]
        )
        for exercise in exercises:
            periods = _periods(exercise)
            published = _first_publication(exercise)
            for title, stage in CONSULTATIONS:
                dates = _dates(exercise, stage, periods, published)
                if dates is None:
                    continue
                consultation = _consultation(exercise, f"{title}: {exercise.title}", *dates)
                made["consultations"] += 1
                if dates[1] < timezone.localdate():
                    made["responses"] += _close(consultation, providers, rng)
            event_on = _event_day(exercise, periods, published)
            if event_on is not None:
                _event(exercise, event_on)
                made["events"] += 1
    return made


def _chosen(exercises: list[CommissioningExercise]) -> list[CommissioningExercise]:
    """Up to :data:`EXERCISES` exercises, one planning (an open consultation on the lots), one
    assessing need and one further on where the market has them, then the first by reference."""
    picked: list[CommissioningExercise] = []
    for stages in ({Stage.PLAN}, {Stage.ASSESS_NEED}, set(STAGE_ORDER[2:])):
        found = next((e for e in exercises if e.stage in stages and e not in picked), None)
        if found is not None:
            picked.append(found)
    picked += [e for e in exercises if e not in picked]
    return picked[:EXERCISES]


def _periods(exercise: CommissioningExercise) -> dict[str, Period]:
    """When the exercise was last at each stage: since, and until (None: it still is)."""
    changes = sorted(exercise.stage_changes.all(), key=lambda c: (c.changed_at, c.pk))
    periods: dict[str, Period] = {}
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        periods[change.to_stage] = (
            change.changed_at,
            following.changed_at if following is not None else None,
        )
    return periods


CLOSED_BEFORE_PUBLICATION = {Stage.ASSESS_NEED: timedelta(days=45), Stage.PLAN: timedelta(days=7)}
"""How long before the exercise's first opportunity is published each stage's consultation has
closed: the tender opens after the engagement, never during it (CYC-3)."""


def _first_publication(exercise: CommissioningExercise) -> date | None:
    """The day the exercise's first opportunity was published (loaded before the engagement)."""
    first = (
        exercise.opportunities.filter(published_at__isnull=False)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return None if first is None else timezone.localdate(first)


def _dates(
    exercise: CommissioningExercise,
    stage: Stage,
    periods: dict[str, Period],
    published: date | None = None,
) -> tuple[date, date] | None:
    """The opening and closing days of the consultation held at ``stage``: open today while the
    exercise is at that stage, within its time there once it has moved on, None before; and,
    where an opportunity of the exercise is published, closed in good time before that."""
    dates = _stage_dates(exercise, stage, periods)
    if dates is None or published is None:
        return dates
    opens, closes = dates
    latest = published - CLOSED_BEFORE_PUBLICATION[stage]
    if closes <= latest:
        return dates
    return min(opens, latest - timedelta(days=35)), latest


def _stage_dates(
    exercise: CommissioningExercise, stage: Stage, periods: dict[str, Period]
) -> tuple[date, date] | None:
    today = timezone.localdate()
    if exercise.stage == stage:
        return today - timedelta(days=10), today + timedelta(days=30)
    if STAGE_ORDER.index(Stage(exercise.stage)) < STAGE_ORDER.index(stage):
        return None
    since, until = periods.get(stage, (None, None))
    if since is None or until is None:  # no dated history: some weeks ago
        offset = 40 if stage == Stage.PLAN else 75
        return today - timedelta(days=offset + 35), today - timedelta(days=offset)
    opens = timezone.localdate(since) + timedelta(days=1)
    closes = max(opens, min(opens + timedelta(days=35), timezone.localdate(until) - timedelta(1)))
    return opens, closes


def _event_day(
    exercise: CommissioningExercise, periods: dict[str, Period], published: date | None = None
) -> date | None:
    """The day of the market event on the draft lots: while the exercise plans (20 days ago
    when it is planning now), none before that; before any opportunity of it is published."""
    dates = _dates(exercise, Stage.PLAN, periods, published)
    if dates is None:
        return None
    opens, closes = dates
    if exercise.stage == Stage.PLAN and published is None:
        return timezone.localdate() - timedelta(days=20)
    return opens + timedelta(days=(closes - opens).days // 2)


def _consultation(
    exercise: CommissioningExercise, title: str, opens_on: date, closes_on: date
) -> Consultation:
    consultation = Consultation.objects.create(
        exercise=exercise,
        title=title,
        purpose=(
            f"Synthetic demo consultation. Before procuring {exercise.service_area.name.lower()}"
            " services we want to hear from organisations and from people with lived experience"
            " about what is needed and how the contracts should be shaped."
        ),
        opens_at=rules.opening_moment(opens_on),
        closes_at=rules.closing_moment(closes_on),
        published_at=rules.opening_moment(opens_on),
        is_synthetic=True,
    )
    for position, (text, choices) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            consultation=consultation, position=position, text=text, choices=list(choices)
        )
    return consultation


def _close(consultation: Consultation, providers: list[Organisation], rng: random.Random) -> int:
    """Synthetic responses within the consultation's dates, and its published summary."""
    span = max(0, (consultation.closes_at - consultation.opens_at).days - 1)  # whole days open
    questions = list(consultation.questions.all())
    kinds = (
        [Response.RespondentType.ORGANISATION] * rng.randint(5, 9)
        + [Response.RespondentType.LIVED_EXPERIENCE] * rng.randint(2, 7)
        + [Response.RespondentType.INDIVIDUAL] * rng.randint(0, 3)
    )
    for number, kind in enumerate(kinds, start=1):
        organisation = (
            providers[rng.randrange(len(providers))]
            if kind == Response.RespondentType.ORGANISATION and providers
            else None
        )
        response = Response.objects.create(
            consultation=consultation,
            reference=f"CR-DEMO-{consultation.pk}-{number:02d}",
            respondent_type=kind,
            is_anonymous=organisation is None,
            organisation=organisation,
            submitted_at=consultation.opens_at + timedelta(days=rng.randint(0, span), hours=10),
            is_synthetic=True,
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                choice=rng.choice(question.choices) if question.choices else "",
                text="" if question.choices else rng.choice(ANSWERS),
            )
            for question in questions
        )
    for position, (said, did) in enumerate(THEMES, start=1):
        SummaryTheme.objects.create(
            consultation=consultation, position=position, you_said=said, we_did=did
        )
    consultation.summary_intro = "Synthetic demo summary of the themes raised in the responses."
    consultation.summary_published_at = consultation.closes_at + timedelta(days=14)
    consultation.save(update_fields=["summary_intro", "summary_published_at"])
    return len(kinds)


def _event(exercise: CommissioningExercise, day: date) -> None:
    starts = rules.opening_moment(day) + timedelta(hours=10)
    MarketEvent.objects.create(
        exercise=exercise,
        title=f"Market place event: {exercise.title}",
        starts_at=starts,
        is_online=False,
        location="Synthetic venue: Community Hall, 1 Example Street",
        audience="Voluntary and community organisations, and people with lived experience",
        agenda="Welcome and the needs assessment\nDraft lots and timeline\nQuestions and answers",
        published_at=starts - timedelta(days=21),
        notes=(
            "Synthetic demo notes. 23 organisations attended. Attendees asked for smaller lots, "
            "a longer bid window and payment in advance; the commissioner will publish the "
            "revised lots with the consultation summary."
        ),
        notes_published_at=starts + timedelta(days=2),
        is_synthetic=True,
    )
