"""Browser tests: Playwright for Python driving Debian's chromium, axe-core on every page.

Every main-frame navigation must be followed by an axe-core check (``axe(page)``) before the next
one; a test that visits a page without checking it fails at teardown, so no page escapes the
accessibility check (style.md convention 8).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.e2e


@dataclass
class AxeTracker:
    unchecked: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped_without_check: list[str] = field(default_factory=list)

    def navigated(self, url: str) -> None:
        if self.unchecked:
            self.skipped_without_check.extend(self.unchecked)
        self.unchecked = [url]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axe_tracker() -> AxeTracker:
    return AxeTracker()


@pytest.fixture
def page(browser: Browser, axe_tracker: AxeTracker) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "framenavigated",
        lambda frame: axe_tracker.navigated(frame.url) if frame == page.main_frame else None,
    )
    # Anything the Content Security Policy refuses (an inline script, style or event handler)
    # is a broken page: the browser logs it to the console.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not refused, "refused by the Content Security Policy:\n" + "\n".join(refused)
    missed = axe_tracker.skipped_without_check + axe_tracker.unchecked
    assert not missed, f"pages visited without an axe-core check: {missed}"


# A viewport change (the reflow checks at 320 px) fires the page's "resize" handlers only at the
# browser's next rendering step, which may come after Playwright has returned: the table regions'
# handler (frontend/js/app.mjs) may not yet have made a now-scrolling table focusable. Two
# animation frames later the rendering step, and so every resize handler, has run.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def settle(page: Page) -> None:
    """Wait until the page has run its handlers for a change of viewport."""
    page.evaluate(SETTLED)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    settle(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content Security Policy does
        # not govern; a <script> tag with the source inline (add_script_tag) would be refused.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    # Every rule runs; only violations are collected, which makes a run several times faster.
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


@pytest.fixture
def axe(axe_tracker: AxeTracker) -> Any:
    """``axe(page)`` runs axe-core on the current page and fails on any violation."""

    def check(page: Page) -> None:
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ]
        assert not violations, f"axe-core violations on {page.url}:\n" + json.dumps(
            summary, indent=2
        )
        axe_tracker.checked.append(page.url)
        axe_tracker.unchecked = [u for u in axe_tracker.unchecked if u != page.url]

    return check
