"""The Justice Data Lab journey in the browser (issue 17 item 4; OUT-1, OUT-4, PBR-2): the data
steward loads a national extract, a provider uploads the people it worked with by identifier, the
study is measured from the extract's offences and reads in the Lab's wording, and the provider
publishes it after confirming. axe-core after every page; each page reflows at 320 CSS px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.accounts.models import User
from commissioning.outcomes_web.lab_results import lab_headlines
from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
from commissioning_analytics.outcomes_synthetic.extract import generate_extract
from commissioning_analytics.outcomes_synthetic.writers import write_csv
from tests.e2e.helpers import sign_in, sign_out
from tests.factories import OrganisationFactory, UserFactory, member_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def seen(page: Page, axe: Any) -> None:
    """axe on the page, then the page reflows at 320 CSS px."""
    axe(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_steward_loads_an_extract_and_a_provider_publishes_a_study_by_identifier(
    page: Page, live_server: Any, axe: Any, settings: Any, tmp_path: Path
) -> None:
    settings.OUTCOMES_EXTRACT_DIR = tmp_path / "extracts"
    drawn = generate_extract(17, 3_000, 200, unknown=5)
    files = {name: tmp_path / f"extract_{name}.csv" for name in ("people", "offences", "cohort")}
    for name, path in files.items():
        write_csv(getattr(drawn, name), path)
    UserFactory(username="e2esteward", role=User.Role.STEWARD)
    provider = OrganisationFactory(name="Northern Resettlement Trust")
    member_of(provider, username="e2eprovider")
    base = live_server.url

    sign_in(page, base, "e2esteward", axe)
    seen(page, axe)
    page.get_by_role("link", name="National extract").first.click()
    seen(page, axe)
    expect(page.get_by_text("No version has been loaded yet.")).to_be_visible()
    page.get_by_role("link", name="Load a new version").click()
    seen(page, axe)
    page.get_by_label("People file (CSV)").set_input_files(str(files["people"]))
    page.get_by_label("Offences file (CSV)").set_input_files(str(files["offences"]))
    page.get_by_label("Identifier columns").fill("pnc_id")
    page.get_by_role("button", name="Load the extract").click()
    page.wait_for_load_state("load")
    seen(page, axe)
    expect(page.get_by_text("Version 1 is loaded")).to_be_visible()
    versions = page.get_by_role("table", name="Versions, newest first")
    expect(versions).to_contain_text("3,000 people")
    assert NationalExtract.objects.get().version == 1
    sign_out(page, base, axe)
    axe(page)

    sign_in(page, base, "e2eprovider", axe)
    axe(page)
    page.goto(f"{base}/outcomes/")
    seen(page, axe)
    expect(page.get_by_role("link", name="National extract", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Start a study with the national extract").click()
    seen(page, axe)
    page.get_by_label("Title").fill("Resettlement by identifier")
    page.get_by_label("Cohort file (CSV)").set_input_files(str(files["cohort"]))
    page.get_by_role("button", name="Upload and compare").click()
    page.wait_for_load_state("load")
    seen(page, axe)

    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.DONE, study.error
    assert study.extract is not None and study.extract.version == 1
    expect(page.get_by_role("heading", name="Resettlement by identifier", level=1)).to_be_visible()
    [(measure, wording)] = lab_headlines(study.result)
    expect(page.get_by_role("heading", name=measure)).to_be_visible()
    expect(page.get_by_text(wording.headline)).to_be_visible()
    expect(page.get_by_text("5 people not found")).to_be_visible()
    expect(page.get_by_text("SYNPNC")).to_have_count(0)

    page.get_by_role("button", name="Publish this study").click()
    page.wait_for_load_state("load")
    seen(page, axe)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you sure you want to publish")
    page.get_by_role("button", name="Publish the study").click()
    page.wait_for_load_state("load")
    seen(page, axe)
    expect(page.get_by_text("The study is published")).to_be_visible()
    study.refresh_from_db()
    assert study.is_published
