"""Bulk OCDS downloads: public, valid with 0 errors offline, no drafts, bounded queries (PRO-9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.opendata.validate import validate_package
from commissioning.procurement.models import Opportunity
from tests.contract_factories import contract_with_parties
from tests.procurement_factories import open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db


def _market() -> tuple[Opportunity, Opportunity, Opportunity]:
    published = timezone.now() - timedelta(days=2)
    opened = open_opportunity(published_at=published)
    closed = open_opportunity(published_at=published, lots=1)
    closed.status = Opportunity.Status.CLOSED
    closed.save()
    draft = ready_opportunity()
    contract = contract_with_parties()
    contract.lot.opportunity.published_at = published
    contract.lot.opportunity.save()
    return opened, closed, draft


def test_bulk_downloads_validate_and_leave_out_drafts(client: Client) -> None:
    opened, closed, draft = _market()
    assert client.get("/opendata/").status_code == 200
    releases = client.get("/opendata/ocds/releases.json").json()
    ocids = {r["ocid"] for r in releases["releases"]}
    assert any(opened.reference in o for o in ocids)
    assert not any(draft.reference in o for o in ocids)
    single = next(r for r in releases["releases"] if closed.reference in r["ocid"])
    assert "lots" not in single["tender"]
    assert single["tender"]["lotDetails"]["noLotsDivisionRationale"]
    assert any("contracts" in r for r in releases["releases"])
    result = validate_package(releases)
    assert result.error_count == 0, result.summary()
    records = client.get("/opendata/ocds/records.json").json()
    assert len(records["records"]) == len(ocids)
    result = validate_package(records)
    assert result.error_count == 0, result.summary()


def test_bulk_query_count_does_not_grow_with_rows(client: Client) -> None:
    _market()
    with CaptureQueriesContext(connection) as few:
        client.get("/opendata/ocds/releases.json")
    _market()
    with CaptureQueriesContext(connection) as more:
        client.get("/opendata/ocds/releases.json")
    assert len(more) == len(few)
