"""The opportunities API: public list and detail, drafts hidden, 4xx JSON (PRO-1 … PRO-5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from commissioning.procurement import services
from commissioning.procurement.models import Opportunity
from tests.procurement_factories import commissioner_of, open_opportunity, ready_opportunity

pytestmark = pytest.mark.django_db


def test_list_filters_and_paginates_without_drafts(client: Client) -> None:
    first = open_opportunity(title="Women's centre services")
    open_opportunity(title="Accommodation")
    draft = ready_opportunity(title="Women's draft")

    body = client.get("/api/opportunities", {"q": "women"}).json()
    assert [r["reference"] for r in body["results"]] == [first.reference]
    assert draft.reference not in str(client.get("/api/opportunities").json())
    page = client.get("/api/opportunities", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and len(page["results"]) == 1
    bad = client.get("/api/opportunities", {"status": "nonsense"})
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["status"]


def test_detail_has_lots_criteria_contact_and_cancellation(client: Client) -> None:
    opportunity = open_opportunity()
    body = client.get(f"/api/opportunities/{opportunity.reference}").json()
    assert len(body["lots"]) == 2
    assert {c["name"]: c["weight"] for c in body["criteria"]}["Social value"] == "20.00"
    assert body["contact"]["email"] == "procurement@pcc.example"
    assert body["cancellation"] is None and body["open_for_bids"] is True


def test_cancelled_before_publication_has_no_open_data(client: Client) -> None:
    opportunity = ready_opportunity()
    services.transition(
        commissioner_of(opportunity),
        opportunity,
        Opportunity.Status.CANCELLED,
        changes={"cancellation_code": "other", "cancellation_reason": "Not needed."},
    )
    body = client.get(f"/api/opportunities/{opportunity.reference}").json()
    assert body["cancellation"]["reason"] == "Not needed."
    response = client.get(f"/api/opportunities/{opportunity.reference}/ocds")
    assert response.status_code == 404
    assert "never published" in response.json()["detail"]


def test_unknown_reference_is_404_json(client: Client) -> None:
    for suffix in ("", "/ocds", "/ocds/record"):
        response = client.get(f"/api/opportunities/NOPE{suffix}")
        assert response.status_code == 404
        assert response.json() == {"detail": "No opportunity NOPE", "errors": {}}


def test_a_lots_turnover_condition_is_published_with_its_justification(client: Client) -> None:
    """Issue 11 item 19 (PRO-2): the condition and why it is above twice the annual value."""
    opportunity = open_opportunity()
    why = "The lot holds a pooled housing fund that the provider must underwrite."
    opportunity.lots.filter(number=opportunity.lots.order_by("number")[0].number).update(
        turnover_multiple=Decimal(3), turnover_justification=why
    )
    first = client.get(f"/api/opportunities/{opportunity.reference}").json()["lots"][0]
    assert (first["turnover_multiple"], first["turnover_justification"]) == ("3.00", why)
    assert first["minimum_reserves_months"] is None
