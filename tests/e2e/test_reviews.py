"""The review feeds the next cycle (CYC-4), at 320 CSS px with axe-core after every navigation:
a commissioner opens the exercise at its review stage, assembles the review from the contract's
records, is refused publication without conclusions, writes them and what will change, publishes,
downloads a table's CSV and opens the next cycle, whose needs assessment shows the review and the
"you said, we did" carried over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.reviews.models import ExerciseReview
from tests.e2e.helpers import Journey
from tests.review_factories import hand_cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def _reflows(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at a {WIDTH} px viewport"


def test_a_commissioner_publishes_the_review_and_opens_the_next_cycle_with_it(
    page: Page, live_server: Any, axe: Any
) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    setting, exercise = hand_cycle()
    j = Journey(page, live_server.url, axe)
    j.sign_in(setting.commissioner.username)

    j.go(exercise.get_absolute_url())
    j.click_link("Reviews of each commissioning cycle")
    j.click_button("Assemble the review from the records")
    j.flash("The review has been assembled from the records")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review of commissioning cycle 1")
    expect(page.locator("#table-payment-times")).to_contain_text(
        "37 days on average, 3 invoices paid"
    )
    expect(page.get_by_text("No survey of these primes' sub-contractors")).to_be_visible()
    _reflows(page)

    j.click_button("Publish the review")
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the conclusions of the review"
    )
    _reflows(page)
    page.get_by_label("Conclusions").fill("The women's centre was sent almost no one.")
    page.get_by_label("What we will change").fill("Referral shares written into the contract.")
    j.click_button("Publish the review")
    j.flash("The review has been published")
    expect(page.get_by_text("Referral shares written into the contract.")).to_be_visible()
    _reflows(page)
    assert ExerciseReview.objects.get().status == "published"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Payment of sub-contractors” (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Contract,Days to pay,Paid within 30 days"

    page.get_by_label("Start the next cycle of this exercise at assess need").check()
    j.click_button("Open the next cycle")
    j.flash("The next cycle is open with the review of cycle 1")
    expect(page.get_by_role("heading", name="What the last cycle taught")).to_be_visible()
    expect(page.locator("#carried-over")).to_contain_text("Women need a women-only service.")
    _reflows(page)
    j.sign_out()

    j.go(f"/reviews/exercises/{exercise.reference}/cycles/1/")
    expect(page.get_by_text("The women's centre was sent almost no one.")).to_be_visible()
    _reflows(page)
