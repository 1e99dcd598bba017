"""Contracts in the browser (PBR-1 .. PBR-6, SUP-1, SUP-3): the public reads a contract's
mechanism, statements, risk table and fan chart and changes a what-if lever; a commissioner of
the body is told about an invalid mechanism field by field. axe-core on every page."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract
from tests.contract_factories import contract_with_parties
from tests.e2e.helpers import sign_in
from tests.factories import member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_reads_a_contract_and_changes_a_what_if_lever(
    page: Page, live_server: Any, axe: Any
) -> None:
    contract = contract_with_parties(title="Resettlement in Northshire", is_synthetic=True)

    page.goto(f"{live_server.url}/")
    axe(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Contracts").click()
    axe(page)
    page.get_by_role("link", name="Resettlement in Northshire").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Resettlement in Northshire")
    expect(page.get_by_text("Synthetic").first).to_be_visible()
    expect(page.get_by_role("heading", name="Local housing charity")).to_be_visible()

    sections = page.get_by_role("navigation", name="Contract sections")
    sections.get_by_role("link", name="Payment mechanism").click()
    axe(page)
    expect(page.get_by_text("pays a service fee of £600,000.00 a year")).to_be_visible()
    expect(page.get_by_role("link", name="Download the mechanism (JSON)")).to_be_visible()

    sections.get_by_role("link", name="Payment statements").click()
    axe(page)
    expect(page.get_by_text("Money is conserved").first).to_be_visible()
    expect(page.get_by_role("table", name="Received, paid and net, by party")).to_be_visible()

    sections.get_by_role("link", name="Money and risk down the chain").click()
    axe(page)
    risk = page.get_by_role("table", name="Each organisation's year")
    expect(risk.get_by_role("rowheader", name="Local housing charity")).to_be_visible()
    expect(page.locator("#risk-flags li").first).to_be_visible()

    sections.get_by_role("link", name="Cash-flow stress test").click()
    axe(page)
    expect(page.get_by_role("img", name="Fan chart of Prime contractor")).to_be_visible()
    expect(page.get_by_text("What if:")).to_have_count(0)

    page.get_by_label("Organisation to show").select_option(label="Local housing charity")
    page.get_by_label("Payment terms (days)").fill("150")
    page.get_by_role("button", name="Recalculate").click()
    axe(page)
    expect(page.locator("#what-if-description")).to_contain_text("payment terms (days) 150")
    expect(page.get_by_role("img", name="Fan chart of Local housing charity").first).to_be_visible()
    expect(page.locator("#fan-variant")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Change")).to_be_visible()

    page.get_by_label("Up-front share (%)").fill("180")
    page.get_by_role("button", name="Recalculate").click()
    axe(page)
    assert page.title().startswith("Error: ")
    expect(page.locator("#div_id_upfront_share .govuk-error-message")).to_contain_text(
        "Up-front share must be 100 or less"
    )
    assert contract.reference in page.url


def test_commissioner_sees_field_errors_for_an_invalid_mechanism(
    page: Page, live_server: Any, axe: Any
) -> None:
    contract = contract_with_parties()
    member_of(contract.commissioning_body, role=User.Role.COMMISSIONER, username="ctcomm")
    sign_in(page, live_server.url, "ctcomm", axe)
    axe(page)

    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    axe(page)
    page.get_by_role("link", name="Edit the documents").click()
    axe(page)
    mechanism = copy.deepcopy(contract.mechanism)
    mechanism["outcome_payments"][0]["tariff"] = "lots"
    page.get_by_label("Payment mechanism").fill(json.dumps(mechanism, indent=2))
    page.get_by_role("button", name="Save the documents").click()
    axe(page)
    expect(page.get_by_role("alert")).to_contain_text("outcome_payments[0].tariff")
    expect(page.locator("#div_id_mechanism .govuk-error-message")).to_contain_text(
        "outcome_payments[0].tariff"
    )
    assert Contract.objects.get(pk=contract.pk).mechanism["outcome_payments"][0]["tariff"] != "lots"

    page.get_by_label("Start from an example").select_option("peterborough-sib")
    page.get_by_role("button", name="Use this example").click()
    axe(page)
    expect(page.get_by_label("Payment mechanism")).to_contain_text('"peterborough-sib"')


def test_commissioner_terminates_a_contract_early(page: Page, live_server: Any, axe: Any) -> None:
    """Issue 12 (contract ending; PBR-1, LAW-1): the body's commissioner records an early
    termination; the page refuses it without the date and reason, then shows how it ended."""
    today = timezone.localdate()
    contract = contract_with_parties(
        start_date=today - datetime.timedelta(days=365),
        end_date=today + datetime.timedelta(days=365),
    )
    member_of(contract.commissioning_body, role=User.Role.COMMISSIONER, username="ctend")
    sign_in(page, live_server.url, "ctend", axe)
    axe(page)

    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    axe(page)
    page.get_by_role("link", name="End or terminate the contract").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("End or terminate the contract")
    page.get_by_label("It was terminated early").check()
    page.get_by_role("button", name="Record how the contract ended").click()
    axe(page)
    assert page.title().startswith("Error: ")
    expect(page.get_by_role("alert")).to_contain_text("Enter the date the contract was terminated")
    expect(page.get_by_role("alert")).to_contain_text("Enter why the contract is ending early")
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.ACTIVE

    last_day = today - datetime.timedelta(days=7)
    page.get_by_label("It was terminated early").check()
    group = page.get_by_role("group", name="Date it was terminated")
    group.get_by_label("Day").fill(str(last_day.day))
    group.get_by_label("Month").fill(str(last_day.month))
    group.get_by_label("Year").fill(str(last_day.year))
    page.get_by_label("Why was it terminated early?").fill("The service was recommissioned.")
    page.get_by_role("button", name="Record how the contract ended").click()
    axe(page)
    day = f"{last_day.day} {last_day:%B %Y}"
    expect(page.get_by_text(f"is terminated: its last day was {day}")).to_be_visible()
    expect(page.locator("#contract-status")).to_have_text(
        f"Terminated early: its last day was {day}"
    )
    expect(page.locator("#termination-reason")).to_have_text("The service was recommissioned.")
    expect(page.get_by_role("link", name="End or terminate the contract")).to_have_count(0)
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.TERMINATED
