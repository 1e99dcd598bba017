"""Report once in the browser (SUP-7): a charity writes its quarterly monitoring return, checks
its answers and sends it; the contract's commissioner and the grant's funder each see the parts
they need and nothing else; the pages reflow at 320 CSS px. axe-core after every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.monitoring import services
from commissioning.monitoring.models import MonitoringReturn, Part
from tests.e2e.helpers import Journey
from tests.monitoring_factories import funded_charity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
OUTPUTS = "46 one-to-one sessions and 12 group workshops"
OUTCOMES = "8 women moved into settled housing"
STORY = "A woman in her 30s left a hostel for her own flat."


def _fits(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_charity_reports_once_and_each_funder_sees_its_parts(
    page: Page, live_server: Any, axe: Any
) -> None:
    world = funded_charity()
    services.declare_needs(
        world.commissioner, world.charity, [Part.PEOPLE, Part.OUTPUTS], contract=world.contract
    )
    services.declare_needs(
        world.grant_funder,
        world.charity,
        [Part.BREAKDOWN, Part.OUTCOMES, Part.CASE_STUDIES],
        grant_agreement=world.agreement,
    )
    walk = Journey(page, live_server.url, axe)

    walk.sign_in(world.member.username)
    walk.go("/monitoring/")
    walk.click_link(f"Start a return for {world.charity.name}")
    page.get_by_label("Which quarter is this return for?").select_option(
        label="July to September 2026"
    )
    page.get_by_label("How many people did you serve in the quarter?").fill("37")
    page.get_by_label("Age: 18 to 24").fill("3")
    page.get_by_label("Age: 25 to 34").fill("14")
    page.get_by_label("Age: 35 to 49").fill("12")
    page.get_by_label("Age: 50 and over").fill("8")
    page.get_by_label("What did you deliver?").fill(OUTPUTS)
    page.get_by_label("What changed for the people you served?").fill(OUTCOMES)
    page.get_by_label("Case study 1: title").fill("Settled after six moves")
    page.get_by_label("Case study 1: the story").fill(STORY)
    page.get_by_label("The person in case study 1 agreed to their story being shared").check()
    _fits(page)
    walk.click_button("Save and check your answers")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(page.get_by_text(OUTPUTS)).to_be_visible()
    walk.click_button("Send the return")
    walk.flash("Your return is sent. Each funder sees the parts it needs.")
    assert MonitoringReturn.objects.get().status == MonitoringReturn.Status.SUBMITTED
    walk.sign_out()

    walk.sign_in(world.commissioner.username)
    walk.go(f"/contracts/{world.contract.reference}/monitoring/")
    expect(page.get_by_text(OUTPUTS)).to_be_visible()
    expect(page.get_by_text(OUTCOMES)).to_have_count(0)
    expect(page.get_by_text(STORY)).to_have_count(0)
    _fits(page)
    walk.sign_out()

    walk.sign_in(world.grant_funder.username)
    walk.go(world.agreement.application.get_absolute_url())
    walk.click_link(f"Monitoring returns from {world.charity.name}")
    expect(page.get_by_text(OUTCOMES)).to_be_visible()
    expect(page.get_by_text(STORY)).to_be_visible()
    expect(page.get_by_text("18 to 24: fewer than 5")).to_be_visible()
    expect(page.get_by_text(OUTPUTS)).to_have_count(0)
    _fits(page)
    walk.sign_out()

    walk.sign_in(world.outsider_member.username)
    walk.go(f"/contracts/{world.contract.reference}/monitoring/")
    expect(page.get_by_text(OUTPUTS)).to_have_count(0)
