"""The payment model a lot was tendered on (PBR-1, PRO-9), read from the lot's published payment
model summary so that the contract created from the award starts from it rather than from a
plain fixed fee.

The summary is the text bidders priced against ("A fixed fee with 10% paid on outcomes
achieved"). Its outcome element is read as a share of the service fee at risk: withheld from each
instalment and released when the outcome target is met, or — where the summary speaks of
clawback or repayment — repaid when it is missed. A summary that mentions an outcome element but
states no share is refused rather than dropped: the contract never silently loses the payment
model the bids were priced on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from commissioning.procurement.models import Lot

OUTCOME_WORDS = re.compile(
    r"outcome|result|at[ -]risk|withh(?:e|o)ld|claw|repa(?:y|id)", re.IGNORECASE
)
NO_OUTCOME_ELEMENT = re.compile(
    r"\b(?:no|without|none of)\b[^.;]*\b(?:outcome|result|at[ -]risk)", re.IGNORECASE
)
CLAWBACK_WORDS = re.compile(r"claw|repa(?:y|id)", re.IGNORECASE)
SHARE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per ?cent)", re.IGNORECASE)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TenderedPaymentModel:
    """``share_at_risk`` of the service fee (0 for a plain fixed fee), ``mode`` as the core's
    ``service_fee.at_risk.mode``, and the outcome it depends on in the tender's words."""

    summary: str
    share_at_risk: Decimal = Decimal(0)
    mode: str = "withheld"
    outcome: str = ""

    @property
    def measure_id(self) -> str:
        """The outcome's id in the mechanism: its words as a slug (what the contract shows)."""
        return slugify(self.outcome)[:64].strip("-") or "tendered-outcome"

    @property
    def has_risk(self) -> bool:
        return self.share_at_risk > 0

    def risk_sentence(self, target: Decimal | None = None) -> str:
        """E.g. "10% of each instalment is withheld until 60% of people achieve “…”"."""
        share = f"{(self.share_at_risk * HUNDRED).normalize():f}%"
        goal = "the outcome target is met"
        if target is not None:
            goal = f"{target.normalize():f}% of people achieve “{self.outcome}”"
        if self.mode == "clawback":
            return f"{share} of the fee is repaid unless {goal}"
        return f"{share} of each instalment is withheld until {goal}"


def _outcome(lot: Lot) -> str:
    """The first outcome the opportunity sought, as the measure's description."""
    sought = (lot.opportunity.outcomes_sought or "").strip()
    first = re.split(r"[;\n]|\.\s", sought, maxsplit=1)[0].strip().rstrip(".")
    return first or f"Outcomes sought for {lot}"


def tendered_payment_model(lot: Lot) -> TenderedPaymentModel:
    """The lot's tendered payment model; ``ValidationError`` when its summary names an outcome
    element without a share of the fee that can be read."""
    summary = (lot.payment_model_summary or "").strip()
    if not OUTCOME_WORDS.search(summary) or NO_OUTCOME_ELEMENT.search(summary):
        return TenderedPaymentModel(summary)
    found = SHARE.search(summary)
    share = Decimal(found.group(1)) / HUNDRED if found else None
    if share is None or not 0 < share < 1:
        raise ValidationError(
            f"Lot {lot.number} was tendered on “{summary}”, which pays part of the fee on "
            "outcomes without stating what share of the fee (for example “10% paid on outcomes "
            "achieved”), so a contract cannot be made from it."
        )
    mode = "clawback" if CLAWBACK_WORDS.search(summary) else "withheld"
    return TenderedPaymentModel(summary, share, mode, _outcome(lot))
