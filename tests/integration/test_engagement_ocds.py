"""The exercise's published market engagement as the UK2 preliminary market engagement release
(LAW-1, CYC-2, CYC-3): under the opportunity's ocid once it is published (engagement published
before it only), under the exercise's reference before that; drafts never; valid with 0 errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.exercises.models import CommissioningExercise
from commissioning.opendata.ocds.validate import validate_package
from tests.factories import ExerciseFactory
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db


def _valid(package: dict[str, Any]) -> None:
    result = validate_package(package)
    assert result.error_count == 0, result.summary()


def _consultation(
    exercise: CommissioningExercise, title: str, published: datetime | None, closes: datetime
) -> Consultation:
    return Consultation.objects.create(
        exercise=exercise,
        title=title,
        purpose=f"Tell us about {title.lower()}.",
        opens_at=closes - timedelta(days=28),
        closes_at=closes,
        published_at=published,
    )


def _event(exercise: CommissioningExercise, title: str, published: datetime | None) -> MarketEvent:
    return MarketEvent.objects.create(
        exercise=exercise,
        title=title,
        starts_at=(published or timezone.now()) + timedelta(days=10),
        location="Town hall, Northshire",
        audience="Voluntary sector providers",
        agenda="The needs assessment and the lots we propose.",
        published_at=published,
    )


def _milestones(release: dict[str, Any]) -> list[str]:
    return [m["title"] for m in release["planning"]["milestones"]]


def test_uk2_release_comes_first_in_the_opportunitys_process(client: Client) -> None:
    now = timezone.now()
    published = now - timedelta(days=30)
    opportunity = open_opportunity(published_at=published)
    exercise = opportunity.exercise
    _consultation(exercise, "Accommodation needs", published - timedelta(days=60), published)
    _event(exercise, "Market day", published - timedelta(days=50))
    _consultation(exercise, "Never published", None, published)
    _event(exercise, "After the tender", published + timedelta(days=2))

    package = client.get(f"/api/opportunities/{opportunity.reference}/ocds").json()
    assert [r["tag"] for r in package["releases"]] == [["planning"], ["tender"]]
    planning = package["releases"][0]
    assert planning["ocid"] == package["releases"][1]["ocid"]
    notice = planning["planning"]["documents"][0]
    assert (notice["noticeType"], notice["documentType"]) == ("UK2", "marketEngagementNotice")
    published_at = datetime.fromisoformat(notice["datePublished"])
    assert published_at == published - timedelta(days=60)
    assert _milestones(planning) == [
        "Preliminary market engagement closes",
        "Consultation: Accommodation needs",
        "Market engagement event: Market day",
    ]
    assert {m["type"] for m in planning["planning"]["milestones"]} == {"engagement"}
    assert planning["planning"]["milestones"][1]["status"] == "met"
    assert planning["parties"][0]["name"] == exercise.commissioning_body.name
    _valid(package)
    record = client.get(f"/api/opportunities/{opportunity.reference}/ocds/record").json()
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tender"]["status"] == "active"
    assert compiled["planning"]["documents"][0]["noticeType"] == "UK2"
    _valid(record)


def test_bulk_publishes_engagement_before_any_opportunity_and_never_drafts(
    client: Client,
) -> None:
    now = timezone.now()
    engaged = ExerciseFactory()
    _consultation(engaged, "Early views", now - timedelta(days=5), now + timedelta(days=20))
    _event(engaged, "Provider forum", now - timedelta(days=4))
    drafts_only = ExerciseFactory()
    _consultation(drafts_only, "Draft", None, now + timedelta(days=20))
    _event(drafts_only, "Draft event", None)
    later = ExerciseFactory()
    _consultation(later, "Scheduled", now + timedelta(days=3), now + timedelta(days=30))

    releases = client.get("/opendata/ocds/releases.json").json()
    planning = [r for r in releases["releases"] if r["tag"] == ["planning"]]
    assert [r["ocid"].removeprefix("ocds-commissioning-") for r in planning] == [engaged.reference]
    assert {m["status"] for m in planning[0]["planning"]["milestones"]} == {"scheduled"}
    assert planning[0]["planning"]["budget"]["description"] == "Estimated annual value"
    _valid(releases)
    records = client.get("/opendata/ocds/records.json").json()
    assert any(r["ocid"].endswith(engaged.reference) for r in records["records"])
    _valid(records)
