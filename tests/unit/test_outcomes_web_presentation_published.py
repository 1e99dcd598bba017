"""What a published study shows of the survival, overlap and subgroup sections (OUT-4, EQU-2,
OUT-2): every count of people under the suppression rule, curves only every 30 days, and the
same in the CSV and JSON downloads. Older stored results still publish."""

from __future__ import annotations

import csv
import io
import json

import pytest

from commissioning.outcomes_web import chart_tables, presentation
from tests.unit.test_outcomes_web_presentation_data import BASE, full_result


@pytest.fixture
def published() -> dict:
    return presentation.published_result(full_result(BASE))


def _numbers(value: object) -> list[float]:
    """Every number in a (nested) value."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


def test_published_km_is_coarsened_and_at_risk_suppressed(published: dict) -> None:
    curves = published["time_to_event"]["kaplan_meier"]
    assert [p["time"] for p in curves["treated"]] == [*range(0, 361, 30), 365]
    day360 = curves["treated"][-2]
    assert day360 == {
        "time": 360,
        "survival": 0.8,
        "ci_low": 0.71,
        "ci_high": 0.86,
        "at_risk": "<5",  # 3 people at the last event time
    }
    day300 = curves["comparison"][10]
    assert day300["at_risk"] == "<5"  # 4.4 weighted people
    assert curves["comparison"][0]["at_risk"] == 100
    assert [p["at_risk"] for p in curves["treated"][1:4]] == [95, 90, 90]  # rounded to 5s
    for point in curves["treated"] + curves["comparison"]:
        assert point["at_risk"] is None or point["at_risk"] == "<5" or point["at_risk"] >= 5


def test_published_survival_is_given_to_a_whole_percent() -> None:
    result = full_result(BASE)
    result["time_to_event"]["kaplan_meier"]["treated"][0]["survival"] = 0.99667
    published = presentation.published_result(result)
    assert published["time_to_event"]["kaplan_meier"]["treated"][1]["survival"] == 1.0


def test_published_km_keeps_the_tests_and_suppresses_events(published: dict) -> None:
    tte = published["time_to_event"]
    assert tte["events"] == {"treated": "<5", "comparison_weighted": 40}
    assert tte["cox"]["hazard_ratio"] == 0.62
    assert tte["log_rank"]["p_value"] == 0.011
    assert tte["median_days"] == {"treated": None, "comparison": 250.0}


def test_published_overlap_counts_are_suppressed(published: dict) -> None:
    overlap = published["overlap"]
    assert overlap["treated"][10] == "<5"  # 3 people
    assert overlap["pool"][16:18] == ["<5", "<5"]
    assert overlap["matched_comparison"][10] == "<5"  # 2.6 weighted
    assert overlap["matched_comparison"][17] == 5  # 4.9 rounds to 5
    assert overlap["pool"][:3] == [2000, 900, 500]
    assert overlap["pool"][10:13] == [10, 5, 5]  # 8, 6, 5 rounded to the nearest 5
    assert overlap["matched_comparison"][11:13] == [10, 20]  # 11.0 and 19.5
    counts = overlap["treated"] + overlap["pool"] + overlap["matched_comparison"]
    assert all(c == "<5" or c % 5 == 0 for c in counts)


def test_published_subgroups_suppress_their_numbers_of_people(published: dict) -> None:
    female, male, london = published["subgroups"]
    assert (female["n_cohort"], female["n_matched"]) == ("<5", "<5")
    assert (male["n_cohort"], male["n_matched"]) == (95, 95)  # 97 and 94, rounded to 5s
    assert london["disparity"] is True and london["effect"] == -0.3


def test_no_small_count_survives_in_the_new_sections(published: dict) -> None:
    """Counts (not rates or statistics) in the new sections are 0, at least 5 or "<5"."""
    tte = published["time_to_event"]
    counts = _numbers(tte["events"]) + [
        n for c in tte["kaplan_meier"].values() for p in c for n in _numbers([p["at_risk"]])
    ]
    counts += [n for row in published["subgroups"] for n in _numbers([row["n_cohort"]])]
    counts += [n for row in published["subgroups"] for n in _numbers([row["n_matched"]])]
    assert all(c == 0 or c >= 5 for c in counts)
    assert all(c % 5 == 0 for c in counts if c != tte["events"]["comparison_weighted"])


def test_published_tables_show_suppressed_counts(published: dict) -> None:
    rows = chart_tables.km_rows(published)
    assert rows[12]["treated_at_risk"] == "<5"
    assert chart_tables.overlap_rows(published)[10]["treated"] == "<5"
    assert chart_tables.subgroup_rows(published)[0]["n_cohort"] == "<5"


def test_published_downloads_carry_only_suppressed_counts(published: dict) -> None:
    body = presentation.result_csv(published)
    rows = {(r["section"], r["name"]): r["value"] for r in csv.DictReader(io.StringIO(body))}
    assert rows[("kaplan_meier", "treated:day 360:at_risk")] == "<5"
    assert ("kaplan_meier", "treated:day 10:survival") not in rows
    assert rows[("time_to_event", "events:treated")] == "<5"
    assert rows[("time_to_event", "cox:hazard_ratio")] == "0.62"
    assert rows[("overlap", "treated:0.5-0.55")] == "<5"
    assert rows[("subgroup", "sex=female:n_cohort")] == "<5"
    assert rows[("subgroup", "area=london:disparity")] == "True"
    data = json.loads(presentation.result_json(published))
    assert data["overlap"]["treated"][10] == "<5"


def test_full_csv_has_every_step_of_the_curves() -> None:
    body = presentation.result_csv(full_result(BASE))
    rows = {(r["section"], r["name"]): r["value"] for r in csv.DictReader(io.StringIO(body))}
    assert rows[("kaplan_meier", "treated:day 10:survival")] == "0.95"
    assert rows[("kaplan_meier", "treated:day 364:at_risk")] == "3"
    assert rows[("time_to_event", "median_days:treated")] == ""


def test_an_old_result_publishes_without_the_new_sections() -> None:
    published = presentation.published_result(BASE)
    assert published["time_to_event"] is None
    assert published["overlap"] is None
    assert published["subgroups"] == []
    assert "kaplan_meier" not in presentation.result_csv(published)


def test_published_keys_stay_a_deliberate_list() -> None:
    """The new sections are published through their own suppressing functions, never copied
    as they are (OUT-4)."""
    sections = {"time_to_event", "overlap", "subgroups", "intermediate"}
    assert not sections & set(presentation.PUBLISHED_KEYS)
    assert set(presentation.published_result(full_result(BASE))) == {
        *presentation.PUBLISHED_KEYS,
        *presentation.COUNT_KEYS,
        "published_counts",
        "balance",
        "comparison_pool",
        "time_to_event",
        "overlap",
        "subgroups",
        "intermediate",
    }


def test_published_intermediate_outcomes_suppress_and_round_their_counts() -> None:
    """OUT-3, OUT-4: the number of people with a status recorded is a breakdown's count."""
    row = {
        "measure": "employment_6m",
        "label": "in employment 6 months after the index date",
        "treated_mean": 0.5,
        "comparison_mean": 0.4,
        "effect": 0.1,
        "standard_error": 0.05,
        "ci_low": 0.002,
        "ci_high": 0.198,
        "p_value": 0.0455,
        "note": "",
    }
    result = {**BASE, "intermediate": [{**row, "n_recorded": 73}, {**row, "n_recorded": 3}]}
    first, second = presentation.published_result(result)["intermediate"]
    assert (first["n_recorded"], second["n_recorded"]) == (75, "<5")
    assert "standard_error" not in first and first["ci_low"] == 0.002
    assert presentation.published_result(BASE)["intermediate"] is None


def test_published_overlap_keeps_the_logit_scale() -> None:
    """Issue 17: a published chart is drawn on the same logit bins as the analyst's."""
    result = full_result(BASE)
    logit_edges = [round(-6 + 0.3 * i, 10) for i in range(21)]
    result["overlap"].update(scale="logit", logit_edges=logit_edges)
    overlap = presentation.published_result(result)["overlap"]
    assert (overlap["scale"], overlap["logit_edges"]) == ("logit", logit_edges)
    assert overlap["treated"][10] == "<5"
