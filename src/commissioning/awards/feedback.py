"""Feedback to every bidder (PRO-9): its scores, points, rank and moderated reasons (EVA-5) per
criterion against the winner's, from the results frozen into the lot's award decision (ADR 0008).

The numbers come from the analytics core only: :meth:`EvaluationInputs.evaluate` re-runs the
decided evaluation and :func:`~commissioning_analytics.evaluation.feedback.bidder_feedback`
turns it into one bidder's feedback. This module only words it for the page and the PDF, and
decides what each reader may see:

* the bid's organisation's approved members and the commissioners of the opportunity's body
  read it (:func:`commissioning.permissions.can_view_bid_feedback`); anyone else is refused;
* a bidder sees its own adjusted price, but of the winner's price only its price points;
* the winner is not shown its own result twice ("winning bid" columns are left out for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from commissioning.accounts.models import User
from commissioning.awards.models import LotAward
from commissioning.awards.results import EvaluationInputs
from commissioning.bids.models import Bid
from commissioning.permissions import Visitor, can_view_bid_feedback, member_organisations
from commissioning.procurement.models import Lot, Opportunity, PriceMethodChoice
from commissioning_analytics.evaluation.feedback import (
    BidderFeedback,
    CriterionFeedback,
    CriterionResult,
    bidder_feedback,
)
from commissioning_analytics.scoring.criteria import CriterionKind
from commissioning_analytics.scoring.errors import percent
from commissioning_analytics.scoring.totals import Evaluation

NOT_APPLICABLE = "Not applicable"
NOT_DISCLOSED = "Not disclosed"


class FeedbackNotReady(Exception):
    """There is no feedback for this bid (yet); the message says why, for the reader."""


@dataclass(frozen=True)
class FeedbackRow:
    """One criterion as the bidder reads it (every value already worded)."""

    name: str
    kind: CriterionKind
    weight: str
    own_score: str
    own_points: str
    rank: str
    own_reason: str
    winner_score: str
    winner_points: str
    winner_reason: str

    @property
    def is_price(self) -> bool:
        return self.kind is CriterionKind.PRICE


@dataclass(frozen=True)
class BidFeedback:
    """One bid's feedback with what the page and the PDF say around it."""

    bid: Bid
    award: LotAward
    feedback: BidderFeedback
    bidder_name: str
    winner_name: str | None
    outcome_title: str
    outcome_lines: tuple[str, ...]
    rows: tuple[FeedbackRow, ...]
    price_method: str

    @property
    def lot(self) -> Lot:
        return self.award.lot

    @property
    def opportunity(self) -> Opportunity:
        return self.award.lot.opportunity

    @property
    def is_synthetic(self) -> bool:
        return bool(self.opportunity.is_synthetic)

    @property
    def show_winner(self) -> bool:
        """Whether the "winning bid" columns are shown: there is a winner and it is not us."""
        return self.feedback.winner_id is not None and not self.feedback.is_winner

    @property
    def decided_at(self) -> datetime:
        return self.award.decided_at

    @property
    def pdf_filename(self) -> str:
        return f"feedback-{self.opportunity.reference}-lot-{self.lot.number}.pdf"


def decided_award(lot: Lot) -> LotAward | None:
    return LotAward.objects.filter(lot=lot).first()


def feedback_for(user: Visitor, bid: Bid) -> BidFeedback:
    """The feedback ``user`` may read on ``bid`` (PRO-9).

    Raises ``PermissionDenied`` for anyone but the bid's organisation's approved members and
    the commissioners of the opportunity's body, and :class:`FeedbackNotReady` while the lot's
    award is not decided yet, or when the bid was not part of the decided evaluation.
    """
    if not can_view_bid_feedback(user, bid):
        raise PermissionDenied("Only the bidder and the commissioners can read this feedback.")
    award = decided_award(bid.lot)
    if award is None:
        raise FeedbackNotReady(
            f"The award for lot {bid.lot.number} has not been decided yet. Feedback is given to "
            "every bidder once it is."
        )
    inputs = EvaluationInputs.from_json(award.results)
    evaluation = inputs.evaluate()
    bid_id = str(bid.pk)
    feedback = next(
        (f for f in bidder_feedback(evaluation, inputs.rationales) if f.bid_id == bid_id), None
    )
    if feedback is None:
        raise FeedbackNotReady(
            "This bid was not part of the evaluation the award was decided on, so there is no "
            "feedback for it."
        )
    winner_name = inputs.bidder(feedback.winner_id) if feedback.winner_id else None
    title, lines = _outcome(feedback, evaluation, winner_name, inputs.excluded.get(bid_id, ()))
    return BidFeedback(
        bid=bid,
        award=award,
        feedback=feedback,
        bidder_name=inputs.bidder(bid_id),
        winner_name=winner_name,
        outcome_title=title,
        outcome_lines=lines,
        rows=tuple(_row(c, feedback, evaluation, inputs) for c in feedback.criteria),
        price_method=PriceMethodChoice(evaluation.method.value).label,
    )


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _outcome(
    feedback: BidderFeedback,
    evaluation: Evaluation,
    winner_name: str | None,
    failed_selection: tuple[str, ...] = (),
) -> tuple[str, tuple[str, ...]]:
    qualifying = len(evaluation.ranked)
    received = (
        "1 bid was evaluated" if feedback.bids == 1 else f"{feedback.bids} bids were evaluated"
    )
    counted = f"{received}; {qualifying} qualified."
    lines: list[str] = []
    if feedback.disqualified_reasons:
        title = "Your bid was disqualified"
        if failed_selection:
            lines.append(
                "Your bid did not pass selection, so it was not ranked: "
                + "; ".join(failed_selection)
                + "."
            )
        below = [r for r in feedback.disqualified_reasons if r not in failed_selection]
        if below:
            lines.append(
                "Your bid did not meet a minimum score declared in advance: "
                + "; ".join(below)
                + "."
            )
        lines.append(counted)
        if winner_name is not None:
            lines.append(
                f"The contract was awarded to {winner_name}, with {feedback.winner_total} points "
                "out of 100."
            )
        else:
            lines.append("No bid qualified, so the lot was not awarded.")
    elif feedback.is_winner:
        title = "Your bid was successful"
        lines.append(
            f"Your bid ranked 1st of {qualifying} qualifying bids with {feedback.total} points "
            "out of 100, and was awarded the contract."
        )
        lines.append(counted)
    else:
        assert feedback.rank is not None
        title = "Your bid was not successful"
        lines.append(
            f"Your bid ranked {ordinal(feedback.rank)} of {qualifying} qualifying bids with "
            f"{feedback.total} points out of 100. The winning bid, from {winner_name}, scored "
            f"{feedback.winner_total} points."
        )
        lines.append(counted)
    if feedback.tie_note:
        lines.append(f"Tie: {feedback.tie_note}.")
    return title, tuple(lines)


def _row(
    c: CriterionFeedback, feedback: BidderFeedback, evaluation: Evaluation, inputs: EvaluationInputs
) -> FeedbackRow:
    weight = "Pass/fail" if c.kind is CriterionKind.PASS_FAIL else percent(c.weight)
    rank = "Not ranked"
    if c.rank is not None:
        rank = f"{'Joint ' if c.joint else ''}{ordinal(c.rank)} of {c.ranked_bids}"
        rank = rank[0].upper() + rank[1:]
    winner = c.winner if (feedback.winner_id and not feedback.is_winner) else None
    if c.kind is CriterionKind.PRICE:
        return FeedbackRow(
            name=c.name,
            kind=c.kind,
            weight=weight,
            own_score=_own_price(feedback, evaluation),
            own_points=_points(c.own),
            rank=rank,
            # The core states the price line when no reason was recorded; the row says it.
            own_reason=inputs.rationales.get(feedback.bid_id, {}).get(c.criterion_id, "").strip(),
            winner_score=NOT_DISCLOSED if winner else "",
            winner_points=_points(winner) if winner else "",
            # The winner's price reason states its adjusted price: never shown to others.
            winner_reason="",
        )
    return FeedbackRow(
        name=c.name,
        kind=c.kind,
        weight=weight,
        own_score=_score(c.own),
        own_points=_points(c.own),
        rank=rank,
        own_reason=c.own.reason,
        winner_score=_score(winner) if winner else "",
        winner_points=_points(winner) if winner else "",
        winner_reason=winner.reason if winner else "",
    )


def _score(result: CriterionResult) -> str:
    if result.score is None:
        return "Not scored"
    return f"{result.score:g} ({result.descriptor})"


def _points(result: CriterionResult) -> str:
    return NOT_APPLICABLE if result.points is None else f"{result.points}"


def _own_price(feedback: BidderFeedback, evaluation: Evaluation) -> str:
    if evaluation.price is None or feedback.disqualified_reasons:
        return "Not priced"
    line = evaluation.price.line(feedback.bid_id)
    text = f"Adjusted price £{line.adjusted:,.2f}"
    if line.hidden_subsidy:
        text += (
            f" (declared £{line.declared:,.2f} plus hidden subsidy £{line.hidden_subsidy:,.2f}, "
            "added for a level playing field)"
        )
    return text


def decided_bids_for(user: User) -> QuerySet[Bid]:
    """The submitted bids of ``user``'s organisations (approved memberships) whose lot's award
    is decided, newest decision first: the bids they have feedback on."""
    return (
        Bid.objects.filter(
            organisation__in=member_organisations(user),
            status=Bid.Status.SUBMITTED,
            lot__award__isnull=False,
        )
        .select_related("lot__opportunity", "lot__award", "organisation")
        .order_by("-lot__award__decided_at", "pk")
        .distinct()
    )
