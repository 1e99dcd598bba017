"""The study page's charts and their data tables (OUT-1, OUT-2, EQU-2), the published view of
them (OUT-4), and commissioners' lists of the studies linked to their exercises (issue 6)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.outcomes_web import services
from commissioning.outcomes_web.models import OutcomeStudy
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    OrganisationFactory,
    member_of,
)
from tests.integration.test_outcomes_web_helpers import TEST_POOL_SIZE, resettlement_csv
from tests.integration.test_outcomes_web_publishing import _client, _study
from tests.unit.test_outcomes_web_presentation_data import full_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> dict[str, Any]:
    """As in test_outcomes_web_publishing: a provider, and an exercise of a body with a
    commissioner; another commissioner and an anonymous visitor."""
    provider = OrganisationFactory(name="Study Owner Trust")
    body = CommissioningBodyFactory(name="Related Body PCC")
    return {
        "provider": provider,
        "exercise": ExerciseFactory(commissioning_body=body),
        "member": member_of(provider),
        "commissioner": member_of(body, role=User.Role.COMMISSIONER),
        "other_commissioner": member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER),
        "anonymous": None,
    }


def _with_sections(study: OutcomeStudy) -> OutcomeStudy:
    study.result = full_result(study.result)
    study.save(update_fields=["result"])
    return study


def _images(page: str) -> list[str]:
    return re.findall(r'<svg role="img" aria-label="([^"]+)"', page)


def test_full_page_shows_every_chart_with_its_data_table(setting: dict[str, Any]) -> None:
    study = _with_sections(_study(setting))
    page = _client(setting, "member").get(reverse("outcomes:detail", args=[study.pk]))
    html = page.content.decode()
    labels = _images(html)
    assert len(labels) == 5
    assert labels[0].startswith("Effect −20.1 percentage points, 95% confidence interval")
    assert [label.split(":")[0] for label in labels[1:]] == [
        "Love plot",
        "Propensity score overlap",
        "Kaplan–Meier curves",
        "Forest plot",
    ]
    assert "Balance of the covariates (standardised mean differences)" in html
    assert "Propensity score overlap: people in each band" in html
    assert "Kaplan–Meier curves: percentage without a proven reoffence" in html
    assert "Results by subgroup" in html
    assert "Log-rank test p-value 0.011." in html
    assert "Cox hazard ratio 0.62 (95% confidence interval 0.43 to 0.89)" in html
    assert "Yes: the effect differs from the rest of the cohort (p-value 0.010)" in html
    assert "Area: london (disparity)" in html
    # the full view has every count as it is: 3 people at risk on day 364 (table: day 360)
    assert ">3<" in html and "&lt;5" not in html.split("Results by subgroup")[1]


def test_published_page_shows_the_charts_with_suppressed_counts(
    setting: dict[str, Any],
) -> None:
    study = _with_sections(_study(setting))
    _client(setting, "member").post(reverse("outcomes:publish", args=[study.pk]))
    html = _client(setting, "anonymous").get(reverse("outcomes:detail", args=[study.pk]))
    page = html.content.decode()
    assert html.status_code == 200
    labels = _images(page)
    assert any(label.startswith("Kaplan–Meier curves") for label in labels)
    assert any(label.startswith("Propensity score overlap") for label in labels)
    assert "Published curves show every 30 days only." in page
    subgroup_table = page.split("Results by subgroup")[1].split("</table>")[0]
    assert "&lt;5" in subgroup_table  # the female group: 3 people
    assert ">97<" not in subgroup_table and ">95<" in subgroup_table
    km_table = page.split("people still at risk")[1].split("</table>")[0]
    assert "&lt;5" in km_table


def test_published_downloads_suppress_the_new_sections(setting: dict[str, Any]) -> None:
    study = _with_sections(_study(setting))
    _client(setting, "member").post(reverse("outcomes:publish", args=[study.pk]))
    anonymous = _client(setting, "anonymous")
    data = anonymous.get(reverse("outcomes:download-json", args=[study.pk])).json()
    assert data["subgroups"][0]["n_cohort"] == "<5"
    assert data["time_to_event"]["events"]["treated"] == "<5"
    assert len(data["time_to_event"]["kaplan_meier"]["treated"]) == 14
    body = anonymous.get(reverse("outcomes:download-csv", args=[study.pk])).content.decode()
    assert "subgroup,sex=female:n_cohort,<5" in body
    assert "kaplan_meier,treated:day 10:" not in body
    full = _client(setting, "member").get(reverse("outcomes:download-csv", args=[study.pk]))
    assert "kaplan_meier,treated:day 10:survival,0.95" in full.content.decode()


def test_an_old_result_renders_without_the_new_sections(setting: dict[str, Any]) -> None:
    study = _study(setting)
    assert "time_to_event" not in study.result
    page = _client(setting, "member").get(reverse("outcomes:detail", args=[study.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    labels = _images(html)
    assert any(label.startswith("Love plot") for label in labels)
    assert not any(label.startswith("Kaplan–Meier") for label in labels)
    assert "Results by subgroup" not in html
    assert "Propensity score overlap" not in html


def test_commissioner_lists_studies_linked_to_their_exercises(setting: dict[str, Any]) -> None:
    draft = _study(setting, title="Unpublished linked study")
    page = _client(setting, "commissioner").get(reverse("outcomes:list")).content.decode()
    assert "Studies linked to your exercises" in page
    assert "Unpublished linked study" in page and "Study Owner Trust" in page
    assert setting["exercise"].reference in page
    assert reverse("outcomes:detail", args=[draft.pk]) in page
    other = _client(setting, "other_commissioner").get(reverse("outcomes:list"))
    assert "Unpublished linked study" not in other.content.decode()
    assert "No outcome studies are linked" in other.content.decode()
    assert list(services.linked_studies_for(setting["member"])) == []


def test_exercise_page_lists_the_studies_the_viewer_may_see(setting: dict[str, Any]) -> None:
    _study(setting, title="Unpublished linked study")
    _study(setting, title="Published linked study", published=True)
    url = reverse("exercises:detail", args=[setting["exercise"].reference])
    commissioner = _client(setting, "commissioner").get(url).content.decode()
    assert '<h2 class="govuk-heading-m">Outcome studies</h2>' in commissioner
    assert "Unpublished linked study" in commissioner and "Published linked study" in commissioner
    assert "Study Owner Trust" in commissioner
    for who in ("anonymous", "other_commissioner"):
        page = _client(setting, who).get(url).content.decode()
        assert "Published linked study" in page
        assert "Unpublished linked study" not in page


def test_exercise_without_studies_has_no_section(setting: dict[str, Any]) -> None:
    url = reverse("exercises:detail", args=[setting["exercise"].reference])
    page = _client(setting, "commissioner").get(url).content.decode()
    assert '<h2 class="govuk-heading-m">Outcome studies</h2>' not in page


@pytest.fixture
def _small_pool(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.OUTCOMES_POOL_SIZE = TEST_POOL_SIZE
    settings.OUTCOMES_POOL_DIR = Path(tmp_path_factory.getbasetemp()) / "outcomes-pool"


@pytest.mark.usefixtures("_small_pool")
def test_run_study_adds_survival_overlap_and_subgroups(setting: dict[str, Any]) -> None:
    """With days_to_first and first_event in the cohort, the study has the time to first
    proven reoffence; sex, ethnicity and area give the subgroup results (OUT-1, OUT-2, EQU-2)."""
    study = OutcomeStudy.objects.create(
        organisation=setting["provider"],
        created_by=setting["member"],
        title="Resettlement with breakdowns",
        outcome="reoffended",
        covariates=["age", "prior_offences", "custody_index", "ogrs_score"],
        options={"caliper": 0.2, "replace": True, "ratio": 1},
        cohort_csv=resettlement_csv(),
        cohort_filename="cohort_resettlement.csv",
    )
    assert services.run_study(study.pk) == OutcomeStudy.Status.DONE
    study.refresh_from_db()
    result = study.result
    tte = result["time_to_event"]
    assert (tte["duration"], tte["event"]) == ("days_to_first", "first_event")
    assert tte["kaplan_meier"]["treated"] and tte["cox"]["hazard_ratio"] > 0
    assert len(result["overlap"]["edges"]) == 21
    assert sum(result["overlap"]["treated"]) == 400
    variables = {row["variable"] for row in result["subgroups"]}
    assert variables == {"sex", "ethnicity", "area", "age band"}  # OUT-3: ages in the cohort
    bands = [row["group"] for row in result["subgroups"] if row["variable"] == "age band"]
    assert set(bands) <= {"18-20", "21-24", "25+"} and "25+" in bands
    areas = {row["group"] for row in result["subgroups"] if row["variable"] == "area"}
    assert "west-midlands" in areas
    page = _client(setting, "member").get(reverse("outcomes:detail", args=[study.pk]))
    html = page.content.decode()
    assert "Area: west-midlands" in html and "Kaplan–Meier curves" in html
    assert "Age band: 25+" in html


@pytest.mark.usefixtures("_small_pool")
def test_run_study_without_the_extra_columns_has_no_sections(setting: dict[str, Any]) -> None:
    lines = resettlement_csv().splitlines()
    header = lines[0].split(",")
    keep = [i for i, name in enumerate(header) if name in {"age", "prior_offences", "reoffended"}]
    text = "\n".join(",".join(line.split(",")[i] for i in keep) for line in lines) + "\n"
    study = OutcomeStudy.objects.create(
        organisation=setting["provider"],
        created_by=setting["member"],
        title="Minimal columns",
        outcome="reoffended",
        covariates=["age", "prior_offences"],
        options={"caliper": 0.2, "replace": True, "ratio": 1},
        cohort_csv=text,
        cohort_filename="cohort_minimal.csv",
    )
    assert services.run_study(study.pk) == OutcomeStudy.Status.DONE, study.error
    study.refresh_from_db()
    assert study.result["time_to_event"] is None
    # Only the age column is left: results by age band, nothing else.
    assert {row["variable"] for row in study.result["subgroups"]} == {"age band"}
    assert study.result["overlap"]["edges"]
