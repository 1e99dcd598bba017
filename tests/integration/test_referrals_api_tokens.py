"""Case-management systems push referral events with their organisation's API token (REF-1,
issue 14 item 1): a token acts for its one organisation only, each write attributed to the token
and audited against it; refused (403) for a referral its organisation is not a party to, and
(401) once revoked, with nothing written either way."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral, ReferralEvent
from commissioning.service_accounts import services as tokens
from commissioning.service_accounts.models import OrganisationToken
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, client_for
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db


def _token_of(organisation: Any) -> tuple[OrganisationToken, str]:
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, is_org_admin=True)
    return tokens.create_token(admin, organisation, "Case management")


def _push(secret: str, url: str, data: dict[str, Any]) -> Any:
    return Client().post(
        url,
        data=json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _events_url(referral: Referral) -> str:
    return f"/api/referrals/{referral.reference}/events"


def _nothing_written(referral: Referral) -> None:
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED
    assert referral.events.count() == 1
    assert (
        not AuditEvent.objects.filter(action__startswith="referral.")
        .exclude(action="referral.refer")
        .exists()
    )


@pytest.fixture
def setting() -> ReferralSetting:
    return referral_setting()


def test_the_receivers_token_pushes_events_attributed_to_the_token(
    setting: ReferralSetting,
) -> None:
    referral = refer(setting)
    housing = setting.housing_party.organisation
    token, secret = _token_of(housing)
    for action, day in (("accept", "2026-06-02"), ("start", "2026-06-03")):
        response = _push(secret, _events_url(referral), {"action": action, "happened_on": day})
        assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "started"
    assert data["next_actions"] == ["engage", "disengage"]
    assert [(e["step"], e["recorded_with_token"]) for e in data["events"]] == [
        ("referred", False),
        ("accepted", True),
        ("started", True),
    ]
    started = referral.events.get(step=Status.STARTED)
    assert started.recorded_with_token == token and started.recorded_by is None
    assert started.organisation == housing
    assert started.source == ReferralEvent.Source.API
    audit = AuditEvent.objects.filter(action__in=["referral.accept", "referral.start"])
    assert audit.count() == 2
    for event in audit:
        assert event.actor is None
        assert event.actor_label == f"token {token.prefix}… of {housing.name}"
        assert event.changes["api_token"] == token.prefix
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = client_for(setting.housing).get(referral.get_absolute_url())
    assert f"API token {token.prefix}…" in page.text
    # The token reads its organisation's referrals and no others.
    refer(setting, case_reference="W1", party=setting.womens_party)
    listed = Client().get("/api/referrals", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert [r["reference"] for r in listed["results"]] == [referral.reference]


def test_a_token_of_another_organisation_is_refused_and_nothing_is_written(
    setting: ReferralSetting,
) -> None:
    referral = refer(setting)
    accept = {"action": "accept", "happened_on": "2026-06-02"}
    # A sub-contractor under the same contract, to whom this person was not referred.
    _, womens = _token_of(setting.womens_party.organisation)
    refused = _push(womens, _events_url(referral), accept)
    assert refused.status_code == 403
    assert set(refused.json()) == {"detail", "errors"}
    assert "not a party to a referral with that reference" in refused.json()["detail"]
    # An organisation outside the contract; a reference that does not exist answers the same.
    _, outsider = _token_of(OrganisationFactory())
    assert _push(outsider, _events_url(referral), accept).json() == refused.json()
    missing = _push(outsider, "/api/referrals/RF-00000000/events", accept)
    assert missing.status_code == 403 and missing.json() == refused.json()
    assert (
        Client().get("/api/referrals", HTTP_AUTHORIZATION=f"Bearer {outsider}").json()["count"] == 0
    )
    # The prime sees the referral but may not accept for the receiving organisation.
    _, prime = _token_of(setting.contract.prime)
    as_prime = _push(prime, _events_url(referral), accept)
    assert as_prime.status_code == 403
    assert as_prime.json()["detail"] == (
        "Only the receiving organisation can record that the referral was accepted."
    )
    _nothing_written(referral)


def test_a_revoked_token_is_refused_with_401_and_nothing_is_written(
    setting: ReferralSetting,
) -> None:
    referral = refer(setting)
    housing = setting.housing_party.organisation
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=housing, is_org_admin=True)
    token, secret = tokens.create_token(admin, housing, "Case management")
    tokens.revoke_token(admin, token)
    response = _push(
        secret, _events_url(referral), {"action": "accept", "happened_on": "2026-06-02"}
    )
    assert response.status_code == 401
    assert response.json() == {"detail": tokens.REVOKED, "errors": {}}
    assert Client().get("/api/referrals", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    _nothing_written(referral)


def test_the_primes_token_refers_for_its_own_organisation_only(setting: ReferralSetting) -> None:
    token, secret = _token_of(setting.contract.prime)
    body = {
        "contract": setting.contract.reference,
        "provider": setting.housing_party.organisation.slug,
        "case_reference": "P42",
        "referred_on": "2026-06-01",
    }
    elsewhere = _push(secret, "/api/referrals", {**body, "referrer": "another-organisation"})
    assert elsewhere.status_code == 403
    assert not Referral.objects.exists()
    made = _push(secret, "/api/referrals", body)
    assert made.status_code == 201, made.json()
    referral = Referral.objects.get()
    assert referral.referrer == setting.contract.prime
    first = referral.events.get()
    assert first.recorded_with_token == token and first.recorded_by is None
    assert AuditEvent.objects.get(action="referral.refer").actor_label.startswith(
        f"token {token.prefix}"
    )
    # A charity's token may not refer: it is neither the prime nor probation.
    _, housing = _token_of(setting.housing_party.organisation)
    assert _push(housing, "/api/referrals", {**body, "case_reference": "P43"}).status_code == 403
    assert Referral.objects.count() == 1


def test_the_openapi_schema_lists_the_token_on_the_referral_endpoints() -> None:
    schema = Client().get("/api/openapi.json").json()
    for method, path in [
        ("get", "/api/referrals"),
        ("post", "/api/referrals"),
        ("post", "/api/referrals/{reference}/events"),
    ]:
        operation = schema["paths"][path][method]
        assert {"OrganisationToken": []} in operation["security"], path
        assert {"SessionAuth": []} in operation["security"], path
