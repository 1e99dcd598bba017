"""The police force area comparison in the browser (issue 17, OUT-2): a provider finds the page
from their outcome studies, reads each area's adjusted rate with its interval, and sees the one
area flagged as higher than expected and the others as expected. axe-core after every
navigation; each page reflows at 320 CSS px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import sign_in
from tests.e2e.test_outcomes_extract_journey import seen
from tests.factories import OrganisationFactory, member_of
from tests.integration.test_outcomes_areas_flag import load_area_extract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_provider_reads_the_area_comparison_and_its_flag(
    page: Page, live_server: Any, axe: Any, settings: Any, tmp_path: Path
) -> None:
    settings.OUTCOMES_EXTRACT_DIR = tmp_path / "extracts"
    load_area_extract(tmp_path)
    member_of(OrganisationFactory(name="Valleys Mentoring Trust"), username="e2eareas")
    base = live_server.url

    sign_in(page, base, "e2eareas", axe)
    seen(page, axe)
    page.goto(f"{base}/outcomes/")
    seen(page, axe)
    page.get_by_role("link", name="Reoffending by area, adjusted for local circumstances").click()
    page.wait_for_load_state("load")
    seen(page, axe)

    expect(page.get_by_role("heading", name="Reoffending by area", level=1)).to_be_visible()
    expect(page.get_by_text("Nationally, 31.0% of people reoffended.")).to_be_visible()
    table = page.get_by_role("table", name="Proven reoffending by area")
    gwent = table.get_by_role("row").filter(has_text="Gwent")
    expect(gwent.get_by_text("Higher than expected")).to_be_visible()
    expect(gwent).to_contain_text("50.0")  # 75 of 150 reoffended
    avon = table.get_by_role("row").filter(has_text="Avon")
    expect(avon.get_by_text("As expected")).to_be_visible()
    expect(table.get_by_text("Higher than expected")).to_have_count(1)

    page.get_by_text("How the expected rate is worked out").click()
    expect(page.get_by_text("indirect standardisation")).to_be_visible()
    seen(page, axe)
