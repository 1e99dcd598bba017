"""Synthetic demo engagement (CYC-2, CYC-3): labelled synthetic, idempotent, with consultations
open only while their exercise is at their stage, closed with a summary once it has moved on,
and an event with notes for each exercise that has reached planning."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.engagement import demo, rules
from commissioning.engagement.demo import load_demo_engagement
from commissioning.engagement.models import Consultation, MarketEvent, Response
from commissioning.exercises.lifecycle import Stage
from tests.factories import ExerciseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_demo_engagement_is_synthetic_and_idempotent(client: Client) -> None:
    ExerciseFactory(is_synthetic=True, stage="plan")
    ExerciseFactory(is_synthetic=True, stage="deliver")
    ExerciseFactory(is_synthetic=False)
    OrganisationFactory.create_batch(4, is_synthetic=True)

    first = load_demo_engagement(seed=7)
    again = load_demo_engagement(seed=7)

    assert first == again
    assert first["consultations"] == 4 and first["events"] == 2
    assert Consultation.objects.count() == 4 and MarketEvent.objects.count() == 2
    assert not Consultation.objects.filter(is_synthetic=False).exists()
    assert not Consultation.objects.filter(exercise__is_synthetic=False).exists()
    # Open only at the exercise's consultation stage (issue 11 item 27): on the lots while it
    # plans; the one being delivered had both, closed.
    states = sorted(
        (c.exercise.stage, c.title.split(":")[0], c.current_state.value)
        for c in Consultation.objects.all()
    )
    assert states == [
        ("deliver", "Needs assessment", "closed"),
        ("deliver", "Shaping the lots", "closed"),
        ("plan", "Needs assessment", "closed"),
        ("plan", "Shaping the lots", "open"),
    ]
    closed = Consultation.objects.filter(summary_published_at__isnull=False)
    assert closed.count() == 3 and all(c.themes.exists() for c in closed)
    assert Response.objects.filter(is_anonymous=True, user__isnull=True).exists()
    assert not Response.objects.filter(is_synthetic=False).exists()
    assert all(e.notes_published_at for e in MarketEvent.objects.all())

    consultation = closed.first()
    assert consultation is not None and consultation.state() is rules.State.CLOSED
    page = client.get(reverse("engagement:consultation", args=[consultation.pk])).content.decode()
    assert "Synthetic" in page and "You said, we did" in page
    assert "Synthetic" in client.get(reverse("engagement:list")).content.decode()


def test_an_exercise_still_assessing_need_has_only_its_open_needs_consultation() -> None:
    ExerciseFactory(is_synthetic=True, stage="assess_need")
    assert load_demo_engagement() == {"consultations": 1, "responses": 0, "events": 0}
    consultation = Consultation.objects.get()
    assert consultation.title.startswith("Needs assessment") and consultation.is_open


def test_demo_engagement_without_synthetic_exercises_makes_nothing() -> None:
    assert load_demo_engagement() == {"consultations": 0, "responses": 0, "events": 0}


def test_demo_engagement_ends_before_the_exercise_publishes_an_opportunity() -> None:
    """Issue 11 items 20, 27 (CYC-3): an exercise planning now would hold its consultation on the
    lots open until weeks from now; once one of its opportunities is published (the demo's
    awarded ones are loaded first), the consultation and the market event were over before."""
    exercise = ExerciseFactory(stage="plan")
    today = timezone.localdate()
    assert demo._dates(exercise, Stage.PLAN, {})[1] > today  # open now, without a publication
    published = today - timedelta(days=3)

    opens, closes = demo._dates(exercise, Stage.PLAN, {}, published)
    assessed = demo._dates(exercise, Stage.ASSESS_NEED, {}, published)
    event = demo._event_day(exercise, {}, published)

    assert closes == published - timedelta(days=7) and opens < closes
    assert assessed is not None and assessed[1] <= published - timedelta(days=45) < opens
    assert event is not None and opens <= event < published
