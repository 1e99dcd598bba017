"""The figures for KPIs measured from the referrals and invoices recorded on the platform
(LAW-4; issue 15 item 1), registered with :mod:`commissioning.contracts.performance_sources`
when the app starts: contracts sits below referrals and invoices in the layers (ADR 0010).

Each is over the period an assessment covers, first and last days inclusive. A referral is
counted on the day it completed. Sub-contractors' invoices are counted on the day they were
paid, from the day they were received (or, for one disputed, the day its dispute was resolved;
one still disputed is left out), as the prompt-payment figures count them."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from commissioning.contracts import performance_sources
from commissioning.contracts.models import Contract, Kpi
from commissioning.invoices import compliance as invoice_compliance
from commissioning.invoices.models import Invoice
from commissioning.kernel.text import counted
from commissioning.referrals import queries as referral_queries
from commissioning.referrals.lifecycle import Status

#: An invoice paid within this many days of its receipt counts as paid within 30 days.
PROMPT_DAYS = 30
#: Days and percentages to a tenth, half up.
TENTH = Decimal("0.1")


def referrals_completed(contract: Contract, first: date, last: date) -> str | None:
    """How many referrals under ``contract`` completed from ``first`` to ``last``."""
    by_party = referral_queries.steps_by_party(contract, first, last, (Status.COMPLETED,))
    done = sum(steps.get(Status.COMPLETED, 0) for steps in by_party.values())
    return f"{counted(done, 'referral')} completed"


def _days_to_pay(contract: Contract, first: date, last: date) -> list[int]:
    records = invoice_compliance.core_invoices(
        Invoice.objects.filter(contract=contract, tier=Invoice.Tier.SUBCONTRACTOR)
    )
    return [
        (record.paid - record.received).days
        for record in records
        if record.paid is not None and first <= record.paid <= last
    ]


def average_days_to_pay(contract: Contract, first: date, last: date) -> str | None:
    """The average days the prime took to pay the sub-contractors' invoices it paid in the
    period; ``None`` when it paid none."""
    days = _days_to_pay(contract, first, last)
    if not days:
        return None
    average = (Decimal(sum(days)) / len(days)).quantize(TENTH, ROUND_HALF_UP)
    return f"{average.normalize():f} days on average, {counted(len(days), 'invoice')} paid"


def paid_within_30_days(contract: Contract, first: date, last: date) -> str | None:
    """The share of the sub-contractors' invoices paid in the period that were paid within 30
    days of their receipt; ``None`` when none was paid."""
    days = _days_to_pay(contract, first, last)
    if not days:
        return None
    prompt = sum(1 for d in days if d <= PROMPT_DAYS)
    share = (Decimal(prompt) * 100 / len(days)).quantize(TENTH, ROUND_HALF_UP)
    return f"{share.normalize():f}% ({prompt} of {counted(len(days), 'invoice')})"


def register() -> None:
    performance_sources.register(Kpi.DataSource.REFERRALS_COMPLETED, referrals_completed)
    performance_sources.register(Kpi.DataSource.PAYMENT_TIMES, average_days_to_pay)
    performance_sources.register(Kpi.DataSource.PAID_WITHIN_30_DAYS, paid_within_30_days)
