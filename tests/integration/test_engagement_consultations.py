"""Consultations on the web (CYC-2, USR-1): who may manage them, drafts hidden from the public,
publishing rules, and the audit trail of every action."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.engagement.models import Consultation
from tests.engagement_factories import (
    ConsultationFactory,
    QuestionFactory,
    commissioner_of,
    open_consultation,
)
from tests.factories import CommissioningBodyFactory, ExerciseFactory, member_of

pytestmark = pytest.mark.django_db


def _dates(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _form(opens: date, closes: date, title: str = "Women's resettlement needs") -> dict[str, str]:
    return {
        "title": title,
        "purpose": "What do women need on release?",
        **_dates("opens_on", opens),
        **_dates("closes_on", closes),
    }


def test_commissioner_creates_adds_questions_and_publishes(client: Client) -> None:
    exercise = ExerciseFactory()
    commissioner = commissioner_of(exercise)
    client.force_login(commissioner)
    today = timezone.localdate()
    response = client.post(
        reverse("engagement:consultation-create", args=[exercise.reference]),
        _form(today, today + timedelta(days=28)),
    )
    consultation = Consultation.objects.get(exercise=exercise)
    assert response.status_code == 302
    assert consultation.is_draft
    assert (
        consultation.closes_at.astimezone(timezone.get_current_timezone()).strftime("%H:%M")
        == "00:00"
    )  # the end of 11:59pm on the closing day
    client.post(
        reverse("engagement:question-add", args=[consultation.pk]),
        {"text": "How should support be delivered?", "hint": "", "choices": "Online\nIn person"},
    )
    question = consultation.questions.get()
    assert question.choices == ["Online", "In person"]

    response = client.post(reverse("engagement:consultation-publish", args=[consultation.pk]))
    consultation.refresh_from_db()
    assert response.status_code == 302
    assert consultation.published_at is not None
    actions = list(
        AuditEvent.objects.filter(
            target_type="engagement.Consultation", target_id=str(consultation.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["consultation.create", "consultation.question.add", "consultation.publish"]


def test_closing_date_before_opening_is_an_error_next_to_the_field(client: Client) -> None:
    exercise = ExerciseFactory()
    client.force_login(commissioner_of(exercise))
    today = timezone.localdate()
    response = client.post(
        reverse("engagement:consultation-create", args=[exercise.reference]),
        _form(today + timedelta(days=5), today + timedelta(days=2)),
    )
    assert response.status_code == 200
    assert "Error: " in response.content.decode()
    assert response.context["form"].errors["closes_on"] == [
        "The closing date must be the same as or after the opening date"
    ]
    assert not Consultation.objects.exists()


def test_publishing_without_questions_is_refused_with_the_reason(client: Client) -> None:
    consultation = ConsultationFactory(published_at=None)
    client.force_login(commissioner_of(consultation.exercise))
    response = client.post(reverse("engagement:consultation-publish", args=[consultation.pk]))
    assert response.status_code == 200
    assert "Add at least one question" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.is_draft


def test_published_consultation_cannot_be_edited(client: Client) -> None:
    consultation = open_consultation()
    client.force_login(commissioner_of(consultation.exercise))
    today = timezone.localdate()
    client.post(
        reverse("engagement:consultation-edit", args=[consultation.pk]),
        _form(today, today + timedelta(days=3), title="Changed"),
    )
    consultation.refresh_from_db()
    assert consultation.title != "Changed"


@pytest.mark.parametrize(
    "url_name",
    ["consultation-edit", "consultation-publish", "question-add", "responses", "summary"],
)
def test_commissioner_of_another_body_gets_403(client: Client, url_name: str) -> None:
    consultation = ConsultationFactory(published_at=None)
    client.force_login(member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER))
    assert client.get(reverse(f"engagement:{url_name}", args=[consultation.pk])).status_code == 403


def test_other_commissioner_cannot_create_for_the_exercise(client: Client) -> None:
    exercise = ExerciseFactory()
    client.force_login(member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER))
    url = reverse("engagement:consultation-create", args=[exercise.reference])
    today = timezone.localdate()
    assert client.post(url, _form(today, today + timedelta(days=9))).status_code == 403
    assert not Consultation.objects.exists()


def test_anonymous_cannot_manage_and_is_sent_to_sign_in(client: Client) -> None:
    consultation = open_consultation()
    for name in ("consultation-publish", "responses", "summary"):
        response = client.get(reverse(f"engagement:{name}", args=[consultation.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_draft_is_invisible_to_the_public_and_to_providers(client: Client) -> None:
    draft = ConsultationFactory(published_at=None, title="Secret draft")
    QuestionFactory(consultation=draft)
    url = reverse("engagement:consultation", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("engagement:respond", args=[draft.pk])).status_code == 404
    assert "Secret draft" not in client.get(reverse("engagement:list")).content.decode()
    client.force_login(member_of(draft.exercise.commissioning_body))  # a provider-role member
    assert client.get(url).status_code == 404
    client.force_login(commissioner_of(draft.exercise))
    assert client.get(url).status_code == 200


def test_public_list_shows_open_consultations_with_closing_date(client: Client) -> None:
    consultation = open_consultation(title="Open for views")
    page = client.get(reverse("engagement:list")).content.decode()
    assert "Open for views" in page
    assert consultation.closes_at.strftime("%Y") in page
