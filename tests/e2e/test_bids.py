"""Sealed bids with a consented supply chain, in the browser (PRO-7, PRO-8): a prime names a
sub-contractor, the sub-contractor sees what it is promised and confirms, the prime submits and
gets a receipt; a late bid is refused; after the deadline the commissioner opens the bids and
reads them. axe-core after every navigation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from commissioning.bids import services
from commissioning.bids.content import COST_LINES
from commissioning.bids.models import Bid, Receipt
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import OrganisationFactory, member_of
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_consented_supply_chain_receipt_late_bid_and_opening(
    page: Page, live_server: Any, axe: Any
) -> None:
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None and opportunity.bid_deadline is not None
    prime_org = OrganisationFactory(name="Northshire Resettlement Trust")
    prime = member_of(prime_org)
    sub_org = OrganisationFactory(name="Women Onward CIC")
    sub_user = member_of(sub_org)
    latecomer_org = OrganisationFactory(name="Late Start Charity")
    latecomer = member_of(latecomer_org)
    commissioner = commissioner_of(opportunity)
    base = live_server.url

    # A latecomer prepares a complete bid but never submits it before the deadline.
    late_bid = services.start_bid(latecomer, lot, latecomer_org)
    services.save_pricing(
        latecomer,
        late_bid,
        price=Decimal("199000"),
        costs={key: Decimal("1000") for key in COST_LINES},
        has_subsidy=False,
    )
    services.save_answers(
        latecomer,
        late_bid,
        {str(c.pk): "Our answer." for c in services.answerable_criteria(late_bid)},
    )

    # The prime starts a bid, prices it, answers the criteria and names a sub-contractor.
    sign_in(page, base, prime.username, axe)
    axe(page)
    page.goto(f"{base}/bids/lots/{lot.pk}/start/")
    axe(page)
    page.get_by_label("Northshire Resettlement Trust").check()
    page.get_by_role("button", name="Start a bid").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northshire Resettlement Trust")

    page.get_by_role("link", name="Enter the price and full-cost disclosure").click()
    axe(page)
    page.get_by_label("Price for the lot (£ a year)").fill("287654.32")
    for label in ("Staff", "Overheads", "Premises", "Sub-contracting", "Other costs"):
        page.get_by_label(f"{label} (£ a year)", exact=True).fill("50000")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Describe the subsidy").fill("Rent-free rooms worth £12,000 a year.")
    page.get_by_role("button", name="Save price and costs").click()
    axe(page)

    page.get_by_role("link", name="Answer the evaluation criteria").click()
    axe(page)
    for criterion in opportunity.criteria.exclude(kind="price"):
        page.get_by_label(criterion.name, exact=True).fill(f"How we meet {criterion.name}.")
    page.get_by_role("button", name="Save answers").click()
    axe(page)

    page.get_by_role("link", name="Name a sub-contractor").click()
    axe(page)
    page.get_by_role("combobox", name="Sub-contractor").fill("Women Onward CIC")
    page.locator("#id_organisation__listbox").get_by_role("option", name="Women Onward CIC").click()
    page.get_by_label("Its role").fill("Specialist service for women")
    page.get_by_label("Services it will deliver").fill("One-to-one support")
    page.get_by_label("Referrals promised a year").fill("120")
    page.get_by_label("Value promised a year (£)").fill("45000")
    page.get_by_label("Share of its fee paid up front (%)").fill("20")
    page.get_by_label("Days you take to pay its invoices").fill("30")
    page.get_by_role("button", name="Name sub-contractor and ask them to confirm").click()
    axe(page)
    expect(page.get_by_text("Women Onward CIC has not yet confirmed")).to_be_visible()
    bid_url = page.url

    page.get_by_role("link", name="Upload a document").click()
    axe(page)
    page.get_by_label("Upload a document").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"plain"}]
    )
    page.get_by_role("button", name="Upload document").click()
    axe(page)
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a PDF, DOCX")
    page.get_by_label("Upload a document").set_input_files(
        files=[{"name": "method.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload document").click()
    axe(page)
    expect(page.get_by_role("link", name="method.pdf", exact=True)).to_be_visible()
    sign_out(page, base, axe)
    axe(page)

    # The sub-contractor sees exactly what it is promised and confirms.
    sign_in(page, base, sub_user.username, axe)
    axe(page)
    page.goto(f"{base}/bids/")
    axe(page)
    page.get_by_role("link", name="Northshire Resettlement Trust").click()
    axe(page)
    expect(page.get_by_text("£45,000.00")).to_be_visible()
    expect(page.get_by_text("287,654.32")).to_have_count(0)
    page.get_by_label("Yes, we confirm").check()
    page.get_by_role("button", name="Send answer").click()
    axe(page)
    expect(page.get_by_text("You confirmed.")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)

    # The prime submits and gets a receipt.
    sign_in(page, base, prime.username, axe)
    axe(page)
    page.goto(bid_url)
    axe(page)
    page.get_by_role("link", name="Check and submit").click()
    axe(page)
    page.get_by_role("button", name="Submit bid").click()
    axe(page)
    receipt = Receipt.objects.get()
    expect(page.locator("#receipt-reference")).to_have_text(receipt.reference)
    expect(page.locator("#receipt-digest")).to_have_text(receipt.digest)
    sign_out(page, base, axe)
    axe(page)

    # Before the deadline the commissioner sees only that the bids are sealed.
    sign_in(page, base, commissioner.username, axe)
    axe(page)
    page.goto(f"{base}/bids/opportunities/{opportunity.reference}/")
    axe(page)
    expect(page.get_by_text("Bids are sealed until the bid deadline")).to_be_visible()
    expect(page.get_by_role("button", name="Open the bids")).to_have_count(0)
    sign_out(page, base, axe)
    axe(page)

    with time_machine.travel(opportunity.bid_deadline + timedelta(minutes=5), tick=True):
        # A late bid is refused by the server's clock.
        sign_in(page, base, latecomer.username, axe)
        axe(page)
        page.goto(f"{base}/bids/{late_bid.pk}/submit/")
        axe(page)
        expect(page.get_by_text("late bids are refused")).to_be_visible()
        assert Bid.objects.get(pk=late_bid.pk).status == Bid.Status.DRAFT
        sign_out(page, base, axe)
        axe(page)

        # The commissioner opens the bids and reads the one submitted.
        sign_in(page, base, commissioner.username, axe)
        axe(page)
        page.goto(f"{base}/bids/opportunities/{opportunity.reference}/")
        axe(page)
        page.get_by_role("button", name="Open the bids").click()
        axe(page)
        expect(page.get_by_role("link", name="Late Start Charity")).to_have_count(0)
        page.get_by_role("link", name="Northshire Resettlement Trust").click()
        axe(page)
        expect(page.get_by_text("£287,654.32")).to_be_visible()
        expect(page.get_by_text("Unchanged since submission")).to_be_visible()
