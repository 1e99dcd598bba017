"""Forms of the invoice pages (LAW-3): they parse input; the rules (who, what amount, which
dates) are the services', whose ``ValidationError`` lands next to the field it names."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.audit.versions import VersionedFormMixin
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm, date_field


def _amount_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        help_text="In pounds and pence, for example 1250.00",
        error_messages={"required": f"Enter the {label.lower()}"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )


class InvoiceForm(GovUKForm):
    party = forms.ChoiceField(
        label="Issued by",
        error_messages={
            "required": "Select the organisation issuing the invoice",
            "invalid_choice": "Select the organisation issuing the invoice",
        },
    )
    reference = forms.CharField(
        label="Invoice number",
        max_length=60,
        error_messages={
            "required": "Enter the invoice number",
            "max_length": "The invoice number must be 60 characters or fewer",
        },
    )
    period = forms.TypedChoiceField(
        label="Contract period it is for",
        coerce=int,
        error_messages={
            "required": "Select the contract period",
            "invalid_choice": "Select the contract period",
        },
    )
    amount = _amount_field("Amount")
    received_on = date_field(
        "Date received",
        "The day the paying organisation received it, for example 27 3 2027. It may correct it.",
    )

    def __init__(
        self,
        *args: Any,
        parties: list[tuple[str, str]],
        periods: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        party, period = self.fields["party"], self.fields["period"]
        assert isinstance(party, forms.ChoiceField) and isinstance(period, forms.ChoiceField)
        party.choices = parties
        period.choices = [("", "Select a period"), *periods]
        if len(parties) == 1:
            self.fields["party"].initial = parties[0][0]
            self.fields["party"].widget = forms.HiddenInput()


class PaymentForm(VersionedFormMixin, GovUKForm, SubmissionKeyForm):
    """Carries the invoice's version, as every action on an existing invoice does (issue 13)."""

    amount = _amount_field("Amount paid")
    paid_on = date_field("Date paid")


class DisputeForm(VersionedFormMixin, GovUKForm):
    reason = forms.CharField(
        label="Why is the invoice disputed?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the invoice is disputed"},
    )
    disputed_on = date_field("Date of the dispute")


class ResolutionForm(VersionedFormMixin, GovUKForm):
    resolution = forms.CharField(
        label="How was the dispute resolved?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter how the dispute was resolved"},
    )
    resolved_on = date_field("Date of the resolution")


class ReceivedForm(VersionedFormMixin, GovUKForm):
    """Carries the invoice's version: a correction made from a stale page is refused, not
    saved over another's (issue 13)."""

    received_on = date_field("Date received")
