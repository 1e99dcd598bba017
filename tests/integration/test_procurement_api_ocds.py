"""Opportunities and contracts as OCDS through the API; every output validates offline with 0
errors (LAW-1, LAW-2, LAW-4, PRO-9); drafts never appear; OpenAPI lists every new path."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.opendata.validate import validate_package
from commissioning.procurement.models import Opportunity
from tests.contract_factories import contract_with_parties
from tests.procurement_factories import DateChangeFactory, open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db


def _valid(package: dict[str, Any]) -> None:
    result = validate_package(package)
    assert result.error_count == 0, result.summary()


def test_open_cancelled_and_contract_outputs_validate(client: Client) -> None:
    published = timezone.now() - timedelta(days=2)
    opened = open_opportunity(published_at=published, sme_suitable=True, vcse_suitable=True)
    DateChangeFactory(
        opportunity=opened,
        old_value=opened.bid_deadline,
        new_value=opened.bid_deadline + timedelta(days=7),
        changed_at=published + timedelta(days=1),
    )
    cancelled = open_opportunity(published_at=published)
    cancelled.status = Opportunity.Status.CANCELLED
    cancelled.cancellation_code = "budget_withdrawn"
    cancelled.cancellation_reason = "The grant ended."
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    draft = ready_opportunity()

    package = client.get(f"/api/opportunities/{opened.reference}/ocds").json()
    assert [r["tag"] for r in package["releases"]] == [["tender"], ["tenderAmendment"]]
    tender = package["releases"][0]["tender"]
    assert tender["documents"][0]["noticeType"] == "UK4"
    assert tender["suitability"] == {"sme": True, "vcse": True}
    assert len(tender["lots"]) == 2 and "suitability" in tender["lots"][0]
    _valid(package)
    _valid(client.get(f"/api/opportunities/{opened.reference}/ocds/record").json())

    package = client.get(f"/api/opportunities/{cancelled.reference}/ocds").json()
    assert package["releases"][-1]["tag"] == ["tenderCancellation"]
    assert package["releases"][-1]["tender"]["documents"][-1]["noticeType"] == "UK12"
    _valid(package)
    _valid(client.get(f"/api/opportunities/{cancelled.reference}/ocds/record").json())

    for suffix in ("", "/ocds", "/ocds/record"):
        response = client.get(f"/api/opportunities/{draft.reference}{suffix}")
        assert response.status_code == 404
        assert response.json()["detail"] == f"No opportunity {draft.reference}"
    listed = client.get("/api/opportunities").json()
    assert draft.reference not in {r["reference"] for r in listed["results"]}

    contract = contract_with_parties()
    contract.lot.opportunity.published_at = published
    contract.lot.opportunity.save()
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    release = package["releases"][0]
    assert release["contracts"][0]["documents"][0]["noticeType"] == "UK7"
    assert any(p.get("details", {}).get("vcse") for p in release["parties"])
    _valid(package)
    assert client.get("/api/contracts/NOPE/ocds").status_code == 404


def test_openapi_lists_every_new_path(client: Client) -> None:
    paths = set(client.get("/api/openapi.json").json()["paths"])
    assert {
        "/api/opportunities",
        "/api/opportunities/{reference}",
        "/api/opportunities/{reference}/ocds",
        "/api/opportunities/{reference}/ocds/record",
        "/api/contracts/{reference}/ocds",
    } <= paths
