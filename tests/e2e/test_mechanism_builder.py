"""The payment mechanism builder in the browser (PBR-1 .. PBR-4, PBR-6, issue 15): a
commissioner builds a mechanism with the forms (a fee with 10% at risk, tariffs by two need
groups rising from contract year 2, a clawback and two sub-contractors' terms), sees the
preview statement change with the scenario, saves it; the JSON export validates against the
schema and gives the command line the same statement. axe-core on every page; the pages
reflow at 320 CSS px."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.cli import main
from commissioning_analytics.payments import parse_mechanism
from commissioning_analytics.payments.builder import build_mechanism, scenario_observed
from commissioning_analytics.payments.schema_check import schema_errors
from tests.contract_factories import ContractFactory
from tests.e2e.helpers import sign_in
from tests.factories import member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill(page: Page, answers: dict[str, str]) -> None:
    for label, value in answers.items():
        page.get_by_label(label, exact=True).fill(value)


def continue_(page: Page, axe: Any) -> None:
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state("load")
    axe(page)


def reflows(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_commissioner_builds_a_mechanism_and_the_cli_agrees(
    page: Page, live_server: Any, axe: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A contract whose mechanism so far names only its parties and term.
    contract = ContractFactory(
        mechanism=build_mechanism(
            {
                "name": "To be agreed",
                "commissioner_name": "Commissioner",
                "prime_name": "Prime",
                "period": "month",
                "term_periods": "12",
            }
        ),
        observed=None,
        assumptions=None,
    )
    member_of(contract.commissioning_body, role=User.Role.COMMISSIONER, username="mbcomm")
    sign_in(page, live_server.url, "mbcomm", axe)
    axe(page)
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    axe(page)
    page.get_by_role("link", name="Build the payment mechanism with forms").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Term and periods")
    expect(page.get_by_label("Name of the mechanism")).to_have_value("To be agreed")
    reflows(page)

    fill(
        page,
        {
            "Name of the mechanism": "Resettlement in the North",
            "Commissioner": "Police and Crime Commissioner",
            "Prime provider": "Northern Prime Ltd",
            "Number of periods in the term": "8",
        },
    )
    page.get_by_label("Quarterly").check()
    continue_(page, axe)

    page.get_by_label("People achieving an outcome, such as settled accommodation").check()
    fill(page, {"Describe the outcome": "In settled accommodation 3 months after release"})
    continue_(page, axe)

    fill(page, {"Service fee a year (£)": "400000", "Share of the fee at risk (%)": "10"})
    page.get_by_label("Quarterly").check()
    page.get_by_label("In advance, at the start").check()
    page.get_by_label("Paid, then clawed back if the target is missed").check()
    # A target left out is an error next to its field.
    continue_(page, axe)
    assert page.title().startswith("Error: ")
    expect(page.locator("#div_id_at_risk_target .govuk-error-message")).to_contain_text(
        "Enter the target improvement the fee at risk depends on"
    )
    fill(page, {"Target improvement": "45"})
    continue_(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Fee at risk on several measures")
    continue_(page, axe)  # the fee at risk on the one measure

    fill(
        page,
        {
            "Tariff (£)": "300",
            "First need group": "Standard",
            "First need group's tariff (£)": "300",
            "Second need group": "High need",
            "Second need group's tariff (£)": "abc",
        },
    )
    continue_(page, axe)
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Second need group's tariff must be an amount in pounds"
    )
    fill(page, {"Second need group's tariff (£)": "750"})
    continue_(page, axe)
    continue_(page, axe)  # no volume fees

    # From contract year 2 the tariffs rise to £400 and £1,000; a year 1 is refused.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tariffs by contract year")
    fill(
        page,
        {
            "Outcome payments, first change: from contract year": "1",
            "Outcome payments, first change: tariff (£)": "400",
            "Outcome payments, first change: first need group's tariff (£)": "400",
            "Outcome payments, first change: second need group's tariff (£)": "1000",
        },
    )
    continue_(page, axe)
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Outcome payments, first change: from contract year must be 2 or more"
    )
    reflows(page)
    fill(page, {"Outcome payments, first change: from contract year": "2"})
    continue_(page, axe)
    continue_(page, axe)  # no social impact bond

    fill(
        page,
        {
            "First sub-contractor: name": "Housing charity",
            "First sub-contractor: share of the service fee (%)": "30",
            "First sub-contractor: share of outcome payments (%)": "30",
            "First sub-contractor: management fee (%)": "10",
            "First sub-contractor: risk passed down (%)": "100",
            "First sub-contractor: minimum contract value (£)": "100000",
            "Second sub-contractor: name": "Women's centre",
            "Second sub-contractor: share of the service fee (%)": "20",
            "Second sub-contractor: share of outcome payments (%)": "20",
            "Second sub-contractor: management fee (%)": "25",
            "Second sub-contractor: days to pay": "45",
        },
    )
    page.get_by_role("button", name="Update preview").click()
    page.wait_for_load_state("load")
    axe(page)
    reflows(page)
    funders = page.locator("#preview-funders-paid")
    # 200 referrals, 40% housed: 40 × £300 + 40 × £750 in year 1, 40 × £400 + 40 × £1,000
    # in year 2, + £800,000 fee - 2 × £40,000.
    expect(funders).to_have_text("The funders pay £818,000.00 in all.")
    expect(page.locator("#preview-guidance")).to_contain_text(
        "management fee 25% exceeds the policy threshold of 20%"
    )
    page.get_by_label("Outcome rate (%)").fill("50")
    page.get_by_role("button", name="Update preview").click()
    page.wait_for_load_state("load")
    axe(page)
    # 50% housed meets the 45% target: nothing clawed back, £52,500 and £70,000 outcome
    # payments.
    expect(funders).to_have_text("The funders pay £922,500.00 in all.")
    preview_totals = {
        row.locator("th").inner_text(): row.locator("td").all_inner_texts()
        for row in page.locator("#preview-statement tbody tr").all()
    }

    continue_(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_text("Paid, then clawed back if the target is missed")).to_be_visible()
    expect(page.get_by_role("heading", name="Tariffs by contract year")).to_be_visible()
    reflows(page)
    page.get_by_role("button", name="Save the payment mechanism").click()
    page.wait_for_load_state("load")
    axe(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("was saved")

    exported = page.request.get(f"{live_server.url}/contracts/{contract.reference}/mechanism.json")
    document = json.loads(exported.text())
    assert schema_errors("mechanism", document) == []
    parse_mechanism(document)
    mechanism_path = tmp_path / "mechanism.json"
    observed_path = tmp_path / "observed.json"
    mechanism_path.write_text(json.dumps(document))
    observed_path.write_text(
        json.dumps(scenario_observed(document, referrals_per_year=200, outcome_rate=Decimal(50)))
    )
    capsys.readouterr()
    assert (
        main(["payments", "calculate", str(mechanism_path), str(observed_path), "--format", "json"])
        == 0
    )
    statement = json.loads(capsys.readouterr().out)
    assert statement["funders_paid"] == "922500.00"
    assert document["outcome_payments"][0]["tariffs_by_year"][0]["from_year"] == 2
    names = {party["id"]: party["name"] for party in document["parties"]}
    cli_totals = {
        names[row["party"]]: [f"£{Decimal(row['received']):,.2f}", f"£{Decimal(row['paid']):,.2f}"]
        for row in statement["totals"]
    }
    assert cli_totals == preview_totals
