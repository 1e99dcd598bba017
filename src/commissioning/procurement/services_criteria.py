"""Writing a draft's evaluation criteria (EVA-1 … EVA-4): free-form or picked from the criteria
library, each with an optional disqualifying minimum declared in advance (Procurement Act 2023
s.23(3)), and the published price method.

The scale, the library and the price methods come from the analytics core
(:mod:`commissioning_analytics.scoring`); these functions check a commissioner's choices against
them, then write in one transaction with one audit record. Weight rules (at most 100% in total,
social value at least 10% once the weights reach 100%) are :func:`criterion_errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import created, deleted, diff, record, snapshot
from commissioning.audit.versions import lock_and_check
from commissioning.procurement import access
from commissioning.procurement.lifecycle import MIN_SOCIAL_VALUE_PERCENT, Status, is_editable
from commissioning.procurement.models import Criterion, Opportunity, PriceMethodChoice
from commissioning_analytics.scoring.criteria import DEFAULT_QUALITY_SCALE, Scale
from commissioning_analytics.scoring.errors import ScoringError
from commissioning_analytics.scoring.library import LIBRARY, PRICE, LibraryCriterion
from commissioning_analytics.scoring.library import library_criterion as core_library_criterion

CRITERION_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "weight",
    "guidance",
    "minimum",
    "library_id",
    "order",
)
LIBRARY_ENTRIES: tuple[LibraryCriterion, ...] = (*LIBRARY, PRICE)
"""Every ready-made criterion a commissioner can pick: the quality and social value entries,
then price."""


def _check(actor: User, opportunity: Opportunity) -> None:
    if not access.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied("You cannot change this opportunity.")
    if not is_editable(Status(opportunity.status)):
        raise ValidationError(
            "Only a draft can be changed; after publication the criteria, weights and price "
            "method stay as published."
        )


def criterion_errors(
    opportunity: Opportunity, data: Mapping[str, Any], criterion: Criterion | None = None
) -> dict[str, list[str]]:
    """EVA-1 as the commissioner types: weights may not exceed 100% in total, and a set that
    reaches 100% must give social value at least 10%."""
    others = opportunity.criteria.all()
    if criterion is not None:
        others = others.exclude(pk=criterion.pk)
    weights = [(c.kind, c.weight) for c in others] + [(data["kind"], Decimal(data["weight"]))]
    total = sum((w for _, w in weights), Decimal(0))
    social = sum((w for kind, w in weights if kind == Criterion.Kind.SOCIAL_VALUE), Decimal(0))
    if total > 100:
        return {
            "weight": [f"The weights would add up to {float(total):g}%; they cannot exceed 100%"]
        }
    if total == 100 and social < MIN_SOCIAL_VALUE_PERCENT:
        return {
            "weight": [
                f"Social value would carry {float(social):g}% of the total; it must carry at least "
                f"{MIN_SOCIAL_VALUE_PERCENT}%"
            ]
        }
    return {}


def criterion_scale() -> Scale:
    """The scale every quality and social value criterion is scored on (0 / 25 / 50 / 75 / 100)."""
    return DEFAULT_QUALITY_SCALE


def minimum_label(minimum: int | None) -> str:
    """``"50 (Acceptable)"`` for a minimum on the scale; ``""`` for none."""
    if minimum is None:
        return ""
    try:
        return f"{minimum} ({criterion_scale().descriptor(minimum)})"
    except ScoringError:
        return str(minimum)


def minimum_errors(kind: str, minimum: int | None) -> dict[str, list[str]]:
    """A minimum must be a band score above 0 on the criterion's scale, and never on price
    (price is scored by formula, not judged)."""
    if minimum is None:
        return {}
    if kind == Criterion.Kind.PRICE:
        return {
            "minimum": [
                "Price cannot have a minimum score: it is scored by the published price method. "
                "Leave the minimum blank"
            ]
        }
    scale = criterion_scale()
    bands = [band for band in scale.bands if band.score > 0]
    if minimum not in [band.score for band in bands]:
        choices = ", ".join(f"{band.score} ({band.descriptor})" for band in bands)
        return {"minimum": [f"The minimum score must be one of the scale's scores: {choices}"]}
    return {}


def _price_errors(
    opportunity: Opportunity, kind: str, criterion: Criterion | None
) -> dict[str, list[str]]:
    if kind != Criterion.Kind.PRICE:
        return {}
    prices = opportunity.criteria.filter(kind=Criterion.Kind.PRICE)
    if criterion is not None:
        prices = prices.exclude(pk=criterion.pk)
    if prices.exists():
        return {"kind": ["This opportunity already has a price criterion; it can have only one"]}
    return {}


def save_criterion(
    actor: User,
    opportunity: Opportunity,
    data: Mapping[str, Any],
    criterion: Criterion | None = None,
) -> Criterion:
    """Add (``criterion`` None; the add form sent twice adds one, issue 11 item 25) or change a
    criterion, its weight and its optional minimum; raises ``ValidationError`` keyed by field."""
    _check(actor, opportunity)
    if criterion is None:
        return idempotency.create_keyed(
            opportunity.criteria.all(),
            data,
            lambda key: _write_criterion(actor, opportunity, data, None, key),
        )
    return _write_criterion(actor, opportunity, data, criterion)


def _write_criterion(
    actor: User,
    opportunity: Opportunity,
    data: Mapping[str, Any],
    criterion: Criterion | None,
    key: str = "",
) -> Criterion:
    kind = data["kind"]
    errors = {
        **_price_errors(opportunity, kind, criterion),
        **criterion_errors(opportunity, data, criterion),
        **minimum_errors(kind, data.get("minimum")),
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = criterion or Criterion(opportunity=opportunity, submission_key=key)
        if criterion is None and not data.get("order"):
            target.order = (opportunity.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
        lock_and_check(target, data.get("version"))
        before = snapshot(target, CRITERION_FIELDS) if criterion else {}
        for name in CRITERION_FIELDS:
            if name == "minimum" and name in data:
                target.minimum = data[name]
            elif name in data and data[name] is not None:
                setattr(target, name, data[name])
        target.save()
        after = snapshot(target, CRITERION_FIELDS)
        changes = diff(before, after) if criterion else created(after)
        if changes:
            record(actor, "criterion.update" if criterion else "criterion.create", target, changes)
    return target


def delete_criterion(actor: User, criterion: Criterion) -> None:
    _check(actor, criterion.opportunity)
    with transaction.atomic():
        record(actor, "criterion.delete", criterion, deleted(snapshot(criterion, CRITERION_FIELDS)))
        criterion.delete()


def library_entry(library_id: str) -> LibraryCriterion:
    """A library entry by id; ``ValidationError`` on the ``entry`` field for an unknown one."""
    try:
        return core_library_criterion(library_id)
    except ScoringError:
        raise ValidationError({"entry": ["Choose a criterion from the library"]}) from None


def picked_library_ids(opportunity: Opportunity) -> set[str]:
    return set(opportunity.criteria.exclude(library_id="").values_list("library_id", flat=True))


def add_from_library(
    actor: User,
    opportunity: Opportunity,
    library_id: str,
    weight: Decimal,
    minimum: int | None = None,
) -> Criterion:
    """Add a ready-made criterion (EVA-2, EVA-3) with the commissioner's weight and optional
    minimum: its name, kind and guidance for bidders come from the library."""
    _check(actor, opportunity)
    entry = library_entry(library_id)
    if library_id in picked_library_ids(opportunity):
        raise ValidationError({"entry": [f"“{entry.name}” is already one of the criteria"]})
    data = {
        "name": entry.name,
        "kind": entry.kind.value,
        "weight": weight,
        "guidance": entry.guidance_for_bidders,
        "minimum": minimum,
        "library_id": entry.id,
    }
    return save_criterion(actor, opportunity, data)


def set_price_method(
    actor: User, opportunity: Opportunity, method: str, version: str | None = None
) -> Opportunity:
    """Declare how price is scored (EVA-4); published with the criteria, so drafts only. A change
    to the opportunity saved since ``version`` raises ``StaleEdit`` (issue 13)."""
    _check(actor, opportunity)
    if method not in PriceMethodChoice.values:
        raise ValidationError({"price_method": ["Select how price is scored"]})
    with transaction.atomic():
        lock_and_check(opportunity, version)
        before = snapshot(opportunity, ["price_method"])
        opportunity.price_method = method
        opportunity.save(update_fields=["price_method"])
        changes = diff(before, snapshot(opportunity, ["price_method"]))
        if changes:
            record(actor, "opportunity.price_method", opportunity, changes)
    return opportunity


PRICE_METHOD_SENTENCES: dict[str, str] = {
    PriceMethodChoice.RELATIVE_TO_LOWEST: (
        "Price is scored relative to the lowest price: each bid scores the price weight × the "
        "lowest price ÷ its price."
    ),
    PriceMethodChoice.PRICE_PER_QUALITY_POINT: (
        "Price is scored by price per quality point: each bid's price is divided by its "
        "weighted quality score, and it scores the price weight × the lowest price per point ÷ "
        "its price per point."
    ),
}
"""The published sentence for each price method (EVA-4). Prices are compared after the
level-playing-field adjustment: public-sector bids add the costs they do not bear."""


def price_method_sentence(opportunity: Opportunity) -> str:
    sentence = PRICE_METHOD_SENTENCES.get(opportunity.price_method, "")
    return (
        f"{sentence} Prices are compared after the level-playing-field adjustment: public-sector "
        "bids add the costs they do not bear."
    )
