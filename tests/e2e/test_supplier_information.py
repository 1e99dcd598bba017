"""Core supplier information, told once, in the browser (LAW-5, issue 18): a charity's treasurer
records it, shares it with a commissioning body by a share code, the commissioner reads it with
the code; the charity's bid shows it without asking again and records the version at submission;
after the charity updates its record, the commissioner opening the bid still sees the version the
bid was made with. axe-core after every page; the pages reflow at 320 px."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.bids import services
from commissioning.bids.content import COST_LINES
from commissioning.bids.models import Bid
from commissioning.supplier_information import grounds
from commissioning.supplier_information.models import ShareCode
from tests.e2e.helpers import Journey
from tests.factories import OrganisationFactory
from tests.procurement_factories import commissioner_of, open_opportunity
from tests.supplier_information_factories import admin_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _reflows(page: Page, axe: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_told_once_shared_by_code_and_the_bid_keeps_its_version(
    page: Page, live_server: Any, axe: Any
) -> None:
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None and opportunity.bid_deadline is not None
    body = opportunity.exercise.commissioning_body
    charity = OrganisationFactory(name="Northshire Resettlement Trust", charity_number="1187654")
    treasurer = admin_of(charity, first_name="Pat", last_name="Treasurer")
    commissioner = commissioner_of(opportunity)
    walk = Journey(page, live_server.url, axe)

    # The treasurer records the charity's core information once, from their account page.
    walk.sign_in(treasurer.username)
    walk.go("/account/")
    walk.click_link("Core supplier information of Northshire Resettlement Trust")
    walk.click_link("Record your core supplier information")
    expect(page.get_by_label("Charity number (if you have one)")).to_have_value("1187654")
    page.get_by_label("Registered name").fill("Northshire Resettlement Trust")
    page.get_by_label("Charitable incorporated organisation (CIO)").check()
    page.get_by_label("Registered address").fill("12 Mill Lane, Northtown NT1 2AB")
    walk.fill_date(
        "Year end of your latest accounts", opportunity.published_at.date() - timedelta(days=70)
    )  # type: ignore[union-attr]
    page.get_by_label("Income", exact=True).fill("412500")
    page.get_by_label("Unrestricted reserves").fill("61250.50")
    page.get_by_label("Person 1: full name").fill("Alex Moreno")
    page.get_by_label("Person 1: role").fill("Chair of trustees")
    for ground in grounds.ALL:
        page.get_by_role("group", name=ground.label).get_by_label("No", exact=True).check()
    _reflows(page, axe)
    walk.click_button("Save a new version")
    walk.flash("Saved as version 1.")
    expect(page.locator("#current-version")).to_contain_text("version 1, dated")
    expect(page.get_by_text("£412,500.00")).to_be_visible()

    # ... and shares it with the commissioning body by a share code.
    page.get_by_label("Which commissioning body is the code for?").select_option(label=body.name)
    walk.click_button("Make a share code")
    share_code = ShareCode.objects.get()
    expect(page.locator("main").get_by_text(share_code.code).first).to_be_visible()
    _reflows(page, axe)

    # The charity prepares a bid: its core information is already there.
    bid = services.start_bid(treasurer, lot, charity)
    services.save_pricing(
        treasurer,
        bid,
        price=Decimal("198000"),
        costs={key: Decimal("30000") for key in COST_LINES},
        has_subsidy=False,
    )
    services.save_answers(
        treasurer, bid, {str(c.pk): "Our answer." for c in services.answerable_criteria(bid)}
    )
    walk.go(f"/bids/{bid.pk}/")
    expect(page.locator("#supplier-information")).to_contain_text(
        "Your core supplier information (version 1, dated"
    )
    expect(
        page.locator("#supplier-information").get_by_role("link", name="Update your core")
    ).to_be_visible()
    _reflows(page, axe)
    walk.click_link("Check and submit")
    walk.click_button("Submit bid")
    assert Bid.objects.get(pk=bid.pk).supplier_information.number == 1  # type: ignore[union-attr]

    # After bidding, the charity updates its record: a second version.
    walk.go(f"/bids/{bid.pk}/")
    expect(page.locator("#supplier-information")).to_contain_text("Sent with this bid: version 1")
    walk.click_link("Update your core supplier information")
    walk.click_link("Update your core supplier information")
    page.get_by_label("Income", exact=True).fill("455000")
    walk.click_button("Save a new version")
    walk.flash("Saved as version 2.")
    walk.click_link("Version 1")
    expect(page.get_by_text("£412,500.00")).to_be_visible()
    walk.sign_out()

    # The commissioner reads the current version with the share code.
    walk.sign_in(commissioner.username)
    walk.go(f"/bids/opportunities/{opportunity.reference}/")
    walk.click_link("enter the share code it gave you")
    page.get_by_label("Share code").fill(share_code.code)
    walk.click_button("Look up")
    expect(page.locator("main")).to_contain_text("version 2, dated")
    expect(page.get_by_text("£455,000.00")).to_be_visible()
    _reflows(page, axe)
    walk.sign_out()
    assert commissioner.role == User.Role.COMMISSIONER

    # After the deadline, the opened bid shows the version it was made with.
    with time_machine.travel(opportunity.bid_deadline + timedelta(minutes=5), tick=True):
        walk.sign_in(commissioner.username)
        walk.go(f"/bids/opportunities/{opportunity.reference}/")
        walk.click_button("Open the bids")
        walk.click_link("Northshire Resettlement Trust")
        section = page.locator("main")
        expect(section).to_contain_text("As it stood when the bid was submitted: version 1")
        expect(page.get_by_text("£412,500.00")).to_be_visible()
        expect(page.get_by_text("£455,000.00")).to_have_count(0)
        expect(page.get_by_role("cell", name="Chair of trustees")).to_be_visible()
        _reflows(page, axe)
