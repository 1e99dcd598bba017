"""The grant rounds API (CYC-6): published rounds are public, drafts are not; a member applies
with the same rules as the form (400 with the errors by field) and reads their own
applications."""

from __future__ import annotations

import json

import pytest

from commissioning.grants.models import GrantApplication
from tests.factories import OrganisationFactory, client_for, member_of
from tests.integration.test_grants import SHORT, make_round

pytestmark = pytest.mark.django_db


def test_rounds_are_public_and_members_apply_through_the_api() -> None:
    grant_round, _, _ = make_round()
    listed = client_for(None).get("/api/grants/rounds").json()
    assert [r["reference"] for r in listed["results"]] == [grant_round.reference]
    assert listed["results"][0]["short_form_limit"] == "5000.00"
    charity = OrganisationFactory()
    member = member_of(charity)
    client = client_for(member)
    url = f"/api/grants/rounds/{grant_round.reference}/applications"
    refused = client.post(
        url,
        json.dumps(
            {"organisation": charity.slug, **SHORT, "amount_requested": "9000", "submit": True}
        ),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"budget_breakdown", "delivery_plan", "risks"}
    assert not GrantApplication.objects.exists()
    sent = client.post(
        url,
        json.dumps({"organisation": charity.slug, **SHORT, "submit": True}),
        content_type="application/json",
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "submitted"
    assert sent.json()["amount_requested"] == "4500.00"
    mine = client.get("/api/grants/applications").json()
    assert [a["id"] for a in mine["results"]] == [sent.json()["id"]]
    assert client_for(None).get("/api/grants/applications").status_code == 401
    outsider = client_for(member_of(OrganisationFactory()))
    assert outsider.get("/api/grants/applications").json()["results"] == []


def test_a_draft_round_is_not_published() -> None:
    grant_round, _, _ = make_round()
    grant_round.__class__.objects.filter(pk=grant_round.pk).update(status="draft")
    assert client_for(None).get(f"/api/grants/rounds/{grant_round.reference}").status_code == 404
    assert client_for(None).get(grant_round.get_absolute_url()).status_code == 404
