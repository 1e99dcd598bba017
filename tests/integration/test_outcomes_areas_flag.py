"""The area comparison's flag on a hand-made extract (issue 17, OUT-2): four police force areas
of 150 people, one of which (Gwent) reoffends far more than its deprivation and employment
explain, so its interval lies wholly above the expected rate and the page flags it; the
others' intervals include 1 and read "As expected". The expected counts are checked against
a logistic model fitted independently with statsmodels, and the interval is the exact Poisson
one, so the flag is not only the code agreeing with itself."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import statsmodels.api as sm
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from scipy.stats import chi2

from commissioning.accounts.models import User
from commissioning.outcomes_web import extracts
from commissioning.outcomes_web.models import NationalExtract
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE_PER_AREA = 150
AREAS = {  # deprivation (%), employment (%), people who reoffended (the first k of 150)
    "Avon": (10.0, 75.0, 30),
    "Cleveland": (30.0, 65.0, 45),
    "Dyfed": (20.0, 72.0, 36),
    "Gwent": (25.0, 68.0, 75),
}
INDEX = date(2023, 1, 1)


@pytest.fixture(autouse=True)
def _extract_dir(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_EXTRACT_DIR = tmp_path / "extracts"
    cache.clear()


def write_area_extract(folder: Path) -> tuple[Path, Path]:
    """The people file and the offences file (a caution 30 days after the index date for
    each person who reoffends)."""
    people = ["pnc_id,index_date,prior_offences,area,area_deprivation,area_employment"]
    offences = ["pnc_id,offence_date,disposal_date,disposal_type"]
    offence_day = (INDEX + timedelta(days=30)).isoformat()
    for name, (deprivation, employment, reoffended) in AREAS.items():
        for i in range(PEOPLE_PER_AREA):
            pnc = f"{name[:3].upper()}{i:04d}"
            people.append(f"{pnc},{INDEX},{i % 5},{name},{deprivation},{employment}")
            if i < reoffended:
                offences.append(f"{pnc},{offence_day},{offence_day},caution")
    paths = folder / "area-people.csv", folder / "area-offences.csv"
    paths[0].write_text("\n".join(people) + "\n")
    paths[1].write_text("\n".join(offences) + "\n")
    return paths


def load_area_extract(folder: Path) -> NationalExtract:
    steward = UserFactory(username="steward-flags", role=User.Role.STEWARD)
    return extracts.load_extract(steward, *write_area_extract(folder), ["pnc_id"])


def _independent_ratios() -> dict[str, tuple[float, float, float]]:
    """Observed / expected with its exact 95% Poisson interval, the model by statsmodels."""
    rows = [
        (name, i % 5, deprivation, employment, int(i < k))
        for name, (deprivation, employment, k) in AREAS.items()
        for i in range(PEOPLE_PER_AREA)
    ]
    y = np.array([r[4] for r in rows], dtype=float)
    x = sm.add_constant(np.array([r[1:4] for r in rows], dtype=float))
    predicted = sm.Logit(y, x).fit(disp=0).predict(x)
    ratios = {}
    for name, (_, _, observed) in AREAS.items():
        expected = sum(p for p, r in zip(predicted, rows, strict=True) if r[0] == name)
        low = chi2.ppf(0.025, 2 * observed) / 2 / expected
        high = chi2.ppf(0.975, 2 * observed + 2) / 2 / expected
        ratios[name] = (observed / expected, low, high)
    return ratios


def _row(page: str, area: str) -> str:
    match = re.search(
        rf'<th scope="row" class="govuk-table__header">{area}</th>(.*?)</tr>', page, re.S
    )
    assert match, area
    return match.group(1)


def test_one_area_is_flagged_higher_than_expected_and_another_is_not(tmp_path: Path) -> None:
    load_area_extract(tmp_path)
    client = Client()
    client.force_login(UserFactory(username="commissioner-flags", role=User.Role.COMMISSIONER))

    page = client.get(reverse("outcomes:areas")).content.decode()

    ratios = _independent_ratios()
    gwent_ratio, gwent_low, gwent_high = ratios["Gwent"]
    assert gwent_low > 1  # the whole interval above what was expected: flagged
    gwent = _row(page, "Gwent")
    assert f"{gwent_ratio:.2f} ({gwent_low:.2f} to {gwent_high:.2f})" in gwent
    assert "Higher than expected" in gwent and "govuk-tag--red" in gwent
    assert ">50.0<" in gwent  # 75 of 150 reoffended
    avon_ratio, avon_low, avon_high = ratios["Avon"]
    assert avon_low < 1 < avon_high  # the interval includes what was expected: no flag
    avon = _row(page, "Avon")
    assert f"{avon_ratio:.2f} ({avon_low:.2f} to {avon_high:.2f})" in avon
    assert "As expected" in avon and "govuk-tag" not in avon
    assert page.count("Higher than expected") == 1 and "Lower than expected" not in page
    # National rate: (30 + 45 + 36 + 75) / 600 = 31%.
    assert "Nationally, 31.0% of people reoffended." in page

    csv_rows = client.get(reverse("outcomes:areas-csv")).content.decode().splitlines()
    flags = {line.split(",")[0]: line.split(",")[-1] for line in csv_rows[1:]}
    assert flags == {"Avon": "", "Cleveland": "", "Dyfed": "", "Gwent": "higher than expected"}
