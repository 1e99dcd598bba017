"""Who may create, edit and move exercises, for every role, on the web pages and the API (CYC-1).

Anonymous: sign in (web) or 401 (API). Commissioner of the body and site administrator: allowed.
Commissioner of another body, evaluator (even one belonging to the body), provider member,
independent reviewer: 403. Everyone, signed in or not, can read the list, pages and API.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.exercises.models import CommissioningExercise
from tests.integration.test_exercises_support import (
    ALLOWED_ROLES,
    ROLES,
    Market,
    market,
    pending_member,
)

pytestmark = pytest.mark.django_db
__all__ = ["market"]

SIGN_IN = reverse("accounts:sign-in")


def _expect_web(role: str, response: Any, success: int = 302) -> None:
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN + "?next=")
    elif role in ALLOWED_ROLES:
        assert response.status_code == success
    else:
        assert response.status_code == 403


def _expect_api(role: str, response: Any, success: int) -> None:
    expected = {"anonymous": 401}.get(role, success if role in ALLOWED_ROLES else 403)
    assert response.status_code == expected, response.content
    if expected in (401, 403):
        assert "detail" in response.json()


def _api(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_everyone_can_read(market: Market, role: str) -> None:
    exercise = market.exercise()
    client = market.client_for(role)
    assert client.get(reverse("exercises:list")).status_code == 200
    assert client.get(exercise.get_absolute_url()).status_code == 200
    assert client.get("/api/exercises").status_code == 200
    assert client.get(f"/api/exercises/{exercise.reference}").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_create_on_the_web(market: Market, role: str) -> None:
    client = market.client_for(role)
    page = client.get(reverse("exercises:create"))
    if role == "other_commissioner":
        # A commissioner of another body can open the form (for their own body) …
        assert page.status_code == 200
        bodies = page.content.decode().split('name="commissioning_body"')[1].split("</select>")[0]
        assert f'<option value="{market.body.slug}"' not in bodies
    else:
        _expect_web(role, page, success=200)
    # … but not create an exercise for this body.
    response = client.post(reverse("exercises:create"), market.form_data())
    _expect_web(role, response)
    created = CommissioningExercise.objects.filter(commissioning_body=market.body).exists()
    assert created == (role in ALLOWED_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_edit_on_the_web(market: Market, role: str) -> None:
    exercise = market.exercise(title="Before")
    url = reverse("exercises:edit", args=[exercise.reference])
    client = market.client_for(role)
    _expect_web(role, client.get(url), success=200)
    data = market.form_data(title="After", commissioning_body=None)
    _expect_web(role, client.post(url, data))
    exercise.refresh_from_db()
    assert (exercise.title == "After") == (role in ALLOWED_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_stage_change_on_the_web(market: Market, role: str) -> None:
    exercise = market.exercise()
    url = reverse("exercises:stage", args=[exercise.reference])
    client = market.client_for(role)
    _expect_web(role, client.get(url), success=200)
    _expect_web(role, client.post(url, {"stage": "plan"}))
    exercise.refresh_from_db()
    assert (exercise.stage == "plan") == (role in ALLOWED_ROLES)
    assert AuditEvent.objects.filter(action="stage_change").exists() == (role in ALLOWED_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_create_through_the_api(market: Market, role: str) -> None:
    response = _api(market.client_for(role), "post", "/api/exercises", market.form_data())
    _expect_api(role, response, success=201)
    created = CommissioningExercise.objects.filter(commissioning_body=market.body).exists()
    assert created == (role in ALLOWED_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_update_through_the_api(market: Market, role: str) -> None:
    exercise = market.exercise(title="Before")
    url = f"/api/exercises/{exercise.reference}"
    response = _api(market.client_for(role), "patch", url, {"title": "After"})
    _expect_api(role, response, success=200)
    exercise.refresh_from_db()
    assert (exercise.title == "After") == (role in ALLOWED_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_stage_change_through_the_api(market: Market, role: str) -> None:
    exercise = market.exercise()
    url = f"/api/exercises/{exercise.reference}/stage"
    response = _api(market.client_for(role), "post", url, {"stage": "plan"})
    _expect_api(role, response, success=200)
    exercise.refresh_from_db()
    assert (exercise.stage == "plan") == (role in ALLOWED_ROLES)


def test_a_pending_member_of_the_body_cannot_write(market: Market) -> None:
    exercise = market.exercise()
    client = market.client_for("anonymous")
    client.force_login(pending_member(market.body))
    assert client.get(reverse("exercises:create")).status_code == 403
    url = reverse("exercises:stage", args=[exercise.reference])
    assert client.post(url, {"stage": "plan"}).status_code == 403
