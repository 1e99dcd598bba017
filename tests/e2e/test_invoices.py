"""Invoices in the browser (LAW-3, UK17): a sub-contractor sees on "Your contracts" the referral
waiting for it, its bid-candy flags and its return to confirm (issue 14; REF-1, SUP-1, SUP-2;
the page reflows at 320 px), and records an invoice from there; the prime records the payment
(late against the sub's terms), and the contract's commissioner sees the prime's payments
compliance flagged; the public sees figures only. axe-core after every page; the invoice pages
reflow at 320 px."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.referrals import services as referral_services
from commissioning.supply_returns import services as return_services
from tests.contract_factories import contract_with_parties
from tests.e2e.helpers import Journey
from tests.factories import member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_sub_invoices_the_prime_pays_late_and_the_commissioner_sees_it(
    page: Page, live_server: Any, axe: Any
) -> None:
    contract = contract_with_parties(title="Resettlement in Northshire", is_synthetic=True)
    organisation = {p.party_id: p.organisation for p in contract.parties.all()}
    housing = contract.parties.get(party_id="housing-charity")
    charity = member_of(organisation["housing-charity"])
    prime = member_of(contract.prime)
    commissioner = member_of(contract.commissioning_body, role=User.Role.COMMISSIONER)
    today = timezone.localdate()
    received = today - timedelta(days=70)
    walk = Journey(page, live_server.url, axe)

    waiting = referral_services.refer(
        member_of(contract.commissioning_body, role=User.Role.PROBATION),
        contract,
        referral_services.NewReferral(
            party_id=housing.pk,
            case_reference="E2E000001",
            need_group="standard",
            referred_on=today,
        ),
    )
    supply_return = return_services.draft(contract, date(2026, 7, 1), today=today)
    return_services.submit(prime, supply_return, today=today)

    walk.sign_in(charity.username)
    walk.click_link("Your contracts", exact=True)
    expect(page.get_by_role("heading", name=f"{contract.reference}: Resettlement")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("1 referral waiting for a decision")
    expect(main).to_contain_text("2 open flags")  # no referrals and no money in two quarters
    expect(main).to_contain_text("1 return to confirm")
    expect(
        page.get_by_role("link", name=f"Accept or decline referral {waiting.reference}")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Confirm or dispute your line for July to September 2026")
    ).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name=f"Record an invoice under {contract.reference}").click()
    axe(page)
    page.get_by_label("Invoice number").fill("HC-0042")
    page.get_by_label("Contract period it is for").select_option(label="April")
    page.get_by_label("Amount").fill("12,500.00")
    walk.fill_date("Date received", received)
    walk.click_button("Record the invoice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoice HC-0042")
    expect(page.locator("#invoice-status")).to_have_text("Awaiting payment")
    expect(page.get_by_role("link", name="Record a payment")).to_have_count(0)
    invoice_url = page.url
    walk.sign_out()

    walk.sign_in(prime.username)
    walk.go(invoice_url.removeprefix(live_server.url))
    walk.click_link("Record a payment")
    page.get_by_label("Amount paid").fill("12500.00")
    walk.fill_date("Date paid", today)
    page.get_by_role("main").get_by_role("button", name="Record a payment").click()
    axe(page)
    expect(page.locator("#invoice-status")).to_have_text("Paid")
    expect(page.locator("#timeliness")).to_have_text("Paid 56 days late")  # 70 days, terms 14
    walk.sign_out()

    walk.sign_in(commissioner.username)
    walk.go(contract.get_absolute_url())
    page.get_by_role("navigation", name="Contract sections").get_by_role(
        "link", name="Invoices and payments"
    ).click()
    axe(page)
    figures = page.get_by_role("table", name="Prime contractor's payments to sub-contractors")
    expect(figures).to_be_visible()
    expect(page.locator("#terms-comparison")).to_contain_text("Paid later than its terms")
    expect(page.locator("#terms-comparison")).to_contain_text(
        "1 invoice paid in 70.0 days on average, against terms of 14 days"
    )
    expect(page.get_by_role("link", name="HC-0042")).to_be_visible()
    walk.sign_out()

    walk.go(f"/contracts/{contract.reference}/invoices/")
    expect(page.locator("#terms-comparison")).to_contain_text("Paid later than its terms")
    expect(page.get_by_role("link", name="HC-0042")).to_have_count(0)
    expect(page.get_by_text("£12,500.00").first).to_be_visible()
