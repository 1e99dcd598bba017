"""Equality impact assessment before the tender (EQU-1, USR-1, LAW-1 UK4; issue 19 item 1), at
320 CSS px with axe-core after every navigation: a commissioner tries to publish a tender whose
exercise has no published assessment and is refused, with a link to the assessment; writes it,
saves a draft, checks the answers and publishes it; then publishes the tender. The national
standards' public summary and the inspector's report reflow too (MKT-3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.equality.models import Assessment, Characteristic
from commissioning.equality.queries import NO_ASSESSMENT
from commissioning.procurement.models import Opportunity
from tests.e2e.helpers import Journey
from tests.engagement_factories import commissioner_of
from tests.factories import UserFactory
from tests.procurement_factories import ready_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def _reflows(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at a {WIDTH} px viewport"


def test_a_tender_waits_for_its_published_equality_impact_assessment(
    page: Page, live_server: Any, axe: Any
) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    opportunity = ready_opportunity(now=timezone.now())
    exercise = opportunity.exercise
    exercise.equality_assessments.all().delete()
    commissioner = commissioner_of(exercise)
    j = Journey(page, live_server.url, axe)
    j.sign_in(commissioner.username)

    j.go(f"/opportunities/{opportunity.reference}/publish/")
    j.click_button("Publish", exact=True)
    _reflows(page)
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(NO_ASSESSMENT)
    assert Opportunity.objects.get(pk=opportunity.pk).status == Opportunity.Status.DRAFT

    j.click_link(NO_ASSESSMENT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality impact assessment")
    _reflows(page)
    j.click_link("Write the assessment")
    page.get_by_label("What the assessment covers").fill("Resettlement support in the area.")
    j.click_button("Save as draft")
    j.flash("Your draft is saved. It is not published.")
    _reflows(page)

    j.click_link("Continue the draft")
    j.click_button("Continue")
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the evidence about age")
    for characteristic in Characteristic:
        label = characteristic.label
        page.get_by_label(f"{label}: evidence").fill(f"Local data on {label.lower()}.")
        impact = "Negative" if characteristic is Characteristic.RACE else "Neutral"
        page.get_by_role("group", name=f"{label}: likely impact").get_by_label(impact).check()
    page.get_by_label("Race: mitigation").fill("A lot for Black-led specialist organisations.")
    page.get_by_label("Specialist organisations engaged").fill("A Black-led mentoring charity.")
    page.get_by_label("How service users were engaged").fill("A lived-experience panel.")
    _reflows(page)
    j.click_button("Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before publishing"
    )
    _reflows(page)
    j.click_button("Publish the assessment")
    j.flash("Published: version 1 of the equality impact assessment.")
    expect(page.get_by_text("Negative impact")).to_be_visible()
    _reflows(page)
    assert Assessment.objects.get(exercise=exercise).status == "published"

    j.go(f"/opportunities/{opportunity.reference}/publish/")
    expect(page.get_by_text("Everything needed is in place.")).to_be_visible()
    j.click_button("Publish", exact=True)
    j.flash("Published: the opportunity is open for bids.")
    assert Opportunity.objects.get(pk=opportunity.pk).status == Opportunity.Status.OPEN
    j.sign_out()

    j.go("/standards/")
    _reflows(page)
    inspector = UserFactory(role=User.Role.INSPECTOR)
    j.sign_in(inspector.username)
    j.go("/standards/inspection/")
    expect(page.get_by_role("heading", name=exercise.commissioning_body.name)).to_be_visible()
    _reflows(page)
