"""Small page actions shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.factories import PASSWORD


def sign_in(page: Page, base_url: str, username: str, axe: object) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    axe(page)  # type: ignore[operator]
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def sign_out(page: Page, base_url: str, axe: object) -> None:
    page.goto(f"{base_url}/account/sign-out/")
    axe(page)  # type: ignore[operator]
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
