"""Bulk OCDS downloads: public, valid with 0 errors offline, no drafts, bounded queries (PRO-9);
they carry every notice: UK2 engagement, UK4 tender, UK6 award and UK7 contract (LAW-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.awards.models import LotAward
from commissioning.bids.models import Bid
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.procurement import load_demo_procurement
from commissioning.demo.services import create_demo_users, load_market
from commissioning.engagement.demo import load_demo_engagement
from commissioning.engagement.models import Consultation
from commissioning.opendata.ocds.validate import validate_package
from commissioning.procurement.models import Opportunity
from commissioning_analytics.market.synthetic import generate_market
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory
from tests.procurement_factories import open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db


def _awarded(published: datetime) -> Opportunity:
    """A published opportunity with engagement before it, lot 1 awarded (results not kept:
    the value falls back to the contract's) and its contract created."""
    awarded = open_opportunity(published_at=published)
    Consultation.objects.create(
        exercise=awarded.exercise,
        title="Early views",
        purpose="What should the service do?",
        opens_at=published - timedelta(days=40),
        closes_at=published - timedelta(days=10),
        published_at=published - timedelta(days=40),
    )
    lot = awarded.lots.order_by("number").first()
    assert lot is not None
    bid = Bid.objects.create(lot=lot, organisation=OrganisationFactory(), status="submitted")
    award = LotAward.objects.create(
        lot=lot,
        outcome=LotAward.Outcome.AWARDED,
        winning_bid=bid,
        reasons="Highest total on the published criteria.",
        results={},
        decided_at=published + timedelta(hours=1),
        standstill_ends_at=published + timedelta(days=12),
    )
    award.contract = contract_with_parties(
        lot=lot, commissioning_body=awarded.exercise.commissioning_body, prime=bid.organisation
    )
    award.save(update_fields=["contract"])
    return awarded


def _market() -> tuple[Opportunity, Opportunity, Opportunity]:
    published = timezone.now() - timedelta(days=2)
    _awarded(published)
    opened = open_opportunity(published_at=published)
    closed = open_opportunity(published_at=published, lots=1)
    closed.status = Opportunity.Status.CLOSED
    closed.save()
    draft = ready_opportunity()
    contract = contract_with_parties()
    contract.lot.opportunity.published_at = published
    contract.lot.opportunity.save()
    return opened, closed, draft


def test_bulk_downloads_are_never_an_empty_package(client: Client) -> None:
    """Issue 11 item 6: a package with no releases is not valid OCDS, so with nothing published
    (only a draft) the downloads answer 404 with the API's error shape instead."""
    ready_opportunity()
    for url in ("/opendata/ocds/releases.json", "/opendata/ocds/records.json"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {
            "detail": "Nothing has been published yet, so there is no open data to download",
            "errors": {},
        }


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
    codes = {
        doc["noticeType"]
        for r in releases["releases"]
        for section in ("planning", "tender")
        for doc in r.get(section, {}).get("documents", [])
        if "noticeType" in doc
    }
    codes |= {
        d["noticeType"]
        for r in releases["releases"]
        for a in r.get("awards", [])
        for d in a.get("documents", [])
    }
    codes |= {
        d["noticeType"]
        for r in releases["releases"]
        for c in r.get("contracts", [])
        for d in c.get("documents", [])
    }
    assert {"UK2", "UK4", "UK6", "UK7"} <= codes
    assert not any(r["ocid"].endswith(draft.reference) for r in releases["releases"])
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


def test_the_demo_market_publishes_valid_awards_and_contracts(client: Client) -> None:
    """The demo story made through the real services (engagement, decision, standstill,
    contract): its UK2, award and contract notices are in the bulk downloads and validate with
    0 errors."""
    load_market(generate_market(2026, 0.05), replace=False)
    load_demo_contracts(seed=2026)
    create_demo_users()
    load_demo_procurement(seed=2026)
    load_demo_engagement(seed=2026)
    releases = client.get("/opendata/ocds/releases.json").json()
    assert any(r["tag"] == ["planning"] for r in releases["releases"])
    tags = {
        reference: [r["tag"] for r in releases["releases"] if r["ocid"].endswith(reference)]
        for reference in ("OPP-DEMO-16", "OPP-DEMO-17", "OPP-DEMO-18")
    }
    assert ["award"] not in tags["OPP-DEMO-16"]  # in evaluation: not decided
    assert ["award"] in tags["OPP-DEMO-17"]
    assert ["award"] in tags["OPP-DEMO-18"] and ["awardUpdate", "contract"] in tags["OPP-DEMO-18"]
    result = validate_package(releases)
    assert result.error_count == 0, result.summary()
    result = validate_package(client.get("/opendata/ocds/records.json").json())
    assert result.error_count == 0, result.summary()
