"""A tender is not published while its own market engagement runs (CYC-3, issue 11 item 20):
publication is refused while a consultation of the exercise is open or an event is still to
come; the commissioner may close the consultation early with a public note, and the market
engagement notice then ends before the tender opens."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.engagement import rules
from commissioning.engagement.models import Consultation
from commissioning.opendata.sources.exercise import releases_for_opportunity
from commissioning.procurement import services
from commissioning.procurement.lifecycle import TransitionError
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.engagement_factories import (
    ConsultationFactory,
    MarketEventFactory,
    commissioner_of,
    open_consultation,
)
from tests.factories import ExerciseFactory
from tests.procurement_factories import ready_opportunity

pytestmark = pytest.mark.django_db

SIXTH_DECEMBER = datetime(2026, 12, 6, 10, 0, tzinfo=LONDON)
RUNS_TO = "The consultation “Shaping the lots” runs until 11:59pm on 21 December 2026"


def _shaping_the_lots() -> tuple[Opportunity, Consultation]:
    exercise = ExerciseFactory()
    consultation = open_consultation(
        exercise=exercise,
        title="Shaping the lots",
        opens_at=rules.opening_moment(datetime(2026, 11, 20).date()),
        published_at=rules.opening_moment(datetime(2026, 11, 20).date()),
        closes_at=rules.closing_moment(datetime(2026, 12, 21).date()),
    )
    return ready_opportunity(now=SIXTH_DECEMBER, exercise=exercise), consultation


@time_machine.travel(SIXTH_DECEMBER, tick=False)
def test_publication_is_refused_while_the_exercises_consultation_is_open() -> None:
    opportunity, _ = _shaping_the_lots()
    problems = services.publish_problems(opportunity)
    assert [p for p in problems if "runs until" in p] == [
        f"{RUNS_TO}: publish after it closes, or close it early with a public note."
    ]
    with pytest.raises(TransitionError):
        services.publish(commissioner_of(opportunity.exercise), opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT and opportunity.published_at is None
    page = (
        _signed_in(opportunity)
        .post(reverse("procurement:publish", args=[opportunity.reference]))
        .content.decode()
    )
    assert RUNS_TO in page


def test_it_may_be_published_once_the_consultation_has_closed() -> None:
    opportunity, consultation = _shaping_the_lots()
    after = consultation.closes_at + timedelta(minutes=1)
    assert not any("runs until" in p for p in services.publish_problems(opportunity, after))


@time_machine.travel(SIXTH_DECEMBER, tick=False)
def test_a_market_event_still_to_come_refuses_publication() -> None:
    exercise = ExerciseFactory()
    MarketEventFactory(
        exercise=exercise,
        title="Market place event",
        starts_at=datetime(2026, 12, 10, 10, 0, tzinfo=LONDON),
        published_at=datetime(2026, 11, 25, 9, 0, tzinfo=LONDON),
    )
    # A draft consultation is not engagement yet; a closed one is over.
    ConsultationFactory(exercise=exercise, published_at=None)
    ConsultationFactory(
        exercise=exercise,
        opens_at=datetime(2026, 10, 1, tzinfo=LONDON),
        closes_at=datetime(2026, 11, 1, tzinfo=LONDON),
        published_at=datetime(2026, 10, 1, tzinfo=LONDON),
    )
    opportunity = ready_opportunity(now=SIXTH_DECEMBER, exercise=exercise)
    engagement = [p for p in services.publish_problems(opportunity) if "“" in p]
    assert engagement == [
        "The market engagement event “Market place event” takes place on 10 December 2026: "
        "publish after it."
    ]


def _signed_in(opportunity: Opportunity) -> Client:
    client = Client()
    client.force_login(commissioner_of(opportunity.exercise))
    return client


@time_machine.travel(SIXTH_DECEMBER, tick=False)
def test_closing_the_consultation_early_with_a_public_note_lets_the_tender_open() -> None:
    opportunity, consultation = _shaping_the_lots()
    client = _signed_in(opportunity)
    url = reverse("engagement:consultation-close-early", args=[consultation.pk])

    refused = client.post(url, {"note": "  "})
    assert refused.status_code == 200
    assert "Explain why the consultation is closing early" in refused.content.decode()
    consultation.refresh_from_db()
    assert consultation.closed_early_at is None

    note = "The lots are settled after the market event; the tender opens today."
    assert client.post(url, {"note": note}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.closes_at == SIXTH_DECEMBER and consultation.closed_early_note == note
    assert AuditEvent.objects.filter(action="consultation.close_early").count() == 1

    public = Client().get(consultation.get_absolute_url()).content.decode()
    assert "This consultation has closed" in public
    assert "It closed early, on" in public and note in public
    assert "10:00 on 6 December 2026" in public
    assert client.post(url, {"note": note}).status_code == 302  # already closed: nothing more
    assert AuditEvent.objects.filter(action="consultation.close_early").count() == 1

    with time_machine.travel(SIXTH_DECEMBER + timedelta(minutes=5), tick=False):
        services.publish(commissioner_of(opportunity.exercise), opportunity)
        opportunity.refresh_from_db()
        assert opportunity.status == Opportunity.Status.OPEN
        # The market engagement notice now ends before the tender opened.
        (uk2,) = releases_for_opportunity(opportunity, "https://example.org")
        closes = uk2["planning"]["milestones"][0]
        assert closes["title"] == "Preliminary market engagement closes"
        assert datetime.fromisoformat(closes["dueDate"]) <= opportunity.published_at
