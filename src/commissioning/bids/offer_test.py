"""“Test this offer” (PBR-7): a named sub-contractor runs what it is offered against its own
figures through the working-capital stress test, before saying yes.

Private by construction: nothing here writes. No database row, no audit event, no
notification, no cache entry and no log line carries the test or its figures; they live in
the request (a form posted back to the same page) and in the page it returns. The figures
are read from the form alone; the organisation's profile only suggests starting values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from commissioning.bids.content import Terms
from commissioning.bids.models import Subcontractor
from commissioning.procurement.services_tupe import tupe_estimate
from commissioning_analytics.cashflow.from_mechanism import LAG_BINARY_OR_FREQUENCY
from commissioning_analytics.cashflow.offer import (
    Offer,
    OfferTest,
    OwnFigures,
    chance_sentence,
    ruin_timing_sentence,
    run_offer_test,
)
from commissioning_analytics.tupe import TupeEstimate

DEFAULT_PAYMENT_TERMS_DAYS = 30
"""Public bodies and their suppliers pay undisputed invoices within 30 days (Procurement Act
2023 s.68): the starting value when the request does not say (made before it was asked)."""
DEFAULT_OUTCOME_RATE_PERCENT = 50


@dataclass(frozen=True)
class OfferResult:
    """What the page shows: the test, its sentences and the transfer it included."""

    test: OfferTest
    chance: str
    timing: str
    transfer_share: Decimal
    transfer_annual_cost: Decimal
    transfer_redundancy: Decimal

    @property
    def chance_percent(self) -> str:
        chance = self.test.stress.ruin_probability
        return f"{chance:.1%}" if 0 < chance < 0.01 else f"{chance:.0%}"

    @property
    def worst_months(self) -> list[tuple[int, str, str]]:
        """Each worst month with its bad-case and typical closing cash, in words."""
        return [
            (m.month, cash_words(m.bad_case_cash), cash_words(m.typical_cash))
            for m in self.test.worst_months
        ]


def cash_words(pounds: float) -> str:
    """Closing cash to the pound; below zero it is money the organisation does not have."""
    whole = round(pounds)
    if whole < 0:
        return f"−£{-whole:,} (overdrawn)"
    return f"£{whole:,}"


def transfer_estimate(sub: Subcontractor) -> TupeEstimate | None:
    """The estimate of the staff transferring under the opportunity, if any are listed."""
    return tupe_estimate(sub.bid.lot.opportunity)


def starting_values(sub: Subcontractor, terms: Terms) -> dict[str, Any]:
    """The form's first values: the terms offered (with the share paid up front and the payment
    terms the prime promised), the lot's payment model, and the organisation's profile figures
    (income, and reserves from its months of reserves)."""
    lot = sub.bid.lot
    organisation = sub.organisation
    income = Decimal(organisation.annual_income)
    reserves = income * Decimal(organisation.reserves_months) / 12
    costs = (income + terms.value_per_year) / 12
    return {
        "value_per_year": terms.value_per_year,
        "referrals_per_year": terms.referrals_per_year,
        "upfront_percent": Decimal(0) if terms.upfront_percent is None else terms.upfront_percent,
        "at_risk_percent": lot.outcome_payment_percent or Decimal(0),
        "payment_terms_days": (
            DEFAULT_PAYMENT_TERMS_DAYS
            if terms.payment_terms_days is None
            else terms.payment_terms_days
        ),
        "outcome_lag_months": LAG_BINARY_OR_FREQUENCY,
        "months": lot.duration_months,
        "transfer_percent": Decimal(0),
        "income_per_year": _pounds(income),
        "reserves": _pounds(reserves),
        "monthly_costs": _pounds(costs),
        "outcome_rate_percent": DEFAULT_OUTCOME_RATE_PERCENT,
    }


def run(sub: Subcontractor, figures: dict[str, Any]) -> OfferResult:
    """Run the test on the form's cleaned ``figures``; writes nothing."""
    estimate = transfer_estimate(sub)
    share = Decimal(figures.get("transfer_percent") or 0) / 100 if estimate else Decimal(0)
    annual = estimate.annual_cost * share if estimate else Decimal(0)
    redundancy = estimate.redundancy_exposure * share if estimate else Decimal(0)
    offer = Offer(
        value_per_year=float(figures["value_per_year"]),
        referrals_per_year=int(figures["referrals_per_year"]),
        upfront_share=float(figures["upfront_percent"]) / 100,
        at_risk_share=float(figures["at_risk_percent"]) / 100,
        payment_terms_days=float(figures["payment_terms_days"]),
        months=int(figures["months"]),
        outcome_lag_months=int(figures["outcome_lag_months"]),
        transfer_cost_monthly=float(annual) / 12,
    )
    own = OwnFigures(
        income_per_year=float(figures["income_per_year"]),
        reserves=float(figures["reserves"]),
        monthly_costs=float(figures["monthly_costs"]),
        outcome_rate=float(figures["outcome_rate_percent"]) / 100,
    )
    test = run_offer_test(offer, own)
    return OfferResult(
        test=test,
        chance=chance_sentence(test.stress),
        timing=ruin_timing_sentence(test.stress),
        transfer_share=share,
        transfer_annual_cost=_pounds(annual),
        transfer_redundancy=_pounds(redundancy),
    )


def _pounds(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
