"""A contract's "Promised and received" section in the browser (SUP-2, PBR-3): the public
sees, from the contract's summary, which sub-contractor received less than the bid promised,
follows the section link and reads each flag beside its threshold, and the need-group table;
axe-core after every page, and the section reflows at 320 px."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import Journey
from tests.referral_factories import refer, referral_setting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_public_reads_the_flags_on_the_promised_and_received_section(
    page: Page, live_server: Any, axe: Any
) -> None:
    setting = referral_setting(title="Resettlement in Northshire", is_synthetic=True)
    for i in range(16):
        refer(setting, case_reference=f"H{i:06d}", referred_on=date(2026, 5 + 3 * (i % 2), 10))
    womens = setting.womens_party.organisation
    assert womens is not None
    journey = Journey(page, live_server.url, axe)

    journey.go(setting.contract.get_absolute_url())
    expect(page.locator("#promise-flags")).to_contain_text(womens.name)
    page.get_by_role("navigation", name="Contract sections").get_by_role(
        "link", name="Promised and received"
    ).click()
    axe(page)
    expect(page.get_by_role("heading", level=3, name=womens.name)).to_be_visible()
    expect(page.get_by_text("received 0 of the 60 referrals promised").first).to_be_visible()
    expect(
        page.get_by_text("Threshold: under 25% of the promise over 2 quarters").first
    ).to_be_visible()
    expect(page.get_by_role("table", name="Referrals by need group")).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
