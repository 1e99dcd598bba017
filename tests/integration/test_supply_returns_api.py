"""The supply-chain returns API (SUP-1): the same rules and errors as the pages — only the prime
submits, only the sub-contractor answers its own line, outsiders refused, the public sees
submitted returns with each line's state but not the reason of a dispute."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from tests.factories import client_for
from tests.supply_return_factories import TODAY, hand_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _post(user, url: str, body: dict):
    return client_for(user).post(url, json.dumps(body), content_type="application/json")


def test_submit_and_answer_through_the_api() -> None:
    setting = hand_quarter()
    base = f"/api/contracts/{setting.contract.reference}/returns"
    assert client_for(None).get(base).json()["results"] == []
    assert _post(None, f"{base}/2026Q3/submit", {}).status_code == 401
    assert _post(setting.outsider, f"{base}/2026Q3/submit", {}).status_code == 404
    assert _post(setting.housing, f"{base}/2026Q3/submit", {}).status_code == 404
    refused = _post(setting.commissioner, f"{base}/2026Q3/submit", {})
    assert refused.status_code == 403  # sees drafts, may not submit
    assert set(refused.json()) == {"detail", "errors"}
    early = _post(setting.prime, f"{base}/2026Q4/submit", {})
    assert early.status_code == 400
    assert early.json()["errors"] == {
        "quarter": ["A return is drafted once its quarter has ended."]
    }
    done = _post(setting.prime, f"{base}/2026Q3/submit", {})
    assert done.status_code == 200, done.content
    lines = {line["sub_contractor_slug"]: line for line in done.json()["lines"]}
    housing_slug = setting.housing_party.organisation.slug
    womens_slug = setting.womens_party.organisation.slug
    assert lines[housing_slug]["referrals_received"] == 3
    assert lines[womens_slug]["paid_in_quarter"] == "1250.50"
    womens_line = lines[womens_slug]["id"]
    answer = f"{base}/2026Q3/lines/{womens_line}/answer"
    assert _post(setting.housing, answer, {"answer": "confirm"}).status_code == 403
    assert _post(setting.outsider, answer, {"answer": "confirm"}).status_code == 403
    bad = _post(setting.womens, answer, {"answer": "dispute"})
    assert (bad.status_code, bad.json()["errors"]) == (
        400,
        {"reason": ["Enter why you dispute your line"]},
    )
    ok = _post(setting.womens, answer, {"answer": "dispute", "reason": "Short by £1,000.00"})
    assert ok.status_code == 200
    (public,) = client_for(None).get(base).json()["results"]
    states = {line["sub_contractor_slug"]: line for line in public["lines"]}
    assert states[womens_slug]["status"] == "disputed"
    assert states[womens_slug]["dispute_reason"] is None
    (seen,) = client_for(setting.commissioner).get(base).json()["results"]
    reasons = {line["sub_contractor_slug"]: line["dispute_reason"] for line in seen["lines"]}
    assert reasons[womens_slug] == "Short by £1,000.00"
