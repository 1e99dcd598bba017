"""Uploading a cohort and seeing the matched comparison (OUT-1, OUT-4; issue 6)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.outcomes_web import services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.factories import OrganisationFactory, member_of
from tests.integration.test_outcomes_web_helpers import (
    COVARIATES_TEXT,
    TEST_POOL_SIZE,
    resettlement_csv,
    with_bad_value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = Path(tmp_path_factory.getbasetemp()) / "outcomes-pool"


@pytest.fixture
def upload(client: Client, django_capture_on_commit_callbacks: Any) -> Any:
    """POST the upload form and run what the transaction queued (the evaluation task)."""

    def post(text: str, **overrides: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return _post(client, text, **overrides)

    return post


def _post(client: Client, text: str, **overrides: Any) -> Any:
    data = {
        "title": "Resettlement 2024",
        "cohort_file": SimpleUploadedFile("cohort_resettlement.csv", text.encode(), "text/csv"),
        "outcome": "reoffended",
        "covariates": COVARIATES_TEXT,
        "replace": "yes",
        "ratio": "3",
        "caliper": "0.2",
        **overrides,
    }
    return client.post(reverse("outcomes:upload"), data)


def test_valid_upload_is_evaluated_and_shown(client: Client, upload: Any) -> None:
    provider = OrganisationFactory(name="Northern Resettlement Trust")
    user = member_of(provider)
    client.force_login(user)

    response = upload(resettlement_csv())

    study = OutcomeStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:detail", kwargs={"pk": study.pk})
    assert study.organisation == provider and study.created_by == user
    assert study.status == OutcomeStudy.Status.DONE, study.error
    result = study.result
    assert result["n_treated"] == 400 and result["n_pool"] == TEST_POOL_SIZE
    assert result["comparison_pool"]["synthetic"] is True
    assert result["ci_low"] < result["effect"] < result["ci_high"]
    assert {b["covariate"] for b in result["balance"]} == set(COVARIATES_TEXT.split(","))
    assert AuditEvent.objects.filter(action="create", target_id=str(study.pk)).exists()

    page = client.get(response["Location"]).content.decode()
    assert "could be between" in result["statement"]
    assert "commit a proven reoffence within one year" in result["statement"]
    assert html.escape(result["statement"]) in page
    assert "synthetic comparison pool" in page
    words = " ".join(re.sub(r"<[^>]+>", " ", page).lower().split())
    assert "synthetic synthetic" not in words  # issue 17: no doubled word on the page
    assert f"nobody in it is real ({TEST_POOL_SIZE:,} people)" in words
    assert 'role="img"' in page and "95% confidence interval" in page
    assert "SMD after matching" in page and "prior_offences" in page
    assert f"{result['treated_mean'] * 100:.1f}%" in page

    download = client.get(reverse("outcomes:download-json", kwargs={"pk": study.pk}))
    assert download["Content-Disposition"] == (
        f'attachment; filename="outcome-study-{study.pk}.json"'
    )
    assert json.loads(download.content)["effect"] == result["effect"]
    csv_download = client.get(reverse("outcomes:download-csv", kwargs={"pk": study.pk}))
    assert csv_download["Content-Disposition"].endswith(f'outcome-study-{study.pk}.csv"')
    assert f"result,effect,{result['effect']}" in csv_download.content.decode()

    listing = client.get(reverse("outcomes:list")).content.decode()
    assert "Resettlement 2024" in listing


def test_continuous_outcome_is_shown_as_an_average(client: Client, upload: Any) -> None:
    client.force_login(member_of(OrganisationFactory()))
    upload(resettlement_csv(), outcome="reoffences", replace="no", ratio="1")
    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.DONE, study.error
    result = study.result
    assert result["outcome_type"] == "continuous"
    assert "the average number of proven reoffences in the year" in result["statement"]
    page = client.get(reverse("outcomes:detail", kwargs={"pk": study.pk})).content.decode()
    assert html.escape(result["statement"]) in page
    assert f"{result['treated_mean']:.2f}" in page
    assert str(result["published_counts"]["matched_treated"]) in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            with_bad_value(resettlement_csv(), 43, "age", "forty"),
            "cohort_resettlement.csv: row 43: column &#x27;age&#x27; has &#x27;forty&#x27;, "
            "which is not a number",
        ),
        (
            resettlement_csv().replace("ogrs_score", "ogrs", 1),
            "cohort_resettlement.csv: no column &#x27;ogrs_score&#x27;",
        ),
        (
            "\n".join(resettlement_csv().splitlines()[:41]) + "\n",
            "the cohort (cohort_resettlement.csv) has 40 people; at least 60 are needed",
        ),
    ],
    ids=["non-numeric", "missing-column", "too-small"],
)
def test_invalid_upload_shows_row_level_error_and_stores_nothing(
    client: Client, upload: Any, text: str, message: str
) -> None:
    client.force_login(member_of(OrganisationFactory()))
    response = upload(text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert page.count(message) == 2  # the error summary and next to the file field
    assert not OutcomeStudy.objects.exists()
    assert not AuditEvent.objects.filter(action="create", target_type__contains="Outcome").exists()


def test_unknown_columns_and_outcome_as_covariate_are_refused(client: Client, upload: Any) -> None:
    client.force_login(member_of(OrganisationFactory()))
    page = upload(resettlement_csv(), outcome="income").content.decode()
    assert "The synthetic comparison pool has no outcome &#x27;income&#x27;" in page
    page = upload(resettlement_csv(), covariates="age,reoffended").content.decode()
    assert "The outcome column cannot also be a covariate" in page
    assert not OutcomeStudy.objects.exists()


def test_failed_evaluation_is_stored_and_shown(client: Client, upload: Any) -> None:
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    study = OutcomeStudy.objects.create(
        organisation=organisation,
        title="Too small",
        outcome="reoffended",
        covariates=["age"],
        options={"caliper": 0.2, "replace": False, "ratio": 1},
        cohort_csv="\n".join(resettlement_csv().splitlines()[:30]) + "\n",
        cohort_filename="small.csv",
    )

    assert services.run_study(study.pk) == OutcomeStudy.Status.FAILED

    study.refresh_from_db()
    assert study.error.startswith("the cohort (small.csv) has 29 people")
    page = client.get(reverse("outcomes:detail", kwargs={"pk": study.pk})).content.decode()
    assert "The analysis could not be completed" in page and "has 29 people" in page
    download = client.get(reverse("outcomes:download-json", kwargs={"pk": study.pk}))
    assert download.status_code == 404
