"""GOV.UK forms for awards (PRO-9, EVA-4): the hidden-subsidy adjustment, the decision's reasons
and the contract's start date. The rules are the services'; these only parse input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms

from commissioning.awards.adjustments import MIN_ADJUSTMENT_REASON
from commissioning.awards.decision import MIN_REASONS
from commissioning.awards.tendered import TenderedPaymentModel
from commissioning.kernel.forms import GovUKForm


class PriceAdjustmentForm(GovUKForm):
    hidden_subsidy = forms.DecimalField(
        label="Hidden subsidy a year (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="Costs this public-sector bidder does not bear (premises, pensions, overheads "
        "carried by its parent body), added to its price before scoring. Enter 0 for none.",
        error_messages={
            "required": "Enter the hidden subsidy in pounds",
            "invalid": "Enter the hidden subsidy as an amount in pounds, like 25000.00",
            "min_value": "The hidden subsidy cannot be negative",
            "max_decimal_places": "Enter the hidden subsidy in pounds and pence",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label="Reason",
        help_text=f"Which costs it does not bear and how you valued them (at least "
        f"{MIN_ADJUSTMENT_REASON} characters). Kept in the audit trail.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain which costs the bidder does not bear"},
    )


class DecisionForm(GovUKForm):
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text=f"Why this bid is the most advantageous, in at least {MIN_REASONS} characters. "
        "Every bidder reads them with its feedback.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the decision"},
    )


def _start_date_field() -> DateInputField:
    field = DateInputField(
        label="Contract start date",
        help_text="For example, 1 2 2027. Not before the standstill period ends.",
        require_all_fields=False,
    )
    field.error_messages["required"] = "Enter the contract start date"
    field.error_messages["incomplete"] = "Enter the contract start date as a day, month and year"
    return field


class ContractForm(GovUKForm):
    """The contract's start date and, where the lot was tendered with part of the fee at risk on
    outcomes (PBR-1), the outcome target that share depends on."""

    start_date = _start_date_field()
    outcome_target = forms.DecimalField(
        label="Outcome target (%)",
        min_value=Decimal("0.1"),
        max_value=100,
        max_digits=5,
        decimal_places=1,
        error_messages={
            "required": "Enter the outcome target the fee at risk depends on",
            "invalid": "Enter the outcome target as a percentage, like 60",
            "min_value": "Enter an outcome target of at least 0.1%",
            "max_value": "Enter an outcome target of at most 100%",
            "max_decimal_places": "Enter the outcome target to at most one decimal place",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )

    def __init__(
        self, *args: Any, tendered: TenderedPaymentModel | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["outcome_target"]
        if tendered is None or not tendered.has_risk:
            del self.fields["outcome_target"]
            self.helper.layout = self.helper.build_default_layout(self)
            return
        target.label = f"Outcome target: percentage of people achieving “{tendered.outcome}”"
        target.help_text = f"{tendered.as_tendered}: {tendered.risk_sentence()}. For example, 60."
