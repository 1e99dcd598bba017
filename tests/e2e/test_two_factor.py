"""Two-factor sign-in in the browser (issue 13): a commissioner sets up an authenticator from the
secret the page shows, sees the recovery codes once, then signs in again with a code computed
from that secret. axe-core on every page; every two-factor page reflows at 320 CSS px."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from commissioning.accounts.models import User
from tests.e2e.helpers import sign_out
from tests.factories import PASSWORD, UserFactory
from tests.two_factor import code_for_secret, next_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def _check(page: Page, axe: Any) -> None:
    axe(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at a {WIDTH} px viewport"


def _password_step(page: Page, base: str, username: str, axe: Any) -> None:
    page.goto(f"{base}/account/sign-in/?next=/account/")
    _check(page, axe)
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _check(page, axe)


def test_commissioner_sets_up_two_factor_and_signs_in_with_a_code(
    browser: Browser, live_server: Any, axe: Any, axe_tracker: Any
) -> None:
    user = UserFactory(username="casey", role=User.Role.COMMISSIONER)
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "framenavigated",
        lambda frame: axe_tracker.navigated(frame.url) if frame == page.main_frame else None,
    )
    base = live_server.url
    try:
        # The password step sends a commissioner without an authenticator to set one up.
        _password_step(page, base, "casey", axe)
        expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
        expect(
            page.get_by_role("img", name="QR code to scan with your authenticator app")
        ).to_be_visible()
        secret = (page.locator("#two-factor-secret").text_content() or "").strip()
        assert len(secret.replace(" ", "")) == 32

        # Nothing else opens until it is set up.
        page.goto(f"{base}/exercises/")
        _check(page, axe)
        expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()

        right = code_for_secret(secret)
        page.get_by_label("Code from your authenticator app").fill(
            "000000" if right != "000000" else "111111"
        )
        page.get_by_role("button", name="Confirm").click()
        _check(page, axe)
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(page.get_by_role("link", name="The code is not correct")).to_be_visible()

        # A wrong code holds the next try back for a second.
        page.wait_for_timeout(1_100)
        page.get_by_label("Code from your authenticator app").fill(code_for_secret(secret))
        page.get_by_role("button", name="Confirm").click()
        _check(page, axe)
        expect(page.get_by_role("heading", name="Recovery codes", exact=True)).to_be_visible()
        expect(page.locator(".app-recovery-code")).to_have_count(10)
        page.get_by_role("link", name="I have saved my recovery codes").click()
        _check(page, axe)
        # On to the page that sent them to set up.
        assert page.url == f"{base}/exercises/"
        page.goto(f"{base}/account/")
        _check(page, axe)
        expect(page.get_by_text("On: you sign in with your password and a code")).to_be_visible()

        sign_out(page, base, axe)
        _check(page, axe)

        # Next time: the password, then a code from the authenticator.
        _password_step(page, base, "casey", axe)
        expect(page.get_by_role("heading", name="Enter your two-factor code")).to_be_visible()
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.get_by_label("Code", exact=True).fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
        _check(page, axe)
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    finally:
        context.close()
