"""Small page actions shared by the browser tests."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from tests.factories import PASSWORD
from tests.two_factor import give_authenticator, needs_second_factor, next_code


def sign_in(
    page: Page, base_url: str, username: str, axe: object, password: str = PASSWORD
) -> None:
    """Password, then (for people who must use two-factor authentication or have set it up) the
    code their authenticator would show, computed from its secret."""
    user = User.objects.filter(username=username).first()
    device = give_authenticator(user) if user and needs_second_factor(user) else None
    page.goto(f"{base_url}/account/sign-in/")
    axe(page)  # type: ignore[operator]
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    if device is not None:
        expect(page.get_by_role("heading", name="Enter your two-factor code")).to_be_visible()
        axe(page)  # type: ignore[operator]
        page.get_by_label("Code", exact=True).fill(next_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("load")


def sign_out(page: Page, base_url: str, axe: object) -> None:
    page.goto(f"{base_url}/account/sign-out/")
    axe(page)  # type: ignore[operator]
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")


def confirm_emailed_link(page: Page, base_url: str, address: str, axe: object) -> None:
    """Follow the confirmation link emailed to ``address`` (the locmem outbox) and confirm."""
    bodies = [message.body for message in mail.outbox if address in message.to]
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", bodies[-1])
    assert link is not None, bodies
    page.goto(f"{base_url}{link.group(1)}")
    axe(page)  # type: ignore[operator]
    page.get_by_role("button", name="Confirm email address").click()
    page.wait_for_load_state("load")
    axe(page)  # type: ignore[operator]


class Journey:
    """The page, the live server and the axe check, with the steps the walk repeats."""

    def __init__(self, page: Page, base: str, axe: Any) -> None:
        self.page, self.base, self.axe = page, base, axe

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.axe(self.page)

    def click_link(self, name: str, exact: bool = False) -> None:
        self.page.get_by_role("link", name=name, exact=exact).click()
        self.axe(self.page)

    def click_button(self, name: str, exact: bool = False) -> None:
        self.page.get_by_role("button", name=name, exact=exact).click()
        self.axe(self.page)

    def sign_in(self, username: str) -> None:
        sign_in(self.page, self.base, username, self.axe)
        self.axe(self.page)

    def sign_out(self) -> None:
        sign_out(self.page, self.base, self.axe)
        self.axe(self.page)

    def fill_date(self, legend: str, day: date) -> None:
        group = self.page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def flash(self, text: str) -> None:
        expect(self.page.get_by_text(text)).to_be_visible()
