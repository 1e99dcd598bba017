"""The study page leads with the result in the Justice Data Lab's wording (OUT-1, issue 17):
plain English above the analyst's detail, which keeps its figures with each term explained;
only the Lab measures a study computed are shown."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from commissioning.outcomes_web.models import OutcomeStudy
from commissioning_analytics.outcomes.lab_wording import JARGON
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    member_of,
)
from tests.integration.test_outcomes_web_helpers import TEST_POOL_SIZE
from tests.integration.test_outcomes_web_publishing import _client, _study, _upload_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> dict[str, Any]:
    """As in test_outcomes_web_publishing: a provider with a member, an exercise of a body,
    and an anonymous visitor."""
    provider = OrganisationFactory(name="Study Owner Trust")
    return {
        "provider": provider,
        "exercise": ExerciseFactory(commissioning_body=CommissioningBodyFactory()),
        "member": member_of(provider),
        "anonymous": None,
    }


@pytest.fixture
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = Path(tmp_path_factory.getbasetemp()) / "outcomes-pool"


def _page(setting: dict[str, Any], study: OutcomeStudy, who: str = "member") -> str:
    response = _client(setting, who).get(reverse("outcomes:detail", args=[study.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _brief(page: str) -> str:
    """The text from "The result in brief" to "The analyst's detail", tags removed."""
    section = page.split("The result in brief", 1)[1].split("The analyst's detail", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_finished_study_reads_in_the_lab_wording_before_any_jargon(
    setting: dict[str, Any],
) -> None:
    study = _study(setting)  # 3 of 61 against 25 in 100; difference −40 to −1 points, p 0.04
    page = _page(setting, study)
    brief = _brief(page)
    assert (
        "People who took part in the programme were less likely to reoffend than similar "
        "people who did not: 5 in 100 against 25 in 100 reoffended within a year (the "
        "difference is between 1 and 40 points)."
    ) in brief
    assert "One-year proven reoffending rate" in brief
    assert "cannot account for differences that are not recorded" in brief
    assert not [term for term in JARGON if term.lower() in brief.lower()]
    # the headline comes before the first technical term, and the detail keeps its figures
    first_jargon = min(page.find(term) for term in ("caliper", "SMD", "propensity"))
    assert page.index("The result in brief") < first_jargon
    assert "A caliper is the furthest apart two people's propensity scores may be" in page
    assert "the p-value is the chance of seeing a difference at least this large" in page
    assert "standardised mean difference (SMD)" in page
    assert "−40.0 percentage points to −1.0 percentage points" in page
    assert "0.040" in page  # the p-value


def test_published_page_reads_the_same(setting: dict[str, Any]) -> None:
    study = _study(setting, published=True)
    brief = _brief(_page(setting, study, who="anonymous"))
    assert "were less likely to reoffend than similar people who did not" in brief


def test_inconclusive_result_says_more_people_are_needed(setting: dict[str, Any]) -> None:
    study = _study(setting)
    study.result |= {"ci_low": -0.3, "ci_high": 0.05, "p_value": 0.2}
    study.save(update_fields=["result"])
    brief = _brief(_page(setting, study))
    assert "The analysis cannot say whether taking part in the programme changes" in brief
    assert "More people would need to be available for analysis" in brief
    assert "should not be taken to mean that the programme fails to affect reoffending" in brief


def test_an_outcome_that_is_not_a_lab_measure_gets_no_lab_headline(
    setting: dict[str, Any],
) -> None:
    study = _study(setting)
    study.outcome = "custodial"
    study.result |= {"outcome": "custodial"}
    study.save(update_fields=["outcome", "result"])
    page = _page(setting, study)
    assert "The result in brief" not in page
    assert "less likely to reoffend" not in page


@pytest.mark.usefixtures("_small_pool")
def test_a_study_run_by_the_engine_leads_with_the_lab_wording(
    setting: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(setting, "member")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("outcomes:upload"), _upload_data()).status_code == 302
    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.DONE
    result: dict[str, Any] = study.result or {}
    brief = _brief(_page(setting, study))
    cohort, comparison = round(100 * result["treated_mean"]), round(100 * result["comparison_mean"])
    assert f"{cohort} in 100 against {comparison} in 100 reoffended within a year" in brief
    # the demo cohort against the small test pool: an interval that includes no difference
    assert result["ci_low"] < 0 < result["ci_high"] and result["p_value"] > 0.05
    low, high = round(-100 * result["ci_low"]), round(100 * result["ci_high"])
    assert f"(the difference is between {low} points lower and {high} points higher)" in brief
    assert "More people would need to be available for analysis" in brief
