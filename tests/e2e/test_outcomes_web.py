"""A provider uploads the demo resettlement cohort and sees the matched comparison, then an
invalid file and its row-level errors, in the browser, with axe-core on every page (OUT-1,
OUT-4; issue 6); the study page's charts and their data tables (OUT-2, EQU-2)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from commissioning.outcomes_web.models import OutcomeStudy
from tests.e2e.helpers import sign_in
from tests.factories import OrganisationFactory, member_of
from tests.integration.test_outcomes_web_helpers import (
    TEST_POOL_SIZE,
    resettlement_csv,
    with_bad_value,
    write_resettlement,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fill_upload(page: Page, title: str, path: Path) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Cohort file (CSV)").set_input_files(str(path))
    page.get_by_label("With replacement", exact=True).check()
    page.get_by_label("Comparison people for each cohort member").fill("3")
    page.get_by_role("button", name="Upload and compare").click()
    page.wait_for_load_state("load")


def _check_charts(page: Page) -> None:
    """The Love plot, overlap, Kaplan–Meier and forest charts, each with its data table
    (OUT-1, OUT-2, EQU-2)."""
    for name in ("Love plot", "Propensity score overlap", "Kaplan–Meier curves"):
        expect(page.get_by_role("img", name=re.compile(f"^{name}"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Love plot"))).to_have_attribute(
        "aria-label", re.compile("covariates are at or below the 0.1 line")
    )
    expect(page.get_by_role("img", name=re.compile("^Kaplan–Meier curves"))).to_have_attribute(
        "aria-label", re.compile("Cox hazard ratio")
    )
    overlap = page.get_by_role("table", name="Propensity score overlap: people in each band")
    expect(overlap).to_be_hidden()
    page.get_by_text("Show the propensity score chart's data").click()
    expect(overlap).to_be_visible()
    expect(overlap.get_by_role("rowheader").first).to_have_text(re.compile(r"^[0-9.]+% to "))
    survival = page.get_by_role("table", name=re.compile("^Kaplan–Meier curves: percentage"))
    page.get_by_text("Show the Kaplan–Meier chart's data").click()
    expect(survival).to_be_visible()
    expect(survival.get_by_role("rowheader", name="180", exact=True)).to_be_visible()
    summary = page.get_by_role("table", name="Time to first proven reoffence: summary")
    expect(summary).to_contain_text("Log-rank test p-value")
    subgroups = page.get_by_role("table", name="Results by subgroup")
    expect(subgroups).to_be_visible()
    expect(subgroups.get_by_role("rowheader", name="Area: west-midlands")).to_be_visible()
    expect(subgroups.get_by_role("rowheader", name="Sex: female")).to_be_visible()


def test_provider_uploads_cohort_and_sees_matched_comparison(
    page: Page, live_server: Any, axe: Any, settings: Any, tmp_path: Path
) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = tmp_path / "pool"
    provider = OrganisationFactory(name="Northern Resettlement Trust")
    user = member_of(provider, username="resettle")
    cohort = write_resettlement(tmp_path)

    sign_in(page, live_server.url, user.username, axe)
    axe(page)
    page.goto(f"{live_server.url}/outcomes/")
    axe(page)
    page.get_by_role("link", name="Upload a cohort").click()
    axe(page)
    expect(page.get_by_role("heading", name="Upload a cohort", level=1)).to_be_visible()

    _fill_upload(page, "Resettlement 2024", cohort)
    axe(page)
    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.DONE, study.error
    expect(page.get_by_role("heading", name="Resettlement 2024", level=1)).to_be_visible()
    expect(page.get_by_text(study.result["statement"])).to_be_visible()
    expect(page.get_by_text("synthetic comparison pool").first).to_be_visible()
    balance = page.get_by_role("table", name="Balance of the covariates")
    expect(balance).to_be_visible()
    expect(balance.get_by_role("rowheader", name="prior_offences")).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("^Effect .*95% confidence interval"))
    ).to_be_visible()
    expect(page.get_by_role("table", name="Results", exact=True)).to_contain_text(
        "95% confidence interval"
    )
    _check_charts(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the result as JSON").click()
    download = download_info.value
    assert download.suggested_filename == f"outcome-study-{study.pk}.json"
    downloaded = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert downloaded["effect"] == study.result["effect"]
    assert downloaded["n_treated"] == 400

    bad = tmp_path / "cohort_bad.csv"
    bad.write_text(with_bad_value(resettlement_csv(), 43, "age", "forty"), encoding="utf-8")
    page.goto(f"{live_server.url}/outcomes/new/")
    axe(page)
    _fill_upload(page, "Broken upload", bad)
    axe(page)
    message = "cohort_bad.csv: row 43: column 'age' has 'forty', which is not a number"
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator(".govuk-error-message", has_text=message)).to_be_visible()
    assert OutcomeStudy.objects.count() == 1
