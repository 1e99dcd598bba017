"""Shared set-up for the outcome study tests (OUT-1): a small synthetic pool and the demo
resettlement cohort, measured with the core, as CSV text."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from commissioning_analytics.outcomes.measures import add_measures
from commissioning_analytics.outcomes_synthetic.cohorts import generate_demo_cohorts
from commissioning_analytics.outcomes_synthetic.people import COVARIATES
from commissioning_analytics.outcomes_synthetic.writers import write_csv

TEST_POOL_SIZE = 5_000
COVARIATES_TEXT = ",".join(COVARIATES)


@cache
def resettlement_csv() -> str:
    """The demo resettlement cohort (400 people) with the proven-reoffending measures."""
    cohort = generate_demo_cohorts(1)["resettlement"]
    with tempfile.TemporaryDirectory() as folder:
        people, offences = Path(folder) / "people.csv", Path(folder) / "offences.csv"
        write_csv(cohort.people, people)
        write_csv(cohort.offences, offences)
        measured = Path(folder) / "cohort.csv"
        add_measures(people, offences).to_csv(measured)
        return measured.read_text(encoding="utf-8")


def write_resettlement(folder: Path, name: str = "cohort_resettlement.csv") -> Path:
    path = folder / name
    path.write_text(resettlement_csv(), encoding="utf-8")
    return path


def with_bad_value(text: str, row: int, column: str, value: str) -> str:
    """``text`` with ``value`` in ``column`` of CSV row ``row`` (row 1 is the header)."""
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"
