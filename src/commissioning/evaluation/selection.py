"""Proportionate selection (EVA-6): the pass/fail questions each lot's value calls for (from the
analytics core's policy), and an optional pass/fail record per bid. A recorded fail excludes the
bid from the lot's ranking and award (PRO-9): :func:`selection_failures` gives the reasons the
award reads, and the record is fixed once the award is decided (ADR 0008)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.awards.models import LotAward
from commissioning.bids import opening
from commissioning.bids.models import Bid
from commissioning.evaluation import access
from commissioning.evaluation.models import SelectionResult
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.evaluation.selection import (
    SelectionError,
    SelectionRequirement,
    questions_for,
)


def selection_for_lot(lot: Lot) -> SelectionRequirement | None:
    try:
        return questions_for(lot.estimated_annual_value)
    except SelectionError:
        return None


def selection_for_opportunity(opportunity: Opportunity) -> list[tuple[Lot, SelectionRequirement]]:
    """Each lot (with a positive annual value) and the questions its value calls for."""
    result = []
    for lot in opportunity.lots.order_by("number"):
        requirement = selection_for_lot(lot)
        if requirement is not None:
            result.append((lot, requirement))
    return result


def record_selection(
    actor: User,
    bid: Bid,
    question_id: str,
    passed: bool,
    note: str = "",
    now: datetime | None = None,
) -> SelectionResult:
    """Record a pass or fail for ``bid`` on one of its lot's selection questions."""
    opportunity = bid.lot.opportunity
    if not access.can_manage_evaluation(actor, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners record selection.")
    if opening.opened_at(opportunity) is None or bid.status != Bid.Status.SUBMITTED:
        raise ValidationError("Selection is recorded for submitted bids once they are opened.")
    requirement = selection_for_lot(bid.lot)
    if requirement is None or question_id not in requirement.question_ids:
        raise ValidationError({"question": "That question does not apply to this lot."})
    if not passed and not note.strip():
        raise ValidationError({"note": "Say why the bid fails this question."})
    with transaction.atomic():
        # The lot's row lock orders this against decide_award, which takes it too: a fail
        # cannot land after the award was decided on results read without it (EVA-6).
        Lot.objects.select_for_update().get(pk=bid.lot_id)
        if LotAward.objects.filter(lot_id=bid.lot_id).exists():
            raise ValidationError(
                f"The award for lot {bid.lot.number} has been decided: its selection results can "
                "no longer change."
            )
        saved, _ = SelectionResult.objects.update_or_create(
            bid=bid,
            question_id=question_id,
            defaults={
                "passed": passed,
                "note": note.strip(),
                "recorded_by": actor,
                "recorded_at": now or timezone.now(),
            },
        )
        record(
            actor,
            "evaluation.selection",
            bid,
            {"question": question_id, "passed": passed, "note": note.strip()},
        )
    return saved


def selection_failures(lot: Lot, bids: Iterable[Bid]) -> dict[int, tuple[str, ...]]:
    """Bid pk → why it fails selection (each failed question of the lot, with the recorded note),
    for the bids among ``bids`` with at least one recorded fail. Questions are in the policy's
    order; a question not (or no longer) called for by the lot's value is ignored."""
    requirement = selection_for_lot(lot)
    if requirement is None:
        return {}
    names = {r.question.id: r.question.name for r in requirement.questions}
    order = {question_id: i for i, question_id in enumerate(requirement.question_ids)}
    fails = SelectionResult.objects.filter(
        bid__in=list(bids), passed=False, question_id__in=list(names)
    )
    reasons: dict[int, list[tuple[int, str]]] = {}
    for result in fails:
        text = f"failed the selection question “{names[result.question_id]}”"
        if result.note:
            text += f": {result.note}"
        reasons.setdefault(result.bid_id, []).append((order[result.question_id], text))
    return {bid: tuple(text for _, text in sorted(items)) for bid, items in reasons.items()}
