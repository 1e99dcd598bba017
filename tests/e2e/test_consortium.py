"""Bidding together (issue 18, PRO-6): the lead makes its bid a consortium, adds a member with
its role and share, and the member's people confirm on the invitation; axe-core after every
navigation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.bids.models import ConsortiumMember
from tests.e2e.helpers import Journey
from tests.integration.test_bids_services import bidding_setup, complete_bid

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_lead_adds_a_member_and_the_member_confirms(
    page: Page, live_server: Any, axe: Any
) -> None:
    s = bidding_setup()
    bid = complete_bid(s)
    walk = Journey(page, live_server.url, axe)
    walk.sign_in(s.prime.username)
    walk.go(f"/bids/{bid.pk}/")
    walk.click_link("Bid together as a consortium or special-purpose vehicle")
    page.get_by_label("As a consortium").check()
    page.get_by_label("Your role as the lead").fill("Case management and the contract")
    page.get_by_label("Your share of the work (%)").fill("70")
    walk.click_button("Save and continue")
    walk.click_link("Add a member")
    page.get_by_label("Member", exact=True).fill("Women Onward CIC")
    page.get_by_label("Its role").fill("Specialist support for women")
    page.get_by_label("Its share of the work (%)").fill("30")
    walk.click_button("Add member and ask them to confirm")
    walk.flash("Member added: they have been asked to confirm.")
    expect(
        page.get_by_text("Women Onward CIC has not yet confirmed it agrees to bid together.")
    ).to_be_visible()
    walk.sign_out()

    walk.sign_in(s.sub_user.username)
    walk.go("/bids/")
    walk.click_link("Northshire Resettlement Trust")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Northshire Resettlement Trust asks Women Onward CIC to bid together"
    )
    expect(page.get_by_text("30.00%", exact=True)).to_be_visible()
    page.get_by_label("Yes, we confirm").check()
    walk.click_button("Send answer")
    walk.flash("You confirmed. The bidder has been told.")
    member = ConsortiumMember.objects.get(consortium__bid=bid)
    assert member.consent == "confirmed"
