"""Builders for consultations, questions, responses and market events (CYC-2, CYC-3, USR-1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import factory

from commissioning.accounts.models import User
from commissioning.engagement.models import Consultation, MarketEvent, Question, Response
from commissioning.exercises.models import CommissioningExercise
from tests.factories import ExerciseFactory, member_of


def _now() -> datetime:
    return datetime.now(UTC)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    exercise = factory.SubFactory(ExerciseFactory)
    title = factory.Sequence(lambda n: f"Needs of women leaving custody {n}")
    purpose = "To understand what support women need in the first weeks after release."
    opens_at = factory.LazyFunction(lambda: _now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: _now() + timedelta(days=21))
    published_at = factory.LazyFunction(lambda: _now() - timedelta(days=7))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"What gets in the way of support? ({n})")
    choices: Any = factory.LazyFunction(list)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    reference = factory.Sequence(lambda n: f"CR-TEST-{n:04d}")
    respondent_type = Response.RespondentType.LIVED_EXPERIENCE
    is_anonymous = True
    submitted_at = factory.LazyFunction(_now)


class MarketEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketEvent

    exercise = factory.SubFactory(ExerciseFactory)
    title = factory.Sequence(lambda n: f"Market place event {n}")
    starts_at = factory.LazyFunction(lambda: _now() + timedelta(days=14))
    location = "Civic Centre, Newcastle"
    audience = "Local voluntary organisations"
    agenda = "Welcome; the need; questions."
    published_at = factory.LazyFunction(_now)


def open_consultation(**kwargs: Any) -> Consultation:
    """A published, open consultation with a free-text and a multiple-choice question."""
    consultation = ConsultationFactory(**kwargs)
    QuestionFactory(consultation=consultation, position=1, text="What support is missing?")
    QuestionFactory(
        consultation=consultation,
        position=2,
        text="How should it be delivered?",
        choices=["In person", "Online", "Both"],
    )
    return consultation


def answers_for(consultation: Consultation) -> dict[str, str]:
    """A complete response to :func:`open_consultation`'s two questions, as the form posts it."""
    free, choice = consultation.questions.order_by("position")
    return {
        f"question_{free.pk}": "Somewhere to live on day one.",
        f"question_{choice.pk}": "Both",
        "respond_as": "lived_experience",
    }


def commissioner_of(exercise: CommissioningExercise) -> User:
    return member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
