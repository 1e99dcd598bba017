"""`make bench`, issue 6: our matching beside causalml's ``NearestNeighborMatch`` on the same data.

causalml is never a dependency of the project: it lives in its own virtual environment,
``.venv-peers``, built by ``make peers-env`` (scripts/peers-env.sh) from requirements/peers.txt.
This file has two roles:

* **Driver** (:func:`compare`, called by bench/run.py in the project's ``.venv``; standard library
  only). bench/core.py saves the fitted logits of its 10,000 x 1,000,000 benchmark to an ``.npz``;
  the driver runs this file in ``.venv-peers`` once per mode, in a subprocess with a time limit,
  and prints causalml's seconds beside ours with the ratio (causalml seconds / our seconds).
  If ``.venv-peers`` is not ready, or a run fails, it says why and the bench carries on.
* **Worker** (``.venv-peers/bin/python bench/peers.py DATA.npz --replace|--no-replace``): numpy,
  pandas and causalml only, never the project's code. Prints one JSON object.

Fairness: matching alone against matching alone. Both sides match the same logits of the
propensity score (ours, fitted once by bench/core.py; causalml's ``score_cols`` is that one
column), 1:1, with the same caliper width, and only the matching call is timed (not building the
DataFrame). Caliper units differ: ours is ``0.2 x`` the pooled SD of the logit,
``sqrt((s2_cohort + s2_pool) / 2)``; causalml 0.18.0 (``causalml/match.py``) multiplies its
``caliper`` by ``np.std`` of the score over *all* rows (cohort and pool together, ddof 0) without
replacement, and with replacement compares distances after a ``StandardScaler`` fitted on all rows,
which is the same unit. So the worker passes ``caliper = 0.2 x pooled SD / SD of all rows`` and the
widths on the logit scale are equal. (causalml keeps a pair when distance ``<`` width with
replacement and ``<=`` without; ours ``<=`` in both: with continuous scores it makes no difference.)
Other defaults are causalml's: without replacement it processes the cohort in a random order
(``shuffle=True``, seeded), ours in descending score order (the cost is the same either way);
with replacement its ``NearestNeighbors`` search may use every core (``n_jobs=-1``), ours one.

The time limit (env ``BENCH_PEER_TIMEOUT``, default 60 s) applies to the matching itself: the
worker stops at the limit and reports it (printed as ``> 60 s (stopped)``, ratio ``> N×``); the
driver also kills a worker that runs on past the limit plus a set-up allowance.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PEER_VENV = REPO / ".venv-peers"
PEER_PYTHON = PEER_VENV / "bin" / "python"
REQUIREMENTS = REPO / "requirements" / "peers.txt"
STAMP = PEER_VENV / ".requirements.sha256"
SETUP_ALLOWANCE_S = 120.0  # imports, loading the data and building the DataFrame
RUNS = 3  # best of 3, like bench/core.py; runs after one over SLOW_S are not repeated
SLOW_S = 10.0


def timeout_s() -> float:
    return float(os.environ.get("BENCH_PEER_TIMEOUT", "60"))


# --------------------------------------------------------------------------- driver


def peer_env_problem() -> str | None:
    """Why ``.venv-peers`` cannot be used, or None when it is built from the current pins."""
    import hashlib

    if not PEER_PYTHON.exists():
        return f"{PEER_VENV.name} does not exist (`make peers-env` builds it)"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        return f"{PEER_VENV.name} is not built from the current {REQUIREMENTS.name} (see peers-env)"
    return None


def run_worker(data: Path, replace: bool, limit_s: float) -> dict[str, Any]:
    """One worker run; on failure ``{"error": why}``; past the backstop ``{"stopped": True}``."""
    command = [str(PEER_PYTHON), str(Path(__file__).resolve()), str(data)]
    command.append("--replace" if replace else "--no-replace")
    env = {**os.environ, "BENCH_PEER_TIMEOUT": str(limit_s)}
    env.pop("PYTHONPATH", None)  # the worker must not see the project's code
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            timeout=limit_s + SETUP_ALLOWANCE_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"stopped": True, "seconds": limit_s}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit status {done.returncode}: {tail}"}
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": f"unreadable output: {done.stdout[-200:]!r}"}
    return result


def _seconds(result: dict[str, Any], limit_s: float) -> str:
    if result.get("stopped"):
        return f"> {limit_s:g} s (stopped)"
    return f"{result['seconds']:.3f} s"


def _ratio(result: dict[str, Any], ours_s: float, limit_s: float) -> str:
    """causalml seconds / our seconds; a lower bound when causalml was stopped."""
    ratio = (limit_s if result.get("stopped") else result["seconds"]) / ours_s
    text = f"{ratio:,.1f}×" if ratio < 10 else f"{ratio:,.0f}×"
    return f"> {text}" if result.get("stopped") else text


def compare(data: Path, ours: dict[bool, tuple[float, int]]) -> list[str]:
    """Lines to print: causalml beside ``ours`` (replace -> (matching seconds, matched))."""
    problem = peer_env_problem()
    if problem:
        return [f"peers: skipped, {problem}"]
    limit_s = timeout_s()
    lines: list[str] = []
    header_done = False
    for replace in (True, False):
        result = run_worker(data, replace, limit_s)
        mode = "with replacement" if replace else "without replacement"
        if "error" in result:
            lines.append(f"  {mode}: causalml failed ({result['error']})")
            continue
        if not header_done and "versions" in result:
            versions = ", ".join(f"{k} {v}" for k, v in result["versions"].items())
            lines.insert(
                0,
                f"peers: causalml NearestNeighborMatch in {PEER_VENV.name} ({versions}); "
                f"matching alone on the same logits, 1:1, caliper width "
                f"{result['caliper_width']:.4f} on the logit scale for both "
                f"(causalml caliper={result['caliper']:.4f}: 0.2 pooled SD in its units)",
            )
            header_done = True
        ours_s, ours_matched = ours[replace]
        matched = "" if result.get("stopped") else f" ({result['matched_treated']:,} matched)"
        lines.append(
            f"  {mode}: causalml {_seconds(result, limit_s)}{matched}, "
            f"ours {ours_s:.3f} s ({ours_matched:,} matched): "
            f"ratio {_ratio(result, ours_s, limit_s)}"
        )
    if not header_done:
        lines.insert(0, "peers: causalml NearestNeighborMatch (no run finished)")
    return lines


def main() -> int:
    """Stand-alone: our matching benchmark (bench/core.py) and the peer comparison only."""
    import tempfile

    sys.path.insert(0, str(REPO / "src"))
    import core

    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        data = Path(tmp) / "matching.npz"
        figures = core.outcomes_matching(peer_data=data)
        for line in figures.lines:
            print("  " + line)
        for line in compare(data, figures.ours):
            print(line)
    return 0


# --------------------------------------------------------------------------- worker


class _Stopped(Exception):
    pass


def worker(data_path: str, replace: bool) -> dict[str, Any]:
    """Time causalml's matching alone on the saved logits (runs in ``.venv-peers``)."""
    import signal
    import time
    from importlib.metadata import version

    import numpy as np
    import pandas as pd
    from causalml.match import NearestNeighborMatch

    saved = np.load(data_path)
    treated_logit, pool_logit = saved["treated_logit"], saved["pool_logit"]
    n_t = treated_logit.size
    logit = np.concatenate([treated_logit, pool_logit])
    frame = pd.DataFrame(
        {"treatment": np.r_[np.ones(n_t, dtype=np.int64), np.zeros(pool_logit.size, np.int64)]}
    )
    frame["logit"] = logit
    width = float(saved["caliper"]) * float(saved["pooled_sd"])
    caliper = width / float(np.std(logit))  # causalml's unit: SD of the score over all rows

    def stop(signum: int, frame: object) -> None:
        raise _Stopped

    limit_s = timeout_s()
    signal.signal(signal.SIGALRM, stop)
    best = float("inf")
    pairs = None
    stopped = False
    for _ in range(RUNS):
        matcher = NearestNeighborMatch(caliper=caliper, replace=replace, ratio=1, random_state=6)
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit_s)
        try:
            matcher.match(data=frame, treatment_col="treatment", score_cols=["logit"])
        except _Stopped:
            stopped = True
            break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - started
        best = min(best, elapsed)
        pairs = matcher.matched_indexes_
        if elapsed > SLOW_S:
            break
    result: dict[str, Any] = {
        "replace": replace,
        "stopped": stopped and pairs is None,
        "seconds": limit_s if pairs is None else best,
        "caliper": caliper,
        "caliper_width": width,
        "versions": {
            name: version(name) for name in ("causalml", "numpy", "pandas", "scikit-learn")
        },
    }
    if pairs is not None:
        result["matched_treated"] = int(pairs["from"].nunique())
        result["matched_pairs"] = len(pairs)
        result["treated_only"] = bool((pairs["from"] < n_t).all() and (pairs["to"] >= n_t).all())
    return result


if __name__ == "__main__":
    if len(sys.argv) == 1:
        raise SystemExit(main())
    if len(sys.argv) != 3 or sys.argv[2] not in ("--replace", "--no-replace"):
        raise SystemExit("usage: peers.py [DATA.npz --replace|--no-replace]")
    print(json.dumps(worker(sys.argv[1], sys.argv[2] == "--replace")))
