"""The plain records the stewardship figures are computed from (MKT-1, MKT-2, EQU-3): providers,
contracts and the money each provider received from each contract in each year."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

PENNY = Decimal("0.01")


class Source(StrEnum):
    """Where a year's money came from: payments recorded against invoices, or (for a contract
    with no payment recorded yet) its annual value for the part of the year it ran."""

    PAID = "paid"
    CONTRACT_VALUE = "contract_value"


@dataclass(frozen=True)
class Provider:
    id: int
    name: str
    slug: str
    size_band: str
    annual_income: Decimal
    reserves_months: Decimal
    bame_led: bool = False
    women_led: bool = False
    lived_experience_led: bool = False
    user_led: bool = False
    is_prime: bool = False
    stopped_operating_on: date | None = None
    area_ids: frozenset[int] = field(default_factory=frozenset)
    specialism_ids: frozenset[int] = field(default_factory=frozenset)
    cohort_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_specialist(self) -> bool:
        """Led by women, by BAME people or by people with lived experience (seed 003 §14.3)."""
        return self.bame_led or self.women_led or self.lived_experience_led


@dataclass(frozen=True)
class ContractRecord:
    id: int
    reference: str
    prime_id: int
    start_date: date
    end_date: date
    annual_value: Decimal
    area_ids: frozenset[int] = field(default_factory=frozenset)
    specialism_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Flow:
    """Money ``provider_id`` received from ``contract_id`` in calendar ``year``."""

    provider_id: int
    contract_id: int
    year: int
    amount: Decimal
    source: Source


def contract_value_by_year(contract: ContractRecord, until: date) -> dict[int, Decimal]:
    """A contract's annual value spread over the days it ran in each calendar year, up to
    ``until``: what its prime is taken to have received where no payment is recorded."""
    last = min(contract.end_date, until)
    years: dict[int, Decimal] = {}
    for year in range(contract.start_date.year, last.year + 1):
        first_day = max(contract.start_date, date(year, 1, 1))
        last_day = min(last, date(year, 12, 31))
        if last_day < first_day:
            continue
        days_in_year = (date(year, 12, 31) - date(year, 1, 1)).days + 1
        days = (last_day - first_day).days + 1
        amount = contract.annual_value * days / days_in_year
        years[year] = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    return years


def flows_with_contract_values(
    paid: Iterable[Flow], contracts: Iterable[ContractRecord], until: date
) -> list[Flow]:
    """The recorded payments, plus each contract with none recorded at its contract value
    (:func:`contract_value_by_year`), marked as such."""
    flows = list(paid)
    with_payments = {flow.contract_id for flow in flows}
    for contract in contracts:
        if contract.id in with_payments:
            continue
        for year, amount in contract_value_by_year(contract, until).items():
            if amount > 0:
                flows.append(
                    Flow(contract.prime_id, contract.id, year, amount, Source.CONTRACT_VALUE)
                )
    return flows
