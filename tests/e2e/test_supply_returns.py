"""Supply-chain returns in the browser (SUP-1): the prime opens a past quarter's return (drafted
from the records), adds a note and submits it; a sub-contractor disputes its line; the
contract's commissioner sees the dispute and its reason; the public sees the state only.
axe-core after every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import Journey
from tests.supply_return_factories import hand_quarter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
REASON = "We were paid £1,000.00 more in August than this shows"


def test_the_prime_submits_a_sub_disputes_and_the_commissioner_sees_it(
    page: Page, live_server: Any, axe: Any
) -> None:
    setting = hand_quarter()
    ref = setting.contract.reference
    walk = Journey(page, live_server.url, axe)

    walk.sign_in(setting.prime.username)
    walk.go(f"/contracts/{ref}/returns/")
    walk.click_link("July to September 2026")
    lines = page.get_by_role("table", name="Each sub-contractor's line")
    expect(lines).to_contain_text("£1250.50")
    expect(lines).to_contain_text("Not yet submitted")
    page.get_by_label(re.compile("Note on Local housing charity")).fill("Two places held over")
    walk.click_button("Submit the return")
    expect(lines).to_contain_text("Awaiting confirmation")
    expect(lines).to_contain_text("Two places held over")
    walk.sign_out()

    walk.sign_in(setting.womens.username)
    walk.go(f"/contracts/{ref}/returns/2026Q3/")
    page.get_by_role("link", name=re.compile("Confirm or dispute")).click()
    axe(page)
    page.get_by_label("No, I dispute these figures").check()
    page.get_by_label("Why you dispute it").fill(REASON)
    walk.click_button("Send your answer")
    expect(page.get_by_role("table", name="Each sub-contractor's line")).to_contain_text("Disputed")
    walk.sign_out()

    walk.sign_in(setting.commissioner.username)
    walk.go(f"/contracts/{ref}/returns/")
    published = page.get_by_role("table", name="July to September 2026")
    expect(published).to_contain_text("Disputed")
    expect(published).to_contain_text(REASON)
    walk.sign_out()

    walk.go(f"/contracts/{ref}/returns/")
    expect(page.get_by_role("table", name="July to September 2026")).to_contain_text("Disputed")
    expect(page.get_by_text(REASON)).to_have_count(0)
