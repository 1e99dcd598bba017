"""UK1 pipeline notices (issue 11 item 9, LAW-1): an exercise that reached the plan stage with an
expected procurement at or above the light-touch threshold (£663,540) publishes UK1, at the API
and in the bulk files, valid with 0 errors; below the threshold, or before planning, nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.exercises.forms import ExerciseEditForm
from commissioning.exercises.lifecycle import Stage
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.exercises.services import change_stage, initial_from_exercise, update_exercise
from commissioning.opendata.ocds.validate import validate_package
from tests.factories import ExerciseFactory, member_of
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db


def _planning(value: str) -> CommissioningExercise:
    exercise = ExerciseFactory(stage="assess_need", estimated_annual_value=Decimal(value))
    StageChange.objects.create(
        exercise=exercise,
        from_stage="assess_need",
        to_stage="plan",
        changed_at=timezone.now() - timedelta(days=3),
    )
    exercise.stage = "plan"
    exercise.save()
    return exercise


def _uk1(releases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        r
        for r in releases
        for d in r.get("planning", {}).get("documents", [])
        if d.get("noticeType") == "UK1"
    ]


def test_a_planned_procurement_above_the_threshold_publishes_uk1(client: Client) -> None:
    exercise = _planning("663540.00")
    response = client.get(f"/api/exercises/{exercise.reference}/ocds")
    assert response.status_code == 200
    package = response.json()
    [release] = _uk1(package["releases"])
    assert release["ocid"].endswith(exercise.reference) and release["tag"] == ["planning"]
    document = release["planning"]["documents"][0]
    assert document["documentType"] == "plannedProcurementNotice"
    assert document["url"].endswith(exercise.get_absolute_url())
    assert release["planning"]["budget"]["amount"] == {"amount": 663540, "currency": "GBP"}
    assert release["tender"]["status"] == "planning" and release["tender"]["aboveThreshold"]
    result = validate_package(package)
    assert result.error_count == 0 and not result.additional_fields, result.summary()

    bulk = client.get("/opendata/ocds/releases.json").json()
    assert [r["id"] for r in _uk1(bulk["releases"])] == [release["id"]]
    result = validate_package(client.get("/opendata/ocds/records.json").json())
    assert result.error_count == 0, result.summary()


def test_below_the_threshold_or_before_planning_there_is_no_uk1(client: Client) -> None:
    small = _planning("663539.99")
    assessing = ExerciseFactory(stage="assess_need", estimated_annual_value=Decimal("900000"))
    for exercise in (small, assessing):
        response = client.get(f"/api/exercises/{exercise.reference}/ocds")
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"{exercise.reference} has published no pipeline or market engagement "
            "notice yet",
            "errors": {},
        }
    assert client.get("/opendata/ocds/releases.json").status_code == 404  # nothing published


def test_once_tendered_the_uk1_opens_the_opportunitys_record(client: Client) -> None:
    exercise = _planning("900000.00")
    opportunity = open_opportunity(published_at=timezone.now() - timedelta(days=1))
    opportunity.exercise = exercise
    opportunity.save()
    package = client.get(f"/api/opportunities/{opportunity.reference}/ocds").json()
    tags = [(r["tag"], r["id"].split("-")[-2]) for r in package["releases"]]
    assert tags[:2] == [(["planning"], "UK1"), (["tender"], "UK4")]
    record = client.get(f"/api/opportunities/{opportunity.reference}/ocds/record").json()
    result = validate_package(record)
    assert result.error_count == 0, result.summary()


# A published UK1 is stored as published (issue 11 items 3 and 9): later edits of the estimate
# neither withdraw it nor create one backdated to when the exercise entered the plan stage.


def _edit_estimate(exercise: CommissioningExercise, actor: Any, value: str) -> None:
    data = {**initial_from_exercise(exercise), "estimated_annual_value": value}
    form = ExerciseEditForm(data, exercise=exercise)
    assert form.is_valid(), form.errors
    update_exercise(actor, exercise, form.cleaned_data)


def _exercise_in_plan(value: str, entered: Any) -> tuple[CommissioningExercise, Any]:
    exercise = ExerciseFactory(stage="assess_need", estimated_annual_value=Decimal(value))
    actor = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    change_stage(actor, exercise, Stage.PLAN, now=entered)
    return exercise, actor


def test_the_uk1_stays_published_when_the_estimate_is_lowered(client: Client) -> None:
    entered = timezone.now() - timedelta(days=10)
    exercise, actor = _exercise_in_plan("900000.00", entered)
    _edit_estimate(exercise, actor, "400000.00")
    exercise.refresh_from_db()
    assert exercise.estimated_annual_value == Decimal("400000.00")

    response = client.get(f"/api/exercises/{exercise.reference}/ocds")
    assert response.status_code == 200
    [release] = _uk1(response.json()["releases"])
    assert release["planning"]["budget"]["amount"] == {"amount": 900000, "currency": "GBP"}
    assert datetime.fromisoformat(release["date"]) == entered
    bulk = client.get("/opendata/ocds/releases.json")
    assert bulk.status_code == 200
    assert [r["id"] for r in _uk1(bulk.json()["releases"])] == [release["id"]]
    result = validate_package(bulk.json())
    assert result.error_count == 0, result.summary()


def test_raising_the_estimate_later_publishes_a_uk1_dated_then_not_backdated(
    client: Client,
) -> None:
    entered = timezone.now() - timedelta(days=30)
    exercise, actor = _exercise_in_plan("400000.00", entered)
    assert client.get(f"/api/exercises/{exercise.reference}/ocds").status_code == 404
    raised = timezone.now()
    _edit_estimate(exercise, actor, "900000.00")

    package = client.get(f"/api/exercises/{exercise.reference}/ocds").json()
    [release] = _uk1(package["releases"])
    published = datetime.fromisoformat(release["date"])
    assert published >= raised
    assert published > entered + timedelta(days=29)
    assert release["planning"]["budget"]["amount"] == {"amount": 900000, "currency": "GBP"}
    result = validate_package(package)
    assert result.error_count == 0, result.summary()
