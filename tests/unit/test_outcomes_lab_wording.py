"""The study's headline in the Justice Data Lab's wording (OUT-1, issue 17): each finding for
hand-made figures, word for word, and no statistical jargon in what a charity reads first."""

from __future__ import annotations

import pytest

from commissioning_analytics.outcomes.lab_wording import (
    CAVEATS,
    JARGON,
    Finding,
    MeasureKind,
    MeasureResult,
    lab_wording,
    status_wording,
)


def _rate(low: float, high: float, p: float, cohort: float = 0.32, comparison: float = 0.41):
    return MeasureResult(MeasureKind.RATE, cohort, comparison, low, high, p, cohort_size=400)


def test_significant_reduction_in_the_rate_reads_as_less_likely_to_reoffend() -> None:
    wording = lab_wording(_rate(-0.15, -0.03, 0.004), programme="the Resettlement Project")
    assert wording.finding is Finding.BETTER
    assert wording.headline == (
        "People who took part in the Resettlement Project were less likely to reoffend than "
        "similar people who did not: 32 in 100 against 41 in 100 reoffended within a year "
        "(the difference is between 3 and 15 points)."
    )
    assert wording.explanation == (
        "This difference is statistically significant: it is unlikely to be due to chance "
        "(the chance of a difference this large if taking part made none is 0.004)."
    )
    assert wording.caveats == CAVEATS


def test_significant_increase_in_the_rate_is_said_as_plainly() -> None:
    wording = lab_wording(_rate(0.02, 0.16, 0.0004, cohort=0.5, comparison=0.41))
    assert wording.finding is Finding.WORSE
    assert wording.headline == (
        "People who took part in the programme were more likely to reoffend than similar "
        "people who did not: 50 in 100 against 41 in 100 reoffended within a year "
        "(the difference is between 2 and 16 points)."
    )
    assert wording.explanation == (
        "This difference is statistically significant: it is unlikely to be due to chance "
        "(the chance of a difference this large if taking part made none is less than 0.001)."
        " It does not say why. The people who took part may have differed from those they "
        "were compared with in ways the records do not show, and the programme may need to be "
        "looked at again."
    )


def test_an_interval_including_no_difference_is_inconclusive() -> None:
    wording = lab_wording(_rate(-0.12, 0.004, 0.07, cohort=0.35, comparison=0.41))
    assert wording.finding is Finding.INCONCLUSIVE
    assert wording.headline == (
        "The analysis cannot say whether taking part in the programme changes the one-year "
        "proven reoffending rate: 35 in 100 against 41 in 100 reoffended within a year "
        "(the difference is between 12 points lower and 0.4 points higher)."
    )
    assert wording.explanation == (
        "The difference could be due to chance. More people would need to be available for "
        "analysis to say whether taking part makes a difference. This should not be taken to "
        "mean that the programme fails to affect reoffending."
    )


def test_frequency_per_100_people() -> None:
    measure = MeasureResult(MeasureKind.FREQUENCY, 0.84, 1.25, -0.7, -0.12, 0.006, 200)
    assert lab_wording(measure).headline == (
        "People who took part in the programme committed fewer proven reoffences than similar "
        "people who did not: 84 against 125 reoffences per 100 people within a year "
        "(the difference is between 12 and 70 reoffences per 100 people)."
    )
    inconclusive = MeasureResult(MeasureKind.FREQUENCY, 1.1, 1.25, -0.4, 0.1, 0.24, 200)
    assert lab_wording(inconclusive).headline == (
        "The analysis cannot say whether taking part in the programme changes the number of "
        "proven reoffences in a year: 110 against 125 reoffences per 100 people within a year "
        "(the difference is between 40 fewer reoffences per 100 people and 10 more reoffences "
        "per 100 people)."
    )


def test_time_to_first_reoffence_longer_is_better() -> None:
    later = MeasureResult(MeasureKind.TIME_TO_FIRST, 160.4, 121.0, 12.2, 66.6, 0.005, 300)
    assert lab_wording(later).headline == (
        "People who took part in the programme and reoffended took longer to reoffend than "
        "similar people who did not: on average 160 against 121 days to the first proven "
        "reoffence (the difference is between 12 and 67 days)."
    )
    sooner = MeasureResult(MeasureKind.TIME_TO_FIRST, 100.0, 121.0, -35.0, -7.0, 0.003, 300)
    assert lab_wording(sooner).finding is Finding.WORSE
    assert lab_wording(sooner).headline.startswith(
        "People who took part in the programme and reoffended reoffended sooner than similar"
    )
    unclear = MeasureResult(MeasureKind.TIME_TO_FIRST, 130.0, 121.0, -10.0, 28.0, 0.35, 300)
    assert lab_wording(unclear).headline.endswith(
        "(the difference is between 10 days shorter and 28 days longer)."
    )


def test_fewer_than_60_people_gives_no_result() -> None:
    measure = MeasureResult(MeasureKind.RATE, 0.2, 0.4, -0.3, -0.1, 0.001, cohort_size=59)
    wording = lab_wording(measure)
    assert wording.finding is Finding.TOO_FEW
    assert wording.headline == (
        "No result can be given for the one-year proven reoffending rate: 59 people were "
        "available for analysis, and at least 60 are needed."
    )


def test_a_p_value_at_the_threshold_is_not_significant() -> None:
    assert lab_wording(_rate(-0.2, -0.001, 0.05)).finding is Finding.INCONCLUSIVE


@pytest.mark.parametrize("kind", list(MeasureKind))
@pytest.mark.parametrize(
    ("low", "high", "p"), [(-0.3, -0.1, 0.01), (0.1, 0.3, 0.01), (-0.1, 0.1, 0.5)]
)
def test_no_jargon_in_the_headline_or_its_explanation(
    kind: MeasureKind, low: float, high: float, p: float
) -> None:
    wording = lab_wording(MeasureResult(kind, 0.3, 0.4, low, high, p, 100))
    text = (wording.headline + " " + wording.explanation + " ".join(wording.caveats)).lower()
    assert not [term for term in JARGON if term.lower() in text]


def test_infinite_figures_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        lab_wording(_rate(float("-inf"), 0.1, 0.5))


def test_an_intermediate_outcome_is_worded_with_more_as_better() -> None:
    """OUT-3: the share of people in employment, accommodation or education; higher is better,
    and an inconclusive result says the programme may still affect this outcome."""
    label = "in employment 6 months after the index date"
    better = status_wording(label, 0.42, 0.30, 0.03, 0.21, 0.009, 200)
    assert better.finding is Finding.BETTER
    assert better.headline == (
        "People who took part in the programme were more likely to be in employment 6 months "
        "after the index date than similar people who did not: 42 in 100 against 30 in 100 were "
        "in employment 6 months after the index date (the difference is between 3 and 21 "
        "points)."
    )
    worse = status_wording(label, 0.20, 0.30, -0.18, -0.02, 0.01, 200)
    assert (
        worse.finding is Finding.WORSE and "were less likely to be in employment" in worse.headline
    )
    unclear = status_wording(label, 0.33, 0.30, -0.05, 0.11, 0.4, 200)
    assert unclear.finding is Finding.INCONCLUSIVE
    assert unclear.explanation.endswith("fails to affect this outcome.")
    assert not any(term in better.headline + unclear.explanation for term in JARGON)
