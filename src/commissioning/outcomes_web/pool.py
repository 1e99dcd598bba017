"""The synthetic comparison pool (OUT-1): generated deterministically from a fixed seed,
measured with the core's :func:`add_measures`, and cached as a CSV file under ``var/``.

Everything in it is synthetic (see docs/outcomes-synthetic-data.md); pages that show a result
say so. The size is ``settings.OUTCOMES_POOL_SIZE`` (default 50,000, about a second to
generate); the folder is ``settings.OUTCOMES_POOL_DIR`` (default ``var/outcomes``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

from commissioning_analytics.outcomes.measures import MEASURES, add_measures
from commissioning_analytics.outcomes_synthetic.people import COVARIATES, generate_people
from commissioning_analytics.outcomes_synthetic.writers import write_csv

POOL_SEED = 2026
DEFAULT_POOL_SIZE = 50_000
POOL_LABEL = "synthetic comparison pool"
NUMERIC_COLUMNS: tuple[str, ...] = (*COVARIATES, *MEASURES)
"""The numeric columns of the pool: what a study can use as outcome or covariate."""


def pool_size() -> int:
    return int(getattr(settings, "OUTCOMES_POOL_SIZE", DEFAULT_POOL_SIZE))


def pool_dir() -> Path:
    default = Path(settings.BASE_DIR).parent.parent / "var" / "outcomes"
    return Path(getattr(settings, "OUTCOMES_POOL_DIR", default))


def pool_path() -> Path:
    """The measured pool CSV, generated on first use (written atomically, so concurrent first
    uses at worst generate it twice)."""
    size = pool_size()
    target = pool_dir() / f"synthetic-pool-seed{POOL_SEED}-n{size}.csv"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    people = generate_people(POOL_SEED, size)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        people_csv, offences_csv = Path(work) / "people.csv", Path(work) / "offences.csv"
        write_csv(people.people, people_csv)
        write_csv(people.offences, offences_csv)
        measured = Path(work) / "pool.csv"
        add_measures(people_csv, offences_csv).to_csv(measured)
        os.replace(measured, target)
    return target
