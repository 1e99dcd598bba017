"""``commissioning outcomes evaluate`` (OUT-1, OUT-4): the CLI contract, its JSON, and a
one-line reason with a non-zero exit for every kind of bad input. No Django is involved."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from commissioning.cli import main

CONTRACT_KEYS = {
    "n_treated",
    "n_pool",
    "n_matched_treated",
    "n_matched_comparison",
    "treated_mean",
    "comparison_mean",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "balance",
    "statement",
    "warnings",
}


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _people(n: int, shift: float, seed: int, sex: str | None = None) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for _ in range(n):
        age = rng.normal(30 + 5 * shift, 8)
        prior = rng.poisson(2 + shift)
        risk = 1 / (1 + np.exp(-(-1.5 + 0.3 * prior - 0.02 * (age - 30) - 0.5 * shift)))
        rows.append(
            {
                "id": f"P{len(rows)}",
                "age": round(age, 1),
                "prior": prior,
                "sex": sex or str(rng.choice(["F", "M"])),
                "reoffended": int(rng.random() < risk),
            }
        )
    return rows


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return (
        _write(tmp_path / "cohort.csv", _people(300, 1.0, 1)),
        _write(tmp_path / "pool.csv", _people(4_000, 0.0, 2)),
    )


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["outcomes", "evaluate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_keeps_the_contract(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cohort, pool = files
    code, out, err = _run(
        capsys, str(cohort), str(pool), "--outcome", "reoffended", "--covariates", "age,prior",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data.keys() >= CONTRACT_KEYS
    assert (data["n_treated"], data["n_pool"]) == (300, 4_000)
    assert data["n_matched_comparison"] == data["n_matched_treated"]  # 1:1, no replacement
    assert data["effect"] == pytest.approx(data["treated_mean"] - data["comparison_mean"])
    assert data["ci_low"] < data["effect"] < data["ci_high"]
    assert 0 <= data["p_value"] <= 1
    assert [b["covariate"] for b in data["balance"]] == ["age", "prior"]
    for row in data["balance"]:
        assert abs(row["smd_after"]) < abs(row["smd_before"])
    assert data["statement"].startswith("For 100 typical people who receive support")
    assert isinstance(data["warnings"], list)


def test_options_replace_ratio_exact_seed_and_text(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cohort, pool = files
    common = [str(cohort), str(pool), "--outcome", "reoffended", "--covariates", "age,prior"]
    code, out, _ = _run(
        capsys, *common, "--replace", "--ratio", "3", "--exact", "sex", "--caliper", "none",
        "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["n_matched_treated"] == 300
    assert data["caliper_width_logit"] is None
    code, first, _ = _run(capsys, *common, "--seed", "7", "--format", "json")
    code, again, _ = _run(capsys, *common, "--seed", "7", "--format", "json")
    assert code == 0 and first == again
    code, text, _ = _run(capsys, *common)
    assert code == 0
    assert "SMD before" in text and "For 100 typical people" in text


def test_outcomes_command_does_not_import_django(files: tuple[Path, Path]) -> None:
    cohort, pool = files
    script = (
        "import sys; from commissioning.cli import main; "
        f"code = main(['outcomes', 'evaluate', {str(cohort)!r}, {str(pool)!r}, "
        "'--outcome', 'reoffended', '--covariates', 'age,prior', '--format', 'json']); "
        "assert code == 0; assert 'django' not in sys.modules, 'django imported'"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": src},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _error(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path], *extra: str
) -> tuple[int, str]:
    cohort, pool = files
    code, out, err = _run(capsys, str(cohort), str(pool), *extra)
    assert out == ""
    assert err.count("\n") == 1, err  # one line
    return code, err


def test_missing_column_is_named(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _error(capsys, files, "--outcome", "reoffended", "--covariates", "age,income")
    assert code == 1
    assert "cohort.csv: no column 'income'" in err


def test_non_numeric_value_names_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _people(100, 0.0, 3)
    rows[41]["age"] = "forty"
    cohort = _write(tmp_path / "cohort.csv", rows)
    pool = _write(tmp_path / "pool.csv", _people(500, 0.0, 4))
    code, err = _error(capsys, (cohort, pool), "--outcome", "reoffended", "--covariates", "age")
    assert code == 1
    assert "cohort.csv: row 43: column 'age' has 'forty', which is not a number" in err


def test_empty_value_names_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = _write(tmp_path / "cohort.csv", _people(100, 0.0, 3))
    pool_rows = _people(500, 0.0, 4)
    pool_rows[0]["reoffended"] = ""
    pool = _write(tmp_path / "pool.csv", pool_rows)
    code, err = _error(capsys, (cohort, pool), "--outcome", "reoffended", "--covariates", "age")
    assert code == 1
    assert "pool.csv: row 2: column 'reoffended' is empty" in err


def test_no_overlap_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = _write(tmp_path / "cohort.csv", _people(100, 0.0, 3, sex="F"))
    pool = _write(tmp_path / "pool.csv", _people(500, 0.0, 4, sex="M"))
    code, err = _error(
        capsys, (cohort, pool), "--outcome", "reoffended", "--covariates", "age", "--exact", "sex"
    )
    assert code == 1
    assert "no overlap" in err


def test_cohort_under_sixty_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = _write(tmp_path / "cohort.csv", _people(59, 0.0, 3))
    pool = _write(tmp_path / "pool.csv", _people(500, 0.0, 4))
    code, err = _error(capsys, (cohort, pool), "--outcome", "reoffended", "--covariates", "age")
    assert code == 1
    assert "the cohort (cohort.csv) has 59 people; at least 60" in err


def test_missing_file_and_outcome_as_covariate(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err = _error(
        capsys, (tmp_path / "none.csv", files[1]), "--outcome", "reoffended", "--covariates", "age"
    )
    assert code == 1 and "none.csv: no such file" in err
    code, err = _error(capsys, files, "--outcome", "age", "--covariates", "age,prior")
    assert code == 1 and "cannot also be a covariate" in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--caliper", "wide", "caliper must be a number or 'none'"),
        ("--caliper", "-1", "caliper must be more than 0"),
        ("--ratio", "0", "ratio must be 1 or more"),
        ("--format", "xml", "invalid choice"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
    message: str,
) -> None:
    cohort, pool = files
    with pytest.raises(SystemExit) as exit_info:
        main(["outcomes", "evaluate", str(cohort), str(pool), "--outcome", "reoffended",
              "--covariates", "age", option, value])  # fmt: skip
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_measures_writes_the_measured_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("person_id,index_date,age\nA,2024-01-10,30\nB,2024-02-29,41\n")
    offences = tmp_path / "offences.csv"
    offences.write_text(
        "person_id,offence_date,disposal_date,disposal_type\nA,2024-03-01,2024-05-01,custody\n"
    )
    out = tmp_path / "measured.csv"
    code = main(["outcomes", "measures", str(people), str(offences), "--output", str(out)])
    assert code == 0
    assert out.read_text().splitlines() == [
        "person_id,index_date,age,reoffended,reoffences,days_to_first,first_event,custodial",
        "A,2024-01-10,30,1,1,51,1,1",
        "B,2024-02-29,41,0,0,365,0,0",
    ]
    assert main(["outcomes", "measures", str(people), str(offences)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "A,2024-01-10,30,1,1,51,1,1"


def test_measures_bad_record_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("person_id,index_date\nA,2024-13-01\n")
    offences = tmp_path / "offences.csv"
    offences.write_text("person_id,offence_date,disposal_date,disposal_type\n")
    code = main(["outcomes", "measures", str(people), str(offences)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err == (
        "commissioning: error: people.csv: row 2: column 'index_date' has '2024-13-01', "
        "which is not a YYYY-MM-DD date\n"
    )


def _with_times(rows: list[dict[str, object]], seed: int) -> list[dict[str, object]]:
    """Add days_to_first/first_event (as ``outcomes measures`` writes them) and an area."""
    rng = np.random.default_rng(seed)
    for row in rows:
        row["first_event"] = row["reoffended"]
        row["days_to_first"] = int(rng.integers(1, 366)) if row["reoffended"] else 365
        row["area"] = str(rng.choice(["North", "South"]))
    return rows


@pytest.fixture
def timed_files(tmp_path: Path) -> tuple[Path, Path]:
    return (
        _write(tmp_path / "cohort.csv", _with_times(_people(300, 1.0, 1), 5)),
        _write(tmp_path / "pool.csv", _with_times(_people(4_000, 0.0, 2), 6)),
    )


def test_time_to_event_and_subgroups_in_json_and_text(
    timed_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """OUT-1 time to first reoffence and OUT-2/EQU-2 breakdowns by area and sex."""
    cohort, pool = timed_files
    common = [
        str(cohort), str(pool), "--outcome", "reoffended", "--covariates", "age,prior",
        "--time-to-event", "days_to_first,first_event", "--subgroups", "sex, area",
    ]  # fmt: skip
    code, out, err = _run(capsys, *common, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data.keys() >= CONTRACT_KEYS
    tte = data["time_to_event"]
    assert (tte["duration"], tte["event"]) == ("days_to_first", "first_event")
    assert tte["events"]["treated"] == data["published_counts"]["treated_with_outcome"]
    assert tte["cox"]["hazard_ratio"] > 0 and 0 <= tte["log_rank"]["p_value"] <= 1
    assert [(r["variable"], r["group"]) for r in data["subgroups"]] == [
        ("sex", "F"), ("sex", "M"), ("area", "North"), ("area", "South"),
    ]  # fmt: skip
    assert sum(data["overlap"]["treated"]) == 300
    code, text, _ = _run(capsys, *common)
    assert code == 0
    assert "Time to first event (days_to_first, first_event), matched sample:" in text
    assert "Cox hazard ratio (cohort vs comparison):" in text and "Log-rank test:" in text
    assert "Standard error of log hazard ratio:" in text
    assert "(robust, clustered on matched sets and reused comparison people; model-based" in text
    assert "Subgroups (matched cohort members" in text and "North" in text


def test_without_the_new_options_the_new_keys_are_empty(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cohort, pool = files
    code, out, _ = _run(capsys, str(cohort), str(pool), "--outcome", "reoffended",
                        "--covariates", "age,prior", "--format", "json")  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["time_to_event"] is None and data["subgroups"] == []
    assert len(data["overlap"]["edges"]) == 21
    code, text, _ = _run(capsys, str(cohort), str(pool), "--outcome", "reoffended",
                         "--covariates", "age,prior")  # fmt: skip
    assert "Time to first event" not in text and "Subgroups" not in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--time-to-event", "weeks,first_event"], "cohort.csv: no column 'weeks'"),
        (["--time-to-event", "days_to_first,arrest"], "cohort.csv: no column 'arrest'"),
        (["--subgroups", "ethnicity"], "cohort.csv: no column 'ethnicity'"),
    ],
)
def test_unknown_time_to_event_or_subgroup_column_is_named(
    timed_files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    code, err = _error(
        capsys, timed_files, "--outcome", "reoffended", "--covariates", "age", *extra
    )
    assert code == 1
    assert message in err


def test_an_event_column_that_is_not_0_or_1_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _with_times(_people(100, 0.0, 3), 7)
    rows[4]["first_event"] = 3
    cohort = _write(tmp_path / "cohort.csv", rows)
    pool = _write(tmp_path / "pool.csv", _with_times(_people(500, 0.0, 4), 8))
    code, err = _error(capsys, (cohort, pool), "--outcome", "reoffended", "--covariates", "age",
                       "--time-to-event", "days_to_first,first_event")  # fmt: skip
    assert code == 1
    assert "cohort.csv: row 6: column 'first_event' has 3; events must be 0" in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--time-to-event", "days_to_first", "time-to-event must be two column names"),
        ("--time-to-event", "a,b,c", "time-to-event must be two column names"),
        ("--time-to-event", "a,a", "time-to-event needs two different columns"),
        ("--subgroups", "sex,,area", "empty column name"),
    ],
)
def test_bad_new_options_exit_2_with_one_line(
    files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
    message: str,
) -> None:
    cohort, pool = files
    with pytest.raises(SystemExit) as exit_info:
        main(["outcomes", "evaluate", str(cohort), str(pool), "--outcome", "reoffended",
              "--covariates", "age", option, value])  # fmt: skip
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
