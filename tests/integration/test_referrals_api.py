"""The referrals API (REF-1): list, create and post an event with the rules and errors of the
forms (``{detail, errors}``); refused outside the caller's organisation; public counts only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral, ReferralEvent
from tests.factories import client_for
from tests.referral_factories import refer, referral_setting

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", headers=headers)


def _body(setting: Any, **changes: Any) -> dict[str, Any]:
    return {
        "contract": setting.contract.reference,
        "provider": setting.housing_party.organisation.slug,
        "case_reference": "X777",
        "need_group": "standard",
        "referred_on": "2026-06-01",
        "characteristics": {"sex": "male"},
        **changes,
    }


def test_probation_refers_through_the_api_once_per_idempotency_key() -> None:
    setting = referral_setting()
    client = client_for(setting.probation)
    response = post(client, "/api/referrals", _body(setting), **{"Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "referred" and data["next_actions"] == ["withdraw"]
    assert data["provider"] == setting.housing_party.organisation.slug
    assert len(data["person"]) == 64 and "X777" not in json.dumps(data)
    again = post(client, "/api/referrals", _body(setting), **{"Idempotency-Key": "k-1"})
    assert again.json()["reference"] == data["reference"]
    referral = Referral.objects.get()
    assert referral.events.get().source == ReferralEvent.Source.API


def test_the_api_refuses_what_the_form_refuses_naming_each_field() -> None:
    setting = referral_setting()
    response = post(
        client_for(setting.probation),
        "/api/referrals",
        _body(
            setting,
            provider="nobody",
            case_reference="Jane Smith",
            referred_on="2099-01-01",
            characteristics={"sex": "unknown"},
        ),
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"provider", "case_reference", "referred_on", "sex"}
    assert body["errors"]["case_reference"] == [
        "Enter only your case reference, never the person's name"
    ]
    assert not Referral.objects.exists()


def test_the_api_is_refused_outside_the_organisation() -> None:
    setting = referral_setting()
    referral = refer(setting)
    event = {"action": "accept", "happened_on": "2026-06-02"}
    url = f"/api/referrals/{referral.reference}/events"
    assert post(Client(), url, event).status_code == 401
    assert post(client_for(setting.outsider), url, event).status_code == 404
    assert post(client_for(setting.womens), url, event).status_code == 404
    refused = post(client_for(setting.prime), url, event)
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only the receiving organisation can record that the referral was accepted.",
        "errors": {},
    }
    assert post(client_for(setting.outsider), "/api/referrals", _body(setting)).status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED


def test_the_receiver_posts_events_with_the_forms_rules() -> None:
    setting = referral_setting()
    referral = refer(setting)
    client = client_for(setting.housing)
    url = f"/api/referrals/{referral.reference}/events"
    early = post(client, url, {"action": "accept", "happened_on": "2026-05-31"})
    assert early.status_code == 400
    assert list(early.json()["errors"]) == ["happened_on"]
    skipped = post(client, url, {"action": "complete", "happened_on": "2026-06-02"})
    assert skipped.json()["errors"] == {
        "action": ["A referral that is referred cannot be completed."]
    }
    assert post(client, url, {"action": "teleport", "happened_on": "2026-06-02"}).status_code == 400
    for action, day in (("accept", "2026-06-02"), ("start", "2026-06-03")):
        assert post(client, url, {"action": action, "happened_on": day}).status_code == 200
    declined = post(client, url, {"action": "disengage", "happened_on": "2026-06-04"})
    assert declined.json()["errors"] == {"reason": ["Enter why the referral was disengaged"]}
    done = post(client, url, {"action": "engage", "happened_on": "2026-06-04"}).json()
    assert done["status"] == "engaged"
    assert [e["step"] for e in done["events"]] == ["referred", "accepted", "started", "engaged"]


def test_the_list_holds_only_what_the_caller_may_see() -> None:
    setting = referral_setting()
    to_housing = refer(setting, case_reference="L1")
    refer(setting, case_reference="L2", party=setting.womens_party)
    housing = client_for(setting.housing).get("/api/referrals").json()
    assert [r["reference"] for r in housing["results"]] == [to_housing.reference]
    prime = (
        client_for(setting.prime)
        .get("/api/referrals", {"contract": setting.contract.reference})
        .json()
    )
    assert prime["count"] == 2
    assert client_for(setting.outsider).get("/api/referrals").json()["count"] == 0
    assert Client().get("/api/referrals").status_code == 401
    assert client_for(setting.prime).get("/api/referrals", {"status": "lost"}).status_code == 422


def test_the_public_gets_counts_only() -> None:
    setting = referral_setting()
    refer(setting)
    response = Client().get(f"/api/referrals/counts/{setting.contract.reference}")
    assert response.status_code == 200
    providers = {p["provider"]: p for p in response.json()["providers"]}
    housing = providers[setting.housing_party.organisation.slug]["quarters"]
    assert housing[0] == {
        "quarter": "2026-04-01",
        "referred": 1,
        "accepted": 0,
        "started": 0,
        "completed": 0,
    }
    assert "RF-" not in response.text
