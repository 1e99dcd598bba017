"""Each evaluator scores alone (EVA-5): a score on the criterion's scale and a written
justification per bid, saved as a draft until they submit, which locks them. Nobody but the
commissioners sees another evaluator's scores on a criterion until they have submitted their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.bids.models import Bid
from commissioning.evaluation import access
from commissioning.evaluation.models import EvaluatorAssignment, EvaluatorScore
from commissioning.evaluation.panel import PanelView, evaluator_bids
from commissioning.evaluation.scales import scale_for
from commissioning.permissions import Visitor
from commissioning.procurement.models import Criterion

MIN_JUSTIFICATION = 20


def score_errors(criterion: Criterion, score: Any, justification: str) -> dict[str, str]:
    """What is wrong with a score and its justification, keyed by field (empty when fine)."""
    errors: dict[str, str] = {}
    scale = scale_for(criterion)
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = None
    if value is None or value not in scale.points:
        points = ", ".join(str(p) for p in scale.points)
        errors["score"] = f"Choose a score on the scale: {points}."
    if len((justification or "").strip()) < MIN_JUSTIFICATION:
        errors["justification"] = (
            f"Write a justification of at least {MIN_JUSTIFICATION} characters for the score."
        )
    return errors


def _scoreable(actor: User, assignment: EvaluatorAssignment) -> list[Bid]:
    return evaluator_bids(actor, assignment.criterion.opportunity)


def save_score(
    actor: User, assignment: EvaluatorAssignment, bid: Bid, score: Any, justification: str
) -> EvaluatorScore:
    """Save (or change) a draft score; refused once the assignment is submitted."""
    if not access.can_score(actor, assignment):
        raise PermissionDenied("Only the assigned evaluator scores on this criterion.")
    if bid.pk not in {b.pk for b in _scoreable(actor, assignment)}:
        raise PermissionDenied(
            "You can score this bid only once the bids are opened, you have declared your "
            "interests, and you have no conflict with the bidder."
        )
    errors = score_errors(assignment.criterion, score, justification)
    if errors:
        raise ValidationError(errors)
    value, text = int(score), justification.strip()
    with transaction.atomic():
        locked = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.submitted_at is not None:
            raise ValidationError("Your scores on this criterion are submitted and locked.")
        existing = EvaluatorScore.objects.filter(assignment=locked, bid=bid).first()
        before = (
            {"score": existing.score, "justification": existing.justification}
            if existing
            else {"score": None, "justification": None}
        )
        saved, _ = EvaluatorScore.objects.update_or_create(
            assignment=locked, bid=bid, defaults={"score": value, "justification": text}
        )
        changes = {
            key: {"from": before[key], "to": after}
            for key, after in (("score", value), ("justification", text))
            if before[key] != after
        }
        record(
            actor,
            "evaluation.score",
            bid,
            {"criterion": locked.criterion.name, "evaluator_id": actor.pk, **changes},
        )
    return saved


def missing_bids(actor: User, assignment: EvaluatorAssignment) -> list[Bid]:
    scored = set(assignment.scores.values_list("bid_id", flat=True))
    return [bid for bid in _scoreable(actor, assignment) if bid.pk not in scored]


def submit_scores(
    actor: User, assignment: EvaluatorAssignment, now: datetime | None = None
) -> EvaluatorAssignment:
    """Submit every score on the criterion (all bids the evaluator may score must be scored)."""
    if not access.can_score(actor, assignment):
        raise PermissionDenied("Only the assigned evaluator submits these scores.")
    if not _scoreable(actor, assignment):
        raise ValidationError("There are no bids for you to score on this criterion yet.")
    missing = missing_bids(actor, assignment)
    if missing:
        names = ", ".join(str(bid.organisation) for bid in missing)
        raise ValidationError(f"Score every bid before submitting; still to score: {names}.")
    with transaction.atomic():
        locked = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.submitted_at is not None:
            return locked
        locked.submitted_at = now or timezone.now()
        locked.save(update_fields=["submitted_at"])
        record(
            actor,
            "evaluation.submit",
            locked.criterion.opportunity,
            {
                "criterion": locked.criterion.name,
                "scores": {str(s.bid_id): s.score for s in locked.scores.all()},
            },
        )
    return locked


def visible_scores(
    user: Visitor,
    criterion: Criterion,
    *,
    own: EvaluatorAssignment | None = None,
    panel: PanelView | None = None,
) -> QuerySet[EvaluatorScore]:
    """The scores on ``criterion`` that ``user`` may see: all of them for the commissioners and
    for an evaluator who has submitted on it; otherwise only the user's own.

    A page that has already read ``user``'s assignment on ``criterion`` (``own``) and their view
    of the panel (``panel``, for the criterion's opportunity) passes them rather than have them
    read again."""
    if own is not None and (own.evaluator_id != user.pk or own.criterion_id != criterion.pk):
        raise ValueError("own must be the user's assignment on the criterion")
    opportunity = panel.opportunity if panel is not None else criterion.opportunity
    if panel is not None and (
        panel.user.pk != user.pk or opportunity.pk != criterion.opportunity_id
    ):
        raise ValueError("panel must be the user's view of the criterion's opportunity")
    scores = EvaluatorScore.objects.filter(assignment__criterion=criterion).select_related(
        "assignment__evaluator", "bid__organisation"
    )
    if access.can_manage_evaluation(user, opportunity):
        return scores
    if own is None:
        own = EvaluatorAssignment.objects.filter(criterion=criterion, evaluator_id=user.pk).first()
    if own is None:
        return scores.none()
    if own.submitted_at is None:
        return scores.filter(assignment=own)
    readable = (panel or PanelView(user, opportunity)).readable_bids
    return scores.filter(bid_id__in=[bid.pk for bid in readable])


def scores_beside(
    user: Visitor, assignment: EvaluatorAssignment, panel: PanelView
) -> tuple[dict[int, EvaluatorScore], list[EvaluatorScore]]:
    """``user``'s own scores on ``assignment`` by bid, and the other evaluators' scores they see
    beside them, for the assignment's page (EVA-5): none of the others' until they have
    submitted it, then those :func:`visible_scores` allows. Once it is submitted, both come from
    one read of the criterion's scores ``user`` may see, which holds their own."""
    if not assignment.is_submitted:
        readable = panel.readable_bids
        own = {s.bid_id: s for s in assignment.scores.all()} if readable else {}
        return own, []
    seen = list(visible_scores(user, assignment.criterion, own=assignment, panel=panel))
    own = {s.bid_id: s for s in seen if s.assignment_id == assignment.pk}
    return own, [s for s in seen if s.assignment_id != assignment.pk]
