"""Payments compliance from the recorded invoices (LAW-3, UK17), computed by the core's
:func:`~commissioning_analytics.cashflow.prompt_payment.payments_compliance`.

For each commissioning body, every six-month reporting period, the Procurement Act figures for
its payments of the primes' invoices; and beyond the Act, for each contract, the same figures for
the prime's payments to its sub-contractors, each sub-contractor's compared with its terms.

What counts (docs/invoices.md): an invoice counts from the day it was received, or after a
dispute from the day the dispute was resolved (a payer owes a valid, undisputed invoice); an
invoice still disputed is left out; it is paid on the day the payments reach its amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.invoices.models import Invoice
from commissioning_analytics.cashflow.prompt_payment import (
    AgainstTerms,
    PaymentsCompliance,
    ReportingPeriod,
    payments_against_terms,
    payments_compliance,
)
from commissioning_analytics.cashflow.prompt_payment import Invoice as CoreInvoice

FIELDS = (
    "pk",
    "payer_id",
    "issuer_party",
    "received_on",
    "resolved_on",
    "due_on",
    "amount",
    "paid_on",
)


def core_invoices(invoices: QuerySet[Invoice]) -> list[CoreInvoice]:
    """The invoices the figures are computed from, as the core's records (payer: the paying
    organisation's id; payee: the issuing party's id in the mechanism). Disputed ones are out."""
    rows = invoices.exclude(status=Invoice.Status.DISPUTED).values_list(*FIELDS)
    return [
        CoreInvoice(
            reference=str(pk),
            payer=str(payer),
            payee=party,
            received=resolved or received,
            due=due,
            amount=amount,
            paid=paid,
        )
        for pk, payer, party, received, resolved, due, amount, paid in rows
    ]


def reporting_periods(invoices: Iterable[CoreInvoice], today: date) -> list[ReportingPeriod]:
    """The six-month periods from the first invoice received to the one holding ``today``,
    newest first (none without invoices)."""
    invoices = list(invoices)
    if not invoices:
        return []
    current = ReportingPeriod.containing(min(i.received for i in invoices))
    last = ReportingPeriod.containing(today)
    periods = []
    while current.first_day <= last.first_day:
        periods.append(current)
        current = ReportingPeriod.containing(current.last_day + timedelta(days=1))
    return periods[::-1]


@dataclass(frozen=True)
class PeriodFigures:
    period: ReportingPeriod
    figures: PaymentsCompliance | None
    complete: bool
    """The period has ended: its figures are final (those of the period under way may change)."""
    against_terms: tuple[AgainstTerms, ...] = ()


def _so_far(period: ReportingPeriod, today: date) -> ReportingPeriod:
    """The part of ``period`` up to ``today``: an invoice of the period under way that is not
    yet due is not counted as unpaid."""
    return ReportingPeriod(period.first_day, min(period.last_day, today))


def body_compliance(body: Organisation, today: date | None = None) -> list[PeriodFigures]:
    """A commissioning body's figures for its payments to primes, per period, newest first."""
    today = today or timezone.localdate()
    records = core_invoices(Invoice.objects.filter(payer=body, tier=Invoice.Tier.PRIME))
    return [
        PeriodFigures(
            period,
            payments_compliance(records, _so_far(period, today)).get(str(body.pk)),
            period.last_day < today,
        )
        for period in reporting_periods(records, today)
    ]


def chain_compliance(contract: Contract, today: date | None = None) -> list[PeriodFigures]:
    """The prime's figures for its payments to the contract's sub-contractors, per period
    newest first, each sub-contractor's compared with its terms."""
    today = today or timezone.localdate()
    records = core_invoices(
        Invoice.objects.filter(contract=contract, tier=Invoice.Tier.SUBCONTRACTOR)
    )
    return [
        PeriodFigures(
            period,
            payments_compliance(records, _so_far(period, today)).get(str(contract.prime_id)),
            period.last_day < today,
            tuple(payments_against_terms(records, _so_far(period, today)).values()),
        )
        for period in reporting_periods(records, today)
    ]


def bodies_with_figures() -> QuerySet[Organisation]:
    """The commissioning bodies that have been invoiced by a prime, by name."""
    return (
        Organisation.objects.filter(
            Q(invoices_received__tier=Invoice.Tier.PRIME), is_commissioning_body=True
        )
        .distinct()
        .order_by("name")
    )


def bodies_figures(period: ReportingPeriod) -> dict[Organisation, PaymentsCompliance]:
    """Every commissioning body's figures for its payments to primes in one reporting period
    (LAW-3, UK17: the half-year a payments compliance notice is drafted for), from one query of
    only the invoices that count in it: those paid, or falling due, within the period."""
    relevant = Invoice.objects.filter(tier=Invoice.Tier.PRIME).filter(
        Q(paid_on__range=(period.first_day, period.last_day))
        | Q(due_on__range=(period.first_day, period.last_day))
    )
    figures = payments_compliance(core_invoices(relevant), period)
    bodies = Organisation.objects.in_bulk([int(payer) for payer in figures])
    return {bodies[int(payer)]: result for payer, result in figures.items()}
