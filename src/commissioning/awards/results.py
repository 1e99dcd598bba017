"""A lot's evaluation results (PRO-9): totals, ranking and weight sensitivity from the moderated
scores (EVA-5) and the level-playing-field prices (EVA-4), computed by the analytics core. Bids
that failed selection (EVA-6) are excluded from the ranking with the recorded reasons.

:class:`EvaluationInputs` is everything the core needs — the published criteria with their
scales and minimums, the moderated scores, the prices after adjustment, the price method, the
estimate and the bids excluded at selection — plus the moderated rationales and the bidders'
names, as plain data. It is built live
for the commissioners (who hold the released bid key) by :func:`lot_inputs`, and frozen as JSON
into :attr:`~commissioning.awards.models.LotAward.results` when the award is decided, so the
feedback every bidder reads and the published award come from exactly the numbers decided on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from commissioning.accounts.models import User
from commissioning.awards.models import PriceAdjustment
from commissioning.bids import keys, reading
from commissioning.bids.models import Bid
from commissioning.directory.models import Organisation
from commissioning.evaluation.models import ModeratedScore
from commissioning.evaluation.panel import evaluated_bids
from commissioning.evaluation.scales import scale_for
from commissioning.evaluation.selection import selection_failures
from commissioning.procurement.models import Criterion, Lot, Opportunity
from commissioning_analytics.scoring.criteria import (
    Band,
    CriteriaSet,
    CriterionKind,
    Scale,
)
from commissioning_analytics.scoring.criteria import Criterion as CoreCriterion
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.price import BidPrice, PriceMethod
from commissioning_analytics.scoring.sensitivity import (
    SensitivityResult,
    price_weight_sensitivity,
    social_value_sensitivity,
)
from commissioning_analytics.scoring.totals import Evaluation, evaluate

SNAPSHOT_VERSION = 1


class ResultsNotReady(ValueError):
    """Results cannot be computed yet; ``reasons`` says every thing still missing."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def core_criterion(criterion: Criterion) -> CoreCriterion:
    """A published criterion as the analytics core's criterion (id = the criterion's pk)."""
    kind = CriterionKind(criterion.kind)
    return CoreCriterion(
        id=str(criterion.pk),
        name=criterion.name,
        kind=kind,
        weight=criterion.weight,
        minimum=None if kind is CriterionKind.PRICE else criterion.minimum,
        scale=scale_for(criterion),
    )


def core_criteria(opportunity: Opportunity) -> CriteriaSet:
    """The opportunity's published criteria as a validated set; raises ``ScoringError``."""
    return CriteriaSet.of(core_criterion(c) for c in opportunity.criteria.order_by("order", "pk"))


def is_public_sector(organisation: Organisation) -> bool:
    return organisation.org_type == Organisation.OrgType.PUBLIC_SECTOR


@dataclass(frozen=True)
class EvaluationInputs:
    """Everything a lot's results are computed from, as plain data (ids are pks as text)."""

    criteria: CriteriaSet
    scores: Mapping[str, Mapping[str, float]]
    prices: tuple[BidPrice, ...]
    method: PriceMethod
    estimate: Decimal | None
    rationales: Mapping[str, Mapping[str, str]]
    bidders: Mapping[str, str]
    excluded: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Bid id → why it failed selection (EVA-6): disqualified whatever its scores."""

    def evaluate(self) -> Evaluation:
        return evaluate(
            self.criteria,
            self.scores,
            self.prices,
            method=self.method,
            estimate=self.estimate,
            excluded=self.excluded,
        )

    def price_sensitivity(self) -> SensitivityResult | None:
        """How the winner moves with the price weight; ``None`` without a price criterion or
        with fewer than two qualifying bids (nothing could change)."""
        if self.criteria.price is None or len(self.evaluate().ranked) < 2:
            return None
        return price_weight_sensitivity(
            self.criteria, self.scores, self.prices, self.method, excluded=self.excluded
        )

    def social_value_sensitivity(self) -> SensitivityResult | None:
        if len(self.evaluate().ranked) < 2:
            return None
        prices = self.prices if self.criteria.price is not None else ()
        return social_value_sensitivity(
            self.criteria, self.scores, prices, self.method, excluded=self.excluded
        )

    def bidder(self, bid_id: str) -> str:
        return self.bidders.get(bid_id, f"Bid {bid_id}")

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SNAPSHOT_VERSION,
            "criteria": [
                {
                    "id": c.id,
                    "name": c.name,
                    "kind": c.kind.value,
                    "weight": str(c.weight),
                    "minimum": c.minimum if c.kind is not CriterionKind.PASS_FAIL else None,
                    "scale": [[band.score, band.descriptor] for band in c.scale.bands],
                }
                for c in self.criteria.criteria
            ],
            "scores": {bid: dict(scores) for bid, scores in self.scores.items()},
            "prices": [
                {
                    "bid_id": p.bid_id,
                    "price": str(p.price),
                    "is_public_sector": p.is_public_sector,
                    "hidden_subsidy": str(p.hidden_subsidy),
                }
                for p in self.prices
            ],
            "method": self.method.value,
            "estimate": None if self.estimate is None else str(self.estimate),
            "rationales": {bid: dict(texts) for bid, texts in self.rationales.items()},
            "bidders": dict(self.bidders),
            "excluded": {bid: list(reasons) for bid, reasons in self.excluded.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EvaluationInputs:
        if data.get("version") != SNAPSHOT_VERSION:
            raise ScoringError(f"Unknown results snapshot version {data.get('version')!r}.")
        criteria = CriteriaSet.of(
            CoreCriterion(
                id=c["id"],
                name=c["name"],
                kind=CriterionKind(c["kind"]),
                weight=Decimal(c["weight"]),
                minimum=c["minimum"],
                scale=Scale(tuple(Band(int(score), text) for score, text in c["scale"])),
            )
            for c in data["criteria"]
        )
        return cls(
            criteria=criteria,
            scores={
                bid: {crit: float(v) for crit, v in scores.items()}
                for bid, scores in data["scores"].items()
            },
            prices=tuple(
                BidPrice(
                    p["bid_id"],
                    Decimal(p["price"]),
                    is_public_sector=p["is_public_sector"],
                    hidden_subsidy=Decimal(p["hidden_subsidy"]),
                )
                for p in data["prices"]
            ),
            method=PriceMethod(data["method"]),
            estimate=None if data["estimate"] is None else Decimal(data["estimate"]),
            rationales=data["rationales"],
            bidders=data["bidders"],
            # Decisions frozen before selection reached the award have no "excluded".
            excluded={bid: tuple(why) for bid, why in data.get("excluded", {}).items()},
        )


def lot_bids(lot: Lot) -> list[Bid]:
    """The submitted bids evaluated for ``lot``."""
    return [bid for bid in evaluated_bids(lot.opportunity) if bid.lot_id == lot.pk]


def lot_inputs(actor: User, lot: Lot) -> EvaluationInputs:
    """The live inputs for ``lot``, read with the commissioner's released key (so refused to
    anyone else, and before the bids are opened). Raises :class:`ResultsNotReady` listing every
    missing moderated score or price (none is needed of a bid that failed selection), and
    ``ScoringError`` if the criteria do not validate."""
    opportunity = lot.opportunity
    criteria = core_criteria(opportunity)
    key = keys.released_key(actor, opportunity)
    bids = lot_bids(lot)
    if not bids:
        raise ResultsNotReady([f"No submitted bids for lot {lot.number}."])
    judged = [
        c for c in opportunity.criteria.order_by("order", "pk") if c.kind != Criterion.Kind.PRICE
    ]
    agreed = {
        (m.bid_id, m.criterion_id): m
        for m in ModeratedScore.objects.filter(bid__in=bids, criterion__in=judged)
    }
    adjustments = {a.bid_id: a.hidden_subsidy for a in PriceAdjustment.objects.filter(bid__in=bids)}
    # A bid that failed selection is excluded (EVA-6): it is not waited on for scores or a price.
    excluded = selection_failures(lot, bids)
    missing: list[str] = []
    scores: dict[str, dict[str, float]] = {}
    rationales: dict[str, dict[str, str]] = {}
    prices: list[BidPrice] = []
    for bid in bids:
        bid_id = str(bid.pk)
        waited_on = bid.pk not in excluded
        scores[bid_id] = {}
        rationales[bid_id] = {}
        for criterion in judged:
            moderated = agreed.get((bid.pk, criterion.pk))
            if moderated is None:
                if waited_on:
                    missing.append(
                        f"{bid.organisation.name} has no agreed score on {criterion.name}."
                    )
                continue
            scores[bid_id][str(criterion.pk)] = float(moderated.score)
            rationales[bid_id][str(criterion.pk)] = moderated.rationale
        if criteria.price is None:
            continue
        content = reading.content_of(bid, key)
        if content.price is None or content.price <= 0:
            if waited_on:
                missing.append(f"{bid.organisation.name}'s bid states no price.")
            continue
        public = is_public_sector(bid.organisation)
        prices.append(
            BidPrice(
                bid_id,
                content.price,
                is_public_sector=public,
                hidden_subsidy=adjustments.get(bid.pk, Decimal(0)) if public else Decimal(0),
            )
        )
    if missing:
        raise ResultsNotReady(missing)
    return EvaluationInputs(
        criteria=criteria,
        scores=scores,
        prices=tuple(prices),
        method=PriceMethod(opportunity.price_method),
        estimate=lot.estimated_annual_value or None,
        rationales=rationales,
        bidders={str(bid.pk): bid.organisation.name for bid in bids},
        excluded={str(bid): why for bid, why in excluded.items()},
    )
