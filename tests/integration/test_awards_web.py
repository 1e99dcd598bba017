"""Award pages (PRO-9, EVA-4): only the body's commissioners (403 / sign in otherwise), the
results with hand-computed totals, price flags and sensitivity, the price adjustment form, the
decision form, the standstill and the contract created from the winning bid."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.awards import services
from commissioning.awards.models import LotAward, PriceAdjustment
from commissioning.contracts.models import Contract
from commissioning.procurement.models import Criterion
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import UserFactory
from tests.integration.awards_setup import AwardSetup, award_setup
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db
REASONS = "Highest total on the published criteria; the price is sustainable for the term."
DECIDED = datetime(2026, 12, 22, 10, 0, tzinfo=LONDON)
STANDSTILL_ENDS = datetime(2027, 1, 6, 0, 0, tzinfo=LONDON)  # 8 working days from 22 Dec


@pytest.fixture
def s() -> AwardSetup:
    return award_setup()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, s: AwardSetup, *args: object) -> str:
    if name == "opportunity":
        return reverse("awards:opportunity", args=[s.opportunity.reference])
    return reverse(f"awards:{name}", args=[s.opportunity.reference, s.lot.number, *args])


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_anonymous_sign_in_and_outsiders_refused(s: AwardSetup) -> None:
    urls = [
        _url("opportunity", s),
        _url("lot", s),
        _url("adjust", s, s.public_bid.pk),
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    response = Client().post(_url("decide", s), {"reasons": REASONS})
    assert response.status_code == 302 and not LotAward.objects.exists()
    for user in (
        s.evaluator,
        s.bidder_users[0],
        s.subcontractor_user,
        commissioner_of(open_opportunity()),
    ):
        client = _client(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(_url("decide", s), {"reasons": REASONS}).status_code == 403
        assert client.post(_url("adjust", s, s.public_bid.pk), {}).status_code == 403
    assert not LotAward.objects.exists() and not PriceAdjustment.objects.exists()


def test_results_page_shows_totals_prices_and_sensitivity(s: AwardSetup) -> None:
    client = _client(s.commissioner)
    overview = client.get(_url("opportunity", s))
    assert overview.status_code == 200
    assert "Not decided" in _text(overview.content)
    response = client.get(_url("lot", s))
    assert response.status_code == 200
    text = _text(response.content)
    # Hand-computed (see awards_setup): 77.50, 69.29, 65.00 in that order.
    assert re.search(r"1 Northshire Resettlement Trust 47.50 30.00 77.50", text)
    assert re.search(r"2 Northshire Probation Delivery Unit Public sector", text) is None
    assert re.search(r"2 Northshire Probation Delivery Unit 42.50 26.79 69.29", text)
    assert re.search(r"3 Women Onward CIC 40.00 25.00 65.00", text)
    assert "Public sector" in text
    assert "£280,000.00" in text
    assert reverse(
        "awards:adjust", args=[s.opportunity.reference, s.lot.number, s.public_bid.pk]
    ) in (response.content.decode())
    assert (
        "The winner does not change when the price weight moves from 20% to 60%: "
        "Northshire Resettlement Trust wins throughout." in text
    )
    assert "The winner does not change when the social value weight moves from 10% to 40%" in text
    assert "30% Published Northshire Resettlement Trust" in text
    assert (
        "The top-ranked qualifying bid is Northshire Resettlement Trust with 77.50 points" in text
    )
    assert "price is flagged for clarification" not in text


def test_abnormally_low_flag_and_the_adjustment_form() -> None:
    s = award_setup(prices=("250000", "300000", "200000"), social_value=(50, 75, 50))
    client = _client(s.commissioner)
    text = _text(client.get(_url("lot", s)).content)
    assert "Abnormally low" in text
    assert "Northshire Probation Delivery Unit's price is flagged for clarification" in text
    url = _url("adjust", s, s.public_bid.pk)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"hidden_subsidy": "-1", "reason": "short"})
    assert bad.status_code == 400
    assert "<title>Error: " in bad.content.decode()
    assert not PriceAdjustment.objects.exists()
    good = client.post(
        url, {"hidden_subsidy": "60000", "reason": "Premises and pensions carried by HMPPS."}
    )
    assert good.status_code == 302 and good["Location"] == _url("lot", s)
    text = _text(client.get(_url("lot", s)).content)
    # 200,000 + 60,000 = 260,000 → 30 × 250/260 = 28.85 price points; no longer flagged.
    assert (
        "£60,000.00 Adjust the price of Northshire Probation Delivery Unit £260,000.00 28.85"
        in (text)
    )
    assert "price is flagged for clarification" not in text
    # A charity's bid is not adjusted.
    charity = client.get(_url("adjust", s, s.bids[0].pk))
    assert "is not a public-sector body" in _text(charity.content)


def test_sensitivity_statement_when_the_winner_would_change() -> None:
    s = award_setup(
        prices=("250000", "300000"), quality=(50, 75), social_value=(50, 50), public_index=None
    )
    text = _text(_client(s.commissioner).get(_url("lot", s)).content)
    assert (
        "The winner would change at 51.72% price weight: Northshire Resettlement Trust would "
        "overtake Women Onward CIC." in text
    )
    assert "Women Onward CIC wins from 20% to 50%." in text
    assert "Northshire Resettlement Trust wins from 55% to 60%." in text


def test_decide_then_standstill_then_create_the_contract(s: AwardSetup) -> None:
    with time_machine.travel(DECIDED, tick=False):
        client = _client(s.commissioner)  # signed in at each time: sessions expire
        short = client.post(_url("decide", s), {"reasons": "Best"})
        assert short.status_code == 400 and "at least 30 characters" in _text(short.content)
        assert not LotAward.objects.exists()
        done = client.post(_url("decide", s), {"reasons": REASONS})
        assert done.status_code == 302
        text = _text(client.get(_url("lot", s)).content)
    assert "Awarded to Northshire Resettlement Trust" in text
    assert "Ends at midnight at the end of 5 January 2027" in text
    assert "You can create the contract once the standstill period ends" in text
    assert "Create the contract" not in text
    with time_machine.travel(datetime(2027, 1, 5, 23, 59, tzinfo=LONDON), tick=False):
        client = _client(s.commissioner)
        early = client.post(
            _url("contract", s),
            {"start_date_0": "1", "start_date_1": "2", "start_date_2": "2027"},
        )
    assert early.status_code == 400 and "standstill" in _text(early.content)
    assert not Contract.objects.exists()
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        client = _client(s.commissioner)
        page = _text(client.get(_url("lot", s)).content)
        assert "Create the contract" in page
        created = client.post(
            _url("contract", s),
            {
                "start_date_0": "1",
                "start_date_1": "2",
                "start_date_2": "2027",
                "outcome_target": "60",
            },
        )
        contract = Contract.objects.get()
        assert created.status_code == 302
        assert created["Location"] == reverse("contracts:detail", args=[contract.reference])
        assert client.get(created["Location"]).status_code == 200
        text = _text(client.get(_url("lot", s)).content)
    assert f"The contract has been created: {contract.reference}" in text
    assert contract.prime == s.bidders[0]
    overview = _text(_client(s.commissioner).get(_url("opportunity", s)).content)
    assert contract.reference in overview


def test_disqualified_bids_are_shown_with_their_reasons_and_no_award_offered() -> None:
    s = award_setup(
        prices=("250000", "300000"), quality=(25, 50), social_value=(50, 50), public_index=None
    )
    Criterion.objects.filter(pk=s.quality.pk).update(minimum=50)  # declared in advance
    text = _text(_client(s.commissioner).get(_url("lot", s)).content)
    # Women Onward: 50 × 0.50 + 20 × 0.50 = 35.00 quality, the only (lowest) qualifying price.
    assert re.search(r"1 Women Onward CIC 35.00 30.00 65.00 Top-ranked", text)
    assert re.search(r"Not ranked Northshire Resettlement Trust 22.50 None None Disqualified", text)
    assert "below the minimum of 50" in text
    assert "Not scored (disqualified)" in text


def test_evaluation_page_links_to_the_results_once_moderated(s: AwardSetup) -> None:
    page = _client(s.commissioner).get(
        reverse("evaluation:opportunity", args=[s.opportunity.reference])
    )
    assert _url("opportunity", s) in page.content.decode()


def test_admin_shows_award_metadata_only_and_changes_nothing(s: AwardSetup) -> None:
    with time_machine.travel(DECIDED, tick=False):
        award = services.decide_award(s.commissioner, s.lot, REASONS)
    admin = _client(UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True))
    change = admin.get(reverse("admin:awards_lotaward_change", args=[award.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert REASONS in html
    # The frozen snapshot holds every bid's price in the clear (ADR 0008): never shown here.
    assert "300000" not in html and "280000" not in html
    assert admin.get(reverse("admin:awards_lotaward_add")).status_code == 403
    # A site administrator gets no exception on the award pages either.
    assert admin.get(_url("lot", s)).status_code == 403
