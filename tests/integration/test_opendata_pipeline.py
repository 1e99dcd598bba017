"""UK1 pipeline notices (issue 11 item 9, LAW-1): an exercise that reached the plan stage with an
expected procurement at or above the light-touch threshold (£663,540) publishes UK1, at the API
and in the bulk files, valid with 0 errors; below the threshold, or before planning, nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.opendata.validate import validate_package
from tests.factories import ExerciseFactory
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
