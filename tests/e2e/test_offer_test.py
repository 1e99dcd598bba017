"""A charity receives a sub-contract request, runs “Test this offer” with its own figures,
sees the chance of running out and what to ask for, and declines (issue 18, PBR-7). axe-core
after every navigation; the test page reflows at 320 CSS px."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commissioning.bids.models import Subcontractor
from tests.e2e.helpers import Journey
from tests.integration.test_bids_services import Setting, bidding_setup, complete_bid, name_sub

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def _request() -> tuple[Setting, Subcontractor]:
    s = bidding_setup()
    s.sub_org.annual_income = Decimal("120000")
    s.sub_org.reserves_months = Decimal("1")
    s.sub_org.save()
    return s, name_sub(s, complete_bid(s))


def test_a_charity_tests_an_offer_privately_and_declines(
    page: Page, live_server: Any, axe: Any
) -> None:
    s, sub = _request()
    walk = Journey(page, live_server.url, axe)
    walk.sign_in(s.sub_user.username)
    walk.go("/bids/")
    walk.click_link("Northshire Resettlement Trust")
    walk.click_link("Test this offer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Test this offer")
    # Starting values from the request and the profile; the charity puts in its own.
    expect(page.get_by_label("Value offered a year (£)")).to_have_value("45000.00")
    page.get_by_label("Share of the fee paid only on outcomes (%)").fill("30")
    page.get_by_label("Your free reserves (£)").fill("5000")
    page.get_by_label("Your costs a month, this work included (£)").fill("11800")
    walk.click_button("Test this offer")

    expect(page.get_by_role("heading", name="Your free reserves could run out")).to_be_visible()
    expect(page.get_by_text("Chance of running out:")).to_be_visible()
    expect(page.get_by_role("heading", name="The worst months")).to_be_visible()
    asks = page.locator("#what-to-ask li")
    expect(asks.first).to_contain_text(
        "of the fee paid up front would bring the chance of running out below 5%"
    )

    walk.click_link("go back to the request to confirm or decline")
    page.get_by_label("No, we decline").check()
    page.get_by_label("Reason for declining").fill(
        "We would run out of money: we need 35% up front."
    )
    walk.click_button("Send answer")
    expect(page.get_by_text("You declined.")).to_be_visible()
    sub.refresh_from_db()
    assert sub.consent == Subcontractor.Consent.DECLINED


def test_the_offer_test_reflows_at_320_css_pixels(
    browser: Browser, live_server: Any, axe: Any
) -> None:
    s, sub = _request()
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        walk = Journey(page, live_server.url, axe)
        walk.sign_in(s.sub_user.username)
        walk.go(f"/bids/requests/{sub.pk}/test-offer/")
        page.get_by_label("Your free reserves (£)").fill("5000")
        walk.click_button("Test this offer")
        expect(page.get_by_text("Chance of running out:")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"the offer test is {width} px wide at a {WIDTH} px viewport"
    finally:
        context.close()
