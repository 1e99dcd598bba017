"""A commissioner records an assessment of a contract's KPIs in the browser and it shows on the
contract's public Performance section (issue 15; LAW-4, UK9). axe-core after every navigation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.contracts.models import Kpi, KpiAssessment
from tests.contract_factories import contract_with_parties
from tests.e2e.helpers import sign_in
from tests.factories import member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_commissioner_records_an_assessment(page: Page, live_server: Any, axe: Any) -> None:
    contract = contract_with_parties(annual_value=Decimal("600000"))
    Kpi.objects.create(
        contract=contract,
        name="Referrals seen within 5 working days",
        measure="Share of referrals first seen within 5 working days",
        target="90%",
        frequency=Kpi.Frequency.QUARTERLY,
        data_source=Kpi.DataSource.REFERRALS_COMPLETED,
    )
    member_of(contract.commissioning_body, role=User.Role.COMMISSIONER, username="assessor")
    sign_in(page, live_server.url, "assessor", axe)
    axe(page)
    page.goto(f"{live_server.url}/contracts/{contract.reference}/performance/")
    axe(page)
    page.get_by_role("link", name="Record an assessment").click()
    axe(page)
    page.get_by_role("button", name="Record the assessment").click()
    axe(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select a rating for Referrals seen within 5 working days"
    )
    for field, (day, month, year) in {
        "period_start": ("1", "4", "2026"),
        "period_end": ("30", "9", "2026"),
    }.items():
        page.locator(f"input[name={field}_0]").fill(day)
        page.locator(f"input[name={field}_1]").fill(month)
        page.locator(f"input[name={field}_2]").fill(year)
    page.get_by_label("Approaching target").check()
    page.get_by_label("Result for Referrals seen within 5 working days").fill("86%")
    page.get_by_role("button", name="Record the assessment").click()
    axe(page)
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "Assessment recorded"
    )
    row = page.locator("table[id^=assessment-] tbody tr").first
    expect(row).to_contain_text("86%")
    expect(row).to_contain_text("Approaching target")
    assert KpiAssessment.objects.filter(contract=contract).count() == 1
