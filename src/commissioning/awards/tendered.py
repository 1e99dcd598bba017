"""The payment model a lot was tendered on (PBR-1, PRO-9), from the lot's structured share of
the fee paid on outcomes (:attr:`~commissioning.procurement.models.Lot.outcome_payment_percent`,
required before publication) and how that share is held, so that the contract created from the
award starts from it rather than from a plain fixed fee. The lot's payment model summary is the
narrative bidders read; it is quoted, never parsed. A lot whose mechanism was built at tender time
(:attr:`~commissioning.procurement.models.Lot.tendered_mechanism`) is tendered on that document
instead (:func:`commissioning.awards.contract_creation.mechanism_as_tendered`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from commissioning.procurement.models import Lot, OutcomePaymentMode

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TenderedPaymentModel:
    """``share_at_risk`` of the service fee (0 for a plain fixed fee, 1 when all of it depends
    on outcomes), ``mode`` as the core's ``service_fee.at_risk.mode``, and the outcome it
    depends on in the tender's words."""

    summary: str
    share_at_risk: Decimal = Decimal(0)
    mode: str = OutcomePaymentMode.WITHHELD.value
    outcome: str = ""
    built: bool = False
    """The lot has a mechanism built at tender time (issue 15): the contract starts from that
    document, whose targets are already set, so no share is put at risk here."""

    @property
    def measure_id(self) -> str:
        """The outcome's id in the mechanism: its words as a slug (what the contract shows)."""
        return slugify(self.outcome)[:64].strip("-") or "tendered-outcome"

    @property
    def has_risk(self) -> bool:
        return self.share_at_risk > 0

    @property
    def share_text(self) -> str:
        """The share as the tender stated it, e.g. "10%"."""
        return f"{(self.share_at_risk * HUNDRED).normalize():f}%"

    @property
    def as_tendered(self) -> str:
        """ "As tendered (“<summary>”)", or "As tendered" when the lot gave no summary."""
        return f"As tendered (“{self.summary}”)" if self.summary else "As tendered"

    def risk_sentence(self, target: Decimal | None = None) -> str:
        """E.g. "10% of each instalment is withheld until 60% of people achieve “…”"."""
        goal = "the outcome target is met"
        if target is not None:
            goal = f"{target.normalize():f}% of people achieve “{self.outcome}”"
        if self.mode == OutcomePaymentMode.CLAWBACK:
            return f"{self.share_text} of the fee is repaid unless {goal}"
        return f"{self.share_text} of each instalment is withheld until {goal}"


def _outcome(lot: Lot) -> str:
    """The first outcome the opportunity sought, as the measure's description."""
    sought = (lot.opportunity.outcomes_sought or "").strip()
    first = re.split(r"[;\n]|\.\s", sought, maxsplit=1)[0].strip().rstrip(".")
    return first or f"Outcomes sought for {lot}"


def tendered_payment_model(lot: Lot) -> TenderedPaymentModel:
    """The lot's tendered payment model; ``ValidationError`` when the lot neither has a built
    mechanism nor states its share of the fee paid on outcomes (a lot published before it was
    required)."""
    summary = (lot.payment_model_summary or "").strip()
    if lot.tendered_mechanism is not None:
        return TenderedPaymentModel(summary, built=True)
    percent = lot.outcome_payment_percent
    if percent is None:
        raise ValidationError(
            f"Lot {lot.number} does not state what share of the fee is paid on outcomes, so a "
            "contract cannot be made from it."
        )
    share = (Decimal(percent) / HUNDRED).normalize()
    if not share:
        return TenderedPaymentModel(summary)
    return TenderedPaymentModel(summary, share, lot.outcome_payment_mode, _outcome(lot))
