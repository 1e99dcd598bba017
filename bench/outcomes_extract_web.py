"""Issue 17 speed through the platform (OUT-1): the data steward's load of a national extract of
2,000,000 people and 5,000,000 offences, and a provider's study by identifier of 10,000 people
against it, as ``commissioning.outcomes_web`` runs them (``BENCH_ONLY=outcomes_extract_web``).

The files are those of :mod:`outcomes_extract` (the same seed and sizes), read as the steward
would send them: ``person_id`` is the identifier column, hashed again with the platform's key
on arrival. Each stage runs in its own process, so that its peak memory is its own:

* **load**: :func:`extracts.load_extract` — read the files with typed columns, pseudonymise,
  check in memory with the analytics core, and store the version's compact form (``.npy``
  arrays hashed while written; target ≤ 2 minutes);
* **study**: hash the cohort's identifiers (:func:`extracts.hash_cohort`), link it to the
  extract and evaluate it (:func:`services._evaluate_against_extract`: measures from the
  provider's index dates, propensity fit on 2,000,000 people, matching, effects, intervals,
  subgroups, time to first reoffence; target ≤ 10 s and ≤ 4 GB). A worker memory-maps a
  version's compact form once and keeps it (:func:`extracts.loaded_extract`): the first study
  a worker runs (in a fresh process, opening the version) and the next one are both reported,
  each against the target.

Figures are CPU time and wall-clock time (the machine is shared: the load average is printed)
and the process's peak resident memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOAD_TARGET_S = 120.0
STUDY_TARGET_S = 10.0
MEMORY_TARGET_GB = 4.0


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kB on Linux


def _setup(database: str, store: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings_dev")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.OUTCOMES_EXTRACT_DIR = Path(store)


def stage_load(database: str, store: str, people: str, offences: str) -> dict[str, float]:
    _setup(database, store)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from commissioning.outcomes_web import extracts

    wall, cpu = time.perf_counter(), time.process_time()
    extract = extracts.load_extract(None, Path(people), Path(offences), ["person_id"])
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "peak": _peak_gb(),
        "id": extract.pk,
        "people": extract.people_rows,
        "offences": extract.offence_rows,
    }


def stage_study(database: str, store: str, extract_id: str, cohort: str) -> dict[str, object]:
    _setup(database, store)
    import pandas as pd

    from commissioning.outcomes_web import extracts, services
    from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
    from commissioning_analytics.outcomes_synthetic.people import COVARIATES

    extract = NationalExtract.objects.get(pk=int(extract_id))
    people = pd.read_csv(cohort, dtype=str)
    text = people.to_csv(index=False)
    runs = []
    for _ in range(2):  # the first reads the version's files; the second finds them read
        wall, cpu = time.perf_counter(), time.process_time()
        hashed, size = extracts.hash_cohort(text, ["person_id"], "cohort")
        study = OutcomeStudy(
            outcome="reoffended", covariates=list(COVARIATES), options={}, cohort_csv=hashed
        )
        result = services._evaluate_against_extract(study, extract)
        runs.append(
            {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "peak": 0.0}
        )
        runs[-1]["peak"] = _peak_gb()
    return {"runs": runs, "size": size, "result": result}


def _child(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def _figure(run: dict[str, float], target: float) -> str:
    return (
        f"{run['cpu']:.2f} s CPU, {run['wall']:.2f} s wall "
        f"(target <= {target:g} s: {_verdict(run['cpu'], target)})"
    )


def _memory(peak: float) -> str:
    verdict = _verdict(peak, MEMORY_TARGET_GB)
    return f"peak {peak:.2f} GB (target <= {MEMORY_TARGET_GB:g} GB: {verdict})"


def main() -> list[str]:
    sys.path.insert(0, str(REPO / "bench"))
    import outcomes_extract

    seed = int(os.environ.get("BENCH_SEED", "2026"))
    folder = Path(os.environ.get("BENCH_EXTRACT_DIR", f"/tmp/bench-outcomes-extract-{seed}"))
    people, offences, cohort_ids = outcomes_extract.write_extract(folder, seed)
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="bench-extract-web-") as work:
        base = Path(work)
        frame = pd.read_csv(people, usecols=["person_id", "index_date"], dtype=str)
        chosen = pd.read_csv(cohort_ids, dtype=str)
        cohort = frame.set_index("person_id").loc[chosen["person_id"]].reset_index()
        # The provider's index dates: a month after the extract's (the start of the service).
        cohort["index_date"] = (
            pd.to_datetime(cohort["index_date"]) + pd.Timedelta(days=30)
        ).dt.strftime("%Y-%m-%d")
        cohort.to_csv(base / "cohort.csv", index=False)
        del frame
        database, store = str(base / "bench.sqlite3"), str(base / "store")
        load = _child("load", database, store, str(people), str(offences))
        study = _child("study", database, store, str(load["id"]), str(base / "cohort.csv"))
    first, second = study["runs"]  # type: ignore[misc]
    result = study["result"]
    assert isinstance(result, dict)
    pool = result.get("comparison_pool", {})
    lines = [
        f"outcomes extract through the platform (seed {seed}): {load['people']:,} people, "
        f"{load['offences']:,} offences; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores",
        f"  the steward's load (read, pseudonymise, store, check): "
        f"{_figure(load, LOAD_TARGET_S)}; {_memory(float(load['peak']))}",
        f"  a study by identifier of {study['size']:,} people, in a worker that has read the "
        f"version: {_figure(second, STUDY_TARGET_S)}; {_memory(float(second['peak']))}",
        f"  the same study in a fresh worker (opens the version first): "
        f"{_figure(first, STUDY_TARGET_S)}; {_memory(float(first['peak']))}",
        f"  result: {pool.get('cohort_found', 0):,} found, pool of {pool.get('size', 0):,}",
    ]
    return lines


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "load":
        print(json.dumps(stage_load(*sys.argv[2:])))
    elif len(sys.argv) > 1 and sys.argv[1] == "study":
        print(json.dumps(stage_study(*sys.argv[2:]), default=str))
    else:
        for line in main():
            print(line, flush=True)
