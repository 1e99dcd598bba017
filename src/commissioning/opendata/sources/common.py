"""What every source shares: the ocid prefix, organisations as parties, lots and a contract's
term and value, read from the platform's records (LAW-2, PRO-9)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from commissioning.contracts.models import Contract
from commissioning.invoices.models import PaymentNotice
from commissioning.opendata.ocds.common import DEFAULT_OCID_PREFIX
from commissioning.opendata.ocds.data import Party, Period
from commissioning_analytics.timelines.working_days import LONDON

#: Procurement Act 2023 s.123: an SME has a turnover of no more than £44m (staff not recorded).
SME_TURNOVER_LIMIT = Decimal("44000000")
VCSE_TYPES = frozenset({"vcs_charity", "social_enterprise"})


def ocid_prefix() -> str:
    return str(getattr(settings, "OCDS_OCID_PREFIX", DEFAULT_OCID_PREFIX))


def organisation_party(organisation: Any, *roles: str, supplier: bool = False) -> Party:
    """A directory organisation as a party; suppliers carry scale and VCSE status (LAW-2)."""
    scheme, ident = None, None
    if organisation.charity_number:
        scheme, ident = "GB-CHC", organisation.charity_number
    elif organisation.company_number:
        scheme, ident = "GB-COH", organisation.company_number
    party_id = f"{scheme}-{ident}" if scheme else f"commissioning-org-{organisation.slug}"
    scale: Any = None
    vcse = None
    if supplier and organisation.org_type != "public_sector":
        scale = "sme" if organisation.annual_income <= SME_TURNOVER_LIMIT else "large"
        vcse = organisation.org_type in VCSE_TYPES
    return Party(
        id=party_id,
        name=organisation.name,
        roles=roles,
        identifier_scheme=scheme,
        identifier_id=ident,
        scale=scale,
        vcse=vcse,
    )


def payment_notices(path: str = "payment_notices") -> Prefetch:
    """A contract's published payment notices (UK8) with their payments, oldest first."""
    notices = PaymentNotice.objects.order_by("quarter_start").prefetch_related("payments")
    return Prefetch(path, queryset=notices)


def lot_id(lot: Any) -> str:
    return str(lot.number)


def lot_value(lot: Any) -> Decimal:
    """The lot's whole-life value: annual value x duration."""
    value = lot.estimated_annual_value * Decimal(lot.duration_months) / Decimal(12)
    return value.quantize(Decimal("0.01"))


def is_divided(opportunity: Any, lots: list[Any]) -> bool:
    """A single lot with a recorded rationale is published as not divided into lots."""
    return not (len(lots) == 1 and opportunity.not_divided_rationale.strip())


def years(contract: Contract) -> Decimal:
    """The contract's term in years: whole months over 12, else days over 365.25."""
    end = contract.end_date + timedelta(days=1)
    start = contract.start_date
    if end.day == start.day:
        months = (end.year - start.year) * 12 + end.month - start.month
        return Decimal(months) / Decimal(12)
    return Decimal((end - start).days) / Decimal("365.25")


def whole_value(contract: Contract) -> Decimal:
    """The contract's whole-life value as published: annual value x term."""
    return (contract.annual_value * years(contract)).quantize(Decimal("0.01"))


def day_start(day: date) -> datetime:
    """The first moment of ``day``, London time."""
    return datetime.combine(day, time(0, 0), LONDON)


def day_end(day: date) -> datetime:
    """The last second of ``day``, London time."""
    return datetime.combine(day, time(23, 59, 59), LONDON)


def contract_period(contract: Contract) -> Period:
    """From the first moment of its start date to the last of its end date, London time."""
    return Period(day_start(contract.start_date), day_end(contract.end_date))
