"""`make bench`'s analytics-core part prints issue 21's targets with a verdict beside each figure
(the stress test <= 1 s, matching alone <= 0.3 s, the whole evaluation <= 2 s, peak RSS <= 2 GB).

Times are never asserted here: only what the benchmark prints beside them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import core


@pytest.mark.parametrize(
    ("figure", "limit", "expected"),
    [
        (0.7, 1.0, "(target <= 1 s: met)"),
        (1.0, 1.0, "(target <= 1 s: met)"),
        (1.01, 1.0, "(target <= 1 s: MISSED)"),
    ],
)
def test_target_says_met_or_missed(figure: float, limit: float, expected: str) -> None:
    assert core.target(figure, limit, "1 s") == expected


def test_the_targets_are_issue_21s() -> None:
    assert (core.STRESS_TEST_S, core.MATCHING_S, core.WHOLE_EVALUATION_S) == (1.0, 0.3, 2.0)
    assert (core.STRESS_TEST_MIB, core.PEAK_RSS_MIB) == (1024.0, 2048.0)


def test_stress_test_line_carries_its_verdicts() -> None:
    line = core.stress_test(paths=200, months=12, members=3)
    assert re.search(r"in \d+\.\d\d s \(target <= 1 s: (met|MISSED)\)", line)
    assert re.search(r"memory \+\d+ MiB during it \(target <= 1 GB: (met|MISSED)\)", line)
    assert "target <= 2 s" not in line


def test_outcome_lines_carry_issue_21s_verdicts() -> None:
    figures = core.outcomes_matching(treated=200, pool=2_000)
    text = "\n".join(figures.lines)
    assert len(re.findall(r"matching alone .*?\(target <= 0\.3 s: (?:met|MISSED)\)", text)) == 2
    assert len(re.findall(r"whole evaluation .*?\(target <= 2 s: (?:met|MISSED)\)", text)) == 2
    assert re.search(r"peak RSS so far [\d,]+ MiB \(target <= 2 GB: (met|MISSED)\)", text)
    assert "target <= 5 s" not in text
