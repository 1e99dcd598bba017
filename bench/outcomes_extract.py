"""Issue 17 speed (OUT-1): a study against a national extract of 2,000,000 people and 5,000,000
proven offences, on the analytics core alone (no database).

The extract is synthetic and seeded (``BENCH_SEED``): the people of
:mod:`commissioning_analytics.outcomes_synthetic` with their offences after the index date, plus
offences before it (criminal histories, some disposed after the index date) up to 5,000,000
rows. Pseudonyms are 64-hex-digit keyed hashes, as the steward's. A cohort of 10,000 is drawn from
it with a chance that rises with risk (so matching has work to do) and a fifth of its members'
reoffending removed. The files are written once to ``BENCH_EXTRACT_DIR`` (default
``/tmp/bench-outcomes-extract-<seed>``) and reused.

Timed: loading the two CSV files (target ≤ 2 minutes); saving the version's compact form
(``.npy`` arrays hashed while written) and a first study against it memory-mapped, as a fresh
worker runs it (target ≤ 10 s); the three measures of the cohort and its
matched comparison; the whole study (propensity fit on 2,000,000 rows, matching, measures,
effects and intervals; target ≤ 10 s); and, without a target, the comparison of police force
areas on everyone's measured reoffending (OUT-2). Peak memory is the process's maximum resident set
(``getrusage``), loading included (target ≤ 4 GB).

Each figure is given as wall-clock time and as the CPU time the process used. The work is
single-threaded NumPy and pandas, so on a quiet machine the two agree; on a shared machine
(the load average is printed) the wall-clock time includes waiting for a core, and the verdict
is on the CPU time, the time the work itself takes.
"""

from __future__ import annotations

import hashlib
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from commissioning_analytics.outcomes.area_comparison import AREA_TERMS, compare_extract_areas
from commissioning_analytics.outcomes.extract import load_extract, open_compact, save_compact
from commissioning_analytics.outcomes.extract_study import ExtractStudy, study_extract
from commissioning_analytics.outcomes.measures import HeadlineMeasures, headline_measures
from commissioning_analytics.outcomes_synthetic.people import COVARIATES, generate_people

PEOPLE = int(os.environ.get("BENCH_EXTRACT_PEOPLE", "2000000"))
OFFENCES = int(os.environ.get("BENCH_EXTRACT_OFFENCES", "5000000"))
COHORT = 10_000
LOAD_TARGET_S = 120.0
STUDY_TARGET_S = 10.0
MEMORY_TARGET_GB = 4.0
T = TypeVar("T")
HISTORY_TYPES = np.array(["fine", "community_order", "custody", "caution", "penalty_notice"])


def _pseudonyms(n: int, seed: int) -> np.ndarray:
    key = f"bench-steward-key-{seed}".encode()
    return np.array(
        [hashlib.blake2b(b"%d" % i, key=key, digest_size=32).hexdigest() for i in range(n)],
        dtype=object,
    )


def write_extract(folder: Path, seed: int) -> tuple[Path, Path, Path]:
    """The people, offences and cohort files (written once per seed and size)."""
    people_csv, offences_csv, cohort_csv = (
        folder / "people.csv",
        folder / "offences.csv",
        folder / "cohort.csv",
    )
    if people_csv.exists() and offences_csv.exists() and cohort_csv.exists():
        return people_csv, offences_csv, cohort_csv
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 17])
    synthetic = generate_people(seed, PEOPLE)
    people = synthetic.people
    ids = _pseudonyms(PEOPLE, seed)
    position = pd.Index(people["person_id"].to_numpy()).get_indexer(
        synthetic.offences["person_id"].to_numpy()
    )
    people["person_id"] = ids
    risk = people["ogrs_score"].to_numpy() / 100.0
    chance = np.exp(2.0 * risk - 0.02 * people["age"].to_numpy())
    cohort = rng.choice(PEOPLE, size=COHORT, replace=False, p=chance / chance.sum())
    helped = np.zeros(PEOPLE, dtype=bool)
    helped[cohort[rng.random(COHORT) < 0.2]] = True  # their reoffending is removed
    kept = ~helped[position]
    index_date = people["index_date"].to_numpy(dtype="datetime64[D]")
    after = synthetic.offences[kept].assign(person_id=ids[position[kept]])
    n_before = max(OFFENCES - len(after), 0)
    weight = people["prior_offences"].to_numpy(dtype=np.float64) + 0.1
    who = rng.choice(PEOPLE, size=n_before, p=weight / weight.sum())
    committed = index_date[who] - rng.integers(0, 1500, size=n_before).astype("timedelta64[D]")
    disposed = committed + rng.exponential(90, size=n_before).astype("timedelta64[D]")
    before = pd.DataFrame(
        {
            "person_id": ids[who],
            "offence_date": committed,
            "disposal_date": disposed,
            "disposal_type": HISTORY_TYPES[rng.integers(0, HISTORY_TYPES.size, size=n_before)],
        }
    )
    offences = pd.concat([before, after], ignore_index=True)
    offences = offences.iloc[rng.permutation(len(offences))]
    people.to_csv(people_csv, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    offences.to_csv(offences_csv, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    pd.DataFrame({"person_id": ids[cohort]}).to_csv(cohort_csv, index=False)
    return people_csv, offences_csv, cohort_csv


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kB on Linux


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def _timed(work: Callable[[], T]) -> tuple[float, float, T]:
    """Wall-clock and CPU seconds of ``work``, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _figure(wall: float, cpu: float, target: float) -> str:
    return f"{cpu:.2f} s CPU, {wall:.2f} s wall (target <= {target:g} s: {_verdict(cpu, target)})"


def main() -> list[str]:
    seed = int(os.environ.get("BENCH_SEED", "2026"))
    folder = Path(os.environ.get("BENCH_EXTRACT_DIR", f"/tmp/bench-outcomes-extract-{seed}"))
    started = time.perf_counter()
    people_csv, offences_csv, cohort_csv = write_extract(folder, seed)
    written = time.perf_counter() - started
    load_wall, load_cpu, extract = _timed(
        lambda: load_extract(
            people_csv, offences_csv, numeric=COVARIATES, text=("sex", "ethnicity", "area")
        )
    )
    cohort_ids = pd.read_csv(cohort_csv, dtype=str)["person_id"].to_numpy()
    lines = [
        f"outcomes extract (seed {seed}): {extract.rows:,} people, "
        f"{extract.offences.size:,} offences (files ready in {written:.1f} s); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        f"  loading the extract from CSV: {_figure(load_wall, load_cpu, LOAD_TARGET_S)}",
    ]

    def whole_study() -> ExtractStudy:
        rows = extract.positions(cohort_ids)
        return study_extract(extract, rows, covariates=list(COVARIATES))

    with tempfile.TemporaryDirectory(prefix="bench-compact-", dir=folder) as work:
        save_wall, save_cpu, _ = _timed(lambda: save_compact(extract, Path(work) / "v1"))

        def first_study() -> ExtractStudy:
            mapped = open_compact(Path(work) / "v1")
            rows = mapped.positions(cohort_ids)
            return study_extract(mapped, rows, covariates=list(COVARIATES))

        first_wall, first_cpu, first = _timed(first_study)
        del first
    lines += [
        f"  saving the compact form (.npy, hashed while written): {save_cpu:.2f} s CPU, "
        f"{save_wall:.2f} s wall (part of a load)",
        f"  a first study against the memory-mapped compact form (open, find, fit, match, "
        f"measures, effects, intervals): {_figure(first_wall, first_cpu, STUDY_TARGET_S)}",
    ]

    study_runs = [_timed(whole_study) for _ in range(3)]
    study_wall, study_cpu, study = min(study_runs, key=lambda run: run[1])
    chosen = np.concatenate([study.cohort_rows, study.comparison_rows])

    def measures() -> HeadlineMeasures:
        found = extract.measures_for(chosen)
        return headline_measures(found.reoffended, found.reoffences, found.days_to_first)

    measure_wall, measure_cpu, _ = min((_timed(measures) for _ in range(3)), key=lambda r: r[1])
    individual = [c for c in COVARIATES if c not in AREA_TERMS]
    area_wall, area_cpu, areas = _timed(
        lambda: compare_extract_areas(extract, covariates=individual)
    )
    flagged = sum(1 for a in areas.areas if a.flag)
    peak = _peak_gb()
    cohort = study.cohort_measures.headline()
    days = study.days_to_first
    n_cohort = study.cohort_rows.size
    lines += [
        f"  the three measures for {chosen.size:,} people (cohort and matched comparison): "
        f"{_figure(measure_wall, measure_cpu, STUDY_TARGET_S)}",
        f"  the whole study (find the cohort, fit on {n_cohort + study.n_pool:,} people, match, "
        f"measures, effects, intervals), best of 3: "
        f"{_figure(study_wall, study_cpu, STUDY_TARGET_S)}",
        f"  police force areas compared (observed against expected for all {extract.rows:,} "
        f"people, {len(areas.areas)} areas, {flagged} flagged): {area_cpu:.2f} s CPU, "
        f"{area_wall:.2f} s wall (no target)",
        f"  peak memory (whole process, loading included): {peak:.2f} GB "
        f"(target <= {MEMORY_TARGET_GB:.0f} GB: {_verdict(peak, MEMORY_TARGET_GB)})",
        f"  result: {study.matches.n_matched_treated:,} matched of {n_cohort:,}; cohort rate "
        f"{cohort.rate:.1%}, effect {study.rate.effect * 100:+.1f} points "
        f"[{study.rate.ci_low * 100:+.1f}, {study.rate.ci_high * 100:+.1f}]; frequency "
        f"{study.frequency_per_100.effect:+.1f} per 100; days to first "
        + ("n/a" if days is None else f"{days.effect:+.1f}"),
    ]
    return lines


if __name__ == "__main__":
    for line in main():
        print(line, flush=True)
