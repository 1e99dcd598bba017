"""The public reads published outcome studies (OUT-1, OUT-4): from the footer to the list to a
study whose counts are suppressed; axe-core on every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ExerciseFactory, OrganisationFactory, member_of
from tests.integration.test_outcomes_web_publishing import _study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting() -> dict[str, Any]:
    provider = OrganisationFactory(name="Study Owner Trust")
    return {"provider": provider, "member": member_of(provider), "exercise": ExerciseFactory()}


def test_public_finds_a_published_study_from_the_footer(
    page: Page, live_server: Any, axe: Any, setting: dict[str, Any]
) -> None:
    _study(setting, title="Resettlement outcomes 2025", published=True)
    _study(setting, title="Unpublished draft study")

    page.goto(f"{live_server.url}/")
    axe(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Published outcome studies").click()
    axe(page)
    expect(page.get_by_role("link", name="Resettlement outcomes 2025")).to_be_visible()
    expect(page.get_by_text("Unpublished draft study")).to_have_count(0)

    page.get_by_role("link", name="Resettlement outcomes 2025").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resettlement outcomes 2025")
    expect(page.get_by_text("<5").first).to_be_visible()
    expect(page.get_by_text("P-SECRET-0001")).to_have_count(0)
