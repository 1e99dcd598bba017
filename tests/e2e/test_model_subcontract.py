"""A sub-contractor finds its model sub-contract from the contract's pages, reads the agreed
figures, downloads the PDF, and the page reflows at 320 CSS px (issue 15; SUP-3, PBR-6).
axe-core after every navigation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import sign_in
from tests.factories import member_of
from tests.integration.test_contracts_model_subcontract import HOPE_FIGURES, hand_made_contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320


def test_a_subcontractor_reads_and_downloads_its_model_subcontract(
    page: Page, live_server: Any, axe: Any
) -> None:
    contract = hand_made_contract()
    member_of(contract.parties.get(party_id="hope-housing").organisation, username="hopeworker")
    sign_in(page, live_server.url, "hopeworker", axe)
    axe(page)
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    axe(page)
    page.get_by_role("navigation", name="Contract sections").get_by_role(
        "link", name="Model sub-contracts"
    ).click()
    axe(page)
    expect(page.get_by_role("link", name="Model sub-contract with Bridge Project")).to_have_count(0)
    page.get_by_role("link", name="Model sub-contract with Hope Housing Trust").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Model sub-contract with Hope Housing Trust"
    )
    terms = page.locator("#key-terms")
    for figure in HOPE_FIGURES:
        expect(terms).to_contain_text(figure)
    expect(page.locator("#clauses")).to_contain_text("The agreed terms name no mediator.")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this model sub-contract as a PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"model-subcontract-{contract.reference}-hope-housing.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_model_subcontract_reflows_at_320_css_pixels(
    browser: Browser, live_server: Any, axe: Any
) -> None:
    contract = hand_made_contract()
    member_of(contract.prime, username="primeworker")
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "primeworker", axe)
        axe(page)
        for path in (
            f"/contracts/{contract.reference}/subcontracts/",
            f"/contracts/{contract.reference}/subcontracts/hope-housing/",
            f"/contracts/{contract.reference}/subcontracts/bridge-project/",
        ):
            page.goto(f"{live_server.url}{path}")
            axe(page)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTH, f"{path} is {width} px wide at a {WIDTH} px viewport"
    finally:
        context.close()
