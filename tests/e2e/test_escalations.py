"""Escalations in the browser (REF-2): a sub-contractor raises one from the contract page;
the body's probation practitioner finds it, acknowledges it and responds; the body's record shows
it answered within target; the record reflows at 320 px; the contract's commissioner sees the
same figures for the probation area, with no way into the escalation. axe-core on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.escalations.models import Escalation
from tests.e2e.helpers import Journey
from tests.factories import MembershipFactory, UserFactory
from tests.integration.escalations_setup import cast, raise_one

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_provider_raises_and_probation_acknowledges_and_responds(
    page: Page, live_server: Any, axe: Any
) -> None:
    c = cast(title="Resettlement in Northshire", is_synthetic=True)
    body = c.probation_body
    walk = Journey(page, live_server.url, axe)

    walk.sign_in("sub-worker")
    walk.go(c.contract.get_absolute_url())
    walk.click_link("Raise an escalation with probation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise an escalation with probation")
    walk.click_button("Send to probation")
    expect(page.get_by_role("link", name="Select what the escalation is about")).to_be_visible()
    axe(page)
    page.get_by_label("Breach of licence or supervision conditions").check()
    page.get_by_label("Same working day").check()
    page.get_by_label("What happened").fill(
        "Case NS-4471 stayed away from the approved premises last night, against the curfew."
    )
    now = timezone.localtime()
    walk.fill_date("Date it happened", now.date())
    page.get_by_label("Time it happened").fill("00:00")
    walk.click_button("Send to probation")
    expect(page.get_by_text("has been sent to probation")).to_be_visible()
    escalation = Escalation.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Escalation {escalation.reference}")
    expect(page.get_by_text("Waiting for acknowledgement").first).to_be_visible()
    walk.sign_out()

    walk.sign_in("probation-officer")
    walk.go(body.get_absolute_url())
    walk.click_link("Escalations to answer")
    walk.click_link(escalation.reference)
    walk.click_button("Acknowledge")
    expect(page.get_by_text("has been acknowledged")).to_be_visible()
    page.get_by_label("Your response").fill(
        "Offender manager informed; a recall is being considered. We will call you today."
    )
    walk.click_button("Send the response")
    expect(page.get_by_text("Your response to")).to_be_visible()
    expect(page.locator("#response")).to_contain_text("a recall is being considered")
    expect(page.locator("#targets")).to_contain_text("Within target")

    walk.go(body.get_absolute_url())
    walk.click_link("Escalations record")
    record = page.get_by_role("table", name="Record by urgency")
    same_day = record.get_by_role("row").filter(has_text="Same working day")
    expect(same_day).to_contain_text("100% (1 of 1)")
    expect(
        page.get_by_text("None: every escalation so far was answered within target.")
    ).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    walk.sign_out()

    walk.sign_in("body-commissioner")
    walk.go(c.contract.get_absolute_url())
    walk.click_link("Escalations record of the probation areas")
    expect(page.get_by_role("heading", level=2, name=body.name)).to_be_visible()
    record = page.get_by_role("table", name=f"Record by urgency: {body.name}")
    same_day = record.get_by_role("row").filter(has_text="Same working day")
    expect(same_day).to_contain_text("100% (1 of 1)")
    expect(page.get_by_role("link", name=escalation.reference)).to_have_count(0)
    expect(page.get_by_text("a recall is being considered")).to_have_count(0)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_an_organisation_administrator_makes_and_revokes_an_api_token(
    page: Page, live_server: Any, axe: Any
) -> None:
    c = cast()
    MembershipFactory(
        user=UserFactory(username="sub-admin"), organisation=c.subcontractor, is_org_admin=True
    )
    raise_one(c)
    walk = Journey(page, live_server.url, axe)
    walk.sign_in("sub-admin")
    walk.go(c.subcontractor.get_absolute_url())
    walk.click_link("Escalations raised")
    expect(
        page.get_by_role("table", name=f"Escalations raised by {c.subcontractor.name}")
    ).to_be_visible()
    walk.go(c.subcontractor.get_absolute_url())
    walk.click_link("API tokens")
    walk.click_button("Make the token")
    expect(page.get_by_role("link", name="Enter a name for the token")).to_be_visible()
    page.get_by_label("Name of the token").fill("Case management (live)")
    walk.click_button("Make the token")
    secret = page.get_by_test_id("new-token").inner_text()
    assert secret.startswith("cst_")
    walk.go(f"/api-tokens/{c.subcontractor.slug}/")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    tokens = page.get_by_role("table", name=f"Tokens of {c.subcontractor.name}")
    expect(tokens).to_contain_text(secret[:12])
    walk.click_link("Revoke Case management (live)")
    walk.click_button("Revoke the token")
    expect(page.get_by_text("has been revoked")).to_be_visible()
    expect(tokens).to_contain_text("Revoked")
