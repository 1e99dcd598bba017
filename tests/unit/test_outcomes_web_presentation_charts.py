"""Chart geometry and data tables of the study page (OUT-1, OUT-2, EQU-2), with real numbers:
where a value lands in the SVG, and what the tables next to the charts say."""

from __future__ import annotations

import math

import pytest

from commissioning.outcomes_web import chart_tables, charts
from tests.unit.test_outcomes_web_presentation_data import BASE, full_result


@pytest.fixture
def result() -> dict:
    return full_result(BASE)


def test_axis_maps_values_linearly_to_pixels() -> None:
    axis = charts.Axis(0.0, 0.5, 190.0, 620.0)
    assert axis(0.0) == 190.0
    assert axis(0.1) == 276.0
    assert axis(0.5) == 620.0
    assert charts.Axis(0.0, 1.0, 240.0, 20.0)(0.25) == 185.0  # y axes run upwards


def test_ticks_are_round_numbers() -> None:
    assert charts.nice_step(0.5) == pytest.approx(0.1)
    assert charts.nice_step(365) == 100
    assert charts.ticks(0.0, 365.0) == [0.0, 100.0, 200.0, 300.0]
    assert charts.ticks(-0.2, 0.05, 5) == pytest.approx([-0.2, -0.15, -0.1, -0.05, 0.0, 0.05])


def test_love_plot_places_each_smd_and_the_threshold(result: dict) -> None:
    love = charts.love_plot(result)
    assert love is not None
    assert love["threshold"] == 276.0  # 0.1 on an axis from 0 to 0.5 across 190–620
    age, prior, female = love["points"]
    assert (age["covariate"], age["before"], age["after"]) == ("age", 577.0, 207.2)
    assert (prior["before"], prior["after"]) == (448.0, 319.0)  # |−0.3| and |−0.15|
    assert female["before"] is None and female["after"] == 190.0
    assert [p["y"] for p in love["points"]] == [29.0, 55.0, 81.0]
    assert "2 of 3 covariates are at or below the 0.1 line" in love["label"]
    assert [t["label"] for t in love["ticks"]] == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"]


def test_overlap_chart_draws_each_group_as_shares(result: dict) -> None:
    chart = charts.overlap_chart(result)
    assert chart is not None
    treated, pool, matched = chart["lines"]
    assert [line["name"] for line in chart["lines"]] == [
        "Cohort",
        "Whole comparison pool",
        "Matched comparison",
    ]
    # 3 of 100 cohort members in the band 0.50–0.55, on a 0–60% axis from y 240 up to 20
    assert "V 229.0 H 368.0" in treated["path"]
    assert treated["path"].startswith("M 60.0 240.0 V 240.0 H 88.0")
    assert treated["path"].endswith("V 240.0")
    assert {pool["dash"], matched["dash"]} == {"2 3", "8 4"} and treated["dash"] == ""
    assert [t["label"] for t in chart["y_ticks"]] == ["0", "20", "40", "60"]


def test_suppressed_bins_are_not_drawn() -> None:
    assert charts.shares(["<5", 5, 15]) == [0.0, 0.25, 0.75]


def test_km_chart_steps_down_at_each_event_time(result: dict) -> None:
    chart = charts.km_chart(result)
    assert chart is not None
    treated, comparison = chart["lines"]
    # day 10 on a 0–365 axis across 60–620; 95% on a 50–100% axis from 240 up to 20
    assert treated["path"].startswith("M 60.0 20.0 H 75.3 V 42.0")
    assert treated["path"].endswith("H 620.0")
    assert comparison["dash"] == "8 4" and treated["dash"] == ""
    assert "Log-rank test p-value 0.011." in chart["label"]
    assert "Cox hazard ratio 0.62 (95% confidence interval 0.43 to 0.89)" in chart["label"]


def test_forest_chart_flags_a_disparity_in_words(result: dict) -> None:
    chart = charts.forest_chart(result)
    assert chart is not None
    male, london = chart["rows"]  # the female group has no estimate: table only
    assert chart["zero"] == 602.3
    assert london["effect"] == 365.9
    assert (london["low"], london["high"]) == (247.7, 484.1)  # padded by 5% each side
    assert london["label"] == "Area: london (disparity)" and london["disparity"]
    assert male["label"] == "Sex: male" and not male["disparity"]
    assert "Flagged as differing from the rest of the cohort: Area: london." in chart["label"]
    assert chart["unit"] == "percentage points"


def test_old_results_have_no_new_charts() -> None:
    assert charts.overlap_chart(BASE) is None
    assert charts.km_chart(BASE) is None
    assert charts.forest_chart(BASE) is None
    assert chart_tables.km_rows(BASE) == []
    assert chart_tables.km_facts(BASE) == []
    assert chart_tables.overlap_rows(BASE) == []
    assert chart_tables.subgroup_rows(BASE) == []
    assert charts.love_plot(BASE) is not None


def test_km_table_every_30_days(result: dict) -> None:
    rows = chart_tables.km_rows(result)
    assert [row["day"] for row in rows] == [str(d) for d in range(0, 361, 30)] + ["365"]
    day0, day30 = rows[0], rows[1]
    assert day0["treated_survival"] == "100.0% (100.0% to 100.0%)"
    assert day0["treated_at_risk"] == "100"
    assert day30["treated_survival"] == "95.0% (90.0% to 98.0%)"
    assert day30["treated_at_risk"] == "95"
    day300 = rows[10]
    assert day300["comparison_survival"] == "60.0% (50.0% to 69.0%)"
    assert day300["comparison_at_risk"] == "4.4"
    assert rows[-1]["treated_at_risk"] == "not available"


def test_km_facts_state_the_tests(result: dict) -> None:
    facts = dict(chart_tables.km_facts(result))
    assert facts["Median time to first proven reoffence: cohort"] == "not reached in the follow-up"
    assert facts["Median time to first proven reoffence: matched comparison"] == "250 days"
    assert facts["Log-rank test p-value"] == "0.011"
    assert facts["Cox hazard ratio (cohort to matched comparison)"] == "0.62"
    assert facts["Hazard ratio 95% confidence interval"] == "0.43 to 0.89"
    assert facts["Matched comparison people with a proven reoffence (weighted)"] == "40.4"


def test_km_facts_explain_the_robust_standard_error(result: dict) -> None:
    """Issue 17: the hazard ratio's interval rests on the matched-sets robust standard error,
    and the analyst's detail says so, with the frequency-weights figure beside it."""
    error = dict(chart_tables.km_facts(result))["Hazard ratio standard error (log scale)"]
    assert error.startswith("0.180, allowing for people matched together")
    assert "would give 0.150" in error
    old = result["time_to_event"]["cox"]
    result["time_to_event"]["cox"] = {
        k: v for k, v in old.items() if k not in ("variance", "model_standard_error")
    }
    assert dict(chart_tables.km_facts(result))["Hazard ratio standard error (log scale)"] == "0.180"


def _logit_overlap() -> dict:
    """A stored result's overlap on the logit scale (issue 17): 4 bands from 0.1% to 50%."""
    logit_edges = [math.log(p / (1 - p)) for p in (0.001, 0.01, 0.05, 0.2, 0.5)]
    return {
        "overlap": {
            "scale": "logit",
            "logit_edges": logit_edges,
            "edges": [0.001, 0.01, 0.05, 0.2, 0.5],
            "treated": [0, 10, 30, 60],
            "pool": [500, 300, 150, 50],
            "matched_comparison": [0.0, 10.0, 30.0, 60.0],
        }
    }


def test_overlap_on_the_logit_scale_is_labelled_with_probabilities() -> None:
    """Issue 17: bins equal on the logit scale are drawn equally wide, and the axis and the
    table read as percentages, not logits."""
    chart = charts.overlap_chart(_logit_overlap())
    assert chart is not None
    assert chart["x_title"] == "Propensity score (chance of being in the cohort)"
    labels = [t["label"] for t in chart["x_ticks"]]
    assert labels == ["0.1%", "2%", "10%", "30%", "50%"]
    assert [t["at"] for t in chart["x_ticks"]][0::4] == [60.0, 620.0]
    assert "stretched near 0% and 100%" in chart["label"]
    assert "logit" not in chart["label"] + " ".join(labels)
    rows = chart_tables.overlap_rows(_logit_overlap())
    assert [row["band"] for row in rows] == [
        "0.10% to 1.0%", "1.0% to 5.0%", "5.0% to 20%", "20% to 50%",
    ]  # fmt: skip


def test_percentages_keep_two_significant_figures_on_the_smaller_side() -> None:
    assert [charts.percent(p) for p in (0.00012, 0.045, 0.5, 0.9995, 1.0, 0.0)] == [
        "0.012%", "4.5%", "50%", "99.950%", "100%", "0%",
    ]  # fmt: skip


def test_a_narrow_logit_axis_is_labelled_at_its_ends() -> None:
    result = _logit_overlap()
    result["overlap"]["logit_edges"] = [0.1, 0.2, 0.3, 0.4, 0.5]
    chart = charts.overlap_chart(result)
    assert chart is not None
    assert [t["label"] for t in chart["x_ticks"]] == ["52%", "62%"]


def test_overlap_table_has_a_row_per_band(result: dict) -> None:
    rows = chart_tables.overlap_rows(result)
    assert len(rows) == 20
    assert rows[10] == {
        "band": "0.50 to 0.55",
        "treated": "3",
        "pool": "8",
        "matched_comparison": "2.6",
    }


def test_subgroup_table_writes_disparity_and_missing_estimates(result: dict) -> None:
    female, male, london = chart_tables.subgroup_rows(result)
    assert female["effect"] == "not available"
    assert female["note"] == "fewer than 60 matched cohort members: no estimate"
    assert male["disparity"] == "No"
    assert male["effect"] == "−10.0 percentage points"
    assert london["group"] == "Area: london"
    assert london["interval"] == "−45.0 percentage points to −15.0 percentage points"
    assert london["disparity"] == (
        "Yes: the effect differs from the rest of the cohort (p-value 0.010)"
    )
    assert london["p_value"] == "less than 0.001"
