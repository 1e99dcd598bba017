"""Synthetic KPIs, assessments, a performance failure, a change and the contracts' states for
the demo contracts (issue 15; LAW-1 UK9, UK10, UK11; LAW-4), labelled synthetic.

Every demo contract gets 3 or more KPIs (so every contract details notice is published). The
first is active, with an assessment rating its KPIs Good, Approaching target, Requires
improvement, Inadequate and Other, and a performance failure with a contracted penalty; the
second was terminated early; the third was changed (its term shortened by agreement) and then
ended. A contract made from an award in the procurement demo is the mobilising one
(:mod:`commissioning.contracts.lifecycle`). Run after the referrals, invoices and escalations,
which are made for contracts in force.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction

from commissioning.contracts import lifecycle
from commissioning.contracts.models import (
    Contract,
    ContractChange,
    Kpi,
    KpiAssessment,
    KpiRating,
    PerformanceFailure,
)
from commissioning_analytics.timelines.working_days import LONDON

SYNTHETIC = "Synthetic demo data."

#: (name, measure, target, frequency, data source)
DEMO_KPIS = (
    (
        "Referrals seen within 5 working days",
        "Share of referrals first seen within 5 working days of the referral.",
        "90%",
        Kpi.Frequency.QUARTERLY,
        Kpi.DataSource.REFERRALS_COMPLETED,
    ),
    (
        "Referrals completed",
        "Share of people referred who complete the intervention.",
        "70%",
        Kpi.Frequency.QUARTERLY,
        Kpi.DataSource.REFERRALS_COMPLETED,
    ),
    (
        "Sub-contractors paid on time",
        "Share of sub-contractors' undisputed invoices paid within 30 days.",
        "95%",
        Kpi.Frequency.QUARTERLY,
        Kpi.DataSource.PAID_WITHIN_30_DAYS,
    ),
    (
        "Settled accommodation at 12 weeks",
        "Share of people released who are in settled accommodation 12 weeks later.",
        "60%",
        Kpi.Frequency.SIX_MONTHLY,
        Kpi.DataSource.OUTCOMES,
    ),
    (
        "Service user involvement",
        "Service user panels held, from the prime's monitoring return.",
        "4 a year",
        Kpi.Frequency.ANNUALLY,
        Kpi.DataSource.PROVIDER_RETURN,
    ),
)
RESULTS = (
    (KpiRating.Rating.GOOD, "93%"),
    (KpiRating.Rating.APPROACHING, "66%"),
    (KpiRating.Rating.REQUIRES_IMPROVEMENT, "81%"),
    (KpiRating.Rating.INADEQUATE, "38%"),
    (KpiRating.Rating.OTHER, "Not yet measurable: first panel in the next year"),
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), LONDON)


def _kpis(contract: Contract, count: int) -> list[Kpi]:
    return [
        Kpi.objects.create(
            contract=contract,
            name=name,
            measure=f"{measure} {SYNTHETIC}",
            target=target,
            frequency=frequency,
            data_source=source,
        )
        for name, measure, target, frequency, source in DEMO_KPIS[:count]
    ]


def _assessed(contract: Contract, kpis: list[Kpi]) -> None:
    start = contract.start_date
    end = date(start.year + 1, start.month, start.day) if start.month != 2 else start
    end = end.replace(day=1) if end.day != 1 else end
    period_end = date.fromordinal(end.toordinal() - 1)
    assessment = KpiAssessment.objects.create(
        contract=contract,
        period_start=start,
        period_end=period_end,
        recorded_at=_at(date.fromordinal(period_end.toordinal() + 30)),
    )
    KpiRating.objects.bulk_create(
        KpiRating(
            assessment=assessment,
            kpi=kpi,
            rating=rating,
            result=result,
            comment=SYNTHETIC,
        )
        for kpi, (rating, result) in zip(kpis, RESULTS, strict=True)
    )
    decided = date.fromordinal(period_end.toordinal() + 10)
    PerformanceFailure.objects.create(
        contract=contract,
        requirement="Settled accommodation at 12 weeks for at least 60% of people released.",
        description=f"38% over the year; the improvement plan was not met. {SYNTHETIC}",
        decided_on=decided,
        penalty_type=PerformanceFailure.PenaltyType.CONTRACTED,
        penalty_value=Decimal("25000.00"),
        recorded_at=_at(decided),
    )


def load_demo_performance(contracts: list[Contract]) -> dict[str, int]:
    """KPIs for every demo contract, and the first three's assessment, termination, change and
    ending (see the module docstring); returns counts."""
    with transaction.atomic():
        ordered = sorted(contracts, key=lambda c: c.reference)
        made = {"kpis": 0, "assessments": 0, "changes": 0}
        for number, contract in enumerate(ordered):
            kpis = _kpis(contract, 5 if number == 0 else 3)
            made["kpis"] += len(kpis)
            if number == 0:
                _assessed(contract, kpis)
                made["assessments"] += 1
            elif number == 1:
                terminated = date(contract.start_date.year + 1, 3, 31)
                Contract.objects.filter(pk=contract.pk).update(
                    ended_on=terminated,
                    end_recorded_at=_at(terminated, 16),
                    termination_reason="The outcome payer withdrew its funding after the "
                    f"first year. {SYNTHETIC}",
                )
                lifecycle.seed_status(contract, Contract.Status.TERMINATED)
            elif number == 2:
                new_end = date(contract.start_date.year + 1, 5, 31)
                ContractChange.objects.create(
                    contract=contract,
                    kind=ContractChange.Kind.TERM,
                    description=f"The term ends on {new_end.day} {new_end:%B %Y}. {SYNTHETIC}",
                    reason="The programme closed early by agreement when the national "
                    f"scheme replaced it. {SYNTHETIC}",
                    previous_annual_value=contract.annual_value,
                    previous_end_date=contract.end_date,
                    new_end_date=new_end,
                    recorded_at=_at(date(new_end.year, 3, 2)),
                )
                Contract.objects.filter(pk=contract.pk).update(
                    end_date=new_end, ended_on=new_end, end_recorded_at=_at(new_end, 17)
                )
                lifecycle.seed_status(contract, Contract.Status.ENDED)
                made["changes"] += 1
        return made
