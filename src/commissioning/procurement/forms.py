"""GOV.UK forms for opportunities: they parse and check input; the services write and hold the
rules (publication guards, EVA-1 weights, the timeline policy), so errors come from one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms

from commissioning.audit.versions import VersionedFormMixin
from commissioning.directory.forms import cohorts_field
from commissioning.directory.models import Area, Specialism
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm, GovUKModelForm
from commissioning.procurement import services_criteria, services_editing
from commissioning.procurement.models import (
    Criterion,
    Lot,
    Opportunity,
    SpecSection,
    TransferringStaff,
)
from commissioning.procurement.services_editing import DETAIL_FIELDS, LOT_FIELDS
from commissioning.procurement.services_timeline import FIELD_LABELS, TIMELINE_FIELDS
from commissioning_analytics.scoring.library import LibraryCriterion
from commissioning_analytics.timelines.working_days import LONDON

TEXTAREA = {"rows": 4}
KIND_LABELS = dict(Criterion.Kind.choices)


class OpportunityForm(VersionedFormMixin, GovUKModelForm, SubmissionKeyForm):
    cohorts = cohorts_field(
        "The groups of people the service is for. Providers who asked to hear about a group "
        "are alerted when it is published."
    )

    class Meta:
        model = Opportunity
        fields = list(DETAIL_FIELDS)
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA)
            for name in (
                "description",
                "barriers_considered",
                "not_divided_rationale",
                "tupe_information",
                "incumbent_details",
                "outcomes_sought",
            )
        }
        help_texts = {
            "consortium_encouraged": "The bid window is then at least 4 weeks longer.",
            "response_working_days": "Published: the working days within which every "
            "question is answered.",
            "barriers_considered": "Procurement Act 2023 s.12(4): what you did to reduce "
            "barriers facing small organisations. The lot accessibility report is your evidence.",
            "not_divided_rationale": "Required when there is only one lot.",
            "good_practice_cost_per_user": "Used for the budget-realism check.",
            "tupe_information": "Numbers of staff, salaries, terms and pensions.",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "contact_email": {"invalid": "Enter an email address like name@example.org"},
        }


class LotForm(VersionedFormMixin, GovUKModelForm, SubmissionKeyForm):
    areas = forms.ModelMultipleChoiceField(
        label="Areas",
        queryset=Area.objects.order_by("kind", "name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every area the lot covers.",
        error_messages={"required": "Select at least one area the lot covers"},
    )
    specialisms = forms.ModelMultipleChoiceField(
        label="Services (optional)",
        queryset=Specialism.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave blank for a lot open to every service.",
    )

    class Meta:
        model = Lot
        fields = list(LOT_FIELDS)
        labels = {"duration_months": "Duration (months)"}
        widgets = {
            "payment_model_summary": forms.Textarea(attrs=TEXTAREA),
            "outcome_payment_percent": forms.TextInput(
                attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}
            ),
            "outcome_payment_mode": forms.RadioSelect,
            "turnover_justification": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "payment_model_summary": "How the fee is paid, in words bidders read.",
            "outcome_payment_percent": "The part of the fee that depends on outcomes: 0 for a "
            "fixed fee, for example 10, or 100 when all of it does. Needed before publication; "
            "the contract made from the award starts from it.",
            "outcome_payment_mode": "Only matters when part of the fee is paid on outcomes.",
            "turnover_multiple": "For example 1.5. More than 2 needs a justification "
            "(Public Contracts Regulations 2015 reg. 58(9)). Leave blank for none.",
            "turnover_justification": "Needed when the turnover condition is more than 2: "
            "why the lot needs it. Published beside the condition.",
            "minimum_reserves_months": "Free reserves are unrestricted funds not tied up in "
            "buildings or set aside for a purpose, counted in months of the bidder's spending. "
            "Leave blank for none.",
        }
        error_messages = {
            "number": {"required": "Enter the lot number"},
            "title": {"required": "Enter the lot title"},
            "estimated_annual_value": {"required": "Enter the estimated annual value"},
            "duration_months": {"required": "Enter the duration in months"},
            "outcome_payment_percent": {
                "invalid": "Enter the share of the fee paid on outcomes as a number, like 10",
                "min_value": services_editing.OUTCOME_PAYMENT_RANGE,
                "max_value": services_editing.OUTCOME_PAYMENT_RANGE,
                "max_digits": services_editing.OUTCOME_PAYMENT_RANGE,
                "max_whole_digits": services_editing.OUTCOME_PAYMENT_RANGE,
                "max_decimal_places": services_editing.OUTCOME_PAYMENT_PLACES,
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Withheld unless chosen otherwise (the service's default too): a fixed fee needs no choice.
        self.fields["outcome_payment_mode"].required = False

    def clean_estimated_annual_value(self) -> Any:
        value = self.cleaned_data["estimated_annual_value"]
        if value is not None and value <= 0:
            raise forms.ValidationError("The estimated annual value must be more than £0")
        return value

    def clean_duration_months(self) -> Any:
        value = self.cleaned_data["duration_months"]
        if value is not None and value < 1:
            raise forms.ValidationError("The duration must be at least 1 month")
        return value


class SpecSectionForm(VersionedFormMixin, GovUKModelForm, SubmissionKeyForm):
    class Meta:
        model = SpecSection
        fields = ["title", "required", "must_have", "ideal"]
        labels = {"required": "Required before publication"}
        widgets = {
            "must_have": forms.Textarea(attrs=TEXTAREA),
            "ideal": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts = {
            "must_have": "What every bid must offer. A required section cannot be blank.",
            "ideal": "The level you would ideally like (optional).",
        }
        error_messages = {"title": {"required": "Enter the section title"}}


def minimum_choices() -> list[tuple[str, str]]:
    """No minimum, then each band above 0 of the criteria scale: ``50 (Acceptable)``…"""
    bands = [b for b in services_criteria.criterion_scale().bands if b.score > 0]
    return [("", "No minimum"), *((str(b.score), f"{b.score} ({b.descriptor})") for b in bands)]


def minimum_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Minimum score (optional)",
        choices=minimum_choices(),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Declared in advance (Procurement Act 2023 s.23(3)): a bid scoring below this "
        "on the 0 to 100 scale is disqualified, whatever its total. Not for price.",
        error_messages={
            "invalid_choice": "The minimum score must be one of the scale's scores: "
            + ", ".join(label for value, label in minimum_choices() if value)
        },
    )


class CriterionForm(VersionedFormMixin, GovUKModelForm, SubmissionKeyForm):
    """A free-form criterion (EVA-1) with its weight and optional minimum score."""

    minimum = minimum_field()

    class Meta:
        model = Criterion
        fields = ["name", "kind", "weight", "minimum", "guidance"]
        widgets = {"kind": forms.RadioSelect, "guidance": forms.Textarea(attrs=TEXTAREA)}
        labels = {"kind": "Type of criterion", "guidance": "Guidance for bidders (optional)"}
        help_texts = {
            "weight": "Percent of the total. Weights add up to 100%; social value carries at "
            "least 10%.",
        }
        error_messages = {
            "name": {"required": "Enter the criterion name"},
            "weight": {"required": "Enter the weight as a percentage"},
            "kind": {"required": "Select the type of criterion"},
        }


def _weight_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="Weight (%)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text="Percent of the total. Weights add up to 100%; social value carries at least "
        "10%.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "any"}),
        error_messages={
            "required": "Enter the weight as a percentage",
            "invalid": "Enter the weight as a number, like 20",
            "min_value": "The weight must be more than 0%%",
            "max_value": "The weight cannot be more than 100%%",
            "max_digits": "Enter the weight with at most 2 decimal places, like 12.5",
            "max_decimal_places": "Enter the weight with at most 2 decimal places, like 12.5",
        },
    )


class LibraryCriterionForm(GovUKForm):
    """Pick a ready-made criterion (EVA-2, EVA-3) and give it a weight and optional minimum."""

    entry = forms.ChoiceField(
        label="Criterion",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a criterion from the library",
            "invalid_choice": "Choose a criterion from the library that is not already added",
        },
    )
    weight = _weight_field()
    minimum = minimum_field()

    def __init__(self, *args: Any, entries: Sequence[LibraryCriterion] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(e.id, f"{e.name} ({KIND_LABELS[e.kind.value]})") for e in entries]


class PriceMethodForm(VersionedFormMixin, GovUKModelForm):
    """How price is scored (EVA-4), published with the criteria."""

    class Meta:
        model = Opportunity
        fields = ["price_method"]
        widgets = {"price_method": forms.RadioSelect}
        help_texts = {
            "price_method": "Published with the criteria. Prices are compared after the "
            "level-playing-field adjustment: public-sector bids add the costs they do not bear.",
        }
        error_messages = {"price_method": {"required": "Select how price is scored"}}


def _date_field(label: str) -> DateInputField:
    field = DateInputField(
        label=label, help_text="For example, 27 3 2027", require_all_fields=False
    )
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["incomplete"] = f"Enter the {label.lower()} as a day, month and year"
    return field


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        initial=time(12, 0),
        help_text="24-hour clock, UK time, for example 12:00",
        error_messages={
            "required": "Enter the time",
            "invalid": "Enter the time like 12:00 (24-hour clock)",
        },
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
    )


def aware(day: Any, clock: time) -> datetime | None:
    if not isinstance(day, date):
        return None
    return datetime.combine(day, clock, tzinfo=LONDON)


class TimelineForm(VersionedFormMixin, GovUKForm):
    """A draft's deadlines (PRO-3, PRO-4); each falls at the same time of day."""

    question_deadline = _date_field(FIELD_LABELS["question_deadline"])
    answers_by = _date_field(FIELD_LABELS["answers_by"])
    bid_deadline = _date_field(FIELD_LABELS["bid_deadline"])
    deadline_time = _time_field("Time of day for each deadline")

    def deadlines(self) -> dict[str, datetime | None]:
        clock = self.cleaned_data.get("deadline_time") or time(12, 0)
        return {name: aware(self.cleaned_data.get(name), clock) for name in TIMELINE_FIELDS}


class DateChangeForm(GovUKForm):
    """Change one published date, with the reason that is published (PRO-3)."""

    field = forms.ChoiceField(
        label="Which date is changing",
        choices=[(name, FIELD_LABELS[name]) for name in TIMELINE_FIELDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the date that is changing"},
    )
    new_date = _date_field("New date")
    new_time = _time_field("New time")
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Published in the change log and sent to everyone who registered interest.",
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Give the reason for the change; it is published"},
    )

    def new_value(self) -> datetime | None:
        return aware(self.cleaned_data.get("new_date"), self.cleaned_data["new_time"])


class CancelForm(GovUKForm):
    cancellation_code = forms.ChoiceField(
        label="Reason for cancelling",
        choices=Opportunity.CancellationCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for cancelling"},
    )
    cancellation_reason = forms.CharField(
        label="Explanation",
        help_text="Published on the opportunity page and in the procurement termination notice.",
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": "Explain the reason for cancelling; it is published"},
    )


class OpportunityFilterForm(GovUKForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Opportunity.Status.choices],
    )
    area = forms.ModelChoiceField(
        label="Area",
        required=False,
        queryset=Area.objects.order_by("kind", "name"),
        to_field_name="slug",
        empty_label="Any area",
    )


class TransferringStaffForm(GovUKModelForm, SubmissionKeyForm):
    """One anonymised row of staff expected to transfer under TUPE (PRO-10)."""

    class Meta:
        model = TransferringStaff
        fields = [
            "role",
            "headcount",
            "annual_salary",
            "weekly_hours",
            "pension",
            "employer_pension_percent",
            "years_of_service",
            "age",
        ]
        help_texts = {
            "role": "A job title, not a name: for example “Caseworker”.",
            "annual_salary": "What each of them is paid a year.",
            "employer_pension_percent": "0 when there is no pension.",
        }
        error_messages = {
            "role": {"required": "Enter the role"},
            "headcount": {"required": "Enter the number of staff"},
            "annual_salary": {"required": "Enter the salary each is paid a year"},
            "weekly_hours": {"required": "Enter the hours a week"},
            "years_of_service": {"required": "Enter the typical length of service"},
            "age": {"required": "Enter the typical age"},
        }
