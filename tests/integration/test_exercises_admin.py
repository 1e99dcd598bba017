"""The Django admin for exercises: edits are audited; references, bodies, stages and history
cannot be changed there (they belong to the service layer, CYC-1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.integration.test_exercises_support import Market, market

pytestmark = pytest.mark.django_db
__all__ = ["market"]


@pytest.fixture
def admin_client_for_exercises(market: Market) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, role="admin"))
    return client


def test_an_admin_edit_is_audited_and_cannot_touch_stage_or_reference(
    market: Market, admin_client_for_exercises: Client
) -> None:
    exercise = market.exercise(title="Before", stage="plan")
    url = reverse("admin:exercises_commissioningexercise_change", args=[exercise.pk])
    page = admin_client_for_exercises.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="stage"' not in html
    assert 'name="reference"' not in html
    assert 'name="stage_changes-0-to_stage"' not in html  # history is read-only

    data = {
        "title": "After",
        "tier": exercise.tier,
        "partners": [],
        "service_area": exercise.service_area_id,
        "areas": [market.area.pk, market.other_area.pk],
        "summary": exercise.summary,
        "estimated_annual_value": "1.00",
        "stage_changes-TOTAL_FORMS": "1",
        "stage_changes-INITIAL_FORMS": "1",
        "stage_changes-MIN_NUM_FORMS": "0",
        "stage_changes-MAX_NUM_FORMS": "0",
        "stage_changes-0-id": exercise.stage_changes.get().pk,
        "stage_changes-0-exercise": exercise.pk,
        "stage": "review",
        "reference": "HACKED",
    }
    response = admin_client_for_exercises.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    exercise.refresh_from_db()
    assert (exercise.title, exercise.stage, exercise.reference[:3]) == ("After", "plan", "CX-")
    event = AuditEvent.objects.get(action="admin.update")
    assert event.changes["title"] == {"from": "Before", "to": "After"}
    assert set(event.changes["areas"]["to"]) == {"Avon and Somerset", "Dyfed-Powys"}
    assert "stage" not in event.changes


def test_exercises_cannot_be_added_in_the_admin(admin_client_for_exercises: Client) -> None:
    url = reverse("admin:exercises_commissioningexercise_add")
    assert admin_client_for_exercises.get(url).status_code == 403


def test_an_admin_edit_of_the_estimate_leaves_the_published_uk1_as_it_was(
    market: Market, admin_client_for_exercises: Client
) -> None:
    """Issue 11 items 3 and 9 (LAW-1): the UK1 the exercise published by entering the plan
    stage above the threshold keeps its value when the admin lowers the estimate."""
    exercise = market.exercise(stage="plan", estimated_annual_value=Decimal("900000.00"))
    url = reverse("admin:exercises_commissioningexercise_change", args=[exercise.pk])
    changes = list(exercise.stage_changes.all())
    data: dict[str, Any] = {
        "title": exercise.title,
        "tier": exercise.tier,
        "partners": [],
        "service_area": exercise.service_area_id,
        "areas": [market.area.pk],
        "summary": exercise.summary,
        "estimated_annual_value": "1.00",
        "stage_changes-TOTAL_FORMS": str(len(changes)),
        "stage_changes-INITIAL_FORMS": str(len(changes)),
        "stage_changes-MIN_NUM_FORMS": "0",
        "stage_changes-MAX_NUM_FORMS": "0",
    }
    for i, change in enumerate(changes):
        data[f"stage_changes-{i}-id"] = change.pk
        data[f"stage_changes-{i}-exercise"] = exercise.pk
    response = admin_client_for_exercises.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    exercise.refresh_from_db()
    assert exercise.estimated_annual_value == Decimal("1.00")
    after = admin_client_for_exercises.get(f"/api/exercises/{exercise.reference}/ocds").json()
    [release] = after["releases"]
    assert release["planning"]["budget"]["amount"] == {"amount": 900000, "currency": "GBP"}
