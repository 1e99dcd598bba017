"""Organisation API tokens (service accounts, REF-1, REF-2): made by the organisation's
administrators only, shown once and stored only as a digest with a visible prefix, revocable, each
creation and revocation audited; a token raises escalations for its own organisation through the
API (each write audited against it), is refused for a contract its organisation is not in (403)
and once revoked (401)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.escalations.models import Escalation
from commissioning.service_accounts import services
from commissioning.service_accounts.models import OrganisationToken
from tests.contract_factories import contract_with_parties
from tests.factories import MembershipFactory, UserFactory, client_for
from tests.integration.escalations_setup import Cast, cast, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Cast:
    return cast()


def _admin_of(organisation: Any) -> Any:
    user = UserFactory(username="org-admin")
    MembershipFactory(user=user, organisation=organisation, is_org_admin=True)
    return user


def _body(c: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "contract": c.contract.reference,
        "category": "disengagement",
        "urgency": "three_days",
        "what_happened": "Case 4471: has not attended for three weeks.",
        "occurred_at": "2026-06-01T10:00:00+01:00",
        **changes,
    }


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_is_shown_once_and_stored_only_as_a_digest(c: Cast) -> None:
    admin = _admin_of(c.subcontractor)
    client = client_for(admin)
    url = reverse("service_accounts:list", args=[c.subcontractor.slug])
    response = client.post(url, {"name": "Case management (live)"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    secret = response.text.split('data-testid="new-token">')[1].split("<")[0]
    assert secret.startswith("cst_") and len(secret) > 40
    token = OrganisationToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    stored = [str(v) for v in OrganisationToken.objects.values().get().values()]
    assert secret not in stored
    listing = client.get(url).text
    assert secret not in listing and token.prefix in listing
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == admin and secret not in str(event.changes)


def test_only_the_organisations_administrators_manage_tokens(c: Cast) -> None:
    url = reverse("service_accounts:list", args=[c.subcontractor.slug])
    for user in (c.sub_member, c.site_admin, c.outsider):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"name": "x"}).status_code == 403
    assert not OrganisationToken.objects.exists()


def test_a_token_raises_for_its_own_organisation_and_the_write_is_audited(c: Cast) -> None:
    token, secret = services.create_token(_admin_of(c.subcontractor), c.subcontractor, "CMS")
    response = Client().post(
        "/api/escalations", _body(c), content_type="application/json", **_bearer(secret)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["organisation"] == c.subcontractor.slug
    assert response.json()["raised_with_token"] is True
    escalation = Escalation.objects.get()
    assert escalation.raised_with_token == token and escalation.raised_by is None
    event = AuditEvent.objects.get(action="escalation.raise")
    assert event.actor is None
    assert event.actor_label == f"token {token.prefix}… of {c.subcontractor.name}"
    token.refresh_from_db()
    assert token.last_used_at is not None
    # It reads its organisation's own escalations, and no others.
    listed = Client().get("/api/escalations", **_bearer(secret)).json()
    assert [e["reference"] for e in listed["results"]] == [escalation.reference]


def test_a_token_is_refused_outside_its_organisation(c: Cast) -> None:
    _, secret = services.create_token(_admin_of(c.subcontractor), c.subcontractor, "CMS")
    elsewhere = contract_with_parties()
    response = Client().post(
        "/api/escalations",
        _body(c, contract=elsewhere.reference),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    assert "does not deliver under this contract" in response.json()["detail"]
    # Naming another organisation is refused too.
    response = Client().post(
        "/api/escalations",
        _body(c, organisation=c.prime.slug),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 403
    assert not Escalation.objects.exists()
    # Another organisation's escalation (the prime's, under the same contract) is not found.
    primes = raise_one(c, by=c.prime_member)
    response = Client().get(f"/api/escalations/{primes.pk}", **_bearer(secret))
    assert response.status_code == 404


def test_a_revoked_token_is_refused_with_401(c: Cast) -> None:
    admin = _admin_of(c.subcontractor)
    token, secret = services.create_token(admin, c.subcontractor, "CMS")
    client = client_for(admin)
    revoke = reverse("service_accounts:revoke", args=[c.subcontractor.slug, token.pk])
    assert client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.status == OrganisationToken.Status.REVOKED and token.revoked_by == admin
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=admin).count() == 1
    response = Client().post(
        "/api/escalations", _body(c), content_type="application/json", **_bearer(secret)
    )
    assert response.status_code == 401
    assert response.json() == {"detail": services.REVOKED, "errors": {}}
    assert Client().get("/api/escalations", **_bearer("cst_nonsense")).status_code == 401
    assert not Escalation.objects.exists()
    # Revoking twice says so, and writes nothing.
    response = client.post(revoke)
    assert "already been revoked" in response.text


def test_the_openapi_schema_documents_the_token(c: Cast) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "OrganisationToken" in schema["components"]["securitySchemes"]
    operation = schema["paths"]["/api/escalations"]["post"]
    assert {"OrganisationToken": []} in operation["security"]
    assert "Organisation API tokens" in schema["info"]["description"]
    for method, path in [
        ("post", "/api/escalations/{escalation_id}/acknowledge"),
        ("post", "/api/escalations/{escalation_id}/respond"),
        ("get", "/api/escalations/{escalation_id}"),
    ]:
        op = schema["paths"][path][method]
        assert op["summary"] and op["tags"] == ["Escalations"]
        assert {"401", "403", "404"} <= set(op["responses"])
