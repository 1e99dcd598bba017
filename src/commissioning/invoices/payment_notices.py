"""Contract payment notices (UK8, LAW-1): each quarter, the payments over £30,000 each
commissioning body made to a prime under a contract, published within 30 days of the quarter's
end (Procurement Act 2023 s.53).

:func:`publish_quarter` chooses the payments and stores one :class:`PaymentNotice` per contract
with any; it is idempotent (a contract's quarter is published once) and refuses a quarter that
has not ended. The OCDS release is built from the stored notice
(:mod:`commissioning.opendata.sources.payments`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.invoices.models import Invoice, Payment, PaymentNotice
from commissioning.kernel.quarters import quarter_end, quarter_start

#: Payments over this are published (PA 2023 s.53: "more than £30,000").
THRESHOLD = Decimal("30000")
#: The notice is due within this many days of the quarter's end.
DAYS_TO_PUBLISH = 30


@dataclass(frozen=True)
class Quarter:
    first_day: date
    last_day: date

    @classmethod
    def containing(cls, day: date) -> Quarter:
        first = quarter_start(day)
        return cls(first, quarter_end(first))

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026-Q2`` (calendar quarters: Q2 is April to June)."""
        year, _, number = text.upper().partition("-Q")
        if not (year.isdigit() and number in {"1", "2", "3", "4"}):
            raise ValueError(f"{text!r} is not a quarter like 2026-Q2")
        return cls.containing(date(int(year), 3 * int(number), 1))

    @property
    def label(self) -> str:
        first, last = self.first_day, self.last_day
        return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"

    @property
    def due_by(self) -> date:
        return self.last_day + timedelta(days=DAYS_TO_PUBLISH)


def last_ended_quarter(today: date) -> Quarter:
    return Quarter.containing(Quarter.containing(today).first_day - timedelta(days=1))


def payments_to_publish(quarter: Quarter) -> list[Payment]:
    """The bodies' payments to primes over £30,000 made in the quarter."""
    return list(
        Payment.objects.filter(
            invoice__tier=Invoice.Tier.PRIME,
            amount__gt=THRESHOLD,
            paid_on__gte=quarter.first_day,
            paid_on__lte=quarter.last_day,
        )
        .select_related("invoice")
        .order_by("invoice__contract_id", "paid_on", "pk")
    )


def publish_quarter(quarter: Quarter, now: datetime | None = None) -> list[PaymentNotice]:
    """Store the quarter's notice of each contract with a payment over £30,000, unless already
    published; the notices stored now. Refuses a quarter that has not ended."""
    now = now or timezone.now()
    if timezone.localdate(now) <= quarter.last_day:
        raise ValueError(
            f"The quarter {quarter.label} has not ended: its payments are published after "
            f"{quarter.last_day.day} {quarter.last_day:%B %Y}"
        )
    by_contract: dict[int, list[Payment]] = {}
    for payment in payments_to_publish(quarter):
        by_contract.setdefault(payment.invoice.contract_id, []).append(payment)
    published = set(
        PaymentNotice.objects.filter(quarter_start=quarter.first_day).values_list(
            "contract_id", flat=True
        )
    )
    stored = []
    with transaction.atomic():
        for contract_id, payments in by_contract.items():
            if contract_id in published:
                continue
            notice = PaymentNotice.objects.create(
                contract_id=contract_id,
                quarter_start=quarter.first_day,
                quarter_end=quarter.last_day,
                published_at=now,
            )
            notice.payments.set(payments)
            stored.append(notice)
    return stored


def notices_of(contract_id: int) -> list[PaymentNotice]:
    """The contract's published payment notices, oldest first, with their payments."""
    return list(
        PaymentNotice.objects.filter(contract_id=contract_id)
        .prefetch_related("payments")
        .order_by("quarter_start")
    )
