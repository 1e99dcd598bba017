"""The opportunities API: public list and detail, drafts hidden, 4xx JSON (PRO-1 … PRO-5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from commissioning.equality.queries import NO_ASSESSMENT
from commissioning.procurement import services
from commissioning.procurement.models import Opportunity
from tests.equality_factories import published_assessment
from tests.factories import OrganisationFactory, client_for, member_of
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


def test_the_commissioner_publishes_the_tender_through_the_api() -> None:
    """UK4 through the API (PRO-1, EQU-1; issue 19 item 1): the same service as the page."""
    opportunity = ready_opportunity()
    client = client_for(commissioner_of(opportunity))
    response = client.post(f"/api/opportunities/{opportunity.reference}/publish")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["reference"], body["status"]) == (opportunity.reference, "open")
    assert body["published_at"] is not None
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN
    again = client.post(f"/api/opportunities/{opportunity.reference}/publish")
    assert again.status_code == 409
    assert again.json() == {
        "detail": "The opportunity is already “Open for bids”.",
        "errors": {"status": ["The opportunity is already “Open for bids”."]},
    }


def test_the_api_refuses_the_tender_until_the_equality_assessment_is_published() -> None:
    """EQU-1: the guard of the service and the page holds in the API, in the error shape."""
    opportunity = ready_opportunity()
    opportunity.exercise.equality_assessments.all().delete()
    client = client_for(commissioner_of(opportunity))
    refused = client.post(f"/api/opportunities/{opportunity.reference}/publish")
    assert refused.status_code == 409
    assert refused.json() == {"detail": NO_ASSESSMENT, "errors": {"publish": [NO_ASSESSMENT]}}
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.published_at) == ("draft", None)

    published_assessment(opportunity.exercise)
    assert client.post(f"/api/opportunities/{opportunity.reference}/publish").status_code == 200


def test_only_the_exercises_commissioners_publish_through_the_api() -> None:
    opportunity = ready_opportunity()
    url = f"/api/opportunities/{opportunity.reference}/publish"
    assert client_for(None).post(url).status_code == 401
    provider = client_for(member_of(OrganisationFactory()))
    assert provider.post(url).status_code == 404  # a draft is not seen by others
    opportunity_elsewhere = ready_opportunity()
    outsider = client_for(commissioner_of(opportunity_elsewhere))
    assert outsider.post(url).status_code == 404
    open_one = open_opportunity()
    refused = provider.post(f"/api/opportunities/{open_one.reference}/publish")
    assert refused.status_code == 403
    only = "Only the exercise's commissioners can publish this opportunity."
    assert refused.json() == {"detail": only, "errors": {}}
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT
