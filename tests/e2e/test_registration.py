"""Self-registration of a provider member and approval by the organisation's administrator, in the
browser, with axe-core on every page (foundation issue: roles and membership)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from commissioning.accounts.models import Membership, User
from tests.e2e.helpers import confirm_emailed_link, sign_in, sign_out
from tests.factories import (
    PASSWORD,
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_registers_and_organisation_admin_approves(
    page: Page, live_server: Any, axe: Any
) -> None:
    charity = OrganisationFactory(name="Tyneside Family Links", areas=[AreaFactory()])
    admin = UserFactory(username="tyneside-admin")
    MembershipFactory(user=admin, organisation=charity, is_org_admin=True)

    page.goto(f"{live_server.url}/account/register/")
    axe(page)
    page.get_by_label("Name of your organisation").fill("Tyneside")
    page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_label("Tyneside Family Links").check()
    page.get_by_role("button", name="Continue").click()
    axe(page)

    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Job title").fill("Family support worker")
    page.get_by_label("Email address").fill("amara@tyneside.example")
    page.get_by_label("Username").fill("amara")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill("something-else-entirely-9")
    page.get_by_role("button", name="Register").click()
    axe(page)
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert not User.objects.filter(username="amara").exists()

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    axe(page)
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    membership = Membership.objects.get(user__username="amara")
    assert membership.status == Membership.Status.PENDING
    # issue 13 item 3: the administrator is told once the address is confirmed
    assert not any("tyneside-admin@example.org" in message.to for message in mail.outbox)
    confirm_emailed_link(page, live_server.url, "amara@tyneside.example", axe)
    assert any("tyneside-admin@example.org" in message.to for message in mail.outbox)

    sign_in(page, live_server.url, admin.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/account/organisations/{charity.slug}/members/")
    axe(page)
    page.get_by_role("button", name="Approve Amara Okafor").click()
    axe(page)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == admin

    sign_out(page, live_server.url, axe)
    axe(page)
    sign_in(page, live_server.url, "amara", axe)
    axe(page)
    page.goto(f"{live_server.url}/directory/{charity.slug}/")
    axe(page)
    expect(page.get_by_role("link", name="Edit profile")).to_be_visible()


def test_a_member_asks_to_join_a_second_organisation_verified_by_support(
    page: Page, live_server: Any, axe: Any
) -> None:
    """Issue 11 item 25a and ADR 0009: one account asks to join a second organisation that has
    no administrator yet; the support team verifies the request with a recorded reason."""
    first = OrganisationFactory(name="Tyneside Family Links", areas=[AreaFactory()])
    second = OrganisationFactory(name="Wearside Mentors", charity_number="7654321")
    MembershipFactory(user=UserFactory(username="amara"), organisation=first)
    UserFactory(username="support", role=User.Role.ADMIN)

    sign_in(page, live_server.url, "amara", axe)
    axe(page)
    page.goto(f"{live_server.url}/account/")
    axe(page)
    page.get_by_role("link", name="Ask to join another organisation").click()
    axe(page)
    page.get_by_label("Name of your organisation").fill("Wearside")
    page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_label("Wearside Mentors").check()
    page.get_by_role("button", name="Continue").click()
    axe(page)
    expect(page.get_by_role("heading", name="Ask to join Wearside Mentors")).to_be_visible()
    page.get_by_label("Your job title there").fill("Volunteer mentor")
    page.get_by_role("button", name="Ask to join").click()
    axe(page)
    expect(page.get_by_role("heading", name="Your request is waiting for approval")).to_be_visible()
    assert User.objects.filter(username="amara").count() == 1
    request = Membership.objects.get(user__username="amara", organisation=second)

    sign_out(page, live_server.url, axe)
    axe(page)
    sign_in(page, live_server.url, "support", axe)
    axe(page)
    page.goto(f"{live_server.url}/account/")
    axe(page)
    page.get_by_role("link", name="Wearside Mentors").click()
    axe(page)
    page.get_by_role("link", name="Check and decide on").click()
    axe(page)
    page.get_by_role("button", name="Record the decision").click()
    axe(page)
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("The charity register entry (charity number)").check()
    page.get_by_label("What did the check show?").fill("Register lists Amara as a trustee.")
    page.get_by_label("Verified: approve as the organisation's first administrator").check()
    page.get_by_role("button", name="Record the decision").click()
    axe(page)
    request.refresh_from_db()
    assert (request.status, request.is_org_admin) == (Membership.Status.APPROVED, True)
    assert request.decision_reason == "Register lists Amara as a trustee."
