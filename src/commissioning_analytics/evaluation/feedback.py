"""Feedback to every bidder (PRO-9): its score, rank and reasons per criterion against the
winner's, from the scoring package's :class:`~commissioning_analytics.scoring.totals.Evaluation`
and the moderated rationales (EVA-5). Plain text only; the web layer renders pages and PDFs.

* Points on a judged criterion: ``weight × score ÷ scale maximum``, 2 dp half up, as in
  :mod:`commissioning_analytics.scoring.totals`; pass/fail criteria carry no points.
* Rank on a criterion: 1 + the number of bids with a strictly higher score ("joint" when
  another bid has the same score). Judged criteria rank every bid, disqualified ones included;
  price ranks the qualifying bids by price points (disqualified bids are not priced).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from commissioning_analytics.scoring.criteria import Criterion, CriterionKind
from commissioning_analytics.scoring.errors import percent, to_points
from commissioning_analytics.scoring.totals import BidOutcome, Evaluation

Rationales = Mapping[str, Mapping[str, str]]
"""Moderated rationale: bid id → criterion id → the agreed reasons for the score."""


class FeedbackError(ValueError):
    """Feedback cannot be produced; the message names the bid and criterion."""


@dataclass(frozen=True)
class CriterionResult:
    """One bid's result on one criterion: score (judged criteria), points and reasons."""

    score: float | None
    descriptor: str
    points: Decimal | None
    reason: str

    def text(self) -> str:
        parts = []
        if self.score is not None:
            parts.append(f"{self.score:g} ({self.descriptor})")
        if self.points is not None:
            parts.append(f"{self.points} points")
        return ", ".join(parts) if parts else "not scored"


@dataclass(frozen=True)
class CriterionFeedback:
    criterion_id: str
    name: str
    kind: CriterionKind
    weight: Decimal
    own: CriterionResult
    rank: int | None
    joint: bool
    ranked_bids: int
    winner: CriterionResult | None


@dataclass(frozen=True)
class BidderFeedback:
    """What one bidder is told (PRO-9)."""

    bid_id: str
    rank: int | None
    total: Decimal | None
    bids: int
    winner_id: str | None
    winner_total: Decimal | None
    disqualified_reasons: tuple[str, ...]
    tie_note: str
    criteria: tuple[CriterionFeedback, ...]

    @property
    def is_winner(self) -> bool:
        return self.winner_id == self.bid_id

    def render(self) -> str:
        """Plain-text feedback for this bidder."""
        lines = [f"Feedback for bid {self.bid_id}"]
        if self.disqualified_reasons:
            lines.append("Your bid was disqualified: " + "; ".join(self.disqualified_reasons) + ".")
        elif self.is_winner:
            lines.append(f"Your bid ranked 1st of {self.bids} with {self.total} points: it won.")
        else:
            lines.append(
                f"Your bid ranked {_ordinal(self.rank)} of {self.bids} with {self.total} points; "
                f"the winning bid ({self.winner_id}) scored {self.winner_total}."
            )
        if self.tie_note:
            lines.append(f"Tie: {self.tie_note}.")
        for c in self.criteria:
            head = f"{c.name} ({_weight_text(c)})"
            rank = "not ranked"
            if c.rank is not None:
                rank = f"{'joint ' if c.joint else ''}{_ordinal(c.rank)} of {c.ranked_bids}"
            lines.append("")
            lines.append(head)
            lines.append(f"  Your bid: {c.own.text()} — {rank} on this criterion.")
            if c.own.reason:
                lines.append(f"  Reasons: {c.own.reason}")
            if c.winner is not None and not self.is_winner:
                lines.append(f"  Winning bid: {c.winner.text()}.")
                if c.winner.reason:
                    lines.append(f"  Winning bid's reasons: {c.winner.reason}")
        return "\n".join(lines)


def bidder_feedback(evaluation: Evaluation, rationales: Rationales) -> tuple[BidderFeedback, ...]:
    """Feedback for every bid, in the evaluation's order (ranked first, then disqualified).

    Every moderated score needs a moderated rationale; price reasons are optional (the price
    line is stated if none is given). A bid excluded before it was fully scored (failed
    selection, EVA-6) is "not scored" on the criteria it has no score for.
    """
    outcomes = evaluation.outcomes
    for outcome in outcomes:
        scored = dict(outcome.scores)
        for criterion in evaluation.criteria.judged:
            if (
                criterion.id in scored
                and not rationales.get(outcome.bid_id, {}).get(criterion.id, "").strip()
            ):
                raise FeedbackError(
                    f"Bid {outcome.bid_id!r} has no moderated rationale for {criterion.id!r}."
                )
    results = {
        o.bid_id: {
            c.id: _result(evaluation, o, c, rationales) for c in evaluation.criteria.criteria
        }
        for o in outcomes
    }
    winner = evaluation.winner
    feedback = []
    for outcome in outcomes:
        criteria = []
        for criterion in evaluation.criteria.criteria:
            own = results[outcome.bid_id][criterion.id]
            rank, joint, ranked = _criterion_rank(evaluation, criterion, outcome.bid_id)
            criteria.append(
                CriterionFeedback(
                    criterion.id,
                    criterion.name,
                    criterion.kind,
                    criterion.weight,
                    own,
                    rank,
                    joint,
                    ranked,
                    results[winner.bid_id][criterion.id] if winner else None,
                )
            )
        feedback.append(
            BidderFeedback(
                outcome.bid_id,
                outcome.rank,
                outcome.total,
                len(outcomes),
                winner.bid_id if winner else None,
                winner.total if winner else None,
                outcome.disqualified_reasons,
                outcome.tie_note,
                tuple(criteria),
            )
        )
    return tuple(feedback)


def _result(
    evaluation: Evaluation, outcome: BidOutcome, criterion: Criterion, rationales: Rationales
) -> CriterionResult:
    reason = rationales.get(outcome.bid_id, {}).get(criterion.id, "").strip()
    if criterion.kind is CriterionKind.PRICE:
        if evaluation.price is None or outcome.disqualified:
            return CriterionResult(
                None, "", None, reason or "Not priced: the bid was disqualified."
            )
        line = evaluation.price.line(outcome.bid_id)
        stated = f"Adjusted price £{line.adjusted:,} scored under {evaluation.method.value}."
        return CriterionResult(None, "", line.points, reason or stated)
    if criterion.id not in dict(outcome.scores):
        return CriterionResult(None, "", None, reason or "Not scored: the bid was disqualified.")
    score = dict(outcome.scores)[criterion.id]
    points = None
    if criterion.kind is not CriterionKind.PASS_FAIL:
        points = to_points(float(criterion.weight) * score / criterion.scale.maximum)
    return CriterionResult(score, criterion.scale.descriptor(score), points, reason)


def _criterion_rank(
    evaluation: Evaluation, criterion: Criterion, bid_id: str
) -> tuple[int | None, bool, int]:
    values: dict[str, Decimal | float] = {}
    if criterion.kind is CriterionKind.PRICE:
        for o in evaluation.ranked:
            if o.price_points is not None:
                values[o.bid_id] = o.price_points
    else:
        values = {
            o.bid_id: dict(o.scores)[criterion.id]
            for o in evaluation.outcomes
            if criterion.id in dict(o.scores)
        }
    if bid_id not in values:
        return None, False, len(values)
    own = values[bid_id]
    higher = sum(1 for v in values.values() if v > own)
    same = sum(1 for v in values.values() if v == own)
    return higher + 1, same > 1, len(values)


def _weight_text(criterion: CriterionFeedback) -> str:
    if criterion.kind is CriterionKind.PASS_FAIL:
        return "pass/fail"
    return f"weight {percent(criterion.weight)}"


def _ordinal(n: int | None) -> str:
    if n is None:
        return "unranked"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
