"""The "you said, we did" summary (CYC-2) and market engagement events with published notes
(CYC-3): published to everyone at once, only after the consultation closes or the event starts;
only the body's commissioners write them; the exercise page's section lists them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.engagement.models import MarketEvent
from commissioning.engagement.queries import engagement_for_exercise
from tests.engagement_factories import (
    ConsultationFactory,
    MarketEventFactory,
    commissioner_of,
    open_consultation,
)
from tests.factories import CommissioningBodyFactory, ExerciseFactory, member_of

pytestmark = pytest.mark.django_db

THEME = {"you_said": "Support must start at the gate.", "we_did": "Meet at the gate is in lot 1."}


def test_summary_is_published_after_closing_and_the_public_sees_it(client: Client) -> None:
    consultation = open_consultation()
    commissioner = commissioner_of(consultation.exercise)
    client.force_login(commissioner)
    client.post(reverse("engagement:summary", args=[consultation.pk]), THEME)
    publish = reverse("engagement:summary-publish", args=[consultation.pk])
    early = client.post(publish, {"summary_intro": ""})
    assert early.status_code == 400
    assert "must close before its summary is published" in early.content.decode()
    with time_machine.travel(consultation.closes_at + timedelta(hours=1), tick=False):
        client.force_login(commissioner)  # a fresh session: the first one has expired by then
        response = client.post(publish, {"summary_intro": "Thirty people told us."})
    assert response["Location"] == consultation.get_absolute_url()
    client.logout()
    page = client.get(reverse("engagement:consultation", args=[consultation.pk])).content.decode()
    assert "You said, we did" in page and "Meet at the gate is in lot 1." in page
    assert AuditEvent.objects.filter(action="consultation.summary.publish").count() == 1


def test_unpublished_summary_is_not_shown_to_the_public(client: Client) -> None:
    consultation = open_consultation()
    consultation.themes.create(position=1, **THEME)
    page = client.get(reverse("engagement:consultation", args=[consultation.pk])).content.decode()
    assert "Meet at the gate" not in page


def test_other_commissioner_cannot_add_themes(client: Client) -> None:
    consultation = open_consultation()
    client.force_login(member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER))
    response = client.post(reverse("engagement:summary", args=[consultation.pk]), THEME)
    assert response.status_code == 403
    assert not consultation.themes.exists()


def _event_form(day: date) -> dict[str, str]:
    return {
        "title": "Market place event: women's services",
        "starts_on_0": str(day.day),
        "starts_on_1": str(day.month),
        "starts_on_2": str(day.year),
        "start_time": "14:30",
        "is_online": "False",
        "location": "Civic Centre, Newcastle",
        "audience": "Local voluntary organisations working with women",
        "agenda": "The need; the draft lots; questions.",
    }


def test_commissioner_records_publishes_event_then_notes_after_it(client: Client) -> None:
    exercise = ExerciseFactory()
    commissioner = commissioner_of(exercise)
    client.force_login(commissioner)
    day = timezone.localdate() + timedelta(days=10)
    client.post(reverse("engagement:event-create", args=[exercise.reference]), _event_form(day))
    event = MarketEvent.objects.get()
    assert event.is_draft
    assert event.starts_at.astimezone(timezone.get_current_timezone()).strftime("%H:%M") == "14:30"
    assert client.get(reverse("engagement:event", args=[event.pk])).status_code == 200
    client.post(reverse("engagement:event-publish", args=[event.pk]))
    notes_url = reverse("engagement:event-notes", args=[event.pk])
    early = client.post(notes_url, {"notes": "Too early"})
    assert "once the event has started" in early.content.decode()
    with time_machine.travel(event.starts_at + timedelta(hours=3), tick=False):
        client.force_login(commissioner)
        assert client.post(notes_url, {"notes": "Twelve organisations came."}).status_code == 302
    client.logout()
    page = client.get(reverse("engagement:event", args=[event.pk])).content.decode()
    assert "Twelve organisations came." in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"market_event.create", "market_event.publish", "market_event.notes"} <= actions


def test_draft_event_is_hidden_and_others_cannot_manage(client: Client) -> None:
    event = MarketEventFactory(published_at=None)
    assert client.get(reverse("engagement:event", args=[event.pk])).status_code == 404
    client.force_login(member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER))
    assert client.get(reverse("engagement:event-edit", args=[event.pk])).status_code == 403
    assert client.post(reverse("engagement:event-publish", args=[event.pk])).status_code == 403


def test_engagement_for_exercise_hides_drafts_from_the_public() -> None:
    exercise = ExerciseFactory()
    published = ConsultationFactory(exercise=exercise)
    ConsultationFactory(exercise=exercise, published_at=None)
    MarketEventFactory(exercise=exercise, published_at=None)
    from django.contrib.auth.models import AnonymousUser

    public = engagement_for_exercise(AnonymousUser(), exercise)
    assert public["engagement_consultations"] == [published]
    assert public["engagement_events"] == []
    assert not public["engagement_can_manage"]
    managing = engagement_for_exercise(commissioner_of(exercise), exercise)
    assert len(managing["engagement_consultations"]) == 2 and managing["engagement_can_manage"]


def test_exercise_engagement_page_renders_the_section(client: Client) -> None:
    exercise = ExerciseFactory()
    ConsultationFactory(exercise=exercise, title="Housing needs")
    page = client.get(reverse("engagement:exercise", args=[exercise.reference])).content.decode()
    assert "Consultations and market engagement" in page and "Housing needs" in page
