"""Payments-compliance figures (LAW-3, SUP-3): the Procurement Act 2023's UK17 notice.

Regulation 38(2)(c)–(d) of the Procurement Regulations 2024 asks, per six-month reporting
period, for sums paid in the period: the average number of days taken to pay, where day 1 is
the first day after the invoice day (the day the invoice is received), and the percentages
paid within days 1–30, 31–60 and on or after day 61; and for sums that became payable in the
period, the percentage not paid within it. LAW-3 computes the same figures for each prime's
payments to its sub-contractors (SUP-3, prompt payment down the chain).

Decisions at the edges (see docs/cashflow.md):

* days to pay = paid date − received date, so paying on the invoice day is day 0; it is
  counted in the 1–30 band (paid "within 30 days"), and as 0 in the average;
* an invoice counts as *paid in the period* if its paid date lies in the period, whenever it
  was received or due;
* an invoice *became payable in the period* if its due date lies in the period; it is *due
  but unpaid* if it has no paid date or was paid after the period's last day. Invoices not
  yet due at the period's end are not counted as unpaid;
* an invoice paid before it was received, or due before it was received, is an error naming
  the invoice: such dates are a data-entry mistake, not a fast payment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

BANDS = ("1–30 days", "31–60 days", "61 days or more")


class InvoiceError(ValueError):
    """An invoice's dates are inconsistent; the message names the invoice."""


@dataclass(frozen=True)
class Invoice:
    """An invoice from ``payee`` to ``payer`` (a commissioner, or a prime paying a sub)."""

    reference: str
    payer: str
    payee: str
    received: date
    due: date
    amount: Decimal
    paid: date | None = None

    @classmethod
    def with_terms(
        cls,
        reference: str,
        payer: str,
        payee: str,
        received: date,
        terms_days: int,
        amount: Decimal,
        paid: date | None = None,
    ) -> Invoice:
        """An invoice due ``terms_days`` after it was received (30 under PA 2023 s.68)."""
        if terms_days < 0:
            raise InvoiceError(f"invoice {reference!r}: payment terms cannot be negative")
        return cls(
            reference, payer, payee, received, received + timedelta(terms_days), amount, paid
        )


@dataclass(frozen=True)
class ReportingPeriod:
    """A reporting period, first and last days inclusive."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("reporting period: last_day is before first_day")

    @classmethod
    def containing(cls, day: date) -> ReportingPeriod:
        """The six-month period (1 April–30 September or 1 October–31 March) holding ``day``."""
        if 4 <= day.month <= 9:
            return cls(date(day.year, 4, 1), date(day.year, 9, 30))
        start_year = day.year if day.month >= 10 else day.year - 1
        return cls(date(start_year, 10, 1), date(start_year + 1, 3, 31))

    def label(self) -> str:
        return f"{self.first_day:%-d %B %Y} to {self.last_day:%-d %B %Y}"


@dataclass(frozen=True)
class PaymentsCompliance:
    """One payer's figures for one period. Shares are fractions (0–1), ``None`` if no base."""

    payer: str
    period: ReportingPeriod
    invoices_paid: int
    average_days_to_pay: float | None
    share_paid_by_band: tuple[float, float, float] | None
    invoices_became_payable: int
    share_due_unpaid: float | None

    def summary(self) -> str:
        lines = [f"{self.payer}: payments compliance, {self.period.label()}"]
        if self.average_days_to_pay is None or self.share_paid_by_band is None:
            lines.append("  No invoices paid in the period.")
        else:
            lines.append(
                f"  Invoices paid: {self.invoices_paid}; "
                f"average days to pay: {self.average_days_to_pay:.1f}"
            )
            lines.extend(
                f"  Paid in {band}: {share:.1%}"
                for band, share in zip(BANDS, self.share_paid_by_band, strict=True)
            )
        if self.share_due_unpaid is None:
            lines.append("  No invoices became payable in the period.")
        else:
            lines.append(
                f"  Became payable: {self.invoices_became_payable}; "
                f"not paid within the period: {self.share_due_unpaid:.1%}"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class _Columns:
    payers: list[str]
    payer_index: npt.NDArray[np.intp]
    received: npt.NDArray[np.datetime64]
    due: npt.NDArray[np.datetime64]
    paid: npt.NDArray[np.datetime64]


def payments_compliance(
    invoices: Sequence[Invoice], period: ReportingPeriod
) -> dict[str, PaymentsCompliance]:
    """The UK17 figures for every payer that paid or owed an invoice in ``period``."""
    columns = _columns(invoices)
    first = np.datetime64(period.first_day, "D")
    last = np.datetime64(period.last_day, "D")
    has_paid = ~np.isnat(columns.paid)
    paid_in = has_paid & (columns.paid >= first) & (columns.paid <= last)
    payable_in = (columns.due >= first) & (columns.due <= last)
    unpaid = payable_in & (~has_paid | (columns.paid > last))
    days = np.where(paid_in, (columns.paid - columns.received).astype(np.int64), 0)
    band = np.digitize(days, [31, 61])  # 0: days 0–30, 1: 31–60, 2: 61+

    payers = len(columns.payers)
    index = columns.payer_index
    paid_count = np.bincount(index, weights=paid_in, minlength=payers)
    day_total = np.bincount(index, weights=days, minlength=payers)
    band_count = np.zeros((payers, 3))
    np.add.at(band_count, (index[paid_in], band[paid_in]), 1)
    payable_count = np.bincount(index, weights=payable_in, minlength=payers)
    unpaid_count = np.bincount(index, weights=unpaid, minlength=payers)

    results: dict[str, PaymentsCompliance] = {}
    for i, payer in enumerate(columns.payers):
        if paid_count[i] == 0 and payable_count[i] == 0:
            continue
        paid_n = int(paid_count[i])
        shares = band_count[i] / paid_n if paid_n else None
        results[payer] = PaymentsCompliance(
            payer=payer,
            period=period,
            invoices_paid=paid_n,
            average_days_to_pay=float(day_total[i] / paid_n) if paid_n else None,
            share_paid_by_band=None
            if shares is None
            else (
                float(shares[0]),
                float(shares[1]),
                float(shares[2]),
            ),
            invoices_became_payable=int(payable_count[i]),
            share_due_unpaid=(
                float(unpaid_count[i] / payable_count[i]) if payable_count[i] else None
            ),
        )
    return results


@dataclass(frozen=True)
class AgainstTerms:
    """How one payee's invoices paid in a period compare with the terms they were due by (LAW-3
    beyond the Act: a prime's payments to each sub-contractor against the contract's terms).

    ``terms_days`` is the longest term among those invoices (due − received); the payer pays
    later than its terms when the average days to pay exceed it."""

    payee: str
    period: ReportingPeriod
    invoices_paid: int
    average_days_to_pay: float
    terms_days: int
    paid_after_due: int

    @property
    def share_paid_after_due(self) -> float:
        return self.paid_after_due / self.invoices_paid

    @property
    def later_than_terms(self) -> bool:
        return self.average_days_to_pay > self.terms_days


def payments_against_terms(
    invoices: Sequence[Invoice], period: ReportingPeriod
) -> dict[str, AgainstTerms]:
    """For each payee paid in ``period``: the average days to pay (the day-1 rule of
    :func:`payments_compliance`), the terms and how many invoices were paid after their due
    date. Payees with nothing paid in the period are left out."""
    columns = _columns(invoices)
    first = np.datetime64(period.first_day, "D")
    last = np.datetime64(period.last_day, "D")
    paid_in = ~np.isnat(columns.paid) & (columns.paid >= first) & (columns.paid <= last)
    results: dict[str, AgainstTerms] = {}
    payees = sorted({invoices[int(i)].payee for i in np.flatnonzero(paid_in)})
    payee_of = np.array([i.payee for i in invoices], dtype=object)
    for payee in payees:
        chosen = paid_in & (payee_of == payee)
        days = (columns.paid[chosen] - columns.received[chosen]).astype(np.int64)
        terms = (columns.due[chosen] - columns.received[chosen]).astype(np.int64)
        results[payee] = AgainstTerms(
            payee=payee,
            period=period,
            invoices_paid=int(chosen.sum()),
            average_days_to_pay=float(days.mean()),
            terms_days=int(terms.max()),
            paid_after_due=int((columns.paid[chosen] > columns.due[chosen]).sum()),
        )
    return results


def _columns(invoices: Sequence[Invoice]) -> _Columns:
    payers = sorted({invoice.payer for invoice in invoices})
    position = {payer: i for i, payer in enumerate(payers)}
    received = np.array([i.received for i in invoices], dtype="datetime64[D]")
    due = np.array([i.due for i in invoices], dtype="datetime64[D]")
    paid = np.array(
        [np.datetime64("NaT") if i.paid is None else i.paid for i in invoices],
        dtype="datetime64[D]",
    )
    _check(invoices, received, due, paid)
    return _Columns(
        payers=payers,
        payer_index=np.array([position[i.payer] for i in invoices], dtype=np.intp),
        received=received,
        due=due,
        paid=paid,
    )


def _check(
    invoices: Sequence[Invoice],
    received: npt.NDArray[np.datetime64],
    due: npt.NDArray[np.datetime64],
    paid: npt.NDArray[np.datetime64],
) -> None:
    early = np.flatnonzero(~np.isnat(paid) & (paid < received))
    if early.size:
        bad = invoices[int(early[0])]
        raise InvoiceError(
            f"invoice {bad.reference!r}: paid on {bad.paid} before it was received on "
            f"{bad.received}"
        )
    too_soon = np.flatnonzero(due < received)
    if too_soon.size:
        bad = invoices[int(too_soon[0])]
        raise InvoiceError(
            f"invoice {bad.reference!r}: due on {bad.due} before it was received on {bad.received}"
        )
