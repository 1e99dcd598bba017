"""Which of the Lab's measures a stored result gives a headline for (OUT-1, issue 17): only
those the study computed, never an invented one."""

from __future__ import annotations

from typing import Any

from commissioning.outcomes_web.lab_results import lab_headlines

FREQUENCY_RESULT: dict[str, Any] = {
    "outcome": "reoffences",
    "outcome_type": "continuous",
    "n_matched_treated": 120,
    "treated_mean": 0.84,
    "comparison_mean": 1.25,
    "ci_low": -0.7,
    "ci_high": -0.12,
    "p_value": 0.006,
}


def test_a_frequency_study_gets_the_frequency_headline_only() -> None:
    [(name, wording)] = lab_headlines(FREQUENCY_RESULT)
    assert name == "Proven reoffences per 100 people"
    assert wording.headline == (
        "People who took part in the programme committed fewer proven reoffences than similar "
        "people who did not: 84 against 125 reoffences per 100 people within a year "
        "(the difference is between 12 and 70 reoffences per 100 people)."
    )


def test_other_outcomes_and_missing_figures_get_no_headline() -> None:
    assert lab_headlines(FREQUENCY_RESULT | {"outcome": "days_to_first"}) == []
    assert lab_headlines(FREQUENCY_RESULT | {"outcome": "custodial"}) == []
    assert lab_headlines(FREQUENCY_RESULT | {"ci_low": None}) == []
    assert lab_headlines(FREQUENCY_RESULT | {"n_matched_treated": "<5"}) == []
    # a continuous "reoffended" column is not the Lab's rate
    assert lab_headlines(FREQUENCY_RESULT | {"outcome": "reoffended"}) == []
