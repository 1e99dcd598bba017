"""UK3 planned procurement notices (issue 11 item 9; LAW-1, PRO-3): a commissioner publishes
one before the tender notice; it is public open data at once (API and bulk files, valid with 0
errors) while the opportunity itself stays a private draft; published 40 days to 12 months
before the tender notice it allows a 4-week bid window, which is refused without it."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.opendata.ocds.validate import validate_package
from commissioning.procurement import services, services_editing
from commissioning.procurement.models import Opportunity
from commissioning.procurement.services_planned import ACTION, publish_planned_notice
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import member_of
from tests.procurement_factories import commissioner_of, open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db

PLANNED = datetime(2025, 11, 19, 12, 0, tzinfo=LONDON)  # 47 days before publication
PUBLISHED = datetime(2026, 1, 5, 12, 0, tzinfo=LONDON)  # Monday


def _short_window(opportunity: Opportunity) -> Opportunity:
    """Questions by Fri 9 Jan, answers by Fri 16 Jan, bids by Mon 2 Feb 2026: 4 weeks."""
    opportunity.question_deadline = datetime(2026, 1, 9, 12, 0, tzinfo=LONDON)
    opportunity.answers_by = datetime(2026, 1, 16, 12, 0, tzinfo=LONDON)
    opportunity.bid_deadline = datetime(2026, 2, 2, 12, 0, tzinfo=LONDON)
    opportunity.save()
    return opportunity


def _notice_types(package: dict[str, Any]) -> list[str]:
    return [
        doc["noticeType"]
        for release in package["releases"]
        for doc in release.get("tender", {}).get("documents", [])[:1]
    ]


def test_a_commissioner_publishes_the_planned_notice_once_before_the_tender() -> None:
    draft = ready_opportunity(now=PLANNED)
    with pytest.raises(PermissionDenied):
        publish_planned_notice(member_of(draft.exercise.commissioning_body), draft, now=PLANNED)
    commissioner = commissioner_of(draft)
    announced = publish_planned_notice(commissioner, draft, now=PLANNED)
    assert announced.planned_notice_at == PLANNED
    assert AuditEvent.objects.filter(action=ACTION, target_id=str(draft.pk)).count() == 1
    with pytest.raises(ValidationError, match="already published on 19 November 2025"):
        publish_planned_notice(commissioner, announced, now=PUBLISHED)

    published = open_opportunity()
    with pytest.raises(ValidationError, match="comes before the tender notice"):
        publish_planned_notice(commissioner_of(published), published)
    published.refresh_from_db()
    assert published.planned_notice_at is None


def test_the_planned_notice_is_public_open_data_while_the_draft_stays_private(
    client: Client,
) -> None:
    draft = ready_opportunity(now=PLANNED)
    publish_planned_notice(commissioner_of(draft), draft, now=PLANNED)
    assert client.get(f"/api/opportunities/{draft.reference}").status_code == 404
    package = client.get(f"/api/opportunities/{draft.reference}/ocds").json()
    [release] = package["releases"]
    assert release["tag"] == ["planning"] and _notice_types(package) == ["UK3"]
    tender = release["tender"]
    assert tender["status"] == "planned" and {lot["status"] for lot in tender["lots"]} == {
        "planned"
    }
    assert tender["documents"][0]["documentType"] == "plannedProcurementNotice"
    assert tender["documents"][0]["url"].endswith(draft.exercise.get_absolute_url())
    assert "tenderPeriod" not in tender
    result = validate_package(package)
    assert result.error_count == 0 and not result.additional_fields, result.summary()
    bulk = client.get("/opendata/ocds/releases.json").json()
    assert [r["id"] for r in bulk["releases"]] == [release["id"]]
    result = validate_package(client.get("/opendata/ocds/records.json").json())
    assert result.error_count == 0, result.summary()


def test_a_qualifying_planned_notice_allows_a_four_week_bid_window(client: Client) -> None:
    without = _short_window(ready_opportunity(now=PLANNED))
    errors = services.timeline_errors(without, now=PUBLISHED)
    assert errors["bid_deadline"][0].startswith(
        "The bid deadline must be Monday 2 March 2026 or later"
    )

    draft = _short_window(ready_opportunity(now=PLANNED))
    commissioner = commissioner_of(draft)
    publish_planned_notice(commissioner, draft, now=PLANNED)
    draft.refresh_from_db()
    assert services.timeline_errors(draft, now=PUBLISHED) == {}
    services.publish(commissioner, draft, now=PUBLISHED)
    draft.refresh_from_db()
    assert draft.status == Opportunity.Status.OPEN

    package = client.get(f"/api/opportunities/{draft.reference}/ocds").json()
    assert _notice_types(package) == ["UK3", "UK4"]
    assert package["releases"][1]["tender"]["tenderPeriod"]["endDate"].startswith("2026-02-02")
    record = client.get(f"/api/opportunities/{draft.reference}/ocds/record").json()
    result = validate_package(record)
    assert result.error_count == 0, result.summary()


def test_the_commissioner_publishes_it_from_the_opportunitys_page(client: Client) -> None:
    draft = ready_opportunity()
    url = f"/opportunities/{draft.reference}/planned-notice/"
    client.force_login(member_of(draft.exercise.commissioning_body))
    assert client.get(url).status_code == 404  # a draft is not shown to others
    client.force_login(commissioner_of(draft))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page
    form = client.get(url).content.decode()
    assert "Publish the planned procurement notice</button>" in form
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.planned_notice_at is not None
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Planned procurement notice" in page and f'href="{url}"' not in page
    again = client.post(url).content.decode()
    assert "The notice cannot be published" in again and "already published on" in again
    draft.refresh_from_db()
    assert AuditEvent.objects.filter(action=ACTION, target_id=str(draft.pk)).count() == 1


def test_without_lots_the_page_says_what_is_missing(client: Client) -> None:
    draft = ready_opportunity(lots=0)
    client.force_login(commissioner_of(draft))
    page = client.get(f"/opportunities/{draft.reference}/planned-notice/").content.decode()
    assert "Add at least one lot: the notice says what will be bought." in page
    assert "</button>" not in page.split("govuk-footer")[0].split("<main")[1]


# The UK3 is served as published (issue 11 items 3 and 9): edits of the draft after publication
# never change it, and it carries nothing that is still private.


def test_editing_the_draft_after_publication_leaves_the_served_uk3_unchanged(
    client: Client,
) -> None:
    draft = ready_opportunity(now=PLANNED)
    draft = publish_planned_notice(commissioner_of(draft), draft, now=PLANNED)
    before = client.get(f"/api/opportunities/{draft.reference}/ocds").json()["releases"]
    [published] = before
    tender = published["tender"]
    assert "awardCriteria" not in tender and "awardCriteriaDetails" not in tender
    assert all("awardCriteria" not in lot for lot in tender["lots"])
    private = draft.get_absolute_url()
    assert private not in json.dumps(published)  # no link to the private draft
    assert [d["documentType"] for d in tender["documents"]] == [
        "plannedProcurementNotice",
        "procurementPlan",
    ]

    draft.title = "A different service altogether"
    draft.save()
    lot = draft.lots.order_by("number").first()
    assert lot is not None
    lot.title = "Renamed lot"
    lot.estimated_annual_value = Decimal("1.00")
    lot.save()
    draft.criteria.filter(kind="price").update(name="Cheapest wins", weight=Decimal(90))

    after = client.get(f"/api/opportunities/{draft.reference}/ocds").json()["releases"]
    assert after == before
    bulk = client.get("/opendata/ocds/releases.json").json()
    assert [r for r in bulk["releases"] if r["ocid"] == published["ocid"]] == before


def test_the_last_lot_cannot_be_deleted_once_the_uk3_is_published(client: Client) -> None:
    draft = ready_opportunity(now=PLANNED)
    commissioner = commissioner_of(draft)
    draft = publish_planned_notice(commissioner, draft, now=PLANNED)
    first, last = draft.lots.order_by("number")
    services_editing.delete_lot(commissioner, first)
    with pytest.raises(ValidationError, match="only lot, and the planned procurement notice"):
        services_editing.delete_lot(commissioner, last)
    assert draft.lots.count() == 1

    for url in ("/opendata/ocds/releases.json", "/opendata/ocds/records.json"):
        response = client.get(url)
        assert response.status_code == 200
        result = validate_package(response.json())
        assert result.error_count == 0, result.summary()
    response = client.get(f"/api/opportunities/{draft.reference}/ocds")
    assert response.status_code == 200
    [release] = response.json()["releases"]
    published_lots = [str(first.number), str(last.number)]
    assert [lot["id"] for lot in release["tender"]["lots"]] == published_lots  # as published
