"""What a bid says, as plain data, and its JSON form inside the seal (EVA-1, EVA-4, PRO-7)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: The full-cost disclosure (EVA-4): every line a bidder must state, even when it is nothing.
COST_LINES: dict[str, str] = {
    "staff": "Staff",
    "overheads": "Overheads",
    "premises": "Premises",
    "subcontracting": "Sub-contracting",
    "other": "Other costs",
}


@dataclass
class BidContent:
    """A bid's sealed content. ``answers`` maps a criterion's id (as text) to the answer."""

    price: Decimal | None = None
    costs: dict[str, Decimal] = field(default_factory=dict)
    has_subsidy: bool | None = None
    subsidy_details: str = ""
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def total_cost(self) -> Decimal | None:
        if set(self.costs) != set(COST_LINES):
            return None
        return sum(self.costs.values(), Decimal(0))

    @property
    def cost_rows(self) -> list[tuple[str, Decimal | None]]:
        return [(label, self.costs.get(key)) for key, label in COST_LINES.items()]

    @property
    def pricing_complete(self) -> bool:
        return (
            self.price is not None
            and self.total_cost is not None
            and self.has_subsidy is not None
            and (not self.has_subsidy or bool(self.subsidy_details.strip()))
        )

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "price": None if self.price is None else str(self.price),
            "costs": {key: str(value) for key, value in self.costs.items()},
            "has_subsidy": self.has_subsidy,
            "subsidy_details": self.subsidy_details,
            "answers": self.answers,
        }
        return json.dumps(data, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> BidContent:
        if not raw:
            return cls()
        data = json.loads(raw.decode("utf-8"))
        return cls(
            price=None if data.get("price") is None else Decimal(data["price"]),
            costs={key: Decimal(value) for key, value in data.get("costs", {}).items()},
            has_subsidy=data.get("has_subsidy"),
            subsidy_details=data.get("subsidy_details", ""),
            answers={str(k): v for k, v in data.get("answers", {}).items()},
        )


PAYMENT_TERMS_MAX_DAYS = 365
UPFRONT_RANGE = "Enter a percentage from 0 to 100"
UPFRONT_AND_AT_RISK = (
    "The share paid up front and the lot's share paid on outcomes ({at_risk}%) must not add up "
    "to more than 100%"
)


@dataclass(frozen=True)
class Terms:
    """What a bid promises a named sub-contractor (PRO-7), sealed with the bid: how it is paid
    too — the share of its fee paid up front and the days the prime takes to pay its invoices —
    so the charity tests the offer it was actually made (PBR-7). Requests made before these were
    asked for have neither (None: not stated)."""

    role: str
    services: str
    referrals_per_year: int
    value_per_year: Decimal
    upfront_percent: Decimal | None = None
    payment_terms_days: int | None = None

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "role": self.role,
            "services": self.services,
            "referrals_per_year": self.referrals_per_year,
            "value_per_year": str(self.value_per_year),
        }
        if self.upfront_percent is not None:
            data["upfront_percent"] = str(self.upfront_percent)
        if self.payment_terms_days is not None:
            data["payment_terms_days"] = self.payment_terms_days
        return json.dumps(data, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Terms:
        data = json.loads(raw.decode("utf-8"))
        return cls(
            role=data["role"],
            services=data["services"],
            referrals_per_year=int(data["referrals_per_year"]),
            value_per_year=Decimal(data["value_per_year"]),
            upfront_percent=(
                None if data.get("upfront_percent") is None else Decimal(data["upfront_percent"])
            ),
            payment_terms_days=(
                None if data.get("payment_terms_days") is None else int(data["payment_terms_days"])
            ),
        )


def payment_problems(terms: Terms, at_risk_percent: Decimal | None) -> dict[str, list[str]]:
    """What is wrong with how ``terms`` say the sub-contractor is paid (PBR-7): a share up front
    from 0 to 100% that, with the lot's share paid on outcomes, is at most 100%, and payment
    terms from 0 to a year. The forms say the same; this holds whatever calls the service."""
    problems: dict[str, list[str]] = {}
    upfront, days = terms.upfront_percent, terms.payment_terms_days
    if upfront is not None:
        if not upfront.is_finite() or not 0 <= upfront <= 100:
            problems["upfront_percent"] = [UPFRONT_RANGE]
        elif upfront + (at_risk_percent or 0) > 100:
            at_risk = f"{Decimal(at_risk_percent or 0).normalize():f}"
            problems["upfront_percent"] = [UPFRONT_AND_AT_RISK.format(at_risk=at_risk)]
    if days is not None and not 0 <= days <= PAYMENT_TERMS_MAX_DAYS:
        problems["payment_terms_days"] = [f"Enter from 0 to {PAYMENT_TERMS_MAX_DAYS} days"]
    return problems
