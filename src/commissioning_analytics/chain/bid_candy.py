"""Bid candy after award (SUP-2): what each sub-contractor named in the winning bid was promised
against what it received, quarter by quarter.

At bid time :mod:`commissioning_analytics.evaluation.supply_chain` flags token promises. After
the award the question is whether the promises were kept. For one sub-contractor this module
takes, for each complete quarter of the contract, the referrals it received and the money it
was paid, and its yearly promises (referrals and pounds). At the end of every quarter from the
``window_quarters``-th on it compares the last ``window_quarters`` quarters' totals with what was
promised for them, and flags the measure when the sub-contractor received less than the policy
share (for example under 25% of the promised referrals over two quarters). A quarter the
contract covers only in part is promised its part (``covered``, a share of the quarter).

Promised money is quantised to the penny once per window (half up); promised referrals stay
exact (a quarter of 30 a year is 7.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commissioning_analytics.payments.money import percent, pounds, to_penny

QUARTERS_A_YEAR = Decimal(4)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The policy: a measure is flagged when, over ``window_quarters`` complete quarters, the
    sub-contractor received less than ``referral_share`` of the referrals or ``value_share`` of
    the money it was promised for them."""

    referral_share: Decimal = Decimal("0.25")
    value_share: Decimal = Decimal("0.25")
    window_quarters: int = 2

    def __post_init__(self) -> None:
        if self.window_quarters < 1:
            raise ValueError("the window is at least one quarter")
        for share in (self.referral_share, self.value_share):
            if not Decimal(0) < share <= Decimal(1):
                raise ValueError("a threshold share is more than 0 and at most 1")


@dataclass(frozen=True, slots=True)
class Promise:
    """What the winning bid promised a sub-contractor a year (``None``: nothing promised)."""

    party_id: str
    referrals_per_year: int | None
    value_per_year: Decimal | None


@dataclass(frozen=True, slots=True)
class QuarterReceived:
    """One complete quarter: the referrals the sub-contractor received (referred to it in the
    quarter) and the money paid to it in the quarter. ``covered`` is the share of the quarter
    inside the contract (1 for a whole quarter)."""

    start: date
    referrals: int
    paid: Decimal
    covered: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class QuarterLine:
    start: date
    promised_referrals: Decimal | None
    referrals: int
    promised_value: Decimal | None
    paid: Decimal
    referrals_flagged: bool
    value_flagged: bool


@dataclass(frozen=True, slots=True)
class Flag:
    """A measure below its threshold over the window ending at ``quarter`` (the first such)."""

    measure: str  # "referrals" or "money"
    quarter: date  # the first day of the window's last quarter
    window_start: date
    received: Decimal
    promised: Decimal
    threshold: Decimal
    explanation: str

    @property
    def share(self) -> Decimal:
        return self.received / self.promised


@dataclass(frozen=True)
class PromiseRecord:
    """One sub-contractor's quarters and its flags (the first window below each threshold)."""

    party_id: str
    quarters: tuple[QuarterLine, ...]
    referral_flag: Flag | None
    value_flag: Flag | None

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(f for f in (self.referral_flag, self.value_flag) if f is not None)


def promise_record(
    promise: Promise, quarters: Sequence[QuarterReceived], thresholds: Thresholds
) -> PromiseRecord:
    """Compare ``promise`` with ``quarters`` (oldest first, complete quarters only)."""
    starts = [q.start for q in quarters]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise ValueError("quarters must be in order, each once")
    promised_refs = [
        None
        if promise.referrals_per_year is None
        else Decimal(promise.referrals_per_year) * q.covered / QUARTERS_A_YEAR
        for q in quarters
    ]
    promised_value = [
        None
        if promise.value_per_year is None
        else promise.value_per_year * q.covered / QUARTERS_A_YEAR
        for q in quarters
    ]
    window = thresholds.window_quarters
    lines: list[QuarterLine] = []
    referral_flag = value_flag = None
    for i, quarter in enumerate(quarters):
        ref_flag = val_flag = None
        if i + 1 >= window:
            span = slice(i + 1 - window, i + 1)
            first = quarters[span][0].start
            ref_flag = _window_flag(
                "referrals",
                promised_refs[span],
                Decimal(sum(q.referrals for q in quarters[span])),
                thresholds.referral_share,
                first,
                quarter.start,
                window,
            )
            val_flag = _window_flag(
                "money",
                promised_value[span],
                sum((q.paid for q in quarters[span]), Decimal(0)),
                thresholds.value_share,
                first,
                quarter.start,
                window,
            )
        value = promised_value[i]
        referral_flag = referral_flag or ref_flag
        value_flag = value_flag or val_flag
        lines.append(
            QuarterLine(
                start=quarter.start,
                promised_referrals=promised_refs[i],
                referrals=quarter.referrals,
                promised_value=None if value is None else to_penny(value),
                paid=quarter.paid,
                referrals_flagged=ref_flag is not None,
                value_flagged=val_flag is not None,
            )
        )
    return PromiseRecord(promise.party_id, tuple(lines), referral_flag, value_flag)


def _window_flag(
    measure: str,
    promised: Sequence[Decimal | None],
    received: Decimal,
    share: Decimal,
    first: date,
    last: date,
    window: int,
) -> Flag | None:
    if any(p is None for p in promised):
        return None
    total = sum((p for p in promised if p is not None), Decimal(0))
    if measure == "money":
        total = to_penny(total)
    if total <= 0 or received >= share * total:
        return None
    quarters = "quarter" if window == 1 else f"{window} quarters"
    if measure == "money":
        said = f"paid {pounds(received)} of the {pounds(total)} promised"
    else:
        said = f"received {received:f} of the {total.normalize():f} referrals promised"
    explanation = (
        f"Over {quarters} it {said}: under the threshold of {percent(share)} of the promise."
    )
    return Flag(measure, last, first, received, total, share, explanation)
