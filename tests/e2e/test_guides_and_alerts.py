"""Issue 18 in the browser, at 320 px: a volunteer treasurer finds the guides from the footer
and from the opportunity page, reads each through its contents list (item 3); a provider member
sets up an alert for an area and sees its feed address (item 1, PRO-6). axe-core on every page,
and nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.guides.content import GUIDES
from tests.e2e.helpers import sign_in
from tests.factories import AreaFactory, OrganisationFactory, member_of
from tests.procurement_factories import open_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at a {WIDTH} px viewport"


def test_the_guides_walked_at_320_px(page: Page, live_server: Any, axe: Any) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    opportunity = open_opportunity(title="Resettlement support in Durham")
    page.goto(f"{live_server.url}{opportunity.get_absolute_url()}")
    axe(page)
    page.get_by_role("link", name="How commissioning works here").click()
    axe(page)
    expect(
        page.get_by_role("heading", name="How commissioning works here", level=1)
    ).to_be_visible()
    _fits(page)

    page.get_by_role("contentinfo").get_by_role("link", name="Guides").click()
    axe(page)
    _fits(page)
    for guide in GUIDES:
        page.get_by_role("main").get_by_role("link", name=guide.title, exact=True).first.click()
        axe(page)
        _fits(page)
        contents = page.get_by_role("navigation", name="Contents")
        expect(contents.get_by_role("link")).to_have_count(len(guide.sections))
        last = guide.sections[-1]
        contents.get_by_role("link", name=last.heading).click()
        axe(page)
        expect(page).to_have_url(f"{live_server.url}/guides/{guide.slug}/#{last.anchor}")
        expect(page.get_by_role("heading", name=last.heading, level=2)).to_be_in_viewport()
        page.get_by_role("link", name="Guides", exact=True).first.click()  # the breadcrumb
        axe(page)


def test_a_provider_sets_up_an_alert_for_an_area(page: Page, live_server: Any, axe: Any) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    AreaFactory(name="Durham")
    member = member_of(OrganisationFactory(name="Durham Women's Project"))
    sign_in(page, live_server.url, member.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/alerts/")
    axe(page)
    _fits(page)
    page.get_by_role("main").get_by_role("link", name="Set up an alert").click()
    axe(page)
    page.get_by_role("button", name="Save alert").click()
    axe(page)
    expect(page.get_by_role("alert")).to_contain_text(
        "Select at least one of opportunities, consultations or events"
    )
    page.get_by_role("checkbox", name="Opportunities").check()
    page.get_by_role("checkbox", name="Durham").check()
    page.get_by_role("button", name="Save alert").click()
    axe(page)
    _fits(page)
    expect(page.get_by_role("main")).to_contain_text("Your alert has been set up.")
    expect(page.get_by_test_id("feed-address")).to_contain_text("/alerts/feeds/")
    page.get_by_role("link", name="feeds by area").click()
    axe(page)
    expect(page.get_by_role("heading", name="Feeds by area", level=1)).to_be_visible()
    _fits(page)
