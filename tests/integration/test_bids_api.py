"""The bids API (PRO-7, PRO-8; ADR 0006): bidders see their own bids' metadata and receipts;
what a bid says is read by its own members (through ``keys.bidder_key``) or by the body's
commissioners only after the deadline and once they have opened the bids; no route of the whole
API shows sealed content to anyone else before that."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from commissioning.accounts.models import User
from commissioning.bids import consent, keys, opening, services, submission
from commissioning.bids.models import Bid
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of
from tests.integration.test_bids_services import (
    ANSWER,
    PRICE,
    ROLE,
    Setting,
    complete_bid,
    name_sub,
    pdf_bytes,
)
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s

pytestmark = pytest.mark.django_db

SECRETS = [str(PRICE), "287,654.32", ANSWER, ROLE, "Rent-free", "method.pdf", "One-to-one"]


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


def site_admin() -> User:
    return UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)


def full_bid(s: Setting) -> Bid:
    """A submitted bid with a confirmed sub-contractor and a document."""
    bid = complete_bid(s)
    sub = name_sub(s, bid)
    consent.answer(s.sub_user, sub, confirm=True)
    services.add_document(s.prime, bid, name="method.pdf", size=len(pdf_bytes()), data=pdf_bytes())
    submission.submit(s.prime, bid)
    return bid


def outsiders(s: Setting) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "commissioner": s.commissioner,
        "site admin": site_admin(),
        "sub-contractor": s.sub_user,
        "other provider": member_of(OrganisationFactory()),
    }


def test_the_bidder_lists_its_bids_with_status_and_receipts_but_no_content(s: Setting) -> None:
    bid = full_bid(s)
    prime = client_for(s.prime)

    listing = prime.get("/api/bids")
    detail = prime.get(f"/api/bids/{bid.pk}")

    assert listing.status_code == 200 and detail.status_code == 200
    [row] = listing.json()["results"]
    receipt = bid.receipts.get()
    assert (row["id"], row["status"], row["lot"]) == (bid.pk, "submitted", s.lot.number)
    assert row["latest_receipt"]["reference"] == receipt.reference
    assert row["latest_receipt"]["digest"] == receipt.digest
    body = detail.json()
    assert [r["reference"] for r in body["receipts"]] == [receipt.reference]
    assert body["supply_chain"] == [{"organisation": s.sub_org.slug, "consent": "confirmed"}]
    assert body["document_sizes"] == [len(pdf_bytes())]
    assert_no_secrets(listing.content.decode() + detail.content.decode())


def test_bid_metadata_is_for_the_bidder_only(s: Setting) -> None:
    bid = full_bid(s)
    for user in outsiders(s).values():
        response = client_for(user).get(f"/api/bids/{bid.pk}")
        assert_error(response, 401 if user is None else 403)
        assert_no_secrets(response.content.decode())
        if user is not None:
            assert client_for(user).get("/api/bids").json()["results"] == []
    assert_error(client_for(s.prime).get("/api/bids/999999"), 404)


def test_the_bidder_reads_its_own_content(s: Setting) -> None:
    bid = full_bid(s)

    response = client_for(s.prime).get(f"/api/bids/{bid.pk}/content")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["read_as"] == "bidder"
    assert body["price"] == str(PRICE) and body["has_subsidy"] is True
    assert body["costs"]["staff"] == "50000"
    assert {a["answer"] for a in body["answers"]} == {ANSWER}
    assert body["supply_chain"][0]["role"] == ROLE
    assert body["documents"] == [{"name": "method.pdf", "size": len(pdf_bytes())}]
    assert body["digest_matches_receipt"] is True


def test_content_is_sealed_to_everyone_else_until_the_deadline_and_opening(
    s: Setting, clock: Any
) -> None:
    bid = full_bid(s)
    url = f"/api/bids/{bid.pk}/content"
    for user in outsiders(s).values():
        response = client_for(user).get(url)
        assert_error(response, 401 if user is None else 403)
        assert_no_secrets(response.content.decode())

    clock.move_to(s.deadline + timedelta(hours=1))
    not_opened = assert_error(client_for(s.commissioner).get(url), 403)
    assert "opened" in not_opened["detail"]

    opening.open_bids(s.commissioner, s.opportunity)
    opened = client_for(s.commissioner).get(url)
    assert opened.status_code == 200, opened.content
    assert opened.json()["read_as"] == "commissioner"
    assert opened.json()["price"] == str(PRICE)
    # Opening is for the body's commissioners only: still nobody else.
    for who, user in outsiders(s).items():
        if who != "commissioner":
            assert_no_secrets(client_for(user).get(url).content.decode())


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match.group(1), "1"), path)


def test_no_route_of_the_api_shows_sealed_content_before_the_deadline(s: Setting) -> None:
    """Every GET route in the OpenAPI schema, with this bid's identifiers filled in, for everyone
    but the bidder — even after the commissioner tried to open the bids early."""
    bid = full_bid(s)
    with pytest.raises(keys.BidsSealed):
        opening.open_bids(s.commissioner, s.opportunity)
    schema = Client().get("/api/openapi.json").json()
    values = {
        "reference": s.opportunity.reference,
        "number": str(s.lot.number),
        "bid_id": str(bid.pk),
        "slug": s.prime_org.slug,
        "conversation_id": "1",
    }
    routes = [_fill(path, values) for path, item in schema["paths"].items() if "get" in item]
    assert f"/api/bids/{bid.pk}/content" in routes
    for user in outsiders(s).values():
        client = client_for(user)
        for route in routes:
            response = client.get(route)
            assert response.status_code < 500, route
            assert_no_secrets(response.content.decode())
