"""Evaluation criteria, their scales and weights, and the rules a criteria set must meet.

* EVA-1: price is one criterion among quality criteria, never the only one; weights are set
  (and published) before bids open, so a :class:`CriteriaSet` is validated when it is built.
* EVA-2: social value carries at least 10% of the total weight.
* Minimum quality thresholds that disqualify are declared with the criterion, in advance
  (Procurement Act 2023 s.23(3)); they must lie on the criterion's scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from commissioning_analytics.scoring.errors import ScoringError, percent

TOTAL_WEIGHT = Decimal(100)
MIN_SOCIAL_VALUE_SHARE = Decimal(10)
"""EVA-2: social value criteria together carry at least this share (percent) of the weight."""


class CriterionKind(StrEnum):
    PRICE = "price"
    QUALITY = "quality"
    SOCIAL_VALUE = "social_value"
    PASS_FAIL = "pass_fail"


@dataclass(frozen=True)
class Band:
    """One point on a scoring scale and the words evaluators and bidders read for it."""

    score: int
    descriptor: str


@dataclass(frozen=True)
class Scale:
    """An ordered scoring scale, lowest band first (e.g. 0 / 25 / 50 / 75 / 100)."""

    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        scores = [band.score for band in self.bands]
        if len(scores) < 2:
            raise ScoringError("A scale needs at least two bands.")
        if scores[0] != 0 or any(b <= a for a, b in pairwise(scores)):
            raise ScoringError(f"Scale points must start at 0 and increase strictly: {scores}.")

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(band.score for band in self.bands)

    @property
    def maximum(self) -> int:
        return self.bands[-1].score

    def band_index(self, score: float) -> int:
        """The position of ``score`` on the scale; refuses a score that is not a scale point."""
        for index, band in enumerate(self.bands):
            if band.score == score:
                return index
        raise ScoringError(f"Score {score} is not on the scale {list(self.points)}.")

    def descriptor(self, score: float) -> str:
        return self.bands[self.band_index(score)].descriptor

    def summary(self) -> str:
        return " / ".join(f"{band.score} {band.descriptor}" for band in self.bands)


DEFAULT_QUALITY_SCALE = Scale(
    (
        Band(0, "Unacceptable"),
        Band(25, "Poor"),
        Band(50, "Acceptable"),
        Band(75, "Good"),
        Band(100, "Excellent"),
    )
)
"""The default quality scale (issue 4): 0 / 25 / 50 / 75 / 100."""

PASS_FAIL_SCALE = Scale((Band(0, "Fail"), Band(100, "Pass")))
"""Pass/fail selection questions (EVA-6): unweighted, and a fail disqualifies."""


@dataclass(frozen=True)
class Criterion:
    """One published evaluation criterion.

    ``weight`` is a percentage of the total (a Decimal). ``minimum`` is an optional threshold
    score on the criterion's scale: a bid scoring below it is disqualified, whatever its total.
    Pass/fail criteria carry no weight and always require a pass. The price criterion has no
    scale of its own: its score is computed (see :mod:`.price`).
    """

    id: str
    name: str
    kind: CriterionKind
    weight: Decimal
    minimum: int | None = None
    scale: Scale = DEFAULT_QUALITY_SCALE
    guidance_for_bidders: str = ""
    guidance_for_evaluators: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ScoringError(f"Criterion {self.name!r} needs an id.")
        if not isinstance(self.weight, Decimal):
            object.__setattr__(self, "weight", Decimal(str(self.weight)))
        if self.kind is CriterionKind.PASS_FAIL:
            if self.scale is DEFAULT_QUALITY_SCALE:
                object.__setattr__(self, "scale", PASS_FAIL_SCALE)
            if self.weight != 0:
                raise ScoringError(
                    f"Criterion {self.id!r} is pass/fail, so it carries no weight "
                    f"(got {percent(self.weight)})."
                )
            object.__setattr__(self, "minimum", self.scale.maximum)
            return
        if self.weight <= 0:
            raise ScoringError(
                f"Criterion {self.id!r} must carry a positive weight (got {percent(self.weight)})."
            )
        if self.kind is CriterionKind.PRICE and self.minimum is not None:
            raise ScoringError(f"Criterion {self.id!r} is price: it cannot have a minimum score.")
        if self.minimum is not None and not 0 <= self.minimum <= self.scale.maximum:
            raise ScoringError(
                f"Criterion {self.id!r}: minimum score {self.minimum} is outside its scale "
                f"0–{self.scale.maximum}."
            )

    @property
    def is_judged(self) -> bool:
        """Scored by evaluators (everything but price)."""
        return self.kind is not CriterionKind.PRICE

    def summary(self) -> str:
        text = f"{self.name} ({self.kind.value}), weight {percent(self.weight)}"
        if self.kind is CriterionKind.PASS_FAIL:
            return f"{self.name} (pass/fail): a fail disqualifies"
        if self.minimum is not None:
            text += f", minimum score {self.minimum} ({self.scale.descriptor(self.minimum)})"
        return text


@dataclass(frozen=True)
class CriteriaSet:
    """A validated set of criteria with weights (EVA-1, EVA-2); raises :class:`ScoringError`."""

    criteria: tuple[Criterion, ...]
    by_id: dict[str, Criterion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        criteria = tuple(self.criteria)
        object.__setattr__(self, "criteria", criteria)
        ids = [c.id for c in criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ScoringError(f"Criterion ids must be unique: {', '.join(duplicates)} repeated.")
        object.__setattr__(self, "by_id", {c.id: c for c in criteria})
        total = sum((c.weight for c in criteria), Decimal(0))
        if total != TOTAL_WEIGHT:
            raise ScoringError(
                f"Weights must add up to exactly 100%; they add up to {percent(total)}."
            )
        prices = [c for c in criteria if c.kind is CriterionKind.PRICE]
        if len(prices) > 1:
            names = ", ".join(repr(c.id) for c in prices)
            raise ScoringError(f"Only one price criterion is allowed; found {names}.")
        if prices and prices[0].weight == TOTAL_WEIGHT:
            raise ScoringError(
                f"Price ({prices[0].id!r}) cannot be the only weighted criterion: it must be one "
                "criterion among quality criteria."
            )
        share = self.social_value_share
        if share < MIN_SOCIAL_VALUE_SHARE:
            raise ScoringError(
                f"Social value must carry at least {percent(MIN_SOCIAL_VALUE_SHARE)} of the total "
                f"weight; it carries {percent(share)}."
            )

    @classmethod
    def of(cls, criteria: Iterable[Criterion]) -> CriteriaSet:
        return cls(tuple(criteria))

    @property
    def price(self) -> Criterion | None:
        return next((c for c in self.criteria if c.kind is CriterionKind.PRICE), None)

    @property
    def price_weight(self) -> Decimal:
        price = self.price
        return price.weight if price else Decimal(0)

    @property
    def judged(self) -> tuple[Criterion, ...]:
        """Criteria evaluators score (quality, social value and pass/fail), in published order."""
        return tuple(c for c in self.criteria if c.is_judged)

    @property
    def weighted_judged(self) -> tuple[Criterion, ...]:
        """Judged criteria that carry weight (quality and social value)."""
        return tuple(c for c in self.judged if c.kind is not CriterionKind.PASS_FAIL)

    @property
    def social_value_share(self) -> Decimal:
        return sum(
            (c.weight for c in self.criteria if c.kind is CriterionKind.SOCIAL_VALUE), Decimal(0)
        )

    def __getitem__(self, criterion_id: str) -> Criterion:
        try:
            return self.by_id[criterion_id]
        except KeyError:
            raise ScoringError(f"No criterion {criterion_id!r} in this criteria set.") from None

    def summary(self) -> str:
        lines = [f"{len(self.criteria)} criteria, weights adding up to 100%:"]
        lines += [f"- {c.summary()}" for c in self.criteria]
        lines.append(f"Social value carries {percent(self.social_value_share)} (at least 10%).")
        return "\n".join(lines)
