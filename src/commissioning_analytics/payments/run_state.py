"""The running state of one calculation: lines and notes so far, and what earlier periods left."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from commissioning_analytics.payments.model import Mechanism
from commissioning_analytics.payments.money import ZERO
from commissioning_analytics.payments.observed import OutcomeResult
from commissioning_analytics.payments.statement import Note, PaymentLine

if TYPE_CHECKING:
    from commissioning_analytics.payments.attribution import Attribution
    from commissioning_analytics.payments.chain import PreparedTerms


@dataclass
class Run:
    mechanism: Mechanism
    lines: list[PaymentLine] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    withheld_pool: Decimal = ZERO
    outcome_paid: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    units_paid: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    event_totals: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    person_events: defaultdict[tuple[str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )  # (event, person) → events to date
    person_units_paid: defaultdict[tuple[str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )  # (volume fee id, person) → units paid to date
    sib_paid_cohorts: set[str] = field(default_factory=set)
    sib_paid: Decimal = ZERO
    sib_latest: dict[str, OutcomeResult] = field(default_factory=dict)
    risk_window: int = 0  # the window of contract years whose at-risk results are pending
    risk_results: list[OutcomeResult] = field(default_factory=list)
    sub_earned: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    sub_top_ups: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    chain: tuple[PreparedTerms, ...] | None = (
        None  # the supply chain's terms, prepared by chain.pass_down
    )
    terms_delay: timedelta = timedelta(0)
    attributing: bool = False  # a sub-contractor is paid on what its own participants earned
    attributions: dict[int, Attribution | None] = field(default_factory=dict)
    # this period's payment lines (by ``id``) → how each splits between delivering parties

    def __post_init__(self) -> None:
        self.terms_delay = timedelta(days=self.mechanism.payment_terms_days)
        self.attributing = any(
            t.attributed_outcome_payment_share is not None
            or t.attributed_volume_fee_share is not None
            for t in self.mechanism.supply_chain
        )

    def attribute(self, line: PaymentLine, found: Attribution | None) -> None:
        """Remember how ``line`` (received by the prime this period) splits between the
        parties that delivered it; ``None``: the observed data has no breakdown."""
        if self.attributing:
            self.attributions[id(line)] = found

    def pay(
        self,
        period: int,
        payer: str,
        payee: str,
        amount: Decimal,
        kind: str,
        rule: str,
        explanation: str,
        due: date,
    ) -> PaymentLine:
        """Record a payment (only if it is more than nothing) and return it."""
        line = PaymentLine(period, payer, payee, amount, kind, rule, explanation, due)
        if amount > 0:
            self.lines.append(line)
        return line

    def note(self, period: int, party: str, rule: str, explanation: str) -> None:
        self.notes.append(Note(period, party, rule, explanation))
