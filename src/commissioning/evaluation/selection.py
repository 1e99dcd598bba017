"""Proportionate selection (EVA-6): the pass/fail questions each lot's value calls for (from the
analytics core's policy), and an optional pass/fail record per bid."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit.services import record
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
    actor: Any,
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
