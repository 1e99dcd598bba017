"""Divergence and moderation (EVA-5), and the moderated scores award builds on (PRO-9).

Once every assigned evaluator has submitted, the commissioners see where evaluators differ by
more than one band (the analytics core's :func:`~commissioning_analytics.scoring.divergence.
divergence`), then record the agreed score and its rationale for every (bid, criterion).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.awards.models import LotAward
from commissioning.bids.models import Bid
from commissioning.evaluation import access
from commissioning.evaluation.models import EvaluatorAssignment, EvaluatorScore, ModeratedScore
from commissioning.evaluation.panel import evaluated_bids, judged_criteria
from commissioning.evaluation.scales import scale_for
from commissioning.procurement.models import Criterion, Opportunity
from commissioning_analytics.scoring import criteria as core
from commissioning_analytics.scoring.divergence import DivergenceReport, divergence_from_records
from commissioning_analytics.scoring.errors import ScoringError

MIN_RATIONALE = 20


def all_scores_submitted(opportunity: Opportunity) -> bool:
    """Every judged criterion has evaluators, all of whom have submitted, and there are bids."""
    criteria = list(judged_criteria(opportunity))
    if not criteria or not evaluated_bids(opportunity).exists():
        return False
    found = EvaluatorAssignment.objects.filter(criterion__opportunity=opportunity)
    assigned = set(found.values_list("criterion_id", flat=True))
    if any(c.pk not in assigned for c in criteria):
        return False
    return not found.filter(submitted_at__isnull=True).exists()


def _core_criteria(opportunity: Opportunity) -> core.CriteriaSet:
    """The published criteria as the core's set. Divergence depends only on the judged criteria
    and their scales, so a set whose weights do not validate falls back to equal weights."""
    rows = list(opportunity.criteria.order_by("order", "pk"))
    try:
        return core.CriteriaSet.of(
            core.Criterion(
                str(c.pk), c.name, core.CriterionKind(c.kind), c.weight, scale=scale_for(c)
            )
            for c in rows
        )
    except ScoringError:
        judged = [c for c in rows if c.kind != Criterion.Kind.PRICE]
        share = (Decimal(100) / len(judged)).quantize(Decimal("0.01"))
        weights = [share] * len(judged)
        weights[0] += Decimal(100) - share * len(judged)
        return core.CriteriaSet.of(
            core.Criterion(
                str(c.pk), c.name, core.CriterionKind.SOCIAL_VALUE, w, scale=scale_for(c)
            )
            for c, w in zip(judged, weights, strict=True)
        )


def divergence_report(opportunity: Opportunity) -> DivergenceReport | None:
    """Where submitted scores differ by more than one band; ``None`` until all are submitted."""
    if not all_scores_submitted(opportunity):
        return None
    scores = EvaluatorScore.objects.filter(
        assignment__criterion__opportunity=opportunity, assignment__submitted_at__isnull=False
    ).select_related("assignment__evaluator")
    records = [
        (s.assignment.evaluator.email, str(s.bid_id), str(s.assignment.criterion_id), s.score)
        for s in scores
    ]
    return divergence_from_records(_core_criteria(opportunity), records)


@dataclass
class ModerationRow:
    """One (bid, criterion) for the moderation meeting."""

    bid: Bid
    criterion: Criterion
    scores: list[EvaluatorScore] = field(default_factory=list)
    band_spread: int = 0
    diverges: bool = False
    moderated: ModeratedScore | None = None

    @property
    def key(self) -> str:
        return f"{self.bid.pk}-{self.criterion.pk}"


def moderation_rows(opportunity: Opportunity) -> list[ModerationRow]:
    """Every (bid, judged criterion) with its evaluators' scores, spread and agreed score."""
    report = divergence_report(opportunity)
    flagged = {(f.bid_id, f.criterion_id): f.band_spread for f in report.flags} if report else {}
    scores: dict[tuple[int, int], list[EvaluatorScore]] = {}
    for score in EvaluatorScore.objects.filter(
        assignment__criterion__opportunity=opportunity
    ).select_related("assignment__evaluator"):
        scores.setdefault((score.bid_id, score.assignment.criterion_id), []).append(score)
    agreed = {
        (m.bid_id, m.criterion_id): m
        for m in ModeratedScore.objects.filter(criterion__opportunity=opportunity)
    }
    rows = []
    for bid in evaluated_bids(opportunity):
        for criterion in judged_criteria(opportunity):
            key = (bid.pk, criterion.pk)
            given = sorted(scores.get(key, []), key=lambda s: s.assignment.evaluator.email)
            scale = scale_for(criterion)
            bands = [scale.band_index(s.score) for s in given]
            spread = (max(bands) - min(bands)) if len(bands) >= 2 else 0
            rows.append(
                ModerationRow(
                    bid=bid,
                    criterion=criterion,
                    scores=given,
                    band_spread=spread,
                    diverges=(str(bid.pk), str(criterion.pk)) in flagged,
                    moderated=agreed.get(key),
                )
            )
    return rows


def moderate(
    actor: User,
    bid: Bid,
    criterion: Criterion,
    score: Any,
    rationale: str,
    now: datetime | None = None,
) -> ModeratedScore:
    """Record (or change) the agreed score for a bid on a criterion, with its rationale."""
    opportunity = criterion.opportunity
    if not access.can_manage_evaluation(actor, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners moderate.")
    if criterion.kind == Criterion.Kind.PRICE:
        raise ValidationError({"criterion": "Price is scored by formula, not moderated."})
    if not evaluated_bids(opportunity).filter(pk=bid.pk).exists():
        raise ValidationError({"bid": "Only submitted bids for this opportunity are moderated."})
    if not all_scores_submitted(opportunity):
        raise ValidationError("Moderation starts once every evaluator has submitted scores.")
    errors: dict[str, str] = {}
    scale = scale_for(criterion)
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = -1
    if value not in scale.points:
        points = ", ".join(str(p) for p in scale.points)
        errors["score"] = f"Choose an agreed score on the scale: {points}."
    if len((rationale or "").strip()) < MIN_RATIONALE:
        errors["rationale"] = f"Write the rationale in at least {MIN_RATIONALE} characters."
    if errors:
        raise ValidationError(errors)
    text = rationale.strip()
    with transaction.atomic():
        existing = ModeratedScore.objects.select_for_update().filter(bid=bid, criterion=criterion)
        if LotAward.objects.filter(lot_id=bid.lot_id).exists():
            # ADR 0008: a decided award is not silently rewritten.
            raise ValidationError(
                "The award for this lot has been decided: its moderated scores can no longer "
                "change."
            )
        before = existing.first()
        saved, _ = ModeratedScore.objects.update_or_create(
            bid=bid,
            criterion=criterion,
            defaults={
                "score": value,
                "rationale": text,
                "moderated_by": actor,
                "moderated_at": now or timezone.now(),
            },
        )
        record(
            actor,
            "evaluation.moderate",
            bid,
            {
                "criterion": criterion.name,
                "score": {"from": before.score if before else None, "to": value},
                "rationale": {"from": before.rationale if before else None, "to": text},
            },
        )
    return saved


def moderated_scores(opportunity: Opportunity) -> dict[tuple[int, int], Decimal]:
    """The agreed scores: (bid pk, criterion pk) → score on the 0–100 scale (judged criteria)."""
    return {
        (m.bid_id, m.criterion_id): Decimal(m.score)
        for m in ModeratedScore.objects.filter(
            criterion__opportunity=opportunity, bid__status=Bid.Status.SUBMITTED
        ).exclude(criterion__kind=Criterion.Kind.PRICE)
    }


def moderation_complete(opportunity: Opportunity) -> bool:
    """Every submitted bid has an agreed score on every judged criterion."""
    bids = list(evaluated_bids(opportunity).values_list("pk", flat=True))
    criteria = list(judged_criteria(opportunity).values_list("pk", flat=True))
    if not bids or not criteria:
        return False
    agreed = moderated_scores(opportunity)
    return all((b, c) in agreed for b in bids for c in criteria)
