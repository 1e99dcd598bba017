"""The share of front-line delivery money that reaches voluntary and community organisations
(SUP-6), each quarter, by police force area and nationally, from the payments recorded down the
chain. Framework-free: no Django.

What reaches an organisation under a contract in a quarter: a sub-contractor, what the prime paid
it; the prime, what the commissioning body paid it less what it paid its sub-contractors under
the same contract (what it kept for its own delivery). The delivery money of a contract in a
quarter is therefore what the body paid the prime, and none of it is counted twice. A prime that
passes on in a quarter more than it was paid in it (paying for earlier work) keeps a negative
amount for that quarter; the total is still what the body paid.

A contract delivered in several police force areas counts in full in each (its payments are not
split by place: the records do not say where each pound was spent); the national figure counts
each contract once. Money is ``Decimal``; the share is a percentage to one decimal place
(half up), ``None`` where no delivery money was paid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
NATIONAL = ""
"""The area key of the national figures."""


@dataclass(frozen=True)
class ChainPayment:
    """A recorded payment down the chain: ``to_prime`` when the commissioning body paid the
    contract's prime, else the prime paying one of its sub-contractors (``payee``)."""

    contract: str
    payee: str
    payee_is_vcs: bool
    to_prime: bool
    prime: str
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class VcsShare:
    """One quarter's figures for one area (``NATIONAL`` for England and Wales)."""

    quarter_start: date
    area: str
    delivery_money: Decimal
    vcs_money: Decimal
    organisations: int
    vcs_organisations: int

    @property
    def share(self) -> Decimal | None:
        if self.delivery_money == 0:
            return None
        return (self.vcs_money * 100 / self.delivery_money).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _reached(
    payments: Iterable[ChainPayment],
) -> dict[tuple[date, str], dict[str, tuple[Decimal, bool]]]:
    """Per (quarter, contract): the money that reached each organisation and whether it is VCS."""
    out: dict[tuple[date, str], dict[str, tuple[Decimal, bool]]] = defaultdict(dict)
    for p in payments:
        orgs = out[(quarter_start(p.paid_on), p.contract)]
        amount, _ = orgs.get(p.payee, (ZERO, p.payee_is_vcs))
        orgs[p.payee] = (amount + p.amount, p.payee_is_vcs)
        if not p.to_prime:  # what the prime passes on is not what it keeps
            kept, prime_vcs = orgs.get(p.prime, (ZERO, False))
            orgs[p.prime] = (kept - p.amount, prime_vcs)
    return out


def vcs_shares(
    payments: Sequence[ChainPayment], areas: dict[str, tuple[str, ...]]
) -> list[VcsShare]:
    """Per quarter, the national figures then each area's (``areas``: each contract's police
    force areas), oldest quarter first, areas by name."""
    prime_is_vcs = {p.payee: p.payee_is_vcs for p in payments if p.to_prime}
    money: dict[tuple[date, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    paid: dict[tuple[date, str], set[str]] = defaultdict(set)
    vcs_paid: dict[tuple[date, str], set[str]] = defaultdict(set)
    for (quarter, contract), orgs in _reached(payments).items():
        for area in (NATIONAL, *areas.get(contract, ())):
            key = (quarter, area)
            for org, (amount, is_vcs) in orgs.items():
                is_vcs = is_vcs or prime_is_vcs.get(org, False)
                money[key][0] += amount
                paid[key].add(org)
                if is_vcs:
                    money[key][1] += amount
                    vcs_paid[key].add(org)
    return [
        VcsShare(quarter, area, total, vcs, len(paid[key]), len(vcs_paid[key]))
        for key, (total, vcs) in sorted(money.items())
        for quarter, area in [key]
    ]
