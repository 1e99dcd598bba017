"""Consultations on the web (CYC-2, USR-1): who may manage them, drafts hidden from the public,
publishing rules, the audit trail of every action, and closing at 11:59pm London time on the
chosen date in winter and summer (issue 11 item 15)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.engagement import rules
from commissioning.engagement.models import Consultation, Response
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
        == "23:59"
    )  # 11:59pm on the closing day
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


def _publish_closing_on(client: Client, opens: date, closes: date) -> Consultation:
    """Create and publish a consultation through the commissioner's pages."""
    exercise = ExerciseFactory()
    client.force_login(commissioner_of(exercise))
    client.post(
        reverse("engagement:consultation-create", args=[exercise.reference]),
        _form(opens, closes),
    )
    consultation = Consultation.objects.get(exercise=exercise)
    QuestionFactory(consultation=consultation, position=1, text="What support is missing?")
    response = client.post(reverse("engagement:consultation-publish", args=[consultation.pk]))
    assert response.status_code == 302
    client.logout()
    consultation.refresh_from_db()
    return consultation


def _respond(client: Client, consultation: Consultation) -> int:
    question = consultation.questions.get()
    return client.post(
        reverse("engagement:respond", args=[consultation.pk]),
        {f"question_{question.pk}": "Somewhere to live.", "respond_as": "lived_experience"},
    ).status_code


@pytest.mark.parametrize(
    ("closes", "last_open_utc", "label"),
    [
        # Winter: London is on GMT, 11:59pm is 23:59 UTC.
        (date(2026, 12, 20), datetime(2026, 12, 20, 23, 58, 59, tzinfo=UTC), "20 December 2026"),
        # British Summer Time: 11:59pm BST is 22:59 UTC.
        (date(2027, 6, 20), datetime(2027, 6, 20, 22, 58, 59, tzinfo=UTC), "20 June 2027"),
    ],
)
def test_closes_at_1159pm_london_on_the_chosen_date(
    client: Client, closes: date, last_open_utc: datetime, label: str
) -> None:
    opens = closes - timedelta(days=19)
    with time_machine.travel(datetime(opens.year, opens.month, opens.day, 9, tzinfo=UTC)):
        consultation = _publish_closing_on(client, opens, closes)
        assert rules.closing_day(consultation.closes_at) == closes
        pages = [
            client.get(consultation.get_absolute_url()).content.decode(),
            client.get(reverse("engagement:respond", args=[consultation.pk])).content.decode(),
        ]
        for page in pages:
            assert f"11:59pm on {label}" in page
        next_day = f"{closes.day + 1} {label.split(' ', 1)[1]}"
        assert not any(next_day in page for page in pages)

    with time_machine.travel(last_open_utc, tick=False):
        assert _respond(client, consultation) == 200  # the confirmation itself
    with time_machine.travel(last_open_utc + timedelta(seconds=1), tick=False):
        assert _respond(client, consultation) == 409
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert "This consultation has closed" in page
    assert Response.objects.filter(consultation=consultation).count() == 1


def test_the_migration_moves_stored_midnights_back_to_1159pm() -> None:
    """Issue 11 item 15: consultations saved before the fix closed at midnight after their
    closing day; the data migration moves exactly those back by a minute."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "commissioning.engagement.migrations.0003_consultations_close_at_1159pm"
    )
    old = ConsultationFactory(closes_at=datetime(2026, 12, 21, 0, 0, tzinfo=UTC))
    summer = ConsultationFactory(closes_at=datetime(2027, 6, 20, 23, 0, tzinfo=UTC))
    new = ConsultationFactory(closes_at=rules.closing_moment(date(2026, 12, 20)))
    migration.close_at_1159pm(apps, None)
    for consultation in (old, summer, new):
        consultation.refresh_from_db()
    assert old.closes_at == datetime(2026, 12, 20, 23, 59, tzinfo=UTC)
    assert summer.closes_at == datetime(2027, 6, 20, 22, 59, tzinfo=UTC)
    assert new.closes_at == datetime(2026, 12, 20, 23, 59, tzinfo=UTC)
    assert [rules.closing_day(c.closes_at) for c in (old, summer)] == [
        date(2026, 12, 20),
        date(2027, 6, 20),
    ]
