"""Ring-fenced money in the browser (CYC-5, CYC-6): the prime opens a small-grants pot from its
contract's section, a commissioner earmarks part of the contract for small local grants, and
the public ring-fence page shows its amount and the under-spent flag. axe-core on every page;
the ring-fence page reflows at 320 px."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.grants.models import GrantRound
from commissioning.ringfences.models import RingFence
from tests.contract_factories import contract_with_parties
from tests.e2e.helpers import Journey
from tests.factories import member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_prime_runs_a_pot_and_the_ring_fence_is_published(
    page: Page, live_server: Any, axe: Any
) -> None:
    contract = contract_with_parties()
    member_of(contract.prime, username="pot-prime", first_name="Grace")
    member_of(contract.commissioning_body, role=User.Role.COMMISSIONER, username="fence-comm")
    walk = Journey(page, live_server.url, axe)
    section = f"/ring-fences/contract/{contract.reference}/"

    walk.sign_in("pot-prime")
    walk.go(section)
    walk.click_link("Run a small-grants pot")
    page.get_by_label("Title of the round").fill("Neighbourhood small grants")
    page.get_by_label("What the grants are for").fill("Local pieces of work.")
    page.get_by_label("Who can apply").fill("Community groups in the contract area.")
    page.get_by_label("Total amount available").fill("6000")
    page.get_by_label("Smallest grant").fill("500")
    page.get_by_label("Largest grant").fill("3000")
    page.get_by_label("Largest amount applicants can ask for with the short form").fill("3000")
    walk.fill_date("Opening date", date(2026, 5, 1))
    walk.fill_date("Closing date", date(2026, 6, 1))
    walk.fill_date("Decision date", date(2026, 6, 30))
    page.get_by_label("What applications are scored on").fill("Need: who it helps")
    page.get_by_label("Grace").check()
    walk.click_button("Save the pot")
    walk.flash("saved as a draft")
    walk.click_button("Open for applications")
    assert GrantRound.objects.get().status == GrantRound.Status.OPEN
    walk.sign_out()

    walk.sign_in("fence-comm")
    walk.go(section)
    walk.click_link("Ring-fence part of this contract's value")
    page.get_by_label("Small local grants").check()
    page.get_by_label("Amount earmarked").fill("12000")
    walk.click_button("Publish the ring-fence")
    walk.flash("The ring-fence is published.")
    ring_fence = RingFence.objects.get()
    assert ring_fence.amount == 12000
    walk.sign_out()

    walk.go(ring_fence.get_absolute_url())
    expect(page.get_by_text("£12,000.00").first).to_be_visible()
    expect(page.get_by_text("Under-spent").first).to_be_visible()
    walk.go(section)
    expect(page.get_by_text("Neighbourhood small grants")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    walk.go(ring_fence.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
