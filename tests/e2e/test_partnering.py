"""Partner finding end to end in the browser (PRO-6): two primes and a consortium member register
interest in a lot (one prime privately); the other prime finds the consortium member on the
"looking for partners" view, filtered by role, and messages it; the consortium member reads the
message from its inbox and replies. The interest form says beside each field who can read it
(issue 11 item 17), and that is what happens. axe-core after every navigation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.partnering.models import Conversation
from commissioning.procurement.models import Interest
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import OrganisationFactory, member_of
from tests.procurement_factories import open_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _register(
    page: Page, base: str, axe: Any, username: str, partners_url: str, role: str, **extra: Any
) -> None:
    sign_in(page, base, username, axe)
    axe(page)
    page.goto(partners_url)
    axe(page)
    page.get_by_role("link", name="Register interest").click()
    axe(page)
    page.get_by_label(role, exact=True).check()
    if extra.get("note"):
        page.get_by_label("Note for possible partners (optional)").fill(extra["note"])
    if extra.get("private"):
        page.get_by_label("Keep our interest private").check()
    page.get_by_role("button", name="Save interest").click()
    axe(page)
    expect(page.get_by_text("Your interest is registered.")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)


def test_primes_and_a_consortium_member_find_each_other_and_talk(
    page: Page, live_server: Any, axe: Any
) -> None:
    opportunity = open_opportunity(consortium_encouraged=True)
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    first_prime = OrganisationFactory(name="Northern Prime Ltd", is_prime=True)
    second_prime = OrganisationFactory(name="Quiet Prime plc", is_prime=True)
    consortium = OrganisationFactory(name="Tyneside Women's Centre", women_led=True)
    first_member, second_member = member_of(first_prime), member_of(second_prime)
    consortium_member = member_of(consortium)
    base = live_server.url
    partners_url = f"{base}/partnering/opportunities/{opportunity.reference}/lots/{lot.number}/"

    _register(page, base, axe, first_member.username, partners_url, "Prime provider")
    _register(page, base, axe, second_member.username, partners_url, "Prime provider", private=True)
    _register(
        page,
        base,
        axe,
        consortium_member.username,
        partners_url,
        "Consortium member",
        note="We bring specialist women's services in Tyneside.",
    )
    assert Interest.objects.filter(lot=lot).count() == 3

    # The first prime looks for consortium members and messages the one it finds.
    sign_in(page, base, first_member.username, axe)
    axe(page)
    page.goto(partners_url)
    axe(page)
    expect(page.get_by_role("heading", name="2 organisations")).to_be_visible()
    expect(page.get_by_role("link", name="Tyneside Women's Centre", exact=True)).to_be_visible()
    expect(page.get_by_text("Quiet Prime plc")).to_have_count(0)  # its interest is private
    page.get_by_label("Role").select_option("consortium_member")
    page.get_by_role("button", name="Apply filters").click()
    axe(page)
    expect(page.get_by_text("We bring specialist women's services in Tyneside.")).to_be_visible()
    expect(page.get_by_role("link", name="Northern Prime Ltd")).to_have_count(0)
    page.get_by_role("link", name="Message Tyneside Women's Centre").click()
    axe(page)
    page.get_by_label("Subject").fill("Consortium for lot 1")
    page.get_by_label("Message").fill("Would you join our consortium as the women's service lead?")
    page.get_by_role("button", name="Send message").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Consortium for lot 1")
    expect(page.get_by_text("Message sent to Tyneside Women's Centre.")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)

    # The consortium member sees it in its messages, reads it and replies.
    sign_in(page, base, consortium_member.username, axe)
    axe(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Messages").click()
    axe(page)
    expect(page.get_by_text("You have 1 unread message.")).to_be_visible()
    page.get_by_role("link", name="Consortium for lot 1").click()
    axe(page)
    expect(page.get_by_text("women's service lead?")).to_be_visible()
    page.get_by_label("Message").fill("Yes: let's meet next week.")
    page.get_by_role("button", name="Send reply").click()
    axe(page)
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    expect(page.get_by_text("Yes: let's meet next week.")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)

    # The first prime sees the reply waiting.
    sign_in(page, base, first_member.username, axe)
    axe(page)
    page.goto(f"{base}/partnering/messages/")
    axe(page)
    expect(page.get_by_text("You have 1 unread message.")).to_be_visible()
    conversation = Conversation.objects.get()
    assert conversation.messages.count() == 2


def test_the_interest_form_says_truthfully_beside_each_field_who_can_read_it(
    page: Page, live_server: Any, axe: Any
) -> None:
    """Issue 11 item 17 (PRO-6): the note's own hint says it is public (it is, on the page and
    the anonymous API); what the privacy box keeps private is in its own label, not in a hint
    that shows above the box and so reads as if it were about the note."""
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    member = member_of(OrganisationFactory(name="Tyneside Women's Centre"))
    base = live_server.url
    partners_url = f"{base}/partnering/opportunities/{opportunity.reference}/lots/{lot.number}/"
    note_text = "We bring specialist women's services in Tyneside."

    sign_in(page, base, member.username, axe)
    axe(page)
    page.goto(partners_url)
    axe(page)
    page.get_by_role("link", name="Register interest").click()
    axe(page)
    note = page.get_by_label("Note for possible partners (optional)")
    expect(note).to_have_accessible_description(
        re.compile(r"^Public unless you keep your interest private: anyone can read it")
    )
    note_group = page.locator(".govuk-form-group").filter(has=note)
    expect(note_group).to_contain_text("through the open data API")
    expect(note_group).not_to_contain_text("will not see")
    private = page.get_by_role("checkbox")
    expect(private).to_have_accessible_name(
        "Keep our interest private: only the commissioners of this opportunity will see it "
        "and its note"
    )
    page.get_by_label("Consortium member", exact=True).check()
    note.fill(note_text)
    page.get_by_role("button", name="Save interest").click()
    axe(page)
    expect(page.get_by_text("Your interest is registered.")).to_be_visible()
    sign_out(page, base, axe)
    axe(page)

    # What the hint says is true: anyone reads the note, on the page and the anonymous API.
    page.goto(partners_url)
    axe(page)
    expect(page.get_by_text(note_text)).to_be_visible()
    api = page.request.get(
        f"{base}/api/opportunities/{opportunity.reference}/lots/{lot.number}/interests"
    )
    assert [row["note"] for row in api.json()["results"]] == [note_text]
