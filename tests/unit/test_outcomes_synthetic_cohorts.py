"""Demo provider cohorts (OUT-1, OUT-3, PBR-2): determinism, who is in them, intermediate
outcomes, and end to end — generate → measures → evaluate recovers the built-in effect."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from commissioning.cli import main
from commissioning_analytics.outcomes.evaluation import evaluate
from commissioning_analytics.outcomes.io import read_people
from commissioning_analytics.outcomes.measures import add_measures
from commissioning_analytics.outcomes_synthetic import COVARIATES, generate_people
from commissioning_analytics.outcomes_synthetic.cohorts import (
    DEMO_COHORTS,
    INTERMEDIATE_OUTCOMES,
    generate_demo_cohorts,
)
from commissioning_analytics.outcomes_synthetic.writers import write_csv, write_demo_files


def test_cohorts_are_deterministic() -> None:
    first, again = generate_demo_cohorts(5), generate_demo_cohorts(5)
    for slug in first:
        pd.testing.assert_frame_equal(first[slug].people, again[slug].people)
        pd.testing.assert_frame_equal(first[slug].offences, again[slug].offences)


def test_cohorts_are_who_the_providers_work_with() -> None:
    made = generate_demo_cohorts(11)
    assert {spec.slug: spec.size for spec in DEMO_COHORTS} == {
        slug: len(c.people) for slug, c in made.items()
    }
    women = made["womens-centre"].people
    assert (women["sex"] == "female").all()
    young = made["young-adults-mentoring"].people
    assert young["age"].mean() < 25
    assert set(young["area"]) == {"london"}
    resettlement = made["resettlement"].people
    assert resettlement["custody_index"].mean() > 0.7
    assert resettlement["person_id"].iloc[0] == "SYN-RS-0000001"
    for cohort in made.values():
        assert cohort.true_effect == pytest.approx(-0.04)
        assert 0 < cohort.hazard_multiplier < 1


def test_intermediate_outcomes_with_leading_and_lagging_labels() -> None:
    people = generate_demo_cohorts(11)["resettlement"].people
    assert {o.indicator for o in INTERMEDIATE_OUTCOMES} == {"leading", "lagging"}
    for outcome in INTERMEDIATE_OUTCOMES:
        values = people[outcome.column]
        if outcome.kind == "binary":
            assert set(values) == {0, 1}
        else:
            assert values.between(7, 35).all()
            assert values.nunique() > 20


def test_end_to_end_matching_recovers_the_built_in_effect(tmp_path: Path) -> None:
    pool = generate_people(7, 50_000)
    cohort = generate_demo_cohorts(7)["resettlement"]
    assert len(cohort.people) == 400
    for name, data in (("pool", pool), ("cohort", cohort)):
        write_csv(data.people, tmp_path / f"{name}.csv")
        write_csv(data.offences, tmp_path / f"{name}_offences.csv")
        measured = add_measures(tmp_path / f"{name}.csv", tmp_path / f"{name}_offences.csv")
        measured.to_csv(tmp_path / f"{name}_measured.csv")
    numeric = ["reoffended", *COVARIATES]
    result = evaluate(
        read_people(tmp_path / "cohort_measured.csv", numeric, ["area"]),
        read_people(tmp_path / "pool_measured.csv", numeric, ["area"]),
        outcome="reoffended",
        covariates=list(COVARIATES),
        exact=["area"],
        replace=True,
        ratio=3,
    )
    effect = result.effect
    assert effect.ci_low <= cohort.true_effect <= effect.ci_high
    assert effect.ci_high - effect.ci_low < 0.2
    assert result.matches.n_matched_treated >= 390
    for row in result.balance.covariates:
        assert abs(row.smd_after) < 0.1, row.covariate


def test_demo_files_run_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = write_demo_files(tmp_path, seed=3, pool_size=20_000)
    for name in ("pool_people", "cohort_young_adults_mentoring"):
        offences = files["pool_offences" if name == "pool_people" else f"{name}_offences"]
        out = tmp_path / f"{name}_measured.csv"
        assert (
            main(["outcomes", "measures", str(files[name]), str(offences), "--output", str(out)])
            == 0
        )
    code = main(
        [
            "outcomes",
            "evaluate",
            str(tmp_path / "cohort_young_adults_mentoring_measured.csv"),
            str(tmp_path / "pool_people_measured.csv"),
            "--outcome",
            "reoffended",
            "--covariates",
            ",".join(COVARIATES),
            "--replace",
            "--ratio",
            "3",
            "--format",
            "json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_treated"] == 250
    assert result["n_pool"] == 20_000
    assert result["ci_low"] < result["effect"] < result["ci_high"]
