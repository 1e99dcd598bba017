"""A contract's KPIs, their assessments and its performance failures (LAW-4, LAW-1 UK9; issue
15). Each write is one audited transaction by the contract's commissioners; a rule broken gives a
``ValidationError`` by form field with nothing written, the same for the pages and the API.

KPIs are records: name, measure, target, how often assessed and the data source (which may be
the platform's own records: referrals completed, outcomes observed, payment times). Over £5m a
contract that is not light-touch publishes its contract details notice (UK7) only with at least
3; a light-touch contract with none says why (:mod:`commissioning.opendata.sources.contract`).
An assessment rates every KPI over a period of at most 12 months (and a final one at the end)
and is published as the contract performance notice (UK9).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.audit.versions import lock_and_check
from commissioning.contracts import access, performance_sources
from commissioning.contracts.models import (
    Contract,
    Kpi,
    KpiAssessment,
    KpiRating,
    PerformanceFailure,
)

KPI_FIELDS = ("name", "measure", "target", "frequency", "data_source")
#: The longest period one assessment covers: KPIs are assessed at least every 12 months.
MAX_ASSESSMENT_DAYS = 366


def _require(actor: User, contract: Contract) -> None:
    if not access.can_manage_performance(actor, contract):
        raise PermissionDenied(
            "Only the commissioning body's commissioners can manage this contract's performance."
        )


def _required_text(values: dict[str, str], messages: dict[str, str]) -> dict[str, str]:
    return {name: message for name, message in messages.items() if not values[name].strip()}


def save_kpi(
    actor: User,
    contract: Contract,
    *,
    name: str,
    measure: str,
    target: str,
    frequency: str,
    data_source: str,
    kpi: Kpi | None = None,
    version: str | None = None,
) -> Kpi:
    """Add a KPI to the contract, or edit ``kpi``; audited as a change to the KPI, so that its
    version moves on with its own edits only. An edit from ``version`` that someone else's
    change has overtaken raises ``StaleEdit`` and nothing is written (issue 13 item 4)."""
    _require(actor, contract)
    values = {"name": name, "measure": measure, "target": target}
    refused = _required_text(
        values,
        {
            "name": "Enter the KPI's name",
            "measure": "Enter what is measured and how",
            "target": "Enter the target",
        },
    )
    if frequency not in Kpi.Frequency.values:
        refused["frequency"] = "Select how often the KPI is assessed"
    if data_source not in Kpi.DataSource.values:
        refused["data_source"] = "Select where the figures come from"
    if kpi is not None and kpi.contract_id != contract.pk:
        raise PermissionDenied("That KPI belongs to another contract.")
    if refused:
        raise ValidationError(refused)
    with transaction.atomic():
        target_kpi = kpi or Kpi(contract=contract)
        lock_and_check(target_kpi, version)
        before = {f: str(getattr(target_kpi, f, "") or "") for f in KPI_FIELDS}
        target_kpi.name, target_kpi.measure, target_kpi.target = (
            name.strip(),
            measure.strip(),
            target.strip(),
        )
        target_kpi.frequency, target_kpi.data_source = frequency, data_source
        target_kpi.save()
        changes = {
            f: {"from": before[f], "to": getattr(target_kpi, f)}
            for f in KPI_FIELDS
            if kpi is None or before[f] != getattr(target_kpi, f)
        }
        record(actor, "contract.kpi_edit" if kpi else "contract.kpi_add", target_kpi, changes)
    return target_kpi


@dataclass(frozen=True)
class RatingInput:
    kpi_id: int
    rating: str
    result: str
    comment: str = ""


def record_assessment(
    actor: User,
    contract: Contract,
    *,
    period_start: date | None,
    period_end: date | None,
    ratings: list[RatingInput],
    is_final: bool = False,
    today: date | None = None,
) -> KpiAssessment:
    """Rate every KPI of the contract over a period of at most 12 months, ending no later than
    today; published as the contract performance notice (UK9). Audited, one transaction."""
    _require(actor, contract)
    today = today or timezone.localdate()
    kpis = {kpi.pk: kpi for kpi in contract.kpis.all()}
    refused: dict[str, str] = {}
    if not kpis:
        refused["ratings"] = "Add the contract's KPIs before assessing them"
    if period_start is None:
        refused["period_start"] = "Enter the start of the period assessed"
    if period_end is None:
        refused["period_end"] = "Enter the end of the period assessed"
    if period_start and period_end:
        if period_end < period_start:
            refused["period_end"] = "The end of the period must be after its start"
        elif (period_end - period_start).days > MAX_ASSESSMENT_DAYS:
            refused["period_end"] = "A period assessed can be at most 12 months"
        elif period_end > today:
            refused["period_end"] = "The end of the period assessed must be today or in the past"
        elif period_start < contract.start_date:
            refused["period_start"] = "The period assessed must start on or after the contract did"
    given = {r.kpi_id: r for r in ratings}
    if set(given) - set(kpis):
        raise PermissionDenied("A KPI rated belongs to another contract.")
    if "period_start" not in refused and "period_end" not in refused:
        given = _with_platform_figures(contract, given, period_start, period_end)
    for pk, kpi in kpis.items():
        entry = given.get(pk)
        if entry is None or entry.rating not in KpiRating.Rating.values:
            refused[f"rating_{pk}"] = f"Select a rating for {kpi.name}"
        elif not entry.result.strip():
            refused[f"result_{pk}"] = f"Enter the result for {kpi.name}"
    if refused:
        raise ValidationError(refused)
    assert period_start is not None and period_end is not None
    with transaction.atomic():
        assessment = KpiAssessment.objects.create(
            contract=contract,
            period_start=period_start,
            period_end=period_end,
            is_final=is_final,
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
        KpiRating.objects.bulk_create(
            KpiRating(
                assessment=assessment,
                kpi=kpis[pk],
                rating=given[pk].rating,
                result=given[pk].result.strip(),
                comment=given[pk].comment.strip(),
            )
            for pk in kpis
        )
        record(
            actor,
            "contract.kpi_assessment",
            contract,
            {
                "period": {"from": "", "to": f"{period_start} to {period_end}"},
                "ratings": {"from": "", "to": {kpis[pk].name: given[pk].rating for pk in kpis}},
            },
        )
    return assessment


def _with_platform_figures(
    contract: Contract, given: dict[int, RatingInput], first: date | None, last: date | None
) -> dict[int, RatingInput]:
    """A result left blank for a KPI measured from the platform's records is the figure the
    platform computed for the period (issue 15 item 1); the rating is still the assessor's."""
    if first is None or last is None or all(r.result.strip() for r in given.values()):
        return given
    figures = performance_sources.figures_for(contract, first, last)
    return {
        pk: replace(entry, result=figures.get(pk) or "") if not entry.result.strip() else entry
        for pk, entry in given.items()
    }


def default_period(contract: Contract, today: date | None = None) -> tuple[date, date] | None:
    """The period the next assessment most likely covers: from the day after the last one ended
    (or the contract's start) for at most 12 months, to today at the latest; ``None`` before the
    contract starts."""
    today = today or timezone.localdate()
    last = contract.assessments.order_by("period_end").last()
    first = last.period_end + timedelta(days=1) if last else contract.start_date
    end = min(today, contract.ended_on or contract.end_date, _year_after(first) - timedelta(1))
    return (first, end) if first <= end else None


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def record_failure(
    actor: User,
    contract: Contract,
    *,
    requirement: str,
    description: str,
    decided_on: date | None,
    penalty_type: str,
    penalty_value: Decimal | None = None,
    today: date | None = None,
) -> PerformanceFailure:
    """Record a breach or performance failure with how its penalty was decided; published in
    the contract performance notice. Audited, one transaction."""
    _require(actor, contract)
    today = today or timezone.localdate()
    values = {"requirement": requirement, "description": description}
    refused = _required_text(
        values,
        {
            "requirement": "Enter the requirement that was not met",
            "description": "Describe the failure",
        },
    )
    if decided_on is None:
        refused["decided_on"] = "Enter the date the failure was decided"
    elif decided_on > today:
        refused["decided_on"] = "The date the failure was decided must be today or in the past"
    if penalty_type not in PerformanceFailure.PenaltyType.values:
        refused["penalty_type"] = "Select how the penalty was decided"
    if penalty_value is not None and penalty_value < 0:
        refused["penalty_value"] = "The penalty value cannot be negative"
    if refused:
        raise ValidationError(refused)
    assert decided_on is not None
    with transaction.atomic():
        failure = PerformanceFailure.objects.create(
            contract=contract,
            requirement=requirement.strip(),
            description=description.strip(),
            decided_on=decided_on,
            penalty_type=penalty_type,
            penalty_value=penalty_value,
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
        record(
            actor,
            "contract.performance_failure",
            contract,
            {
                "requirement": {"from": "", "to": failure.requirement},
                "penalty_type": {"from": "", "to": penalty_type},
            },
        )
    return failure
