"""Someone opens the market map for an area, colours it by another measure and downloads the
map's figures; axe-core on every page and the page reflows at 320 CSS px (MKT-1, MKT-2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.integration.test_stewardship_market import Market

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_open_the_market_map_switch_the_measure_and_download(
    page: Page, live_server: Any, axe: Any
) -> None:
    Market()  # Cumbria: 2025's money is the prime's £800 and a charity's £100
    page.goto(f"{live_server.url}/market/?place=area:cumbria")
    axe(page)
    expect(page.get_by_role("heading", name="Market map: Cumbria", level=1)).to_be_visible()
    expect(
        page.get_by_role(
            "img", name="Tile map of police force areas coloured by money received in the year (£)"
        )
    ).to_be_visible()

    page.get_by_label("Colour the map by").select_option(label="Concentration of the money (HHI)")
    page.get_by_role("button", name="Show the market").click()
    axe(page)
    map_table = page.locator("#tiles-table")
    expect(map_table.get_by_role("row", name="Cumbria CUM 8,024.7")).to_be_visible()
    expect(page.locator("#concentration-table")).to_contain_text("Highly concentrated")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the map’s figures (CSV)").click()
    figures = Path(download.value.path()).read_text().splitlines()
    assert figures[0] == "police_force_area,hhi"
    assert "Cumbria,8024.7" in figures

    page.get_by_role("link", name="Specialist organisations’ health").click()
    axe(page)
    expect(page.locator("#health-table")).to_contain_text("BAME-led")

    page.set_viewport_size({"width": 320, "height": 800})
    for path in (
        "/market/?place=area:cumbria&measure=hhi",
        "/market/specialists/",
        "/contracts/BIG/footprint/",
    ):
        page.goto(f"{live_server.url}{path}")
        axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"
