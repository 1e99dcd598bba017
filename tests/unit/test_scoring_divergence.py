"""Divergence between independent evaluators: more than one band apart (EVA-5)."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning_analytics.scoring.criteria import CriteriaSet, Criterion, CriterionKind
from commissioning_analytics.scoring.divergence import (
    DivergenceFlag,
    divergence,
    divergence_from_records,
)
from commissioning_analytics.scoring.errors import ScoringError

D = Decimal
NAN = float("nan")
CRITERIA = CriteriaSet.of(
    [
        Criterion("price", "Price", CriterionKind.PRICE, D(40)),
        Criterion("service", "Service", CriterionKind.QUALITY, D(50)),
        Criterion("social", "Social value", CriterionKind.SOCIAL_VALUE, D(10)),
        Criterion("insurance", "Insurance", CriterionKind.PASS_FAIL, D(0)),
    ]
)
EVALUATORS = ("e1", "e2", "e3")
BIDS = ("A", "B")
# Axes: evaluators × bids × (service, social, insurance). NaN: not assigned / not scored.
SCORES: list[list[list[float]]] = [
    [[25, 50, 100], [100, 0, 100]],  # e1
    [[50, 75, 0], [100, NAN, 100]],  # e2
    [[75, NAN, NAN], [100, NAN, NAN]],  # e3
]


def test_flags_more_than_one_band_and_any_pass_fail_disagreement() -> None:
    # A/service: 25, 50, 75 → bands 1..3, spread 2 → flagged.
    # A/social: 50, 75 → spread 1 → not flagged. A/insurance: pass vs fail → flagged.
    # B/service: all 100 → no. B/social: one scorer → not compared. B/insurance: agree.
    report = divergence(CRITERIA, EVALUATORS, BIDS, SCORES)
    assert report.flags == (
        DivergenceFlag("A", "service", 2, (("e1", 25.0), ("e2", 50.0), ("e3", 75.0))),
        DivergenceFlag("A", "insurance", 1, (("e1", 100.0), ("e2", 0.0))),
    )
    assert report.compared == 5
    assert report.any
    text = report.summary()
    assert text.startswith("2 of 5 bid-criterion pairs")
    assert "Bid A, criterion service: scores 2 bands apart (e1: 25, e2: 50, e3: 75)" in text


def test_records_give_the_same_report() -> None:
    records = [
        (evaluator, bid, criterion, score)
        for e, evaluator in enumerate(EVALUATORS)
        for b, bid in enumerate(BIDS)
        for c, criterion in enumerate(("service", "social", "insurance"))
        if not np.isnan(score := float(SCORES[e][b][c]))
    ]
    assert divergence_from_records(CRITERIA, records) == divergence(
        CRITERIA, EVALUATORS, BIDS, SCORES
    )


def test_no_divergence_summary() -> None:
    report = divergence(CRITERIA, ("e1",), ("A",), [[[50, 50, 100]]])
    assert not report.any
    assert report.summary() == (
        "0 of 0 bid-criterion pairs scored by two or more evaluators differ by more than one band."
    )


def test_off_scale_score_names_evaluator_bid_and_criterion() -> None:
    with pytest.raises(
        ScoringError, match=r"Evaluator 'e2', bid 'A', criterion 'service': score 60"
    ):
        divergence(CRITERIA, ("e1", "e2"), ("A",), [[[50, 50, 100]], [[60, 50, 100]]])


def test_wrong_shape_is_refused() -> None:
    with pytest.raises(
        ScoringError, match=r"expected \(evaluators, bids, criteria\) = \(1, 1, 3\)"
    ):
        divergence(CRITERIA, ("e1",), ("A",), [[[50, 50]]])


def test_bad_records_are_refused() -> None:
    with pytest.raises(ScoringError, match="'price' is not a criterion evaluators score"):
        divergence_from_records(CRITERIA, [("e1", "A", "price", 50)])
    with pytest.raises(ScoringError, match="'e1' scored bid 'A' on 'service' more than once"):
        divergence_from_records(CRITERIA, [("e1", "A", "service", 50), ("e1", "A", "service", 75)])


@given(
    st.integers(min_value=1, max_value=5),
    st.lists(st.sampled_from([0, 25, 50, 75, 100]), min_size=1, max_size=6),
)
def test_evaluators_who_agree_never_diverge(evaluators: int, service_scores: list[int]) -> None:
    one = [[s, 50, 100] for s in service_scores]
    scores = np.array([one] * evaluators, dtype=float)
    bids = tuple(f"b{i}" for i in range(len(service_scores)))
    report = divergence(CRITERIA, tuple(f"e{i}" for i in range(evaluators)), bids, scores)
    assert report.flags == ()


@given(st.sampled_from([0, 25, 50, 75, 100]), st.sampled_from([0, 25, 50, 75, 100]))
def test_flagged_exactly_when_more_than_one_band_apart(first: int, second: int) -> None:
    report = divergence(CRITERIA, ("e1", "e2"), ("A",), [[[first, 50, 100]], [[second, 50, 100]]])
    assert report.any == (abs(first - second) > 25)
