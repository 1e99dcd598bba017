"""The payment mechanism builder for a lot at tender time, in the browser (issue 15, PBR-1,
PBR-2, PRO-9): a commissioner of a draft opportunity builds the lot's mechanism with the same
forms as a contract's (a fee with 10% at risk, tariffs by two need groups, a clawback and a
sub-contractor's terms), sees the preview, saves it, and the opportunity page shows it with the
statement for the default scenario; the JSON export validates against the schema. axe-core on
every page; the pages reflow at 320 CSS px."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning_analytics.payments import parse_mechanism
from commissioning_analytics.payments.schema_check import schema_errors
from tests.e2e.helpers import sign_in
from tests.e2e.test_mechanism_builder import continue_, fill, reflows
from tests.factories import member_of
from tests.procurement_factories import ready_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_commissioner_builds_a_lots_mechanism_and_bidders_read_it(
    page: Page, live_server: Any, axe: Any
) -> None:
    opportunity = ready_opportunity(lots=1)
    lot = opportunity.lots.get()
    opportunity.lots.update(duration_months=24)  # the mechanism's term below: 8 quarters
    body = opportunity.exercise.commissioning_body
    member_of(body, role=User.Role.COMMISSIONER, username="lotcomm")
    sign_in(page, live_server.url, "lotcomm", axe)
    axe(page)
    page.goto(f"{live_server.url}{opportunity.get_absolute_url()}")
    axe(page)
    expect(page.locator(f"#lot-{lot.number}-mechanism")).to_have_text(
        "Payment mechanism as tendered"
    )
    page.get_by_role("link", name=f"Build the payment mechanism of {lot}").click()
    page.wait_for_load_state("load")
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Term and periods")
    expect(page.locator(".govuk-caption-l")).to_contain_text(f"lot {lot.number}: step 1 of 9")
    reflows(page)

    fill(
        page,
        {
            "Name of the mechanism": "Resettlement in the North",
            "Commissioner": "The commissioner",
            "Prime provider": "The winning bidder",
            "Number of periods in the term": "8",
        },
    )
    page.get_by_label("Quarterly").check()
    continue_(page, axe)

    page.get_by_label("People achieving an outcome, such as settled accommodation").check()
    fill(page, {"Describe the outcome": "In settled accommodation 3 months after release"})
    continue_(page, axe)

    fill(
        page,
        {
            "Service fee a year (£)": "400000",
            "Share of the fee at risk (%)": "10",
            "Target improvement": "45",
        },
    )
    page.get_by_label("Quarterly").check()
    page.get_by_label("In advance, at the start").check()
    page.get_by_label("Paid, then clawed back if the target is missed").check()
    continue_(page, axe)
    continue_(page, axe)  # the fee at risk on one measure

    fill(
        page,
        {
            "Tariff (£)": "300",
            "First need group": "Standard",
            "First need group's tariff (£)": "300",
            "Second need group": "High need",
            "Second need group's tariff (£)": "750",
        },
    )
    continue_(page, axe)
    continue_(page, axe)  # no volume fees
    continue_(page, axe)  # no tariffs by contract year
    continue_(page, axe)  # no social impact bond

    fill(
        page,
        {
            "First sub-contractor: name": "A housing partner",
            "First sub-contractor: share of the service fee (%)": "30",
            "First sub-contractor: share of outcome payments (%)": "30",
            "First sub-contractor: management fee (%)": "10",
        },
    )
    page.get_by_role("button", name="Update preview").click()
    page.wait_for_load_state("load")
    axe(page)
    reflows(page)
    # 200 referrals, 40% housed: 2 × (40 × £300 + 40 × £750) + £800,000 fee - 2 × £40,000.
    expect(page.locator("#preview-funders-paid")).to_have_text(
        "The funders pay £804,000.00 in all."
    )

    continue_(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("The winning bidder")
    reflows(page)
    page.get_by_role("button", name="Save the payment mechanism").click()
    page.wait_for_load_state("load")
    axe(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"The payment mechanism of lot {lot.number} was saved"
    )
    # Back on the opportunity page: the mechanism in words and the default scenario's statement.
    section = page.locator(".app-tendered-mechanism")
    expect(section).to_contain_text("Resettlement in the North")
    expect(section).to_contain_text("With 200 referrals a year and an outcome rate of 40%")
    expect(section).to_contain_text("The funders pay £804,000.00 in all.")
    expect(page.locator(f"#lot-{lot.number}-statement")).to_contain_text("A housing partner")
    reflows(page)

    exported = page.request.get(
        f"{live_server.url}/opportunities/{opportunity.reference}/lots/{lot.number}/mechanism.json"
    )
    document = json.loads(exported.text())
    assert schema_errors("mechanism", document) == []
    parse_mechanism(document)
    assert document["service_fee"]["at_risk"]["share"] == "0.1"
