"""Calibration of the synthetic pool against approximate published England & Wales adult
proven-reoffending levels (OUT-1), measured by the real ``measures`` code, and the
six-month waiting period mattering."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from commissioning_analytics.outcomes.measures import add_measures
from commissioning_analytics.outcomes_synthetic import Targets, generate_people
from commissioning_analytics.outcomes_synthetic.writers import write_csv


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder: Path = tmp_path_factory.mktemp("synthetic")
    data = generate_people(2024, 200_000)
    write_csv(data.people, folder / "people.csv")
    write_csv(data.offences, folder / "offences.csv")
    frame = add_measures(folder / "people.csv", folder / "offences.csv").frame
    return frame, data.offences.merge(data.people[["person_id", "index_date"]], on="person_id")


def test_one_year_rate_is_within_two_points_of_target(
    measured: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    frame, _ = measured
    assert abs(frame["reoffended"].mean() - Targets().overall_rate) < 0.02


def test_rates_by_index_type_and_age(measured: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, _ = measured
    custody = frame[frame["custody_index"] == "1"]
    short = frame[frame["short_sentence"] == "1"]
    assert abs(custody["reoffended"].mean() - Targets().custody_rate) < 0.03
    assert abs(short["reoffended"].mean() - Targets().short_sentence_rate) < 0.03
    age = frame["age"].astype(int)
    assert frame[age < 25]["reoffended"].mean() > frame[age >= 25]["reoffended"].mean() + 0.03


def test_frequency_per_reoffender_is_between_three_and_four(
    measured: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    frame, _ = measured
    per_reoffender = frame.loc[frame["reoffended"] == 1, "reoffences"].mean()
    assert 3.0 <= per_reoffender <= 4.0


def test_waiting_period_excludes_late_proofs(measured: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    frame, offences = measured
    year_end = offences["index_date"] + pd.DateOffset(years=1)
    in_year = (offences["offence_date"] > offences["index_date"]) & (
        offences["offence_date"] <= year_end
    )
    late = in_year & (offences["disposal_date"] > year_end + pd.DateOffset(months=6))
    proven_in_waiting_period = in_year & (offences["disposal_date"] > year_end) & ~late
    assert late.sum() > 100
    assert proven_in_waiting_period.sum() > 100
    # measures counts exactly the in-year offences proven in time, not the late ones.
    assert frame["reoffences"].sum() == (in_year & ~late).sum()
    assert frame["reoffences"].sum() < in_year.sum()
