"""The payment statement: every payment each party is owed per period, each line explained.

Every line is a transfer of a positive amount from ``payer`` to ``payee``, quantised once to the
penny (``ROUND_HALF_UP``). A repayment (clawback) is a line from the prime to the commissioner.
Because each line is one transfer, money is conserved: what the funders (commissioner and
outcome payers) pay out net equals what the chain (prime, sub-contractors, investors) receives
net, and the prime's retained margin is what it receives less what it passes down (PBR-4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from commissioning_analytics.payments.money import PENNY, ROUNDING_NAME, ZERO


class PaymentLine(NamedTuple):
    """One payment: ``kind`` is service_fee, fee_release, clawback, outcome_payment,
    volume_fee, sib_capital, sib_outcome_payment, pass_down, clawback_pass_down,
    minimum_value_top_up or minimum_value_offset; ``rule`` names the part of the mechanism
    that produced it."""

    period: int
    payer: str
    payee: str
    amount: Decimal
    kind: str
    rule: str
    explanation: str
    due: date


class Note(NamedTuple):
    """A decision that moved no money (a target missed, a threshold not reached …)."""

    period: int
    party: str
    rule: str
    explanation: str


@dataclass(frozen=True, slots=True)
class PartyTotals:
    party: str
    received: Decimal
    paid: Decimal

    @property
    def net(self) -> Decimal:
        return self.received - self.paid


@dataclass(frozen=True)
class Statement:
    mechanism: str
    funders: frozenset[str]
    parties: tuple[str, ...]
    prime: str
    lines: tuple[PaymentLine, ...]
    notes: tuple[Note, ...] = ()
    rounding: str = ROUNDING_NAME

    def lines_for(self, party: str, period: int | None = None) -> list[PaymentLine]:
        return [
            line
            for line in self.lines
            if party in (line.payer, line.payee) and (period is None or line.period == period)
        ]

    def totals(self, period: int | None = None) -> dict[str, PartyTotals]:
        received: dict[str, Decimal] = defaultdict(lambda: ZERO)
        paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            if period is None or line.period == period:
                received[line.payee] += line.amount
                paid[line.payer] += line.amount
        return {p: PartyTotals(p, received[p], paid[p]) for p in self.parties}

    def funders_paid(self, period: int | None = None) -> Decimal:
        """What the commissioner and outcome payers pay out, less repayments to them."""
        totals = self.totals(period)
        return sum((-totals[p].net for p in self.funders), ZERO)

    def chain_received(self, period: int | None = None) -> Decimal:
        """What every other party (prime, sub-contractors, investors) receives net."""
        totals = self.totals(period)
        return sum((t.net for p, t in totals.items() if p not in self.funders), ZERO)

    def retained_margin(self, period: int | None = None) -> Decimal:
        """The prime's net receipt: what it is paid less what it passes down or repays."""
        return self.totals(period)[self.prime].net

    def is_conserved(self) -> bool:
        """Every line is to the penny, and funders' outflow equals the chain's inflow."""
        exact = all(line.amount == line.amount.quantize(PENNY) for line in self.lines)
        return exact and self.funders_paid() == self.chain_received()

    def to_dict(self) -> dict[str, Any]:
        """The statement as JSON-ready data (amounts as strings of pounds)."""
        periods = sorted({line.period for line in self.lines} | {n.period for n in self.notes})
        return {
            "format_version": 1,
            "mechanism": self.mechanism,
            "rounding": self.rounding,
            "lines": [_line_dict(line) for line in self.lines],
            "notes": [n._asdict() for n in self.notes],
            "totals": _totals_dict(self.totals().values()),
            "periods": [
                {"period": p, "totals": _totals_dict(self.totals(p).values())} for p in periods
            ],
            "funders_paid": str(self.funders_paid()),
            "chain_received": str(self.chain_received()),
            "prime_retained_margin": str(self.retained_margin()),
            "conserved": self.is_conserved(),
        }


def _line_dict(line: PaymentLine) -> dict[str, Any]:
    data = line._asdict()
    data["amount"] = str(line.amount)
    data["due"] = line.due.isoformat()
    return data


def _totals_dict(totals: Iterable[PartyTotals]) -> list[dict[str, str]]:
    return [
        {"party": t.party, "received": str(t.received), "paid": str(t.paid), "net": str(t.net)}
        for t in totals
    ]
