"""Forms of the contract pages: list filters, the what-if levers of the stress test (PBR-5), the
documents editor (PBR-1) and how a contract comes to a close. They parse and check input; the
documents are validated by :func:`commissioning.contracts.services.validate_documents` (the
analytics core), whose errors are shown next to the document they are about, each naming its
field path."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.versions import VersionedFormMixin
from commissioning.contracts import lifecycle, services
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.kernel.forms import GovUKForm
from commissioning_analytics.cashflow.stress_inputs import Levers
from commissioning_analytics.payments import example_names

HUNDRED = Decimal(100)


class _GetForm(GovUKForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True  # a GET form: no token in the address bar


class ContractFilterForm(_GetForm):
    """The filters of the public list (GET): every field optional."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Title or reference",
        error_messages={"max_length": "Search must be 200 characters or fewer"},
    )
    body = forms.ModelChoiceField(
        label="Commissioning body",
        required=False,
        queryset=Organisation.objects.filter(is_commissioning_body=True),
        to_field_name="slug",
        empty_label="Any commissioning body",
        error_messages={"invalid_choice": "Select a commissioning body from the list"},
    )
    prime = forms.ModelChoiceField(
        label="Prime contractor",
        required=False,
        queryset=Organisation.objects.filter(contracts_as_prime__isnull=False).distinct(),
        to_field_name="slug",
        empty_label="Any prime contractor",
        error_messages={"invalid_choice": "Select a prime contractor from the list"},
    )


def _share_field(name: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{name} (%)",
        required=False,
        min_value=Decimal(0),
        max_value=HUNDRED,
        decimal_places=1,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "any"}),
        error_messages={
            "invalid": f"{name} must be a number from 0 to 100",
            "min_value": f"{name} must be 0 or more",
            "max_value": f"{name} must be 100 or less",
            "max_decimal_places": f"{name} must have no more than 1 decimal place",
            "max_digits": f"{name} must be a number from 0 to 100",
        },
    )


class LeverForm(_GetForm):
    """Which member's fan chart to show and the what-if levers (PBR-5). ``members`` maps each
    chain member's party id to ``(name, upfront_share, at_risk_share)`` as agreed (0–1)."""

    member = forms.ChoiceField(
        label="Organisation to show",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    upfront_share = _share_field(
        "Up-front share", "The share of each referral's price paid when the work starts."
    )
    at_risk_share = _share_field(
        "At-risk share", "The share paid only if the person achieves the outcome."
    )
    payment_terms_days = forms.IntegerField(
        label="Payment terms (days)",
        required=False,
        min_value=0,
        max_value=365,
        help_text="Days from invoice to payment.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "Payment terms must be a whole number of days",
            "min_value": "Payment terms must be 0 days or more",
            "max_value": "Payment terms must be 365 days or fewer",
        },
    )
    only = forms.BooleanField(
        label="Only change the terms of the organisation shown", required=False
    )

    def __init__(self, *args: Any, members: services.LeverMembers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["member"].choices = [(key, value[0]) for key, value in members.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upfront, at_risk = data.get("upfront_share"), data.get("at_risk_share")
        problems = services.lever_errors(
            self.members,
            None if upfront is None else float(upfront / HUNDRED),
            None if at_risk is None else float(at_risk / HUNDRED),
            only=data.get("member") if data.get("only") else None,
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return data

    def levers(self) -> Levers | None:
        """The levers chosen, or ``None`` when none is (the mechanism as agreed)."""
        data = self.cleaned_data
        values = {
            "upfront_share": data.get("upfront_share"),
            "at_risk_share": data.get("at_risk_share"),
            "payment_terms_days": data.get("payment_terms_days"),
        }
        if all(value is None for value in values.values()):
            return None
        return Levers(
            upfront_share=None
            if values["upfront_share"] is None
            else float(values["upfront_share"] / HUNDRED),
            at_risk_share=None
            if values["at_risk_share"] is None
            else float(values["at_risk_share"] / HUNDRED),
            payment_terms_days=None
            if values["payment_terms_days"] is None
            else float(values["payment_terms_days"]),
            only=frozenset({data["member"]}) if data.get("only") and data.get("member") else None,
        )


class ExampleForm(_GetForm):
    """Start the documents from one of the analytics core's shipped examples."""

    example = forms.ChoiceField(
        label="Start from an example",
        help_text="Fills in the mechanism and observed data below; nothing is saved until you "
        "save the documents.",
        error_messages={
            "required": "Select an example",
            "invalid_choice": "Select an example from the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["example"].choices = [("", "Select an example")] + [  # type: ignore[attr-defined]
            (name, name) for name in example_names()
        ]


def _json_field(label: str, required: bool, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 16, "spellcheck": "false", "class": "govuk-!-font-size-16"}
        ),
        error_messages={"required": f"Enter the {label.lower()} as JSON"},
    )


class DocumentsForm(VersionedFormMixin, GovUKForm):
    """The three JSON documents of a contract. Every problem the core finds is shown next to
    the document it is about, naming the field path; nothing is saved unless all are valid.
    Pass ``versioned=contract``: a save from before the contract's last change is refused
    (issue 13 item 4)."""

    mechanism = _json_field(
        "Payment mechanism", True, "Format version 1, as described in docs/payments.md."
    )
    observed = _json_field(
        "Observed volumes and outcomes",
        False,
        "Optional. Leave blank when nothing has been observed yet.",
    )
    assumptions = _json_field(
        "Stress-test assumptions",
        False,
        "Optional. Referral volumes, outcome rates and costs for the working-capital stress "
        "test; leave blank for the labelled defaults.",
    )

    def _parse(self, name: str) -> object | None:
        text = self.cleaned_data.get(name) or ""
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"This is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from error

    def clean_mechanism(self) -> object | None:
        return self._parse("mechanism")

    def clean_observed(self) -> object | None:
        return self._parse("observed")

    def clean_assumptions(self) -> object | None:
        return self._parse("assumptions")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.validate_documents(
                data.get("mechanism"), data.get("observed"), data.get("assumptions")
            )
        except services.ContractDataError as error:
            for name, messages in error.errors.items():
                for message in messages:
                    self.add_error(name, message)
        return data


def document_text(document: object | None) -> str:
    """A stored document as the text a person edits (indented JSON), or "" when absent."""
    return "" if document is None else json.dumps(document, indent=2, ensure_ascii=False)


ENDING_CHOICES = [
    (Contract.Status.ENDED.value, "Its term is over: it ran to its end date"),
    (Contract.Status.TERMINATED.value, "It was terminated early"),
]
NO_TERMINATION_DATE = "Enter the date the contract was terminated"


class ContractEndForm(GovUKForm):
    """How ``contract`` comes to a close (the page's form): it ran its term, or it was
    terminated early on a date, for a reason. The rules are the lifecycle's
    (:func:`commissioning.contracts.lifecycle.problems`), asked here so that every problem is
    shown at once and checked again when it is written; the page, the API and the command line
    all use this form, so they refuse the same things with the same words."""

    status = forms.ChoiceField(
        label="How is the contract ending?",
        choices=ENDING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the contract is ending",
            "invalid_choice": "Select how the contract is ending",
        },
    )
    terminated_on = DateInputField(
        label="Date it was terminated",
        help_text="Only if it was terminated early: the last day it ran. For example, 1 6 2027.",
        required=False,
        require_all_fields=False,
    )
    reason = forms.CharField(
        label="Why was it terminated early?",
        help_text="Only if it was terminated early. Published on the contract's page and in its "
        "contract termination notice.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract
        date = self.fields["terminated_on"]
        if isinstance(date, DateInputField):
            date.error_messages["incomplete"] = (
                "Enter the date the contract was terminated as a day, month and year"
            )
            date.error_messages["invalid"] = (
                "Enter the date the contract was terminated as a real date"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "status" not in data:
            return data
        target = Contract.Status(data["status"])
        if (
            target is Contract.Status.TERMINATED
            and not data.get("terminated_on")
            and "terminated_on" not in self.errors
        ):
            self.add_error("terminated_on", NO_TERMINATION_DATE)
        refused = lifecycle.problems(
            self.contract,
            target,
            reason=data.get("reason") or "",
            today=timezone.localdate(),
            terminated_on=data.get("terminated_on"),
        )
        for field, message in refused.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def record(self, actor: User) -> Contract:
        """Write how the contract ended through its lifecycle (one audited transaction, the
        rules checked again on the locked row); raises ``ValidationError`` by field if they
        refuse it now, ``PermissionDenied`` if ``actor`` may not."""
        data = self.cleaned_data
        return lifecycle.transition(
            actor,
            self.contract,
            data["status"],
            reason=data.get("reason") or "",
            terminated_on=data.get("terminated_on"),
        )


class ContractEndInputForm(ContractEndForm):
    """The same, from the API and the command line: the date as ``YYYY-MM-DD``."""

    terminated_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "Enter the date the contract was terminated as YYYY-MM-DD, like 2027-06-01"
        },
    )
