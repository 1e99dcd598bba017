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
from commissioning_analytics.outcomes.extract import (
    load_extract,
    open_compact,
    save_compact,
    verify_compact,
)
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


def test_a_cohort_is_measured_from_the_providers_own_index_dates(tmp_path: Path) -> None:
    """OUT-1 (issue 17 item 1 of P): hand figures for index dates other than the extract's."""
    extract = load_extract(*_write(tmp_path, REFERENCE_PEOPLE, REFERENCE_OFFENCES))
    rows = extract.positions(["P1", "P3", "P6"])
    dates = np.array(["2024-03-05", "2023-03-01", "2024-05-01"], dtype="datetime64[D]")
    measures = extract.measures_for(rows, dates)
    # P1 from 5 Mar 2024: both offences that day are on the index date (not counted); 1 Jun
    # (disposed 11 Jul 2025, within the waiting period to 5 Sep 2025) and 1 Sep count: 2
    # reoffences, the first after 26 + 30 + 31 + 1 = 88 days, neither a custodial sentence.
    # P3 from 1 Mar 2023: 29 Feb 2024 is inside the year (to 1 Mar 2024), 365 days on.
    # P6 from 1 May 2024: the only offence is on the index date, so none, followed for 365 days.
    assert measures.reoffended.tolist() == [1, 1, 0]
    assert measures.reoffences.tolist() == [2, 1, 0]
    assert measures.days_to_first.tolist() == [88, 365, 365]
    assert measures.custodial.tolist() == [0, 0, 0]
    # The extract's own dates still give the reference figures (P1: 3 reoffences after 55 days).
    assert extract.measures_for(rows).reoffences.tolist() == [3, 1, 0]
    with pytest.raises(InputError, match="2 index dates were given for 3 people"):
        extract.measures_for(rows, dates[:2])
    p5 = extract.positions(["P5"])  # censored (deported) on 1 Aug 2024
    with pytest.raises(InputError, match="index date is after the person's censor date"):
        extract.measures_for(p5, np.array(["2024-09-01"], dtype="datetime64[D]"))


def test_offences_with_an_empty_pseudonym_are_checked_but_never_measured(tmp_path: Path) -> None:
    """The steward's offences of people the extract does not hold keep their row, with an empty
    pseudonym, so a bad one is named by its row number (OUT-1)."""
    offences = REFERENCE_OFFENCES + ",2024-02-01,2024-02-02,fine\n"
    extract = load_extract(*_write(tmp_path, REFERENCE_PEOPLE, offences))
    assert extract.offences.size == REFERENCE_OFFENCES.count("\n") - 1
    bad = REFERENCE_OFFENCES + ",2024-02-01,2024-01-02,fine\n"
    with pytest.raises(InputError, match=r"offences\.csv: row 13: the disposal date is before"):
        load_extract(*_write(tmp_path, REFERENCE_PEOPLE, bad))


def test_a_study_measures_its_cohort_from_the_given_index_dates(tmp_path: Path) -> None:
    people_csv, offences_csv, people = _synthetic_extract(tmp_path, 1_500)
    extract = load_extract(people_csv, offences_csv, numeric=COVARIATES)
    cohort = np.flatnonzero(people["treated"].to_numpy() == 1) if "treated" in people else None
    rows = cohort if cohort is not None else np.arange(200)
    later = extract.index_date[rows] + np.timedelta64(120, "D")
    study = study_extract(extract, rows, covariates=list(COVARIATES), cohort_index_dates=later)
    expected = extract.measures_for(rows, later)
    assert study.cohort_measures.reoffences.tolist() == expected.reoffences.tolist()
    assert study.cohort_measures.days_to_first.tolist() != (
        extract.measures_for(rows).days_to_first.tolist()
    )


def test_the_compact_form_gives_the_measures_and_study_of_the_text_read(tmp_path: Path) -> None:
    """Issue 17 speed item 2 (OUT-1): a version saved as .npy arrays and memory-mapped gives the
    same people, covariates, text, statuses, measures and study as reading the CSV files."""
    p, o, people = _synthetic_extract(tmp_path)
    people_with_censor = people.assign(
        censor_date=np.where(people.index % 7 == 0, "2030-01-01", ""),
        area=np.where(people.index % 2 == 0, "North East", "Wales"),
    )
    people_with_censor.to_csv(p, index=False, date_format="%Y-%m-%d")
    text_read = load_extract(p, o, numeric=COVARIATES, text=["area"])
    manifest = save_compact(text_read, tmp_path / "v1")
    compact = open_compact(tmp_path / "v1")
    verify_compact(tmp_path / "v1")

    assert isinstance(compact.offences.committed, np.memmap)
    assert compact.rows == text_read.rows == 3_000
    assert compact.offences.size == text_read.offences.size == manifest["offences"]
    rows = np.random.default_rng(5).permutation(text_read.rows)
    for name in MEASURES:
        np.testing.assert_array_equal(
            getattr(compact.measures_for(rows), name), getattr(text_read.measures_for(rows), name)
        )
    later = text_read.index_date[rows[:200]] + np.timedelta64(45, "D")
    provider_dates = compact.measures_for(rows[:200], later)
    for name in MEASURES:
        np.testing.assert_array_equal(
            getattr(provider_dates, name),
            getattr(text_read.measures_for(rows[:200], later), name),
        )
    for column in COVARIATES:
        np.testing.assert_array_equal(compact.numbers[column], text_read.numbers[column])
    assert compact.text["area"].tolist() == text_read.text["area"].tolist()
    assert compact.text_of("area", rows).tolist() == text_read.text_of("area", rows).tolist()
    assert compact.text_of("area", rows[:2]).dtype.kind == "U"
    np.testing.assert_array_equal(compact.statuses["accommodation_6w"], people["accommodation_6w"])
    assert compact.censor_date is not None and text_read.censor_date is not None
    np.testing.assert_array_equal(compact.censor_date, text_read.censor_date)
    pseudonyms = people["person_id"].to_numpy()
    chosen = [pseudonyms[9], pseudonyms[2_999], pseudonyms[0]]
    assert compact.positions(chosen).tolist() == [9, 2_999, 0]
    assert compact.ids.get_indexer(["nobody", pseudonyms[4] + "x"]).tolist() == [-1, -1]

    cohort = np.flatnonzero(people["ogrs_score"].to_numpy() > 60)[:300]
    on_disk = study_extract(compact, cohort, covariates=list(COVARIATES))
    in_memory = study_extract(text_read, cohort, covariates=list(COVARIATES))
    assert on_disk.to_dict() == in_memory.to_dict()


def test_a_changed_stored_array_fails_its_hash(tmp_path: Path) -> None:
    files = _write(tmp_path, REFERENCE_PEOPLE, REFERENCE_OFFENCES)
    manifest = save_compact(load_extract(*files), tmp_path / "v1")
    kinds = tmp_path / "v1" / manifest["offence_arrays"]["kind"]
    stored = bytearray(kinds.read_bytes())
    stored[-1] ^= 1
    kinds.write_bytes(bytes(stored))
    with pytest.raises(InputError, match=r"offence-kind\.npy is not the file that was stored"):
        verify_compact(tmp_path / "v1")
