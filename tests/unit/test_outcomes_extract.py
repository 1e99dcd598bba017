"""The steward's national extract (OUT-1, issue 17 item 2): measures for chosen people from the
offences sorted by person agree with the file-based measures, and a study against the extract
agrees with the evaluation on the same people."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from commissioning_analytics.outcomes.effects import estimate_effect
from commissioning_analytics.outcomes.evaluation import evaluate
from commissioning_analytics.outcomes.extract import load_extract
from commissioning_analytics.outcomes.extract_study import study_extract
from commissioning_analytics.outcomes.io import InputError, PeopleTable
from commissioning_analytics.outcomes.measures import MEASURES, add_measures
from commissioning_analytics.outcomes_synthetic.people import COVARIATES, generate_people
from tests.unit.test_outcomes_measures import REFERENCE_OFFENCES, REFERENCE_PEOPLE


def _write(tmp_path: Path, people: str, offences: str) -> tuple[Path, Path]:
    p, o = tmp_path / "people.csv", tmp_path / "offences.csv"
    p.write_text(people)
    o.write_text(offences)
    return p, o


def test_the_reference_table_gives_the_same_measures_from_the_extract(tmp_path: Path) -> None:
    files = _write(tmp_path, REFERENCE_PEOPLE, REFERENCE_OFFENCES)
    expected = add_measures(*files).frame.set_index("person_id")
    extract = load_extract(*files)
    chosen = extract.positions(["P5", "P1", "P3"])  # any people, in any order
    measures = extract.measures_for(chosen)
    for name in MEASURES:
        assert getattr(measures, name).tolist() == expected.loc[["P5", "P1", "P3"], name].tolist()
    assert extract.measures_for(chosen).headline().reoffenders == 2


def _synthetic_extract(tmp_path: Path, n: int = 3_000) -> tuple[Path, Path, pd.DataFrame]:
    synthetic = generate_people(11, n)
    rng = np.random.default_rng(3)
    people = synthetic.people
    history = pd.DataFrame(  # offences before the index date, some disposed after it
        {
            "person_id": people["person_id"].to_numpy()[rng.integers(0, n, size=n)],
            "offence_date": people["index_date"].to_numpy()[:n] - np.timedelta64(30, "D"),
            "disposal_date": people["index_date"].to_numpy()[:n] + np.timedelta64(10, "D"),
            "disposal_type": "fine",
        }
    )
    offences = pd.concat([synthetic.offences, history]).sample(frac=1.0, random_state=1)
    # An intermediate outcome the extract holds for everyone: settled accommodation at 6 weeks.
    people["accommodation_6w"] = (people["age"] % 3 > 0).astype(int)
    p, o = tmp_path / "people.csv", tmp_path / "offences.csv"
    people.to_csv(p, index=False, date_format="%Y-%m-%d")
    offences.to_csv(o, index=False, date_format="%Y-%m-%d")
    return p, o, people


def test_every_person_of_a_synthetic_extract_matches_the_file_based_measures(
    tmp_path: Path,
) -> None:
    p, o, _ = _synthetic_extract(tmp_path)
    expected = add_measures(p, o).frame
    extract = load_extract(p, o, numeric=COVARIATES)
    rows = np.random.default_rng(0).permutation(extract.rows)
    measures = extract.measures_for(rows)
    for name in MEASURES:
        np.testing.assert_array_equal(getattr(measures, name), expected[name].to_numpy()[rows])


def test_a_study_against_the_extract_agrees_with_the_evaluation(tmp_path: Path) -> None:
    p, o, people = _synthetic_extract(tmp_path)
    extract = load_extract(p, o, numeric=COVARIATES)
    cohort = np.flatnonzero(people["ogrs_score"].to_numpy() > 60)[:300]
    study = study_extract(extract, cohort, covariates=list(COVARIATES))
    measured = add_measures(p, o).frame
    in_cohort = np.isin(np.arange(extract.rows), cohort)

    def table(name: str, rows: np.ndarray) -> PeopleTable:
        numbers = {c: measured[c].to_numpy(dtype=float)[rows] for c in [*COVARIATES, *MEASURES]}
        return PeopleTable(name, rows.size, numbers, {})

    reference = evaluate(
        table("cohort", cohort),
        table("pool", np.flatnonzero(~in_cohort)),
        outcome="reoffended",
        covariates=list(COVARIATES),
    )
    assert study.rate.effect == pytest.approx(reference.effect.effect, abs=1e-12)
    assert study.rate.standard_error == pytest.approx(reference.effect.standard_error, rel=1e-9)
    assert study.matches.n_matched_treated == reference.matches.n_matched_treated
    matched = cohort[np.unique(study.matches.treated)]  # 1:1 without replacement
    reoffences = measured["reoffences"].to_numpy()
    assert study.frequency_per_100.effect == pytest.approx(
        100 * reoffences[matched].mean() - 100 * reoffences[study.comparison_rows].mean()
    )
    days = study.days_to_first
    (accommodation,) = study.intermediate  # held by the extract, through the same matched sets
    settled = people["accommodation_6w"].to_numpy(dtype=float)
    direct = estimate_effect(settled[cohort], settled[study.comparison_rows], study.matches)
    assert accommodation.measure == "accommodation_6w" and accommodation.effect == direct
    figures = study.to_dict()
    assert figures["measures"]["rate"]["effect"] == study.rate.effect
    assert figures["intermediate"][0]["measure"] == "accommodation_6w"
    reoffenders = study.cohort_measures.reoffended[np.unique(study.matches.treated)]
    assert days is not None and days.n_treated == int(reoffenders.sum())


def test_unknown_people_and_bad_rows_are_refused(tmp_path: Path) -> None:
    files = _write(tmp_path, REFERENCE_PEOPLE, REFERENCE_OFFENCES)
    extract = load_extract(*files)
    with pytest.raises(InputError, match="1 of 2 people are not in the extract"):
        extract.positions(["P1", "nobody"])
    with pytest.raises(InputError, match=r"1 person is given more than once \(.* row 3\)"):
        extract.positions(["P1", "P2", "P1"])
    bad = REFERENCE_OFFENCES.replace("2024-03-10,reprimand", "2024-03-10,verbal advice")
    with pytest.raises(InputError, match=r"offences\.csv: row 10: column 'disposal_type'"):
        load_extract(*_write(tmp_path, REFERENCE_PEOPLE, bad))
    bad = REFERENCE_PEOPLE.replace("P4,2024-05-15", "P4,15/05/2024")
    with pytest.raises(InputError, match=r"people\.csv: row 5: column 'index_date'"):
        load_extract(*_write(tmp_path, bad, REFERENCE_OFFENCES))
