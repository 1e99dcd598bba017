"""The OpenAPI schema at /api/openapi.json documents every endpoint of issue 3's API: clarification
questions (PRO-4), interest and messages (PRO-6) and bidders' own bids (PRO-7, PRO-8) — and
issue 4's award releases (PRO-9), each
with its method, session auth on everything that is not open data, and the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NEW_ENDPOINTS = {
    ("get", "/api/opportunities/{reference}/questions"): "public",
    ("post", "/api/opportunities/{reference}/questions"): "session",
    ("post", "/api/opportunities/{reference}/questions/{number}/answer"): "session",
    ("get", "/api/opportunities/{reference}/lots/{number}/interests"): "public",
    ("put", "/api/opportunities/{reference}/lots/{number}/interest"): "session",
    ("delete", "/api/opportunities/{reference}/lots/{number}/interest"): "session",
    ("get", "/api/messages/conversations"): "session",
    ("post", "/api/messages/conversations"): "session",
    ("get", "/api/messages/conversations/{conversation_id}"): "session",
    ("post", "/api/messages/conversations/{conversation_id}/messages"): "session",
    ("get", "/api/bids"): "session",
    ("get", "/api/bids/{bid_id}"): "session",
    ("get", "/api/bids/{bid_id}/content"): "session",
    # PRO-7, PBR-7: name a sub-contractor with how it is paid (issue 18).
    ("post", "/api/bids/{bid_id}/supply-chain"): "session",
    ("get", "/api/opportunities/{reference}/awards"): "public",  # PRO-9: UK6 and UK7
    # UK4 with its guards, the equality impact assessment's included (EQU-1, issue 19).
    ("post", "/api/opportunities/{reference}/publish"): "session",
    # LAW-3, UK17: invoices and payments at every tier, and payments compliance.
    ("get", "/api/contracts/{reference}/invoices"): "session",
    ("post", "/api/contracts/{reference}/invoices"): "session",
    ("post", "/api/contracts/{reference}/invoices/{invoice_id}/payments"): "session",
    ("post", "/api/contracts/{reference}/invoices/{invoice_id}/dispute"): "session",
    ("post", "/api/contracts/{reference}/invoices/{invoice_id}/resolution"): "session",
    ("get", "/api/contracts/{reference}/payments-compliance"): "public",
    ("get", "/api/payments-compliance/{slug}"): "public",
    # SUP-1: quarterly supply-chain returns.
    ("get", "/api/contracts/{reference}/returns"): "public",
    ("post", "/api/contracts/{reference}/returns/{quarter}/submit"): "session",
    ("post", "/api/contracts/{reference}/returns/{quarter}/lines/{line_id}/answer"): "session",
    # OUT-1, OUT-4: outcome studies, their results, publishing and unpublishing.
    ("get", "/api/outcome-studies"): "public",
    ("get", "/api/outcome-studies/{study_id}"): "public",
    ("get", "/api/outcome-studies/{study_id}/results"): "public",
    ("post", "/api/outcome-studies/{study_id}/publish"): "session",
    ("post", "/api/outcome-studies/{study_id}/unpublish"): "session",
    # LAW-5: core supplier information, members' own and by share code (issue 18).
    ("get", "/api/supplier-information/organisations/{slug}"): "session",
    ("get", "/api/supplier-information/share-codes/{code}"): "session",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return dict(Client().get("/api/openapi.json").json())


def test_the_schema_lists_every_new_endpoint(schema: dict[str, Any]) -> None:
    documented = {(method, path) for path, item in schema["paths"].items() for method in item}
    missing = set(NEW_ENDPOINTS) - documented
    assert not missing


def test_every_endpoint_has_a_summary_and_a_tag(schema: dict[str, Any]) -> None:
    for method, path in NEW_ENDPOINTS:
        operation = schema["paths"][path][method]
        assert operation.get("summary") and operation.get("tags"), (method, path)


def test_only_open_data_is_without_a_session(schema: dict[str, Any]) -> None:
    for (method, path), access in NEW_ENDPOINTS.items():
        operation = schema["paths"][path][method]
        secured = bool(operation.get("security"))
        assert secured == (access == "session"), (method, path)
        if secured:
            assert "401" in operation["responses"] and "403" in operation["responses"]


def test_errors_are_documented_in_the_one_shape(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for method, path in NEW_ENDPOINTS:
        for status, response in schema["paths"][path][method]["responses"].items():
            if not status.startswith("4"):
                continue
            ref = response["content"]["application/json"]["schema"]["$ref"]
            properties = components[ref.rsplit("/", 1)[-1]]["properties"]
            assert set(properties) == {"detail", "errors"}, (method, path, status)
