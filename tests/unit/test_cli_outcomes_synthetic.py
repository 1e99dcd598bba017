"""`commissioning outcomes synthetic-data` writes files that `measures` and `evaluate` accept, so a
newcomer can run the whole outcomes flow from the command line (OUT-1, docs/outcomes.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from commissioning.cli import main


def test_synthetic_data_runs_through_measures_and_evaluate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["outcomes", "synthetic-data", str(tmp_path), "--pool-size", "5000"]) == 0
    assert "generated, not real people" in capsys.readouterr().out
    with (tmp_path / "pool_people.csv").open() as handle:
        pool_rows = list(csv.DictReader(handle))
    assert len(pool_rows) == 5000
    assert all(row["person_id"].startswith("SYN-") for row in pool_rows)

    cohort, pool = tmp_path / "cohort.csv", tmp_path / "pool.csv"
    files = [("cohort_resettlement", cohort), ("pool_people", pool)]
    for stem, measured in files:
        offences = "pool_offences" if stem == "pool_people" else f"{stem}_offences"
        args = [str(tmp_path / f"{stem}.csv"), str(tmp_path / f"{offences}.csv")]
        assert main(["outcomes", "measures", *args, "--output", str(measured)]) == 0
    capsys.readouterr()

    status = main(
        [
            "outcomes",
            "evaluate",
            str(cohort),
            str(pool),
            "--outcome",
            "reoffended",
            "--covariates",
            "age,female,prior_offences,prior_custodial,ogrs_score,custody_index",
            "--replace",
            "--format",
            "json",
        ]
    )

    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_treated"] == 400
    assert result["n_pool"] == 5000
    assert result["ci_low"] <= result["effect"] <= result["ci_high"]


def test_pool_size_is_bounded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["outcomes", "synthetic-data", str(tmp_path), "--pool-size", "10"])
    assert exit_info.value.code == 2
    assert "pool size must be from 1,000 to 5,000,000" in capsys.readouterr().err
