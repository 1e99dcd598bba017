"""Opportunities and contracts as OCDS through the API; every output validates offline with 0
errors (LAW-1, LAW-2, LAW-4, PRO-9); drafts never appear; OpenAPI lists every new path."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.clarifications.models import Question
from commissioning.opendata.ocds.validate import validate_package
from commissioning.procurement import services
from commissioning.procurement.models import Opportunity
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory
from tests.procurement_factories import (
    DateChangeFactory,
    commissioner_of,
    open_opportunity,
    ready_opportunity,
)

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
    services.transition(
        commissioner_of(cancelled),
        cancelled,
        Opportunity.Status.CANCELLED,
        changes={
            "cancellation_code": "budget_withdrawn",
            "cancellation_reason": "The grant ended.",
        },
    )
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
        "/api/opportunities/{reference}/awards",
        "/api/contracts/{reference}/ocds",
        "/api/exercises/{reference}/ocds",
    } <= paths


def _question(opportunity: Opportunity, number: int, asked: datetime, **kwargs: Any) -> Question:
    fields: dict[str, Any] = {
        "opportunity": opportunity,
        "number": number,
        "asker_organisation": OrganisationFactory(name=f"Secret Asker {number}"),
        "original_text": f"Secret Asker {number} asks: is TUPE likely for lot {number}?",
        "text": f"Is TUPE likely for lot {number}?",
        "asked_at": asked,
        "response_working_days": 5,
        "due_on": (asked + timedelta(days=7)).date(),
        **kwargs,
    }
    return Question.objects.create(**fields)


def test_tender_releases_carry_the_published_enquiries(client: Client) -> None:
    """PRO-4: each tender release has the questions answered by its date, as published and
    without who asked; answers after the last notice come in a tenderUpdate release."""
    published = timezone.now() - timedelta(days=20)
    opportunity = open_opportunity(published_at=published)
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    answered = published + timedelta(days=2)
    _question(
        opportunity,
        1,
        published + timedelta(days=1),
        lot=lot,
        status=Question.Status.ANSWERED,
        answer="Yes: six staff may transfer.",
        answered_at=answered,
    )
    _question(opportunity, 2, published + timedelta(days=3))  # awaiting: not published
    _question(
        opportunity,
        3,
        published + timedelta(days=3),
        status=Question.Status.WITHDRAWN,
        closed_reason="Withdrawn by the asker.",
    )
    DateChangeFactory(
        opportunity=opportunity,
        old_value=opportunity.bid_deadline,
        new_value=opportunity.bid_deadline + timedelta(days=7),
        changed_at=published + timedelta(days=4),
    )
    last = published + timedelta(days=6)
    _question(
        opportunity,
        4,
        published + timedelta(days=5),
        status=Question.Status.ANSWERED,
        answer="The budget is fixed for three years.",
        answered_at=last,
    )

    package = client.get(f"/api/opportunities/{opportunity.reference}/ocds").json()
    tags = [r["tag"] for r in package["releases"]]
    assert tags == [["tender"], ["tenderAmendment"], ["tenderUpdate"]]
    first, amendment, update = (r["tender"] for r in package["releases"])
    assert first["hasEnquiries"] is False and "enquiries" not in first
    assert amendment["hasEnquiries"] is True
    assert amendment["enquiries"] == [
        {
            "id": "question-1",
            "date": (published + timedelta(days=1)).isoformat(),
            "description": "Is TUPE likely for lot 1?",
            "answer": "Yes: six staff may transfer.",
            "dateAnswered": answered.isoformat(),
            "relatedLot": str(lot.number),
        }
    ]
    assert [e["id"] for e in update["enquiries"]] == ["question-1", "question-4"]
    assert datetime.fromisoformat(package["releases"][2]["date"]) == last
    assert "Secret Asker" not in json.dumps(package)
    _valid(package)
    record = client.get(f"/api/opportunities/{opportunity.reference}/ocds/record").json()
    assert len(record["records"][0]["compiledRelease"]["tender"]["enquiries"]) == 2
    _valid(record)


def test_the_sme_barriers_statement_is_published_in_the_tender_release(client: Client) -> None:
    """Issue 11 item 8 (LAW-2, PA 2023 s.12(4)): how barriers facing SMEs and VCSEs were
    considered is in the JSON API and, word for word, in every tender release: a tender
    document beside the suitability flags, linked to the statement on the opportunity's page."""
    opened = open_opportunity(published_at=timezone.now() - timedelta(days=2))
    statement = "Lots by police force area keep values small enough for charities."
    assert client.get(f"/api/opportunities/{opened.reference}").json()["barriers_considered"] == (
        statement
    )
    package = client.get(f"/api/opportunities/{opened.reference}/ocds").json()
    tender = package["releases"][0]["tender"]
    barriers = [d for d in tender["documents"] if d["id"].endswith("-sme-barriers")]
    assert len(barriers) == 1
    assert barriers[0]["description"] == statement
    assert barriers[0]["documentType"] == "procurementPlan"
    assert barriers[0]["url"].endswith(f"/opportunities/{opened.reference}/#barriers")
    result = validate_package(package)
    assert result.error_count == 0 and not result.additional_fields, result.summary()


def test_no_sme_barriers_document_without_a_statement(client: Client) -> None:
    opened = open_opportunity(published_at=timezone.now() - timedelta(days=2))
    Opportunity.objects.filter(pk=opened.pk).update(barriers_considered="")
    package = client.get(f"/api/opportunities/{opened.reference}/ocds").json()
    ids = [d["id"] for d in package["releases"][0]["tender"]["documents"]]
    assert not any(i.endswith("-sme-barriers") for i in ids)
