"""A study by identifier shows its results by age band and its intermediate outcomes (issue 17
items on OUT-2 and OUT-3): on the provider's page, the published page and in the API, from a
small hand-made extract whose matching is known in advance, so every figure is worked by hand.

The extract: 80 cohort people (P001-P080) and their 80 twins (Q001-Q080, the same prior
offences and age), plus 40 people with no prior offence whom nobody matches. Cohort member i
has ``prior_offences = i``, so the propensity score rises with it and each cohort member's
nearest comparison person is their twin, at distance 0: the matched pairs are (Pi, Qi).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.outcomes_web import extracts, services
from commissioning.outcomes_web.forms import ExtractCohortForm
from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
from tests.factories import OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

PAIRS = 80
EXTRAS = 40
INDEX = "2023-01-01"


def _age(i: int) -> int:
    """65 cohort members aged 19, 12 aged 22 and 3 aged 30 (and their twins alike)."""
    return 19 if i <= 65 else 22 if i <= 77 else 30


def _accommodation(i: int, twin: bool) -> str:
    """Cohort: 1-48 yes, 49-75 no, 76-80 not recorded. Twins: 1-30 yes, 31-80 no."""
    if twin:
        return "1" if i <= 30 else "0"
    return "1" if i <= 48 else "0" if i <= 75 else ""


def _employment(i: int, twin: bool) -> str:
    """Recorded for cohort members 1-50 only: 50 people, under the 60 needed."""
    if twin:
        return "1" if i <= 20 else "0"
    return "" if i > 50 else "1" if i <= 25 else "0"


def _education(i: int, twin: bool) -> str:
    """Recorded for everyone (so the steward's file reads it as numbers). Cohort 1-20 yes;
    twins 1-17 yes."""
    return "1" if i <= (17 if twin else 20) else "0"


def _people_csv(intermediate: bool) -> str:
    header = "pnc_id,index_date,sex,age,prior_offences"
    if intermediate:
        header += ",accommodation_6w,employment_6m,education_6m"
    lines = [header]
    for twin, prefix in ((False, "P"), (True, "Q")):
        for i in range(1, PAIRS + 1):
            sex = "female" if i % 2 else "male"
            line = f"{prefix}{i:03d},{INDEX},{sex},{_age(i)},{i}"
            if intermediate:
                line += f",{_accommodation(i, twin)},{_employment(i, twin)},{_education(i, twin)}"
            lines.append(line)
    for i in range(1, EXTRAS + 1):
        line = f"R{i:03d},{INDEX},male,{_age(i)},0"
        lines.append(line + (",,,0" if intermediate else ""))
    return "\n".join(lines) + "\n"


def _offences_csv() -> str:
    """Cohort members 1-20 and twins 1-30 each have one proven offence (a caution) in the
    follow-up year: 25% against 37.5% reoffended."""
    lines = ["pnc_id,offence_date,disposal_date,disposal_type"]
    lines += [f"P{i:03d},2023-03-01,2023-04-01,caution" for i in range(1, 21)]
    lines += [f"Q{i:03d},2023-03-01,2023-04-01,caution" for i in range(1, 31)]
    return "\n".join(lines) + "\n"


def _cohort_csv() -> bytes:
    rows = ["pnc_id,index_date", *(f"P{i:03d},{INDEX}" for i in range(1, PAIRS + 1))]
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture(autouse=True)
def _extract_dir(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_EXTRACT_DIR = tmp_path / "extracts"


def _load(tmp_path: Path, intermediate: bool) -> NationalExtract:
    people, offences = tmp_path / "people.csv", tmp_path / "offences.csv"
    people.write_text(_people_csv(intermediate))
    offences.write_text(_offences_csv())
    steward = UserFactory(role=User.Role.STEWARD)
    return extracts.load_extract(steward, people, offences, ["pnc_id"])


def _study(client: Client, capture: Any) -> OutcomeStudy:
    data = {
        "title": "Housing first by identifier",
        "cohort_file": SimpleUploadedFile("cohort.csv", _cohort_csv(), "text/csv"),
        "outcome": "reoffended",
        "covariates": ["prior_offences"],
        "replace": "no",
        "ratio": "1",
        "caliper": "0.2",
    }
    with capture(execute=True):
        response = client.post(reverse("outcomes:upload-identifiers"), data)
    errors = re.findall(r'govuk-error-message">(.*?)</p', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.DONE, study.error
    return study


def _paired_se(differences: list[float]) -> float:
    n = len(differences)
    tau = sum(differences) / n
    return math.sqrt(n / (n - 1) * sum((d - tau) ** 2 for d in differences)) / n


def test_intermediate_outcomes_and_age_bands_by_hand(
    client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    extract = _load(tmp_path, intermediate=True)
    provider = OrganisationFactory(name="Housing First Trust")
    member = member_of(provider)
    client.force_login(member)

    # Intermediate outcomes are outcomes: never offered to match on, even read as numbers.
    assert "education_6m" in extract.covariates
    offered = ExtractCohortForm(extract=extract).fields["covariates"].choices
    assert [name for name, _ in offered] == ["age", "prior_offences"]

    study = _study(client, django_capture_on_commit_callbacks)
    result = study.result
    assert (result["n_matched_treated"], result["treated_mean"]) == (80, 0.25)
    assert result["comparison_mean"] == pytest.approx(0.375)  # the twins: matched as planned

    rows = {row["measure"]: row for row in result["intermediate"]}
    assert list(rows) == ["accommodation_6w", "employment_6m", "education_6m"]
    # Accommodation: 75 pairs recorded; 48/75 = 64% against 30/75 = 40%; 18 pairs (yes, no).
    accommodation = rows["accommodation_6w"]
    assert accommodation["n_recorded"] == 75
    assert accommodation["treated_mean"] == pytest.approx(0.64)
    assert accommodation["comparison_mean"] == pytest.approx(0.40)
    assert accommodation["effect"] == pytest.approx(0.24)
    se = _paired_se([1.0] * 18 + [0.0] * 57)
    assert se == pytest.approx(math.sqrt(75 / 74 * 13.68) / 75)
    assert accommodation["standard_error"] == pytest.approx(se)
    assert accommodation["ci_low"] == pytest.approx(0.24 - 1.959964 * se, abs=1e-6)
    # Employment: 50 recorded, under 60: no estimate.
    assert rows["employment_6m"]["n_recorded"] == 50 and rows["employment_6m"]["effect"] is None
    # Education: 20/80 = 25% against 17/80 = 21.25%, 3 pairs (yes, no): inconclusive.
    education = rows["education_6m"]
    assert (education["treated_mean"], education["comparison_mean"]) == (0.25, 0.2125)
    assert education["standard_error"] == pytest.approx(_paired_se([1.0] * 3 + [0.0] * 77))
    assert education["ci_low"] < 0 < education["ci_high"]

    # Age bands: 65 matched aged 18-20 (an estimate), 12 aged 21-24 and 3 aged 25+ (none).
    bands = {r["group"]: r for r in result["subgroups"] if r["variable"] == "age band"}
    assert {g: (r["n_cohort"], r["n_matched"]) for g, r in bands.items()} == {
        "18-20": (65, 65),
        "21-24": (12, 12),
        "25+": (3, 3),
    }
    # Cohort 1-20 reoffended (all aged 19) against twins 1-30: 20/65 against 30/65.
    assert bands["18-20"]["treated_mean"] == pytest.approx(20 / 65)
    assert bands["18-20"]["comparison_mean"] == pytest.approx(30 / 65)
    assert bands["21-24"]["effect"] is None and "fewer than 60" in bands["21-24"]["note"]
    assert {r["variable"] for r in result["subgroups"]} == {"sex", "age band"}

    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert (
        "People who took part in the programme were more likely to be in settled accommodation "
        "6 weeks after the index date than similar people who did not: 64 in 100 against 40 in "
        "100 were in settled accommodation 6 weeks after the index date (the difference is "
        "between 14 and 34 points)."
    ) in page
    assert (
        "The analysis cannot say whether taking part in the programme changes the share of "
        "people in education or training 6 months after the index date: 25 in 100 against 21 "
        "in 100 were in education or training 6 months after the index date (the difference "
        "is between 0.4 points lower and 8 points higher)."
    ) in page
    assert "fails to affect this outcome" in page
    assert "No result can be given: fewer than 60 matched cohort members with this" in page
    assert "Age band: 18–20" in page and "Age band: 25+" in page

    # Published: the 3 people aged 25+ are "<5", 12 rounds to 10, 73 recorded would round.
    services.publish_study(member, study.pk)
    public = Client().get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert "64 in 100 against 40 in 100" in public and "Age band: 25+" in public
    assert "&lt;5" in public
    api = Client().get(f"/api/outcome-studies/{study.pk}/results").json()
    published_bands = {r["group"]: r for r in api["subgroups"] if r["variable"] == "age band"}
    assert published_bands["25+"]["n_cohort"] == "<5"
    assert published_bands["21-24"]["n_cohort"] == 10
    assert published_bands["18-20"]["n_matched"] == 65
    assert published_bands["18-20"]["ci_low"] == pytest.approx(bands["18-20"]["ci_low"])
    by_measure = {r["measure"]: r for r in api["intermediate"]}
    assert by_measure["accommodation_6w"]["n_recorded"] == 75
    assert by_measure["accommodation_6w"]["significant"] is True
    assert by_measure["education_6m"]["significant"] is False
    assert by_measure["accommodation_6w"]["headline"].startswith(
        "People who took part in the programme were more likely to be in settled accommodation"
    )
    assert by_measure["employment_6m"]["effect"] is None
    assert "standard_error" not in by_measure["accommodation_6w"]
    detail = Client().get(f"/api/outcome-studies/{study.pk}").json()
    assert detail["breakdowns"] == ["sex", "age band"]
    assert detail["intermediate_outcomes"] == ["accommodation_6w", "employment_6m", "education_6m"]

    csv_text = client.get(reverse("outcomes:download-csv", args=[study.pk])).content.decode()
    assert "intermediate,accommodation_6w:n_recorded,75" in csv_text


def test_an_extract_without_intermediate_outcomes_says_so(
    client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    extract = _load(tmp_path, intermediate=False)
    client.force_login(member_of(OrganisationFactory(name="Plain Data Trust")))

    study = _study(client, django_capture_on_commit_callbacks)

    assert study.result["intermediate"] is None
    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert (
        f"The national extract of offence records (version {extract.version}) does not hold "
        "whether people were in settled accommodation, in employment, or in education or "
        "training after the index date, so these outcomes could not be looked at for this "
        "study."
    ) in page
    detail = client.get(f"/api/outcome-studies/{study.pk}").json()
    assert detail["intermediate_outcomes"] is None
    assert client.get(f"/api/outcome-studies/{study.pk}/results").json()["intermediate"] is None
