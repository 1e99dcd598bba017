"""Price scoring methods, the level-playing-field adjustment and abnormally low prices (EVA-4)."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.price import (
    AbnormallyLowRule,
    BidPrice,
    PriceMethod,
    price_fractions,
    score_price,
)

D = Decimal
PPQP = PriceMethod.PRICE_PER_QUALITY_POINT


def test_relative_to_lowest_hand_computed() -> None:
    # lowest ÷ bid × weight: 100k/100k×40 = 40; 100k/125k×40 = 32; 100k/200k×40 = 20.
    result = score_price(
        [BidPrice("A", D(100_000)), BidPrice("B", D(125_000)), BidPrice("C", D(200_000))], D(40)
    )
    assert result.points_by_bid == {"A": D("40.00"), "B": D("32.00"), "C": D("20.00")}
    assert "B: £125,000 → 32.00 points" in result.summary()


def test_relative_to_lowest_rounds_half_up_to_two_places() -> None:
    # 100k/300k × 40 = 13.333… → 13.33; 100k/150k × 40 = 26.666… → 26.67.
    result = score_price(
        [BidPrice("A", D(100_000)), BidPrice("B", D(300_000)), BidPrice("C", D(150_000))], D(40)
    )
    assert result.points_by_bid == {"A": D("40.00"), "B": D("13.33"), "C": D("26.67")}


def test_hidden_subsidy_is_added_back_before_scoring() -> None:
    # The council declares £90k but £30k of its costs are borne elsewhere: scored at £120k.
    # Lowest adjusted = £100k (charity): council 100/120×40 = 33.33; prime 100/150×40 = 26.67.
    council = BidPrice("council", D(90_000), is_public_sector=True, hidden_subsidy=D(30_000))
    result = score_price(
        [council, BidPrice("charity", D(100_000)), BidPrice("prime", D(150_000))], D(40)
    )
    assert council.adjusted == D(120_000)
    assert result.points_by_bid == {
        "council": D("33.33"),
        "charity": D("40.00"),
        "prime": D("26.67"),
    }
    assert "declared £90,000 + hidden subsidy £30,000" in result.summary()


def test_without_the_adjustment_the_subsidised_bid_would_have_won_on_price() -> None:
    unadjusted = score_price(
        [BidPrice("council", D(90_000), is_public_sector=True), BidPrice("charity", D(100_000))],
        D(40),
    )
    assert unadjusted.points_by_bid == {"council": D("40.00"), "charity": D("36.00")}


def test_only_public_sector_bids_declare_hidden_subsidies() -> None:
    with pytest.raises(ScoringError, match="Bid 'prime': only public-sector bids"):
        BidPrice("prime", D(100), hidden_subsidy=D(10))


@pytest.mark.parametrize(
    ("price", "subsidy", "message"),
    [(D(0), D(0), "price must be positive"), (D(10), D(-1), "hidden subsidy cannot be negative")],
)
def test_bad_prices_are_refused_naming_the_bid(price: D, subsidy: D, message: str) -> None:
    with pytest.raises(ScoringError, match=f"Bid 'X': {message}"):
        BidPrice("X", price, is_public_sector=True, hidden_subsidy=subsidy)


def test_repeated_or_missing_bids_are_refused() -> None:
    with pytest.raises(ScoringError, match="repeated: A"):
        score_price([BidPrice("A", D(1)), BidPrice("A", D(2))], D(40))
    with pytest.raises(ScoringError, match="no bids"):
        score_price([], D(40))


def test_price_per_quality_point_hand_computed() -> None:
    # Cost per quality point: A 100k/50 = 2,000; B 120k/60 = 2,000; C 90k/30 = 3,000.
    # Best (lowest) 2,000: A and B 40 points; C 2,000/3,000 × 40 = 26.67; D (no quality) 0.
    bids = [
        BidPrice("A", D(100_000)),
        BidPrice("B", D(120_000)),
        BidPrice("C", D(90_000)),
        BidPrice("D", D(50_000)),
    ]
    quality = {"A": 50.0, "B": 60.0, "C": 30.0, "D": 0.0}
    result = score_price(bids, D(40), PPQP, quality_points=quality)
    assert result.points_by_bid == {
        "A": D("40.00"),
        "B": D("40.00"),
        "C": D("26.67"),
        "D": D("0.00"),
    }


def test_price_per_quality_point_needs_quality_for_every_bid() -> None:
    bids = [BidPrice("A", D(1)), BidPrice("B", D(2))]
    with pytest.raises(ScoringError, match="needs each bid's quality points"):
        score_price(bids, D(40), PPQP)
    with pytest.raises(ScoringError, match=r"No quality points for bid\(s\) B"):
        score_price(bids, D(40), PPQP, quality_points={"A": 10.0})


def test_abnormally_low_against_other_bids_and_the_estimate() -> None:
    # For D (£70k) the other bids average £100k; 70k < 0.8 × 100k. For A the others average
    # £90k and 100k ≥ 72k. Estimate £100k: below £80k (20% below) is flagged too.
    bids = [
        BidPrice("A", D(100_000)),
        BidPrice("B", D(100_000)),
        BidPrice("C", D(100_000)),
        BidPrice("D", D(70_000)),
    ]
    result = score_price(bids, D(40), estimate=D(100_000))
    assert [line.abnormally_low for line in result.lines] == [False, False, False, True]
    assert result.line("D").abnormally_low_reasons == (
        "below 80% of the other bids' mean (£100,000.00)",
        "more than 20% below the estimate (£100,000)",
    )
    assert "abnormally low" in result.summary()


def test_abnormally_low_rule_is_parameterised_and_uses_adjusted_prices() -> None:
    # Adjusted prices: council 85k + 20k = 105k, charity 100k, prime 110k. Default rule: none
    # is below 80% of the others' mean. Stricter rule (99%, 10% below a £115k estimate):
    # charity 100k < 0.99 × 107.5k = 106.425k and < 103.5k; council 105k ≥ 0.99 × 105k.
    bids = [
        BidPrice("council", D(85_000), is_public_sector=True, hidden_subsidy=D(20_000)),
        BidPrice("charity", D(100_000)),
        BidPrice("prime", D(110_000)),
    ]
    assert not any(line.abnormally_low for line in score_price(bids, D(40)).lines)
    strict = AbnormallyLowRule(fraction_of_others_mean=D("0.99"), below_estimate=D("0.10"))
    flagged = score_price(bids, D(40), estimate=D(115_000), rule=strict)
    assert [line.bid_id for line in flagged.lines if line.abnormally_low] == ["charity"]
    assert flagged.line("charity").abnormally_low_reasons == (
        "below 99% of the other bids' mean (£107,500.00)",
        "more than 10% below the estimate (£115,000)",
    )


def test_single_bid_is_only_compared_with_the_estimate() -> None:
    result = score_price([BidPrice("A", D(50))], D(40), estimate=D(100))
    assert result.line("A").abnormally_low_reasons == ("more than 20% below the estimate (£100)",)
    with pytest.raises(ScoringError, match="No price for bid 'Z'"):
        result.line("Z")


def test_abnormally_low_rule_bounds() -> None:
    with pytest.raises(ScoringError, match="fraction_of_others_mean"):
        AbnormallyLowRule(fraction_of_others_mean=D(0))
    with pytest.raises(ScoringError, match="below_estimate"):
        AbnormallyLowRule(below_estimate=D(1))


prices_strategy = st.lists(
    st.decimals(min_value=1_000, max_value=10_000_000, places=2), min_size=1, max_size=12
)


@given(prices_strategy, st.decimals(min_value=D("0.01"), max_value=1_000, places=2))
def test_scaling_all_prices_leaves_relative_to_lowest_unchanged(
    prices: list[Decimal], factor: Decimal
) -> None:
    base = np.array([float(p) for p in prices])
    scaled = np.array([float(p * factor) for p in prices])
    method = PriceMethod.RELATIVE_TO_LOWEST
    assert np.allclose(price_fractions(base, method), price_fractions(scaled, method))


@given(prices_strategy, st.integers(min_value=1, max_value=99))
def test_price_points_lie_between_zero_and_the_weight_and_lowest_gets_full_marks(
    prices: list[Decimal], weight: int
) -> None:
    bids = [BidPrice(f"b{i}", p) for i, p in enumerate(prices)]
    result = score_price(bids, D(weight))
    points = [line.points for line in result.lines]
    assert all(D(0) <= p <= D(weight) for p in points)
    assert points[prices.index(min(prices))] == D(weight)


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=1_000, max_value=1_000_000, places=0),
            st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=80)),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_price_per_quality_point_fractions_are_in_unit_interval(
    rows: list[tuple[Decimal, float]],
) -> None:
    prices = np.array([float(p) for p, _ in rows])
    quality = np.array([q for _, q in rows])
    fractions = price_fractions(prices, PPQP, quality)
    assert np.all((fractions >= 0) & (fractions <= 1 + 1e-12))
    if quality.max() > 0:
        assert np.isclose(fractions.max(), 1.0)
