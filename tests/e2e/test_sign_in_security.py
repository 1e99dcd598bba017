"""Issue 13, sign-in and accounts, in the browser with axe-core on every page: register, confirm
the emailed link, sign in; and the lockout page after repeated wrong passwords (429)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from tests.e2e.helpers import confirm_emailed_link, sign_in
from tests.factories import (
    PASSWORD,
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _assert_reflows(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})


def test_register_confirm_the_emailed_link_then_sign_in(
    page: Page, live_server: Any, axe: Any
) -> None:
    charity = OrganisationFactory(name="Tyneside Family Links", areas=[AreaFactory()])
    MembershipFactory(
        user=UserFactory(username="tyneside-admin"), organisation=charity, is_org_admin=True
    )

    page.goto(f"{live_server.url}/account/register/?organisation={charity.slug}")
    axe(page)
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("amara@tyneside.example")
    page.get_by_label("Username").fill("amara")
    page.get_by_label("Create a password").fill("Kingfisher1")
    page.get_by_label("Confirm your password").fill("Kingfisher1")
    page.get_by_role("button", name="Register").click()
    axe(page)
    expect(page.get_by_role("link", name="This password is too short.")).to_be_visible()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    axe(page)
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _assert_reflows(page)
    assert not User.objects.get(username="amara").email_verified

    # not yet: the address is unconfirmed
    sign_in(page, live_server.url, "amara", axe)
    axe(page)
    expect(page.get_by_text("Confirm your email address before you sign in").first).to_be_visible()

    confirm_emailed_link(page, live_server.url, "amara@tyneside.example", axe)
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    page.get_by_label("Username or email address").fill("amara@tyneside.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    axe(page)
    page.goto(f"{live_server.url}/account/register/requested/")
    axe(page)
    expect(page.get_by_role("heading", name="Your request is waiting for approval")).to_be_visible()
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor__username="amara").exists()


def test_repeated_wrong_passwords_show_the_lockout_page(
    page: Page, live_server: Any, axe: Any
) -> None:
    user = UserFactory(username="amara")
    statuses = []
    page.goto(f"{live_server.url}/account/sign-in/")
    axe(page)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # a wrong password answers with the sign-in form again: try again on it
        page.get_by_label("Username or email address").fill("amara")
        page.get_by_label("Password", exact=True).fill(f"wrong-guess-{attempt}")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        axe(page)
        statuses.append(posted.value.status)
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    expect(page.get_by_role("heading", name="Sign-in locked")).to_be_visible()
    expect(page.get_by_text("Wait 15 minutes, then try again.")).to_be_visible()
    _assert_reflows(page)
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT, target_id=str(user.pk)).exists()

    page.get_by_role("link", name="reset your password").click()
    axe(page)
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
