"""Feedback to every bidder (PRO-9), on the worked example of docs/scoring.md built with the
scoring package's public API: price 40, service 30 (minimum 50), cohort 20, social value 10.

| Bid | Service | Cohort | Social | Price  | Total                  |
| A   | 75      | 50     | 100    | £800k  | 42.50 + 40.00 = 82.50  |
| B   | 100     | 75     | 50     | £1m    | 50.00 + 32.00 = 82.00  |
| C   | 25      | 100    | 100    | £500k  | disqualified (service) |
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.evaluation.feedback import (
    BidderFeedback,
    FeedbackError,
    bidder_feedback,
)
from commissioning_analytics.scoring.criteria import CriteriaSet, Criterion, CriterionKind
from commissioning_analytics.scoring.library import library_criterion as lib
from commissioning_analytics.scoring.price import BidPrice
from commissioning_analytics.scoring.totals import Evaluation, evaluate

JUDGED = ("service-model", "cohort-experience", "social-value-model")
SCORES = {
    "A": dict(zip(JUDGED, (75, 50, 100), strict=True)),
    "B": dict(zip(JUDGED, (100, 75, 50), strict=True)),
    "C": dict(zip(JUDGED, (25, 100, 100), strict=True)),
}
RATIONALES = {bid: {c: f"{bid} on {c}: agreed at moderation." for c in JUDGED} for bid in SCORES}


def evaluation() -> Evaluation:
    criteria = CriteriaSet.of(
        [
            lib("price").use(40),
            lib("service-model").use(30, minimum=50),
            lib("cohort-experience").use(20),
            lib("social-value-model").use(10),
        ]
    )
    prices = [
        BidPrice(b, Decimal(p)) for b, p in (("A", 800_000), ("B", 1_000_000), ("C", 500_000))
    ]
    return evaluate(criteria, SCORES, prices)


def by_bid() -> dict[str, BidderFeedback]:
    return {f.bid_id: f for f in bidder_feedback(evaluation(), RATIONALES)}


def test_every_bidder_gets_feedback_in_ranking_order() -> None:
    feedback = bidder_feedback(evaluation(), RATIONALES)
    assert [(f.bid_id, f.rank, f.total) for f in feedback] == [
        ("A", 1, Decimal("82.50")),
        ("B", 2, Decimal("82.00")),
        ("C", None, None),
    ]
    assert all(f.winner_id == "A" and f.winner_total == Decimal("82.50") for f in feedback)
    assert [f.is_winner for f in feedback] == [True, False, False]


def test_runner_up_sees_scores_points_and_ranks_against_the_winner() -> None:
    b = by_bid()["B"]
    rows = {
        c.criterion_id: (c.own.score, c.own.points, c.rank, c.joint, c.ranked_bids)
        for c in b.criteria
    }
    assert rows == {
        "price": (None, Decimal("32.00"), 2, False, 2),  # only A and B are priced
        "service-model": (100, Decimal("30.00"), 1, False, 3),
        "cohort-experience": (75, Decimal("15.00"), 2, False, 3),  # C's 100 is higher
        "social-value-model": (50, Decimal("5.00"), 3, False, 3),  # A and C have 100
    }
    winner = {c.criterion_id: (c.winner.score, c.winner.points) for c in b.criteria if c.winner}
    assert winner == {
        "price": (None, Decimal("40.00")),
        "service-model": (75, Decimal("22.50")),
        "cohort-experience": (50, Decimal("10.00")),
        "social-value-model": (100, Decimal("10.00")),
    }
    service = b.criteria[1]
    assert (service.own.descriptor, service.own.reason) == (
        "Excellent",
        "B on service-model: agreed at moderation.",
    )


def test_disqualified_bidder_is_told_why_and_is_not_priced() -> None:
    c = by_bid()["C"]
    assert c.disqualified_reasons == (
        "scored 25 (Poor) on 'Quality of the service model', below the minimum of 50 (Acceptable)",
    )
    price = c.criteria[0]
    assert (price.rank, price.own.points) == (None, None)
    assert price.own.reason == "Not priced: the bid was disqualified."
    social = c.criteria[3]
    assert (social.rank, social.joint) == (1, True)  # tied with A on 100


def test_plain_text_rendering() -> None:
    feedback = by_bid()
    text = feedback["B"].render()
    assert text.splitlines()[:2] == [
        "Feedback for bid B",
        "Your bid ranked 2nd of 3 with 82.00 points; the winning bid (A) scored 82.50.",
    ]
    assert (
        "Quality of the service model (weight 30%)\n"
        "  Your bid: 100 (Excellent), 30.00 points — 1st of 3 on this criterion.\n"
        "  Reasons: B on service-model: agreed at moderation.\n"
        "  Winning bid: 75 (Good), 22.50 points.\n"
        "  Winning bid's reasons: A on service-model: agreed at moderation."
    ) in text
    assert "Price (weight 40%)\n  Your bid: 32.00 points — 2nd of 2" in text
    assert "Adjusted price £1,000,000 scored under relative_to_lowest." in text
    winner = feedback["A"].render()
    assert "Your bid ranked 1st of 3 with 82.50 points: it won." in winner
    assert "Winning bid" not in winner
    assert "joint 1st of 3" in feedback["C"].render()
    assert "Your bid was disqualified: scored 25 (Poor)" in feedback["C"].render()


def test_a_missing_moderated_rationale_is_refused() -> None:
    rationales = {bid: dict(r) for bid, r in RATIONALES.items()}
    rationales["B"]["cohort-experience"] = "  "
    with pytest.raises(FeedbackError, match="Bid 'B' has no moderated rationale for 'cohort-"):
        bidder_feedback(evaluation(), rationales)


def test_tie_note_and_pass_fail_criteria_in_feedback() -> None:
    # X: 50 × 50/100 + 10 × 100/100 = 35 quality + 40 price (lowest, £100k) = 75.00
    # Y: 50 × 100/100 + 0 = 50 quality + 40 × 100k/160k = 25 price = 75.00 → Y first on quality.
    criteria = CriteriaSet.of(
        [
            lib("price").use(40),
            lib("service-model").use(50),
            lib("social-value-model").use(10),
            Criterion("declarations", "Declarations", CriterionKind.PASS_FAIL, Decimal(0)),
        ]
    )
    scores = {
        "X": {"service-model": 50, "social-value-model": 100, "declarations": 100},
        "Y": {"service-model": 100, "social-value-model": 0, "declarations": 100},
    }
    prices = [BidPrice("X", Decimal(100_000)), BidPrice("Y", Decimal(160_000))]
    rationales = {b: dict.fromkeys(scores[b], "Agreed.") for b in scores}
    first, second = bidder_feedback(evaluate(criteria, scores, prices), rationales)
    assert (first.bid_id, first.total, second.bid_id, second.total) == (
        "Y",
        Decimal("75.00"),
        "X",
        Decimal("75.00"),
    )
    assert "Tie: tied with X on total; ranked above on quality points (50.00 vs 35.00)." in (
        first.render()
    )
    declarations = second.criteria[3]
    assert (declarations.own.score, declarations.own.descriptor, declarations.own.points) == (
        100,
        "Pass",
        None,
    )
    assert (declarations.rank, declarations.joint) == (1, True)
    assert "Declarations (pass/fail)\n  Your bid: 100 (Pass) — joint 1st of 2" in second.render()
