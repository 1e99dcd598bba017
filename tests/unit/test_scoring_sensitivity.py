"""Weight sensitivity: where would the winner change? (PRO-9)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.scoring.criteria import CriteriaSet, Criterion, CriterionKind
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.price import BidPrice, PriceMethod
from commissioning_analytics.scoring.sensitivity import (
    DEFAULT_PRICE_GRID,
    WinnerChange,
    WinnerRange,
    price_weight_sensitivity,
    social_value_sensitivity,
)
from commissioning_analytics.scoring.totals import evaluate

D = Decimal
Q = CriterionKind.QUALITY
SV = CriterionKind.SOCIAL_VALUE


def criteria(price: int, service: int, social: int) -> CriteriaSet:
    items = [
        Criterion("service", "Service", Q, D(service)),
        Criterion("social", "Social value", SV, D(social)),
    ]
    if price:
        items.insert(0, Criterion("price", "Price", CriterionKind.PRICE, D(price)))
    return CriteriaSet.of(items)


# Published: price 40, service 50, social 10.
# A (cheap, weaker): quality 30 of 60 → half of the non-price weight; £100k → full price marks.
# B (dearer, strong): quality 60 of 60; £160k → 100/160 = 0.625 of the price weight.
# Totals at price weight P: A = P + (100 − P) × 0.5 = 50 + 0.5P; B = 0.625P + (100 − P)
# = 100 − 0.375P. They meet at 50 = 0.875P, P = 57.142857…%.
PRICE_CRITERIA = criteria(40, 50, 10)
SCORES = {"A": {"service": 50, "social": 50}, "B": {"service": 100, "social": 100}}
PRICES = [BidPrice("A", D(100_000)), BidPrice("B", D(160_000))]


def test_winner_flips_at_the_computed_price_weight() -> None:
    result = price_weight_sensitivity(PRICE_CRITERIA, SCORES, PRICES)
    assert result.grid == DEFAULT_PRICE_GRID
    assert result.winners == ("B",) * 8 + ("A",)
    assert result.ranges == (WinnerRange("B", D(20), D(55)), WinnerRange("A", D(60), D(60)))
    assert result.changes == (WinnerChange("B", "A", D("57.14"), exact=True),)
    assert not result.stable
    # Totals at 40% agree with the published evaluation: A 70, B 85.
    row = result.totals[result.grid.index(D(40))]
    assert row == pytest.approx((70.0, 85.0))
    assert evaluate(PRICE_CRITERIA, SCORES, PRICES).outcome("B").total == D("85.00")
    text = result.summary()
    assert "B wins from 20% to 55%" in text
    assert "A overtakes B at 57.14% price weight" in text


def test_winner_is_stable_under_price_per_quality_point() -> None:
    # Cost per point: A £100k/30 = £3,333; B £160k/60 = £2,667 → B full marks, A 0.8.
    # A = 50 + 0.3P, B = 100: B wins at every price weight.
    result = price_weight_sensitivity(
        PRICE_CRITERIA, SCORES, PRICES, PriceMethod.PRICE_PER_QUALITY_POINT
    )
    assert result.stable and set(result.winners) == {"B"}
    assert result.changes == ()
    assert result.totals[0] == pytest.approx((56.0, 100.0))  # P = 20: 50 + 6
    assert result.summary().endswith("B wins throughout.")


def test_social_value_weight_flip_hand_computed() -> None:
    # Price 40 (both £100k → 40 each), service 40, social 20. At social weight S the service
    # weight is 60 − S. A: service 100, social 25 → 60 − 0.75S. B: service 50, social 100 →
    # 30 + 0.5S. Equal at S = 24%.
    sv_criteria = criteria(40, 40, 20)
    scores = {"A": {"service": 100, "social": 25}, "B": {"service": 50, "social": 100}}
    prices = [BidPrice("A", D(100_000)), BidPrice("B", D(100_000))]
    result = social_value_sensitivity(sv_criteria, scores, prices)
    assert result.grid == tuple(D(w) for w in range(10, 41, 5))
    assert result.winners == ("A", "A", "A", "B", "B", "B", "B")
    assert result.changes == (WinnerChange("A", "B", D("24.00"), exact=True),)
    assert result.totals[2] == pytest.approx((85.0, 80.0))  # S = 20: the published weights
    assert "B overtakes A at 24% social value weight" in result.summary()


def test_social_value_sweep_under_price_per_quality_point_is_marked_approximate() -> None:
    sv_criteria = criteria(40, 40, 20)
    scores = {"A": {"service": 100, "social": 25}, "B": {"service": 50, "social": 100}}
    prices = [BidPrice("A", D(100_000)), BidPrice("B", D(100_000))]
    result = social_value_sensitivity(
        sv_criteria, scores, prices, PriceMethod.PRICE_PER_QUALITY_POINT
    )
    assert result.changes and not result.changes[0].exact
    assert "at about" in result.summary()


def test_several_social_value_criteria_share_the_swept_weight_in_proportion() -> None:
    # Published: price 40, service 30, sv1 10, sv2 20 (social value 30). At S = 15: sv1 5,
    # sv2 10, service 45. A (service only) = 40 + 45 = 85; B (sv1 only) = 40 + 5 = 45.
    two_sv = CriteriaSet.of(
        [
            Criterion("price", "Price", CriterionKind.PRICE, D(40)),
            Criterion("service", "Service", Q, D(30)),
            Criterion("sv1", "Neighbourhood", SV, D(10)),
            Criterion("sv2", "Social Value Model", SV, D(20)),
        ]
    )
    scores = {
        "A": {"service": 100, "sv1": 0, "sv2": 0},
        "B": {"service": 0, "sv1": 100, "sv2": 0},
    }
    prices = [BidPrice("A", D(100)), BidPrice("B", D(100))]
    result = social_value_sensitivity(two_sv, scores, prices, grid=(D(15), D(30), D(45)))
    assert result.published_weight == D(30)
    expected = [(85.0, 45.0), (70.0, 50.0), (55.0, 55.0)]
    assert [
        row == pytest.approx(want) for row, want in zip(result.totals, expected, strict=True)
    ] == [True] * 3
    # At 45% the totals tie: quality ties too (15 vs 15), price ties, so A wins on bid id.
    assert result.winners == ("A", "A", "A")


def test_quality_only_exercise_can_sweep_social_value() -> None:
    result = social_value_sensitivity(
        criteria(0, 80, 20), {"A": {"service": 100, "social": 0}}, grid=(D(10), D(20))
    )
    assert result.winners == ("A", "A")
    assert result.totals == ((90.0,), (80.0,))


def test_disqualified_bids_take_no_part() -> None:
    guarded = CriteriaSet.of(
        [
            Criterion("price", "Price", CriterionKind.PRICE, D(40)),
            Criterion("service", "Service", Q, D(50), minimum=75),
            Criterion("social", "Social value", SV, D(10)),
        ]
    )
    result = price_weight_sensitivity(guarded, SCORES, PRICES)
    assert result.bid_ids == ("B",)
    assert result.stable


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: price_weight_sensitivity(criteria(0, 80, 20), SCORES, ()), "no price criterion"),
        (
            lambda: price_weight_sensitivity(PRICE_CRITERIA, SCORES, PRICES, grid=(D(20), D(100))),
            "price weight of 100% is not possible",
        ),
        (
            lambda: price_weight_sensitivity(PRICE_CRITERIA, SCORES, PRICES, grid=(D(30), D(20))),
            "must increase strictly",
        ),
        (
            lambda: price_weight_sensitivity(PRICE_CRITERIA, SCORES, PRICES, grid=(D(30),)),
            "at least two weights",
        ),
        (
            lambda: social_value_sensitivity(PRICE_CRITERIA, SCORES, PRICES, grid=(D(5), D(20))),
            "social value weight of 5% is not possible: it must be at least 10%",
        ),
        (
            lambda: price_weight_sensitivity(PRICE_CRITERIA, SCORES, PRICES[:1]),
            r"No price for bid\(s\) B",
        ),
        (
            lambda: social_value_sensitivity(
                CriteriaSet.of(
                    [
                        Criterion("price", "Price", CriterionKind.PRICE, D(60)),
                        Criterion("social", "Social value", SV, D(40)),
                    ]
                ),
                {"A": {"social": 50}},
                [BidPrice("A", D(1))],
            ),
            "no other quality criteria",
        ),
    ],
)
def test_impossible_sweeps_are_refused(call: object, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        call()  # type: ignore[operator]


def test_no_qualifying_bid_is_refused() -> None:
    guarded = CriteriaSet.of(
        [
            Criterion("price", "Price", CriterionKind.PRICE, D(40)),
            Criterion("service", "Service", Q, D(50), minimum=100),
            Criterion("social", "Social value", SV, D(10)),
        ]
    )
    with pytest.raises(ScoringError, match="No bid qualifies"):
        price_weight_sensitivity(guarded, {"A": SCORES["A"]}, PRICES[:1])


scale = st.sampled_from([0, 25, 50, 75, 100])
bid = st.tuples(scale, scale, st.integers(min_value=1_000, max_value=5_000_000))


@settings(max_examples=60)
@given(
    st.lists(bid, min_size=1, max_size=6),
    st.sampled_from([20, 30, 40, 50]),
    st.sampled_from(list(PriceMethod)),
)
def test_winner_at_the_published_weight_matches_the_evaluation(
    bids: list[tuple[int, int, int]], price_weight: int, method: PriceMethod
) -> None:
    published = criteria(price_weight, 90 - price_weight, 10)
    scores = {f"b{i}": {"service": s, "social": v} for i, (s, v, _) in enumerate(bids)}
    prices = [BidPrice(f"b{i}", D(p)) for i, (_, _, p) in enumerate(bids)]
    result = price_weight_sensitivity(published, scores, prices, method)
    winner = evaluate(published, scores, prices, method).winner
    assert winner is not None
    assert result.winners[result.grid.index(D(price_weight))] == winner.bid_id
    for row in result.totals:
        assert all(-1e-9 <= total <= 100 + 1e-9 for total in row)
