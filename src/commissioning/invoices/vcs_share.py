"""The share of front-line delivery money reaching voluntary and community organisations
(SUP-6), computed by the core (:mod:`commissioning_analytics.chain.vcs_share`) from the payments
recorded under every contract: the bodies' payments to primes and the primes' to their
sub-contractors, by calendar quarter of the day paid.

Voluntary and community organisations are those the directory records as a voluntary or
community sector charity or a social enterprise (the VCSE of the Procurement Act's notices);
private companies and public sector bodies are not. A contract's areas are the police force
areas of the lot it was let for (docs/invoices.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commissioning.directory.models import Area, Organisation
from commissioning.invoices.models import Invoice, Payment
from commissioning.invoices.payment_notices import Quarter
from commissioning_analytics.chain.vcs_share import NATIONAL, ChainPayment, VcsShare, vcs_shares

VCS_TYPES = (Organisation.OrgType.VCS_CHARITY, Organisation.OrgType.SOCIAL_ENTERPRISE)
NATIONAL_NAME = "England and Wales"


@dataclass(frozen=True)
class ShareRow:
    """One quarter and area, as the page, the CSV and the API give it."""

    quarter: str
    quarter_start: date
    area: str
    delivery_money: Decimal
    vcs_money: Decimal
    share: Decimal | None
    organisations: int
    vcs_organisations: int


def _areas(contract_ids: set[int]) -> dict[str, tuple[str, ...]]:
    rows = Area.objects.filter(
        kind=Area.Kind.POLICE_FORCE_AREA, lots__contracts__in=contract_ids
    ).values_list("lots__contracts", "name")
    out: dict[str, list[str]] = defaultdict(list)
    for contract_id, name in rows:
        out[str(contract_id)].append(name)
    return {key: tuple(sorted(set(names))) for key, names in out.items()}


def shares() -> list[ShareRow]:
    """Every quarter with payments, newest first; nationally first, then each area by name."""
    rows = Payment.objects.values_list(
        "invoice__contract_id",
        "invoice__issuer_id",
        "invoice__issuer__org_type",
        "invoice__tier",
        "invoice__contract__prime_id",
        "paid_on",
        "amount",
    )
    payments = [
        ChainPayment(
            contract=str(contract),
            payee=str(issuer),
            payee_is_vcs=org_type in VCS_TYPES,
            to_prime=tier == Invoice.Tier.PRIME,
            prime=str(prime),
            paid_on=paid_on,
            amount=amount,
        )
        for contract, issuer, org_type, tier, prime, paid_on, amount in rows
    ]
    figures = vcs_shares(payments, _areas({int(p.contract) for p in payments}))
    return [_row(f) for f in sorted(figures, key=lambda f: f.quarter_start, reverse=True)]


def _row(figures: VcsShare) -> ShareRow:
    return ShareRow(
        quarter=Quarter.containing(figures.quarter_start).label,
        quarter_start=figures.quarter_start,
        area=NATIONAL_NAME if figures.area == NATIONAL else figures.area,
        delivery_money=figures.delivery_money,
        vcs_money=figures.vcs_money,
        share=figures.share,
        organisations=figures.organisations,
        vcs_organisations=figures.vcs_organisations,
    )
