"""The records the stewardship figures are computed from (MKT-1, MKT-2, EQU-3), read in a few
queries into the core's plain dataclasses, and the key that changes whenever any of them does.

Money is what each provider kept from each contract each calendar year: payments recorded
against the invoices it issued, less payments it made on the same contract to its
sub-contractors. A contract with no payment recorded counts at its annual value, spread over the
days it ran, as received by its prime; the pages say which years rest on which."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from commissioning.contracts.models import Contract
from commissioning.directory.models import Area, Organisation
from commissioning.invoices.models import Invoice, Payment
from commissioning.kernel.pagecache import data_version
from commissioning.procurement.models import Lot
from commissioning_analytics.stewardship.records import (
    PENNY,
    ContractRecord,
    Flow,
    Provider,
    Source,
    flows_with_contract_values,
)


@dataclass(frozen=True)
class Records:
    providers: list[Provider]
    contracts: list[ContractRecord]
    flows: list[Flow]


def _links(through: type, owner: str, target: str) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for owner_id, target_id in through.objects.values_list(owner, target):  # type: ignore[attr-defined]
        found[owner_id].add(target_id)
    return {key: frozenset(value) for key, value in found.items()}


def providers() -> list[Provider]:
    """Every organisation that is not a commissioning body, with its areas, specialisms and
    cohorts."""
    areas = _links(Organisation.areas.through, "organisation_id", "area_id")
    specialisms = _links(Organisation.specialisms.through, "organisation_id", "specialism_id")
    cohorts = _links(Organisation.cohorts.through, "organisation_id", "cohort_id")
    empty: frozenset[int] = frozenset()
    rows = Organisation.objects.filter(is_commissioning_body=False).values_list(
        "pk",
        "name",
        "slug",
        "size_band",
        "annual_income",
        "reserves_months",
        "bame_led",
        "women_led",
        "lived_experience_led",
        "user_led",
        "is_prime",
        "stopped_operating_on",
    )
    return [
        Provider(
            id=pk,
            name=name,
            slug=slug,
            size_band=size,
            annual_income=income,
            reserves_months=reserves,
            bame_led=bame,
            women_led=women,
            lived_experience_led=lived,
            user_led=user,
            is_prime=prime,
            stopped_operating_on=stopped,
            area_ids=areas.get(pk, empty),
            specialism_ids=specialisms.get(pk, empty),
            cohort_ids=cohorts.get(pk, empty),
        )
        for (
            pk,
            name,
            slug,
            size,
            income,
            reserves,
            bame,
            women,
            lived,
            user,
            prime,
            stopped,
        ) in rows
    ]


def contracts() -> list[ContractRecord]:
    """Every contract, with its lot's areas and specialisms."""
    lot_areas = _links(Lot.areas.through, "lot_id", "area_id")
    lot_specialisms = _links(Lot.specialisms.through, "lot_id", "specialism_id")
    empty: frozenset[int] = frozenset()
    return [
        ContractRecord(
            id=pk,
            reference=reference,
            prime_id=prime_id,
            start_date=start,
            end_date=ended_on or end,
            annual_value=value,
            area_ids=lot_areas.get(lot_id, empty),
            specialism_ids=lot_specialisms.get(lot_id, empty),
        )
        for pk, reference, prime_id, start, end, ended_on, value, lot_id in (
            Contract.objects.values_list(
                "pk",
                "reference",
                "prime_id",
                "start_date",
                "end_date",
                "ended_on",
                "annual_value",
                "lot_id",
            )
        )
    ]


def paid_flows() -> list[Flow]:
    """The payments recorded, by the organisation paid, contract and year; what a prime paid on
    to its sub-contractors counts against it, so each pound is counted once, with whoever kept
    it."""
    rows = (
        Payment.objects.annotate(year=ExtractYear("paid_on"))
        .values(
            "invoice__contract_id",
            "invoice__issuer_id",
            "invoice__payer_id",
            "invoice__tier",
            "year",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    kept: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    for row in rows:
        contract_id, year, total = row["invoice__contract_id"], row["year"], row["total"]
        kept[(row["invoice__issuer_id"], contract_id, year)] += total
        if row["invoice__tier"] == Invoice.Tier.SUBCONTRACTOR:
            kept[(row["invoice__payer_id"], contract_id, year)] -= total
    return [
        Flow(provider_id, contract_id, year, amount.quantize(PENNY), Source.PAID)
        for (provider_id, contract_id, year), amount in sorted(kept.items())
    ]


def records(today: date) -> Records:
    """Everything the stewardship pages compute from, as of ``today``."""
    found_contracts = contracts()
    return Records(
        providers=providers(),
        contracts=found_contracts,
        flows=flows_with_contract_values(paid_flows(), found_contracts, until=today),
    )


def area_descendants() -> dict[int, frozenset[int]]:
    """Each area and the areas within it (a region's police force areas, every area for
    England and Wales)."""
    parent_of: dict[int, int | None] = dict(Area.objects.values_list("pk", "parent_id"))
    national = set(Area.objects.filter(kind=Area.Kind.NATIONAL).values_list("pk", flat=True))
    within: dict[int, set[int]] = {pk: {pk} for pk in parent_of}
    for pk, parent_id in parent_of.items():
        above: int | None = parent_id
        while above is not None:
            within[above].add(pk)
            above = parent_of.get(above)
    for pk in national:
        within[pk] = set(parent_of)
    return {pk: frozenset(ids) for pk, ids in within.items()}


SOURCE_APPS = ("contracts", "directory", "invoices", "procurement")
"""The apps whose records the figures are computed from."""

CACHE_SECONDS = 24 * 60 * 60
"""How long rendered stewardship pages are kept; their key changes with every record they are
computed from (:func:`version`), so this only bounds the memory of a page nobody reads."""


def version(today: date) -> str:
    """What changes when any record the figures depend on changes — the page cache's data
    version of :data:`SOURCE_APPS` (:mod:`commissioning.kernel.pagecache`: a token every write
    to them changes, so with a shared cache a signed-in visitor's page costs a cache read, not
    an aggregate over five years of payments) — and the day, as contract values run to today.
    Nothing about who asks is in it."""
    return hashlib.sha256(json.dumps([str(today), data_version(SOURCE_APPS)]).encode()).hexdigest()
