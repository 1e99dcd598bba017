"""Time to first event, score overlap and subgroups in the whole evaluation (OUT-1, OUT-2,
OUT-4, EQU-2): the matched-sample Kaplan–Meier, log-rank and Cox results are the core
functions applied to the matched sample with matching weights; a simulated hazard ratio is
recovered; the JSON keys are exactly the agreed ones and JSON-safe."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import expit

from commissioning_analytics.outcomes.cox import fit_cox
from commissioning_analytics.outcomes.evaluation import EvaluationError, evaluate
from commissioning_analytics.outcomes.io import PeopleTable
from commissioning_analytics.outcomes.matching import match
from commissioning_analytics.outcomes.subgroups import subgroup_results
from commissioning_analytics.outcomes.survival import logrank_test
from commissioning_analytics.outcomes.time_to_event import MAX_POINTS, thin

TTE_KEYS = {"duration", "event", "kaplan_meier", "median_days", "log_rank", "cox", "events"}
POINT_KEYS = {"time", "survival", "ci_low", "ci_high", "at_risk"}
COX_KEYS = {
    "hazard_ratio", "ci_low", "ci_high", "p_value", "coefficient", "standard_error",
    "model_standard_error", "variance",
}  # fmt: skip
SUBGROUP_KEYS = {
    "variable", "group", "n_cohort", "n_matched", "treated_mean", "comparison_mean", "effect",
    "ci_low", "ci_high", "p_value", "disparity", "disparity_p_value", "note",
}  # fmt: skip


def _people(
    name: str, n: int, shift: float, hazard_ratio: float, seed: int, *, days: bool = True
) -> PeopleTable:
    """Exponential times to first reoffence with covariate effects, censored at 365 days."""
    rng = np.random.default_rng(seed)
    age = rng.normal(30 + 6 * shift, 8, n)
    prior = rng.poisson(2 + shift, n).astype(float)
    sex = rng.choice(["F", "M"], n, p=[0.3, 0.7])
    area = rng.choice(["North", "South", "Tiny"], n, p=[0.5, 0.47, 0.03])
    rate = 0.002 * np.exp(0.2 * prior - 0.02 * (age - 30)) * hazard_ratio
    time = rng.exponential(1 / rate)
    time = np.ceil(time) if days else time
    event = (time <= 365).astype(float)
    numbers = {"age": age, "prior": prior, "days": np.minimum(time, 365.0), "event": event}
    return PeopleTable(name, n, numbers, {"sex": sex, "area": area})


@pytest.fixture(scope="module")
def evaluated() -> dict[str, object]:
    cohort = _people("cohort.csv", 1_500, 0.5, 0.7, 1)
    pool = _people("pool.csv", 30_000, 0.0, 1.0, 2)
    result = evaluate(
        cohort, pool, outcome="event", covariates=["age", "prior"], replace=True, ratio=3,
        time_to_event=("days", "event"), subgroups=["sex", "area"],
    )  # fmt: skip
    return {"cohort": cohort, "pool": pool, "result": result}


def test_the_json_has_exactly_the_agreed_keys_and_is_json_safe(
    evaluated: dict[str, object],
) -> None:
    data = evaluated["result"].to_dict()  # type: ignore[attr-defined]
    data = json.loads(json.dumps(data, allow_nan=False))
    tte = data["time_to_event"]
    assert set(tte) == TTE_KEYS
    assert (tte["duration"], tte["event"]) == ("days", "event")
    for group in ("treated", "comparison"):
        points = tte["kaplan_meier"][group]
        assert 0 < len(points) <= MAX_POINTS
        assert all(set(p) == POINT_KEYS for p in points)
        times = [p["time"] for p in points]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert all(p["ci_low"] <= p["survival"] <= p["ci_high"] for p in points)
    assert set(tte["cox"]) == COX_KEYS
    assert set(tte["log_rank"]) == {"statistic", "p_value"}
    assert set(tte["median_days"]) == {"treated", "comparison"}
    assert isinstance(tte["events"]["treated"], int)
    assert set(data["overlap"]) == {
        "scale", "logit_edges", "edges", "treated", "pool", "matched_comparison",
    }  # fmt: skip
    assert all(set(row) == SUBGROUP_KEYS for row in data["subgroups"])


def test_the_simulated_hazard_ratio_is_recovered(evaluated: dict[str, object]) -> None:
    cox = evaluated["result"].to_dict()["time_to_event"]["cox"]  # type: ignore[attr-defined]
    assert cox["ci_low"] < 0.7 < cox["ci_high"]
    assert cox["hazard_ratio"] == pytest.approx(0.7, abs=0.08)
    assert cox["p_value"] < 0.001
    assert cox["hazard_ratio"] == pytest.approx(np.exp(cox["coefficient"]))


def test_results_are_the_core_functions_on_the_weighted_matched_sample(
    evaluated: dict[str, object],
) -> None:
    cohort, pool, result = evaluated["cohort"], evaluated["pool"], evaluated["result"]
    matches = result.matches  # type: ignore[attr-defined]
    members, weights = matches.treated_matched(), matches.comparison_weights()
    used = weights > 0
    t_t = cohort.numbers["days"][members]  # type: ignore[attr-defined]
    e_t = cohort.numbers["event"][members]  # type: ignore[attr-defined]
    t_c, e_c, w_c = pool.numbers["days"][used], pool.numbers["event"][used], weights[used]  # type: ignore[attr-defined]
    tte = result.to_dict()["time_to_event"]  # type: ignore[attr-defined]
    assert tte["events"]["treated"] == int(e_t.sum())
    assert tte["events"]["comparison_weighted"] == pytest.approx(float(w_c @ e_c))
    expected = logrank_test(t_t, e_t, t_c, e_c, None, w_c)
    assert tte["log_rank"]["statistic"] == pytest.approx(expected.statistic)
    fit = fit_cox(
        np.r_[np.ones(t_t.size), np.zeros(t_c.size)],
        np.r_[t_t, t_c], np.r_[e_t, e_c], np.r_[np.ones(t_t.size), w_c],
    )  # fmt: skip
    assert tte["cox"]["coefficient"] == pytest.approx(fit.coefficients[0])
    first = tte["kaplan_meier"]["treated"][0]
    assert first["at_risk"] == members.sum()  # everyone is at risk at the first event time
    assert tte["kaplan_meier"]["comparison"][0]["at_risk"] == pytest.approx(w_c.sum())


def test_overlap_histogram_counts_everyone(evaluated: dict[str, object]) -> None:
    data = evaluated["result"].to_dict()  # type: ignore[attr-defined]
    overlap = data["overlap"]
    assert overlap["scale"] == "logit" and len(overlap["logit_edges"]) == 21
    assert overlap["edges"] == pytest.approx(expit(np.asarray(overlap["logit_edges"])).tolist())
    assert len(overlap["treated"]) == len(overlap["pool"]) == 20
    assert sum(overlap["treated"]) == data["n_treated"]
    assert sum(overlap["pool"]) == data["n_pool"]
    assert sum(overlap["matched_comparison"]) == pytest.approx(data["n_matched_treated"])


def test_subgroups_per_variable_with_small_groups_left_without_an_estimate(
    evaluated: dict[str, object],
) -> None:
    rows = evaluated["result"].to_dict()["subgroups"]  # type: ignore[attr-defined]
    assert [(r["variable"], r["group"]) for r in rows] == [
        ("sex", "F"), ("sex", "M"), ("area", "North"), ("area", "South"), ("area", "Tiny"),
    ]  # fmt: skip
    tiny = rows[-1]
    assert tiny["n_matched"] < 60
    assert tiny["effect"] is None and tiny["ci_low"] is None and tiny["p_value"] is None
    assert tiny["disparity"] is False and "no estimate" in tiny["note"]
    assert sum(r["n_cohort"] for r in rows if r["variable"] == "sex") == 1_500
    for row in rows[:4]:
        assert row["ci_low"] < row["effect"] < row["ci_high"]
        assert row["effect"] == pytest.approx(row["treated_mean"] - row["comparison_mean"])


def test_without_options_time_to_event_is_null_and_subgroups_empty() -> None:
    cohort = _people("c", 300, 0.5, 0.7, 3)
    pool = _people("p", 5_000, 0.0, 1.0, 4)
    data = evaluate(cohort, pool, outcome="event", covariates=["age", "prior"]).to_dict()
    assert data["time_to_event"] is None
    assert data["subgroups"] == []
    assert sum(data["overlap"]["treated"]) == 300


def test_few_events_give_the_time_to_first_warning() -> None:
    cohort = _people("c", 200, 0.0, 0.04, 5)  # about 20 reoffenders
    pool = _people("p", 4_000, 0.0, 1.0, 6)
    result = evaluate(
        cohort, pool, outcome="prior", covariates=["age"], time_to_event=("days", "event")
    )
    assert result.time_to_event is not None and result.time_to_event.events_treated < 30
    assert any(
        "have the event 'event'" in w and "time-to-first-event results" in w
        for w in result.warnings
    )


def test_continuous_times_are_thinned_to_200_points_keeping_the_ends() -> None:
    cohort = _people("c", 400, 0.0, 1.0, 7, days=False)
    pool = _people("p", 4_000, 0.0, 1.0, 8, days=False)
    result = evaluate(
        cohort, pool, outcome="event", covariates=["age"], time_to_event=("days", "event")
    )
    assert result.time_to_event is not None
    full = result.time_to_event.treated
    points = result.to_dict()["time_to_event"]["kaplan_meier"]["treated"]
    assert full.times.size > MAX_POINTS and len(points) == MAX_POINTS
    assert points[0]["time"] == full.times[0] and points[-1]["time"] == full.times[-1]
    assert points[-1]["survival"] == pytest.approx(full.survival[-1])


def test_thin_keeps_everything_up_to_the_limit() -> None:
    assert thin(5).tolist() == [0, 1, 2, 3, 4]
    picked = thin(1_000, 10)
    assert picked[0] == 0 and picked[-1] == 999 and picked.size == 10


def test_bad_columns_are_named() -> None:
    cohort = _people("cohort.csv", 100, 0.0, 1.0, 9)
    pool = _people("pool.csv", 1_000, 0.0, 1.0, 10)
    with pytest.raises(EvaluationError, match=r"cohort\.csv: no numeric column 'weeks'"):
        evaluate(cohort, pool, outcome="event", covariates=["age"], time_to_event=("weeks", "e"))
    with pytest.raises(EvaluationError, match=r"cohort\.csv: no text column 'ethnicity'"):
        evaluate(cohort, pool, outcome="event", covariates=["age"], subgroups=["ethnicity"])
    pool.numbers["event"][3] = 2.0
    with pytest.raises(EvaluationError, match=r"pool\.csv: row 5: column 'event' has 2; events"):
        evaluate(cohort, pool, outcome="age", covariates=["prior"], time_to_event=("days", "event"))


def test_no_disparity_test_against_a_rest_too_small_to_show() -> None:
    """OUT-4: a group's disparity test against fewer than 60 others would reveal the effect of
    a group too small to be shown, so there is none."""
    rng = np.random.default_rng(11)
    x_t, x_c = rng.normal(0.3, 1, 600), rng.normal(0, 1, 6_000)
    labels = np.array(["big"] * 570 + ["small"] * 30)
    y_t, y_c = x_t + rng.normal(0, 1, 600), x_c + rng.normal(0, 1, 6_000)
    rows = subgroup_results(labels, y_t, y_c, match(x_t, x_c))
    big, small = rows
    assert big.effect is not None and big.disparity_p_value is None and not big.disparity
    assert "fewer than 60 other matched cohort members" in big.note
    assert small.effect is None and "no estimate" in small.note
