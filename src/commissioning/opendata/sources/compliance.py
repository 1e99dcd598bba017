"""Each commissioning body's ended six-month reporting periods as its UK17 payments compliance
releases (LAW-3). A UK17 is computed from the recorded invoices
(:mod:`commissioning.invoices.compliance`) once its period has ended, dated the first morning
after it (09:00 London): the Act's figures for a period are final when it ends.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from commissioning.directory.models import Organisation
from commissioning.invoices import compliance
from commissioning.opendata.ocds.common import JsonDict
from commissioning.opendata.ocds.compliance import build_payments_compliance
from commissioning.opendata.ocds.data import (
    Notice,
    PaymentsCompliance,
    Period,
)
from commissioning.opendata.sources.common import (
    day_end,
    day_start,
    ocid_prefix,
    organisation_party,
)
from commissioning_analytics.timelines.working_days import LONDON

ONE_DECIMAL = Decimal("0.1")


def _percent(share: float | None) -> Decimal | None:
    if share is None:
        return None
    return (Decimal(str(share)) * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _days(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def compliance_releases(body: Organisation, site: str, today: date) -> list[JsonDict]:
    """The UK17 release of each ended reporting period of the body's payments to its primes,
    oldest first (none for a period under way)."""
    buyer = organisation_party(body, "buyer")
    page = site.rstrip("/") + f"/payments-compliance/{body.slug}/"
    out = []
    for figures in reversed(compliance.body_compliance(body, today)):
        if not figures.complete:
            continue
        period = figures.period
        found = figures.figures
        bands = found.share_paid_by_band if found else None
        data = PaymentsCompliance(
            reference=body.slug,
            buyer=buyer,
            period=Period(day_start(period.first_day), day_end(period.last_day)),
            invoices_paid=found.invoices_paid if found else 0,
            average_days_to_pay=_days(found.average_days_to_pay if found else None),
            paid_in_1_to_30_days=_percent(bands[0] if bands else None),
            paid_in_31_to_60_days=_percent(bands[1] if bands else None),
            paid_in_61_days_or_more=_percent(bands[2] if bands else None),
            invoices_fell_due=found.invoices_became_payable if found else 0,
            due_but_unpaid=_percent(found.share_due_unpaid if found else None),
            notice=Notice(
                published=datetime.combine(period.last_day + timedelta(days=1), time(9), LONDON),
                url=page,
            ),
        )
        out.append(build_payments_compliance(data, prefix=ocid_prefix()))
    return out


def bodies() -> QuerySet[Organisation]:
    """The commissioning bodies with payments compliance figures, by name."""
    return compliance.bodies_with_figures()
