"""Outcome and volume payments attributed to the organisation whose participants earned them
(PBR-4, PBR-6).

A sub-contractor whose terms give an ``attributed_…_share`` is passed that share of the part of
each payment its own participants earned, not a share of everything the prime receives. The
part is found from the observed data's breakdown by delivering organisation: a volume's
``delivered_by`` (the referral records supply it for the events they count), an outcome
result's ``by_party``. Each payment line is split in proportion to the parties' parts:

- a volume fee by the events each party delivered;
- an outcome payment per person achieving by the tariffs of each party's people achieving it
  (exactly what they earned when no floor or cap changed the payment);
- an outcome payment per unit of improvement by each party's own units of improvement (a party
  whose participants did worse than the reference earns no part, and takes nothing away);
- a fixed outcome payment by each party's share of the cohort.

A payment with no breakdown is not attributed: the statement says so in a note, rather than
guessing (:func:`commissioning_analytics.payments.chain.pass_down`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commissioning_analytics.payments.measures import units_improved
from commissioning_analytics.payments.model import Measure, OutcomePayment
from commissioning_analytics.payments.money import ZERO, pounds
from commissioning_analytics.payments.observed import OutcomeResult, Volume


@dataclass(frozen=True, slots=True)
class Attribution:
    """How one payment line splits between the parties that delivered it: each party's part,
    a fraction of the line (unrounded; the parts add up to 1), and how it was found."""

    parts: dict[str, Decimal]
    how: dict[str, str]


def of_volume(volume: Volume) -> Attribution | None:
    """A volume fee line split by the events each party delivered; ``None`` without a
    breakdown."""
    if not volume.delivered_by or not volume.count:
        return None
    parts = {
        party: Decimal(count) / volume.count
        for party, count in volume.delivered_by.items()
        if count
    }
    how = {
        party: f"{count} of the {volume.count} {volume.event}"
        for party, count in volume.delivered_by.items()
        if count
    }
    return Attribution(parts, how)


def of_outcome(
    rule: OutcomePayment, measure: Measure, result: OutcomeResult, year: int
) -> Attribution | None:
    """An outcome payment line split by each party's part of ``result`` (see the module's
    docstring); ``None`` without a breakdown."""
    if not result.by_party:
        return None
    weights: dict[str, Decimal] = {}
    how: dict[str, str] = {}
    for party, part in result.by_party.items():
        if rule.basis == "per_person_achieving":
            weights[party] = sum(
                (rule.tariff_for(g, year) * n for g, n in part.achieved.items()), ZERO
            )
            people = sum(part.achieved.values())
            total = sum(result.achieved.values())
            how[party] = f"{people} of the {total} people achieving it, {pounds(weights[party])}"
        elif rule.basis == "per_unit_improvement":
            weights[party] = max(units_improved(measure, part), ZERO)
            units = f"{weights[party].normalize():f}"
            how[party] = f"{units} units of improvement in a cohort of {part.cohort_size}"
        else:
            weights[party] = Decimal(part.cohort_size)
            how[party] = f"{part.cohort_size} of the cohort of {result.cohort_size}"
    total_weight = sum(weights.values(), ZERO)
    if total_weight <= 0:
        return Attribution({}, how)
    parts = {party: weight / total_weight for party, weight in weights.items() if weight > 0}
    return Attribution(parts, how)
