"""The fair area comparison page (issue 17, OUT-2): the figures the core computes for the
current extract, the same rows in the CSV, counts under 5 suppressed, a new version changing
the cached result, and anonymous visitors sent to sign in."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.outcomes_web import areas, extracts
from commissioning_analytics.outcomes.area_comparison import compare_extract_areas
from commissioning_analytics.outcomes.extract import open_compact
from commissioning_analytics.outcomes_synthetic.extract import generate_extract
from commissioning_analytics.outcomes_synthetic.writers import write_csv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AREA_RATES = {"Avon": (0.10, 0.78), "Cleveland": (0.30, 0.66), "Dyfed": (0.20, 0.72)}


@pytest.fixture(autouse=True)
def _extract_dir(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_EXTRACT_DIR = tmp_path / "extracts"
    cache.clear()


def _files(folder: Path, seed: int) -> tuple[Path, Path]:
    """A hand-made extract: 900 synthetic people in three areas, and 3 in a fourth."""
    drawn = generate_extract(seed, 903, 60)
    people = drawn.people.copy()
    names = [*np.repeat(list(AREA_RATES), 300), "Gwent", "Gwent", "Gwent"]
    people["area"] = names
    people["area_deprivation"] = [AREA_RATES.get(n, (0.25, 0.7))[0] for n in names]
    people["area_employment"] = [AREA_RATES.get(n, (0.25, 0.7))[1] for n in names]
    paths = folder / f"people-{seed}.csv", folder / f"offences-{seed}.csv"
    write_csv(people, paths[0])
    write_csv(drawn.offences, paths[1])
    return paths


def _core_figures(extract: Any) -> Any:
    covariates = [c for c in extract.covariates if c not in ("area_deprivation", "area_employment")]
    data = open_compact(extracts.stored_path(extract))  # the stored version, opened afresh
    return compare_extract_areas(data, covariates=covariates)


def test_the_page_shows_the_core_figures_and_the_csv_the_same_rows(tmp_path: Path) -> None:
    """OUT-2: crude, expected, ratio with interval and flag as the core computes them."""
    steward = UserFactory(username="steward-areas", role=User.Role.STEWARD)
    provider = UserFactory(username="provider-areas", role=User.Role.PROVIDER)
    url = reverse("outcomes:areas")

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        "/account/sign-in/?next="
    )
    assert Client().get(reverse("outcomes:areas-csv")).status_code == 302

    client = Client()
    client.force_login(provider)
    assert "No national extract is loaded yet" in client.get(url).content.decode()

    extract = extracts.load_extract(steward, *_files(tmp_path, 5), ["pnc_id"])
    expected = _core_figures(extract)
    page = client.get(url).content.decode()
    rows = areas.published_rows(expected)
    assert [r.area for r in rows] == ["Avon", "Cleveland", "Dyfed", "Gwent"]
    for row in rows[:3]:
        assert f"{row.ratio} ({row.ratio_low} to {row.ratio_high})" in page
        assert f">{row.crude_rate}<" in page and f">{row.expected_rate}<" in page
    avon = next(a for a in expected.areas if a.area == "Avon")
    assert f"{avon.ratio:.2f} ({avon.ratio_low:.2f} to {avon.ratio_high:.2f})" in page
    assert f"{avon.observed_rate * 100:.1f}" in page
    gwent = next(a for a in expected.areas if a.area == "Gwent")
    assert gwent.people == 3 and gwent.ratio is None
    assert "&lt;5" in page and "too few people" in page
    assert page.index("compared with what would be expected there") < page.index("logistic")

    response = client.get(reverse("outcomes:areas-csv"))
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(table[0]) == areas.CSV_HEADER
    assert table[1:] == [[str(getattr(r, c)) for c in areas.CSV_HEADER] for r in rows]
    assert table[4][:2] == ["Gwent", "<5"]

    first_key = areas.cache_key(extract)
    assert cache.get(first_key) is not None
    second = extracts.load_extract(steward, *_files(tmp_path, 6), ["pnc_id"])
    assert areas.cache_key(second) != first_key
    newer = areas.published_rows(_core_figures(second))
    page = client.get(url).content.decode()
    assert f"From version {second.version} " in page
    assert f"{newer[0].ratio} ({newer[0].ratio_low} to {newer[0].ratio_high})" in page


def test_other_signed_in_roles_are_refused() -> None:
    reviewer = UserFactory(username="reviewer-areas", role=User.Role.REVIEWER)
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("outcomes:areas")).status_code == 403
