"""CSV writers in the input layout of ``commissioning outcomes measures`` (OUT-1).

A people file (``person_id``, ``index_date`` and the covariate columns) and an offences file
(``person_id``, ``offence_date``, ``disposal_date``, ``disposal_type``); dates ``YYYY-MM-DD``,
UTF-8, a header row, ``\\n`` line endings. :func:`write_demo_files` writes a whole demo set:
``pool_people.csv``, ``pool_offences.csv`` and, per demo cohort, ``cohort_<slug>.csv`` and
``cohort_<slug>_offences.csv``, ready for ``outcomes measures`` then ``outcomes evaluate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import pandas as pd

from commissioning_analytics.outcomes_synthetic.cohorts import generate_demo_cohorts
from commissioning_analytics.outcomes_synthetic.people import generate_people


def write_csv(frame: pd.DataFrame, target: str | Path | TextIO) -> None:
    """Write a people or offences frame (dates as ``YYYY-MM-DD``)."""
    frame.to_csv(target, index=False, date_format="%Y-%m-%d", lineterminator="\n")


def write_demo_files(directory: str | Path, seed: int, pool_size: int) -> dict[str, Path]:
    """Write the pool and the demo cohorts into ``directory``; returns name → path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    pool = generate_people(seed, pool_size)
    for name, frame in (("pool_people", pool.people), ("pool_offences", pool.offences)):
        written[name] = folder / f"{name}.csv"
        write_csv(frame, written[name])
    for slug, cohort in generate_demo_cohorts(seed).items():
        stem = f"cohort_{slug.replace('-', '_')}"
        written[stem] = folder / f"{stem}.csv"
        written[f"{stem}_offences"] = folder / f"{stem}_offences.csv"
        write_csv(cohort.people, written[stem])
        write_csv(cohort.offences, written[f"{stem}_offences"])
    return written
