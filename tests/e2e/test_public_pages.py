"""A member of the public reaches the opportunities from the menu and the open data and the
consultations from the footer (PRO-4, LAW-1, CYC-2); axe-core on every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.procurement_factories import open_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_finds_an_open_opportunity_and_the_open_data(
    page: Page, live_server: Any, axe: Any
) -> None:
    opportunity = open_opportunity(title="Resettlement support in Northumbria")

    page.goto(live_server.url)
    axe(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Opportunities").click()
    axe(page)
    page.get_by_role("link", name=opportunity.title).first.click()
    axe(page)
    expect(page.get_by_role("heading", name=opportunity.title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Lots")).to_be_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="Open data (OCDS)").click()
    axe(page)
    expect(page.get_by_role("link", name="Release package (JSON)")).to_be_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="Consultations and events").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
