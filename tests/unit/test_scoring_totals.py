"""Totals, threshold disqualification and ranking with ties (PRO-9, EVA-1, EVA-4)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning_analytics.scoring.criteria import CriteriaSet, Criterion, CriterionKind
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.price import BidPrice, PriceMethod
from commissioning_analytics.scoring.totals import evaluate

D = Decimal
Q = CriterionKind.QUALITY
SV = CriterionKind.SOCIAL_VALUE


def criteria(price: int, *rest: tuple[str, CriterionKind, int, int | None]) -> CriteriaSet:
    items = [Criterion("price", "Price", CriterionKind.PRICE, D(price))] if price else []
    items += [Criterion(i, i.title(), kind, D(w), minimum) for i, kind, w, minimum in rest]
    return CriteriaSet.of(items)


# Price 40%, service model 30% (minimum 50 "Acceptable"), cohort 20%, social value 10%.
CRITERIA = criteria(40, ("service", Q, 30, 50), ("cohort", Q, 20, None), ("social", SV, 10, None))
SCORES = {
    "A": {"service": 75, "cohort": 50, "social": 100},
    "B": {"service": 100, "cohort": 75, "social": 50},
    "C": {"service": 25, "cohort": 100, "social": 100},
}
PRICES = [BidPrice("A", D(800_000)), BidPrice("B", D(1_000_000)), BidPrice("C", D(500_000))]


def test_totals_ranking_and_disqualification_hand_computed() -> None:
    # A: 30×0.75 + 20×0.5 + 10×1 = 42.5 quality; lowest qualifying price → 40 → 82.50.
    # B: 30 + 15 + 5 = 50 quality; 800k/1,000k × 40 = 32 → 82.00.
    # C scored 25 on service (minimum 50): disqualified, and its £500k is not the lowest price.
    evaluation = evaluate(CRITERIA, SCORES, PRICES)
    a, b, c = (evaluation.outcome(x) for x in "ABC")
    assert (a.quality_points, a.price_points, a.total, a.rank) == (
        D("42.50"),
        D("40.00"),
        D("82.50"),
        1,
    )
    assert (b.quality_points, b.price_points, b.total, b.rank) == (
        D("50.00"),
        D("32.00"),
        D("82.00"),
        2,
    )
    assert c.disqualified and c.total is None and c.rank is None and c.price_points is None
    assert c.disqualified_reasons == (
        "scored 25 (Poor) on 'Service', below the minimum of 50 (Acceptable)",
    )
    assert evaluation.winner == a
    assert [o.bid_id for o in evaluation.outcomes] == ["A", "B", "C"]
    assert a.scores == (("service", 75.0), ("cohort", 50.0), ("social", 100.0))
    assert evaluation.price is not None and "C" not in evaluation.price.points_by_bid
    text = evaluation.summary()
    assert "1. A: 82.50 (quality 42.50 + price 40.00)" in text
    assert "C: disqualified — scored 25 (Poor)" in text
    assert "Winner: A." in text


def test_pass_fail_failure_disqualifies() -> None:
    with_insurance = CriteriaSet.of(
        [*CRITERIA.criteria, Criterion("insurance", "Insurance", CriterionKind.PASS_FAIL, D(0))]
    )
    scores = {
        "A": {**SCORES["A"], "insurance": 0},
        "B": {**SCORES["B"], "insurance": 100},
    }
    evaluation = evaluate(with_insurance, scores, PRICES[:2])
    assert evaluation.outcome("A").disqualified_reasons == (
        "failed the pass/fail criterion 'Insurance'",
    )
    # B alone qualifies, so its price is the lowest: 50 + 40 = 90.
    assert evaluation.winner is not None and evaluation.winner.total == D("90.00")


def test_tie_on_total_broken_by_quality_and_explained() -> None:
    # X: quality 40 + 10 = 50, price 100k/200k × 50 = 25 → 75. Y: quality 25, price 50 → 75.
    tied = criteria(50, ("service", Q, 40, None), ("social", SV, 10, None))
    scores = {"Y": {"service": 50, "social": 50}, "X": {"service": 100, "social": 100}}
    evaluation = evaluate(tied, scores, [BidPrice("X", D(200_000)), BidPrice("Y", D(100_000))])
    x, y = evaluation.outcome("X"), evaluation.outcome("Y")
    assert x.total == y.total == D("75.00")
    assert (x.rank, y.rank) == (1, 2)
    assert x.tie_note == "tied with Y on total; ranked above on quality points (50.00 vs 25.00)"
    assert y.tie_note == "tied with X on total; see its tie note"


def test_tie_on_total_and_quality_broken_by_lower_adjusted_price() -> None:
    # 100,000 and 100,001 both round to 40.00 price points; the cheaper ranks first.
    scores = {"B": SCORES["A"], "A": SCORES["A"]}
    evaluation = evaluate(CRITERIA, scores, [BidPrice("B", D(100_000)), BidPrice("A", D(100_001))])
    assert [o.bid_id for o in evaluation.ranked] == ["B", "A"]
    assert evaluation.outcome("B").tie_note == (
        "tied with A on total and quality; ranked above on the lower adjusted price "
        "(£100,000.00 vs £100,001.00)"
    )


def test_complete_tie_is_ordered_by_bid_id_and_flagged_for_a_recorded_decision() -> None:
    scores = {"b2": SCORES["A"], "b1": SCORES["A"]}
    prices = [BidPrice("b2", D(1000)), BidPrice("b1", D(1000))]
    evaluation = evaluate(CRITERIA, scores, prices)
    assert [o.bid_id for o in evaluation.ranked] == ["b1", "b2"]
    assert "the commissioner must decide and record" in evaluation.outcome("b1").tie_note


def test_price_per_quality_point_totals() -> None:
    # Price 40, service 50, social 10. A: quality 60, £120k → £2,000/point → 40 → 100.00.
    # B: quality 30, £90k → £3,000/point → 2,000/3,000 × 40 = 26.67 → 56.67.
    ppqp = criteria(40, ("service", Q, 50, None), ("social", SV, 10, None))
    scores = {"A": {"service": 100, "social": 100}, "B": {"service": 50, "social": 50}}
    prices = [BidPrice("A", D(120_000)), BidPrice("B", D(90_000))]
    evaluation = evaluate(ppqp, scores, prices, PriceMethod.PRICE_PER_QUALITY_POINT)
    assert evaluation.outcome("A").total == D("100.00")
    assert evaluation.outcome("B").total == D("56.67")
    assert evaluation.outcome("B").price_points == D("26.67")


def test_subsidised_public_bid_is_scored_on_its_adjusted_price() -> None:
    # Public bid declares £700k but £300k is borne by its parent: scored at £1,000k, not £700k.
    prices = [
        BidPrice("A", D(700_000), is_public_sector=True, hidden_subsidy=D(300_000)),
        BidPrice("B", D(1_000_000)),
    ]
    evaluation = evaluate(CRITERIA, {"A": SCORES["A"], "B": SCORES["B"]}, prices)
    assert evaluation.outcome("A").price_points == D("40.00")
    assert evaluation.outcome("B").price_points == D("40.00")
    assert evaluation.winner is not None and evaluation.winner.bid_id == "B"


def test_abnormally_low_flags_reach_the_outcome() -> None:
    prices = [BidPrice("A", D(500_000)), BidPrice("B", D(1_000_000))]
    evaluation = evaluate(CRITERIA, {"A": SCORES["A"], "B": SCORES["B"]}, prices)
    assert evaluation.outcome("A").abnormally_low_reasons
    assert "price flagged abnormally low" in evaluation.outcome("A").summary()


def test_quality_only_exercise_without_price() -> None:
    grant = criteria(0, ("service", Q, 60, None), ("social", SV, 40, None))
    evaluation = evaluate(grant, {"A": {"service": 50, "social": 100}})
    assert evaluation.outcome("A").total == D("70.00")
    assert evaluation.outcome("A").price_points is None
    assert "1. A: 70.00 (quality 70.00)" in evaluation.summary()
    with pytest.raises(ScoringError, match="no price criterion"):
        evaluate(grant, {"A": {"service": 50, "social": 100}}, [BidPrice("A", D(1))])


def test_everyone_disqualified_means_no_winner() -> None:
    evaluation = evaluate(CRITERIA, {"C": SCORES["C"]}, PRICES[2:])
    assert evaluation.winner is None
    assert "No bid qualifies." in evaluation.summary()


@pytest.mark.parametrize(
    ("scores", "prices", "message"),
    [
        (
            {"A": {"service": 75, "cohort": 50}},
            PRICES[:1],
            "Bid 'A' has no moderated score for 'social'",
        ),
        (
            {"A": {**SCORES["A"], "service": 60}},
            PRICES[:1],
            r"Bid 'A', criterion 'service': Score 60 is not on the scale",
        ),
        ({"A": {**SCORES["A"], "price": 50}}, PRICES[:1], "not scored by evaluators: price"),
        ({"A": SCORES["A"]}, [], r"No price for bid\(s\) A"),
        ({"A": SCORES["A"]}, PRICES[:2], r"Prices given for bid\(s\) with no scores: B"),
        ({}, [], "no bids"),
        ({"A": SCORES["A"]}, [PRICES[0], PRICES[0]], "priced once; repeated: A"),
    ],
)
def test_bad_input_is_refused_naming_bid_and_criterion(
    scores: dict[str, dict[str, int]], prices: list[BidPrice], message: str
) -> None:
    with pytest.raises(ScoringError, match=message):
        evaluate(CRITERIA, scores, prices)


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ScoringError, match="No bid 'Z'"):
        evaluate(CRITERIA, SCORES, PRICES).outcome("Z")


scale = st.sampled_from([0, 25, 50, 75, 100])
bid = st.tuples(scale, scale, scale, st.integers(min_value=1_000, max_value=5_000_000))


@given(
    st.lists(bid, min_size=1, max_size=8),
    st.sampled_from(list(PriceMethod)),
)
def test_totals_are_between_0_and_100_and_rank_follows_total(
    bids: list[tuple[int, int, int, int]], method: PriceMethod
) -> None:
    open_criteria = criteria(
        40, ("service", Q, 30, None), ("cohort", Q, 20, None), ("social", SV, 10, None)
    )
    scores = {
        f"b{i}": {"service": s, "cohort": c, "social": v} for i, (s, c, v, _) in enumerate(bids)
    }
    prices = [BidPrice(f"b{i}", D(p)) for i, (*_, p) in enumerate(bids)]
    evaluation = evaluate(open_criteria, scores, prices, method)
    totals = [o.total for o in evaluation.ranked]
    assert all(t is not None and D(0) <= t <= D(100) for t in totals)
    assert totals == sorted(totals, reverse=True)  # type: ignore[type-var]
    assert [o.rank for o in evaluation.ranked] == list(range(1, len(bids) + 1))
    for outcome in evaluation.ranked:
        assert outcome.total == outcome.quality_points + (outcome.price_points or D(0))


def test_a_bid_excluded_at_selection_is_disqualified_and_not_priced() -> None:
    """EVA-6: A (first on scores) failed selection, so B wins and B's price is the lowest
    qualifying one: B = 50 quality + 40 price = 90.00."""
    why = "failed the selection question “Insurance”: no cover"
    evaluation = evaluate(CRITERIA, SCORES, PRICES, excluded={"A": (why,)})
    a, b = evaluation.outcome("A"), evaluation.outcome("B")
    assert a.disqualified_reasons == (why,) and a.rank is None and a.total is None
    assert (b.total, b.rank) == (D("90.00"), 1)
    assert evaluation.winner == b


def test_a_bid_excluded_at_selection_needs_no_scores_and_no_price() -> None:
    """EVA-6: a bid that failed selection is not waited on for moderated scores or a price —
    absent from the scores, partly scored, or unpriced, it is disqualified, unscored where it
    has no score, and B still wins with 90.00."""
    why = "failed the selection question “Insurance”: no cover"
    priced_b = [p for p in PRICES if p.bid_id == "B"]
    partly = {"A": dict(list(SCORES["A"].items())[:1]), "B": SCORES["B"]}
    for scores in ({"B": SCORES["B"]}, partly):
        evaluation = evaluate(CRITERIA, scores, priced_b, excluded={"A": (why,)})
        a, b = evaluation.outcome("A"), evaluation.outcome("B")
        assert a.disqualified_reasons == (why,) and a.rank is None and a.total is None
        assert a.quality_points is None and a.scores == tuple(scores.get("A", {}).items())
        assert (b.total, b.rank) == (D("90.00"), 1) and evaluation.winner == b
    # A bid that was not excluded still needs every score and its price.
    with pytest.raises(ScoringError, match="no moderated score"):
        evaluate(CRITERIA, partly, priced_b)
    with pytest.raises(ScoringError, match="No price for bid"):
        evaluate(CRITERIA, SCORES, priced_b)
