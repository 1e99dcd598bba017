"""Choosing organisations and areas (issue 11 item 21, PRO-7, CYC-1): the sub-contractor picker
and the exercise form's partners and areas use GOV.UK's accessible autocomplete over the right
set, on pages that no longer carry the whole directory; without JavaScript the same forms work
by search, then choose. axe-core on every page, the autocomplete's list open included."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from commissioning.accounts.models import User
from commissioning.bids import services
from commissioning.bids.models import Subcontractor
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from tests.e2e.helpers import sign_in
from tests.factories import (
    AreaFactory,
    CommissioningBodyFactory,
    OrganisationFactory,
    SpecialismFactory,
    member_of,
)
from tests.procurement_factories import open_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = Organisation.OrgType.PUBLIC_SECTOR


def _draft_bid_with_a_crowd() -> tuple[User, int]:
    """A prime's draft bid, in a directory of 150 providers and 40 public bodies."""
    lot = open_opportunity().lots.order_by("number").first()
    assert lot is not None
    prime_org = OrganisationFactory(name="Northshire Resettlement Trust")
    prime = member_of(prime_org)
    OrganisationFactory.create_batch(150)
    OrganisationFactory(name="Riverside Recovery Collective")
    OrganisationFactory(name="Riverside Recovery Trust")
    OrganisationFactory(name="Northshire Police", org_type=PUBLIC)
    OrganisationFactory.create_batch(40, org_type=PUBLIC)
    return prime, services.start_bid(prime, lot, prime_org).pk


def _fill_terms(page: Page) -> None:
    page.get_by_label("Its role").fill("Specialist service for women")
    page.get_by_label("Services it will deliver").fill("One-to-one support")
    page.get_by_label("Referrals promised a year").fill("120")
    page.get_by_label("Value promised a year (£)").fill("45000")
    page.get_by_label("Share of its fee paid up front (%)").fill("20")
    page.get_by_label("Days you take to pay its invoices").fill("30")


def test_sub_contractor_is_chosen_with_the_autocomplete_from_providers_only(
    page: Page, live_server: Any, axe: Any
) -> None:
    prime, bid_pk = _draft_bid_with_a_crowd()
    sign_in(page, live_server.url, prime.username, axe)
    axe(page)
    response = page.goto(f"{live_server.url}/bids/{bid_pk}/supply-chain/new/")
    axe(page)
    # No list of the directory in the page: the 190 organisations were each an <option>.
    assert response is not None and len(response.body()) < 20_000
    assert page.locator("option").count() == 0

    chooser = page.get_by_role("combobox", name="Sub-contractor")
    chooser.fill("Northshire Pol")
    expect(page.get_by_role("option", name="No matching names")).to_be_visible()
    chooser.fill("Riverside Rec")
    options = page.locator("#id_organisation__listbox").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_have_text("Riverside Recovery Collective")
    axe(page)  # with the list of suggestions open
    page.get_by_role("option", name="Riverside Recovery Trust").click()
    expect(chooser).to_have_value("Riverside Recovery Trust")

    _fill_terms(page)
    page.get_by_role("button", name="Name sub-contractor and ask them to confirm").click()
    axe(page)
    expect(page.get_by_text("Riverside Recovery Trust has not yet confirmed")).to_be_visible()
    assert Subcontractor.objects.get(bid_id=bid_pk).organisation.name == (
        "Riverside Recovery Trust"
    )


def test_without_javascript_a_sub_contractor_is_searched_for_then_chosen(
    browser: Browser, live_server: Any, axe: Any, axe_tracker: Any
) -> None:
    prime, bid_pk = _draft_bid_with_a_crowd()
    # The service's scripts never arrive (as without JavaScript); axe-core still runs.
    context = browser.new_context(locale="en-GB")
    context.route("**/static/build/*.js", lambda route: route.abort())
    page = context.new_page()
    page.on(
        "framenavigated",
        lambda frame: axe_tracker.navigated(frame.url) if frame == page.main_frame else None,
    )
    try:
        sign_in(page, live_server.url, prime.username, axe)
        axe(page)
        page.goto(f"{live_server.url}/bids/{bid_pk}/supply-chain/new/")
        axe(page)
        page.get_by_label("Sub-contractor", exact=True).fill("riverside recovery")
        _fill_terms(page)
        page.get_by_role("button", name="Name sub-contractor and ask them to confirm").click()
        axe(page)
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Choose the organisation you mean from the list")
        matches = page.get_by_role("group", name="Organisations whose name contains")
        expect(matches.get_by_role("radio")).to_have_count(2)
        matches.get_by_label("Riverside Recovery Collective").check()
        page.get_by_role("button", name="Name sub-contractor and ask them to confirm").click()
        axe(page)
        expect(
            page.get_by_text("Riverside Recovery Collective has not yet confirmed")
        ).to_be_visible()
    finally:
        context.close()


def test_exercise_partners_and_areas_are_added_and_removed_with_the_autocomplete(
    page: Page, live_server: Any, axe: Any
) -> None:
    body = CommissioningBodyFactory(name="Police and Crime Commissioner for Northshire")
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    OrganisationFactory(name="Northshire Police", org_type=PUBLIC)
    OrganisationFactory(name="Northshire County Council", org_type=PUBLIC)
    OrganisationFactory.create_batch(150, org_type=PUBLIC)
    OrganisationFactory(name="Northshire Women's Centre")  # a provider: never a partner
    AreaFactory.create_batch(50)
    for name in ("Northshire", "Southshire"):
        AreaFactory(name=name)
    SpecialismFactory(name="Accommodation")

    sign_in(page, live_server.url, commissioner.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/exercises/new/")
    axe(page)
    # Two short lists instead of 200 checkboxes (the form was 13,682 px tall).
    assert page.locator("input[type=checkbox]").count() == 0
    assert page.evaluate("document.documentElement.scrollHeight") < 3000

    page.get_by_label("Title").fill("Women's resettlement in Northshire")
    page.get_by_label("Local").check()
    partners = page.get_by_role("combobox", name="Joint-commissioning partners (optional)")
    partners.fill("Northshire")
    offered = page.locator("#id_partners__listbox").get_by_role("option")
    # Public bodies only: police, council and commissioner, never the women's centre.
    expect(offered).to_have_text(
        [
            "Northshire County Council",
            "Northshire Police",
            "Police and Crime Commissioner for Northshire",
        ]
    )
    axe(page)
    page.get_by_role("option", name="Northshire Police").click()
    expect(partners).to_have_value("")
    chosen = page.locator(".app-choose-several__chosen")
    expect(chosen.first).to_contain_text("Northshire Police")

    areas = page.get_by_role("combobox", name="Geography")
    for name in ("Northshire", "Southshire"):
        areas.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        # The box empties itself once the choice is made (a moment later): typing the next name
        # before then would be wiped, as it would for a person typing that fast.
        expect(areas).to_have_value("")
        expect(page.get_by_role("button", name=f"Remove {name}", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove Southshire").click()
    expect(page.get_by_role("button", name="Remove Southshire")).to_have_count(0)
    axe(page)

    page.get_by_label("Service area").select_option(label="Accommodation")
    page.get_by_label("Summary").fill("Housing and support for women leaving prison.")
    page.get_by_role("button", name="Create exercise").click()
    axe(page)
    exercise = CommissioningExercise.objects.get(title="Women's resettlement in Northshire")
    assert [p.name for p in exercise.partners.all()] == ["Northshire Police"]
    assert [a.name for a in exercise.areas.all()] == ["Northshire"]
