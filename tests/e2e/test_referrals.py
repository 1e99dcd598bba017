"""Referrals in the browser (REF-1), the issue's "done when": probation refers a person from the
contract; the sub-contractor accepts, starts, records engagement and completes; the prime sees
the referral; the public sees only counts. axe-core after every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral
from tests.e2e.helpers import Journey
from tests.factories import member_of
from tests.referral_factories import referral_setting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _step(journey: Journey, button: str, reason: str = "") -> None:
    form = journey.page.locator("form", has=journey.page.get_by_role("button", name=button))
    today = timezone.localdate()
    group = form.get_by_role("group", name="Date it happened")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    if reason:
        form.get_by_label("Reason").fill(reason)
    form.get_by_role("button", name=button).click()
    journey.axe(journey.page)
    expect(journey.page.get_by_role("alert")).to_contain_text("Success")


def test_probation_refers_the_provider_completes_the_prime_sees_the_public_counts(
    page: Page, live_server: Any, axe: Any
) -> None:
    setting = referral_setting(title="Resettlement in Northshire", is_synthetic=True)
    contract = setting.contract
    member_of(contract.commissioning_body, role=User.Role.PROBATION, username="probation-e2e")
    housing = setting.housing_party.organisation
    assert housing is not None
    member_of(housing, username="housing-e2e")
    member_of(contract.prime, username="prime-e2e")
    journey = Journey(page, live_server.url, axe)

    # Probation refers a person from the contract's page.
    journey.sign_in("probation-e2e")
    journey.go(contract.get_absolute_url())
    page.get_by_role("navigation", name="Contract sections").get_by_role(
        "link", name="Referrals"
    ).click()
    axe(page)
    journey.click_link("Refer a person")
    expect(page.get_by_text("Do not enter a name or a date of birth")).to_be_visible()
    page.get_by_label(f"{housing.name} (sub-contractor)").check()
    page.get_by_label("Your case reference for the person").fill("X123456")
    page.get_by_label("Standard").check()
    journey.fill_date("Date of the referral", timezone.localdate())
    page.get_by_label("Sex (optional)").select_option(label="Prefer not to say")
    journey.click_button("Make the referral")
    referral = Referral.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral {referral.reference}")
    expect(page.locator("#referral-status")).to_contain_text("Referred")
    journey.sign_out()

    # The sub-contractor finds it waiting and takes it to completion.
    journey.sign_in("housing-e2e")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    axe(page)
    expect(page.get_by_text("1 referral waiting for your decision")).to_be_visible()
    journey.click_link(referral.reference)
    expect(page.get_by_role("button", name="Withdraw the referral")).to_have_count(0)
    _step(journey, "Accept the referral")
    _step(journey, "Record that the person started")
    _step(journey, "Record that the person engaged")
    _step(journey, "Record that the person completed")
    expect(page.locator("#referral-status")).to_contain_text("Completed")
    journey.sign_out()

    # The prime sees it under the contract.
    journey.sign_in("prime-e2e")
    journey.go(f"/contracts/{contract.reference}/referrals/")
    list_table = page.get_by_role("table", name="Referrals under this contract")
    expect(list_table.get_by_role("link", name=referral.reference)).to_be_visible()
    journey.click_link(referral.reference)
    expect(page.locator("#referral-status")).to_contain_text("Completed")
    expect(page.get_by_role("cell", name=housing.name).first).to_be_visible()
    journey.sign_out()

    # The public sees counts only.
    journey.go(f"/contracts/{contract.reference}/referrals/")
    counts = page.get_by_role("table", name=f"{housing.name} (sub-contractor)")
    row = counts.get_by_role("row").filter(has_text=_quarter_label()).first
    expect(row.get_by_role("cell")).to_have_text(["1", "1", "1", "1"])
    expect(page.get_by_text(referral.reference)).to_have_count(0)
    expect(page.get_by_role("link", name="Refer a person")).to_have_count(0)
    assert Referral.objects.get().status == Status.COMPLETED


def _quarter_label() -> str:
    from commissioning.kernel.quarters import quarter_label, quarter_start

    return quarter_label(quarter_start(timezone.localdate()))
