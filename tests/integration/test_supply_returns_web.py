"""The supply-chain return pages (SUP-1): the prime opens the quarter (drafted from the records)
and submits it, a sub disputes its own line, the published table and CSV show the dispute
state (the reason only to the prime, commissioners and reviewers); outsiders refused."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest

from commissioning.opendata.ocds.validate import validate_package
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from tests.factories import client_for
from tests.supply_return_factories import TODAY, hand_quarter

pytestmark = pytest.mark.django_db
REASON = "We were paid £1,000.00 more in August"


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def test_draft_submit_dispute_and_the_published_csv_shows_the_dispute() -> None:
    setting = hand_quarter()
    ref = setting.contract.reference
    page = f"/contracts/{ref}/returns/2026Q3/"
    assert client_for(None).get(page).status_code == 404  # nothing public yet
    prime = client_for(setting.prime)
    opened = prime.get(page)
    assert opened.status_code == 200
    returned = SupplyReturn.objects.get()
    assert returned.status == "draft"
    assert client_for(setting.outsider).get(page).status_code == 404
    lines = {line.party.party_id: line for line in returned.lines.select_related("party")}
    housing, womens = lines["housing-charity"], lines["womens-centre"]
    assert client_for(setting.housing).post(page, {}).status_code == 404
    posted = prime.post(page, {f"note-{housing.pk}": "Two places held over"})
    assert posted.status_code == 302
    returned.refresh_from_db()
    assert returned.status == "submitted"

    answer = f"/contracts/{ref}/returns/2026Q3/lines/{womens.pk}/"
    assert client_for(setting.housing).get(answer).status_code == 403
    assert client_for(setting.outsider).post(answer, {"answer": "confirm"}).status_code == 403
    refused = client_for(setting.womens).post(answer, {"answer": "dispute", "reason": ""})
    assert "Enter why you dispute your line" in refused.content.decode()
    done = client_for(setting.womens).post(answer, {"answer": "dispute", "reason": REASON})
    assert done.status_code == 302
    assert ReturnLine.objects.get(pk=womens.pk).status == "disputed"

    public = client_for(None).get(f"/contracts/{ref}/returns/").content.decode()
    assert "Disputed" in public and "Awaiting confirmation" in public
    assert REASON not in public
    assert REASON in client_for(setting.commissioner).get(page).content.decode()
    csv_text = client_for(None).get(f"/contracts/{ref}/returns/2026Q3/return.csv").content.decode()
    rows = csv_text.strip().splitlines()
    assert rows[0].startswith("quarter,sub_contractor,services")
    assert any(
        "housing charity" in r and ",3,2,1,500.00,Two places held over,Awaiting confirmation," in r
        for r in rows
    )
    assert any(",0,0,0,1250.50,,Disputed,2026-" in r for r in rows)
    assert REASON not in csv_text

    package = client_for(None).get(f"/api/contracts/{ref}/ocds").json()
    (update,) = [r for r in package["releases"] if r["tag"] == ["implementationUpdate"]]
    subcontracts = update["awards"][0]["subcontracting"]["subcontracts"]
    texts = {s["id"]: s["description"] for s in subcontracts}
    assert texts[f"{ref}-womens-centre"].endswith("The sub-contractor's answer: disputed.")
    assert (
        "3 referrals received, 2 started, 1 completed; £500.00 paid"
        in (texts[f"{ref}-housing-charity"])
    )
    transactions = update["contracts"][0]["implementation"]["transactions"]
    assert sorted(t["value"]["amount"] for t in transactions) == [500, 1250.5]
    (document,) = update["contracts"][0]["implementation"]["documents"]
    assert "disputed" in document["description"] and document["url"].endswith("return.csv")
    assert REASON not in str(package)
    result = validate_package(package)
    assert result.error_count == 0, result.summary()


def test_the_section_lists_quarters_to_the_prime_only() -> None:
    setting = hand_quarter()
    ref = setting.contract.reference
    mine = client_for(setting.prime).get(f"/contracts/{ref}/returns/").content.decode()
    assert "July to September 2026" in mine and "Not drafted" in mine
    public = client_for(None).get(f"/contracts/{ref}/returns/").content.decode()
    assert "Returns to draft and submit" not in public
    assert "No return has been submitted yet." in public
    assert date(2026, 7, 1)  # the quarter of the hand figures
