"""The synthetic national extract and the cohort drawn from it (issue 17 item 4; OUT-1): the
cohort's known people are the extract's, the unknown ones are not, and the command line writes
the three files, labelled synthetic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from commissioning.cli import main
from commissioning_analytics.outcomes_synthetic.extract import generate_extract


def test_the_cohort_is_drawn_from_the_extract_plus_people_it_does_not_hold() -> None:
    drawn = generate_extract(5, 1_000, 80, unknown=7)
    assert len(drawn.people) == 1_000 and len(drawn.cohort) == 87
    held = drawn.cohort["pnc_id"].isin(drawn.people["pnc_id"])
    assert held.sum() == 80 and not held.iloc[80:].any()
    assert drawn.offences["pnc_id"].isin(drawn.people["pnc_id"]).all()
    assert drawn.people["pnc_id"].str.startswith("SYNPNC").all()
    again = generate_extract(5, 1_000, 80, unknown=7)
    pd.testing.assert_frame_equal(drawn.cohort, again.cohort)


def test_the_command_line_writes_a_synthetic_extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["outcomes", "synthetic-extract", str(tmp_path), "--people", "500", "--cohort", "60"]
    assert main(args) == 0
    assert "generated, not real people" in capsys.readouterr().out
    cohort = pd.read_csv(tmp_path / "extract_cohort.csv")
    assert list(cohort.columns) == ["pnc_id", "index_date"] and len(cohort) == 61
    assert len(pd.read_csv(tmp_path / "extract_people.csv")) == 500
    assert main([*args[:3], "--people", "100", "--cohort", "200"]) == 1
    assert "cannot be larger than the extract" in capsys.readouterr().err
