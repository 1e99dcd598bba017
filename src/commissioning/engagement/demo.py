"""Synthetic demo consultations and market engagement events (CYC-2, CYC-3, USR-1).

For a few synthetic exercises: a closed consultation with synthetic responses (some anonymous)
and a published "you said, we did" summary, an open consultation, and a market engagement
event with published notes. Every record is ``is_synthetic=True`` and shown with a "Synthetic"
tag. Running it again replaces the synthetic engagement records only (idempotent); dates are
relative to today so that one consultation is always open.
"""

from __future__ import annotations

import random
from datetime import timedelta

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


def load_demo_engagement(*, seed: int = 2026) -> dict[str, int]:
    """(Re)make the synthetic engagement records; returns how many of each were made."""
    rng = random.Random(seed)
    made = {"consultations": 0, "responses": 0, "events": 0}
    with transaction.atomic():
        delete_demo_engagement()
        exercises = list(
            CommissioningExercise.objects.filter(is_synthetic=True)
            .select_related("commissioning_body", "service_area")
            .order_by("reference")[:EXERCISES]
        )
        providers = list(
            Organisation.objects.filter(is_synthetic=True, is_commissioning_body=False).order_by(
                "slug"
            )[:50]
        )
        for exercise in exercises:
            made["responses"] += _closed_consultation(exercise, providers, rng)
            _open_consultation(exercise)
            _event(exercise)
            made["consultations"] += 2
            made["events"] += 1
    return made


def _consultation(
    exercise: CommissioningExercise, title: str, opens_days: int, closes_days: int
) -> Consultation:
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        exercise=exercise,
        title=title,
        purpose=(
            f"Synthetic demo consultation. Before procuring {exercise.service_area.name.lower()}"
            " services we want to hear from organisations and from people with lived experience"
            " about what is needed and how the contracts should be shaped."
        ),
        opens_at=rules.opening_moment(today + timedelta(days=opens_days)),
        closes_at=rules.closing_moment(today + timedelta(days=closes_days)),
        published_at=rules.opening_moment(today + timedelta(days=opens_days)),
        is_synthetic=True,
    )
    for position, (text, choices) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            consultation=consultation, position=position, text=text, choices=list(choices)
        )
    return consultation


def _closed_consultation(
    exercise: CommissioningExercise, providers: list[Organisation], rng: random.Random
) -> int:
    consultation = _consultation(exercise, f"Needs assessment: {exercise.title}", -75, -40)
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
            submitted_at=consultation.opens_at + timedelta(days=rng.randint(1, 30)),
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


def _open_consultation(exercise: CommissioningExercise) -> None:
    _consultation(exercise, f"Shaping the lots: {exercise.title}", -10, 30)


def _event(exercise: CommissioningExercise) -> None:
    starts = rules.opening_moment(timezone.localdate() - timedelta(days=20)) + timedelta(hours=10)
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
