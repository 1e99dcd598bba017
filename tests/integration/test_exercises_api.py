"""The exercises JSON API (CYC-1): open reads with filters and pagination, writes through the same
validation as the web pages, JSON errors naming the field, nothing half-saved."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.exercises.models import CommissioningExercise, StageChange
from tests.factories import CommissioningBodyFactory
from tests.integration.test_exercises_support import Market, market

pytestmark = pytest.mark.django_db
__all__ = ["market"]

LONDON = ZoneInfo("Europe/London")
API = "/api/exercises"


def _send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


# ---------------------------------------------------------------- reading


def test_the_list_is_open_data_with_pagination(market: Market) -> None:
    for _ in range(7):
        market.exercise()
    response = Client().get(API, {"page": 2, "page_size": 3})
    assert response.status_code == 200
    payload = response.json()
    assert (payload["count"], payload["page"], payload["page_size"]) == (7, 2, 3)
    assert len(payload["results"]) == 3
    first = payload["results"][0]
    assert first["commissioning_body"] == {
        "slug": market.body.slug,
        "name": market.body.name,
        "url": f"/directory/{market.body.slug}/",
    }
    assert first["stage"] == "assess_need"
    assert first["stage_label"] == "Assess need"
    assert first["estimated_annual_value"] == "450000.00"  # money as a decimal string
    assert Client().get(API, {"page": 9, "page_size": 3}).json()["results"] == []


@pytest.mark.parametrize("filter_name", ["tier", "stage", "area", "body", "q"])
def test_the_list_filters_like_the_web_page(market: Market, filter_name: str) -> None:
    wanted = market.exercise(title="Employment support", stage="plan")
    national = CommissioningBodyFactory(commissioning_tier="national")
    market.exercise(
        title="Mentoring", tier="national", commissioning_body=national, areas=[market.other_area]
    )
    value = {
        "tier": "local",
        "stage": "plan",
        "area": market.area.slug,
        "body": market.body.slug,
        "q": "EMPLOYMENT",
    }[filter_name]
    payload = Client().get(API, {filter_name: value}).json()
    assert [r["reference"] for r in payload["results"]] == [wanted.reference]
    assert payload["count"] == 1


def test_invalid_filters_are_a_400_naming_the_field(market: Market) -> None:
    response = Client().get(API, {"tier": "cosmic", "area": "atlantis"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tier": ["Select a tier from the list"],
        "area": ["Select an area from the list"],
    }
    assert Client().get(API, {"page_size": 1000}).status_code == 422
    assert Client().get(API, {"page": 0}).status_code == 422


def test_detail_includes_the_dated_stage_history(market: Market) -> None:
    client = market.client_for("commissioner")
    with time_machine.travel(datetime(2025, 4, 1, 9, 0, tzinfo=LONDON), tick=False) as clock:
        exercise = market.exercise(partners=[market.partner])
        clock.move_to(datetime(2025, 4, 15, 9, 0, tzinfo=LONDON))
        _send(client, "post", f"{API}/{exercise.reference}/stage", {"stage": "plan"})
    payload = Client().get(f"{API}/{exercise.reference}").json()
    assert payload["partners"][0]["slug"] == market.partner.slug
    assert payload["cycle"] == 1
    history = payload["stage_history"]
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        ("", "assess_need"),
        ("assess_need", "plan"),
    ]
    assert [h["changed_at"][:10] for h in history] == ["2025-04-01", "2025-04-15"]
    assert history[1]["by"] == "Commissioner, PCC for Avon and Somerset"


def test_an_unknown_reference_is_404(market: Market) -> None:
    assert Client().get(f"{API}/CX-1999-0001").status_code == 404
    client = market.client_for("commissioner")
    assert _send(client, "patch", f"{API}/CX-1999-0001", {"title": "x"}).status_code == 404
    url = f"{API}/CX-1999-0001/stage"
    assert _send(client, "post", url, {"stage": "plan"}).status_code == 404


def test_the_openapi_schema_documents_the_endpoints() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/exercises"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/exercises/{reference}"])
    assert "post" in schema["paths"]["/api/exercises/{reference}/stage"]
    assert {"ExerciseDetailOut", "ExerciseCreateIn", "ErrorOut"} <= set(
        schema["components"]["schemas"]
    )


# ---------------------------------------------------------------- writing


@time_machine.travel(datetime(2025, 9, 1, 10, 0, tzinfo=LONDON), tick=False)
def test_create(market: Market) -> None:
    data = market.form_data(estimated_annual_value="99999.99")
    response = _send(market.client_for("commissioner"), "post", API, data)
    assert response.status_code == 201, response.content
    payload = response.json()
    assert payload["reference"] == "CX-2025-0001"
    assert payload["estimated_annual_value"] == "99999.99"
    assert [p["slug"] for p in payload["partners"]] == [market.partner.slug]
    assert payload["stage_history"][0]["to_stage"] == "assess_need"
    assert AuditEvent.objects.filter(action="create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": None}, "title", "Enter a title"),
        ({"tier": "national"}, "tier", "commissions at the local tier"),
        ({"partners": ["BODY"]}, "partners", "cannot also be a partner"),
        ({"areas": []}, "areas", "Select at least one area"),
        ({"areas": ["atlantis"]}, "areas", "Select areas from the list"),
        ({"service_area": "astrology"}, "service_area", "Select a service area from the list"),
        ({"estimated_annual_value": "-1"}, "estimated_annual_value", "must be £0 or more"),
        ({"commissioning_body": "nobody"}, "commissioning_body", "Select a commissioning body"),
    ],
)
def test_create_errors_name_the_field_and_save_nothing(
    market: Market, overrides: dict[str, Any], field: str, message: str
) -> None:
    if overrides.get("partners") == ["BODY"]:
        overrides = {"partners": [market.body.slug]}
    data = market.form_data(**overrides)
    if overrides.get(field, "") is None:
        data.pop(field, None)
    response = _send(market.client_for("commissioner"), "post", API, data)
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"]
    assert list(payload["errors"]) == [field]
    assert message in payload["errors"][field][0]
    assert not CommissioningExercise.objects.exists()
    assert not StageChange.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_badly_typed_value_is_a_422(market: Market) -> None:
    data = market.form_data(areas="not-a-list")
    response = _send(market.client_for("commissioner"), "post", API, data)
    assert response.status_code == 422
    assert not CommissioningExercise.objects.exists()


def test_patch_changes_only_the_fields_given(market: Market) -> None:
    exercise = market.exercise(title="Before", partners=[market.partner])
    url = f"{API}/{exercise.reference}"
    client = market.client_for("commissioner")
    response = _send(client, "patch", url, {"title": "After", "estimated_annual_value": None})
    assert response.status_code == 200, response.content
    exercise.refresh_from_db()
    assert exercise.title == "After"
    assert exercise.estimated_annual_value is None
    assert list(exercise.partners.all()) == [market.partner]
    assert list(exercise.areas.all()) == [market.area]
    event = AuditEvent.objects.get(action="update")
    assert set(event.changes) == {"title", "estimated_annual_value"}


def test_patch_errors_change_nothing(market: Market) -> None:
    exercise = market.exercise(title="Before")
    url = f"{API}/{exercise.reference}"
    response = _send(
        market.client_for("commissioner"), "patch", url, {"title": "After", "areas": []}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"areas": ["Select at least one area the exercise covers"]}
    exercise.refresh_from_db()
    assert exercise.title == "Before"
    assert not AuditEvent.objects.exists()


def test_stage_change_emails_members(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = market.exercise()
    url = f"{API}/{exercise.reference}/stage"
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(market.client_for("site_admin"), "post", url, {"stage": "plan"})
    assert response.status_code == 200
    assert response.json()["stage"] == "plan"
    assert response.json()["stage_history"][-1]["by"] == "Site administrator"
    assert len(mail.outbox) == 2  # the commissioner and the evaluator of the body
    assert mail.outbox[0].subject == f"Exercise {exercise.reference} moved to Plan"


@pytest.mark.parametrize(
    ("start", "data", "field", "message"),
    [
        ("assess_need", {"stage": "review"}, "stage", "can move only to “Plan”"),
        ("procure", {"stage": "plan", "reason": "  "}, "reason", "Give a reason"),
        ("plan", {"stage": "nowhere"}, "stage", "Select a stage of the commissioning cycle"),
        ("plan", {}, "stage", "Select the stage to move the exercise to"),
    ],
)
def test_a_refused_stage_change_is_a_400_and_changes_nothing(
    market: Market,
    django_capture_on_commit_callbacks: Any,
    start: str,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    exercise = market.exercise(stage=start)
    url = f"{API}/{exercise.reference}/stage"
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(market.client_for("commissioner"), "post", url, data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert message in errors[field][0]
    exercise.refresh_from_db()
    assert exercise.stage == start
    assert exercise.stage_changes.count() == 1
    assert mail.outbox == []
