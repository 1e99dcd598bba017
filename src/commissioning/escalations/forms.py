"""Forms of the escalation pages (REF-2): raise (for a provider), respond (for probation).
They parse input; the rules are :mod:`.services`' (the API runs the same ones)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms

from commissioning.directory.models import Organisation
from commissioning.escalations.models import (
    RESPONSE_MAX_LENGTH,
    WHAT_HAPPENED_MAX_LENGTH,
    Escalation,
)
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm
from commissioning_analytics.timelines.working_days import LONDON


class RaiseForm(GovUKForm, SubmissionKeyForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Raised by",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation raising it"},
    )
    category = forms.ChoiceField(
        label="What is it about?",
        choices=Escalation.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the escalation is about"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Escalation.Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent it is"},
    )
    what_happened = forms.CharField(
        label="What happened",
        help_text="Describe what happened and what you have done. Do not include names, dates of "
        "birth or addresses: refer to the person by your own case reference.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=WHAT_HAPPENED_MAX_LENGTH,
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {WHAT_HAPPENED_MAX_LENGTH} characters or fewer",
        },
    )
    occurred_on = DateInputField(
        label="Date it happened", help_text="For example, 27 3 2027", require_all_fields=False
    )
    occurred_time = forms.TimeField(
        label="Time it happened",
        help_text="Use the 24-hour clock, UK time, for example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the time it happened",
            "invalid": "Enter a time like 14:30",
        },
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()
        self.fields["occurred_on"].error_messages["required"] = "Enter the date it happened"
        self.fields["occurred_on"].error_messages["incomplete"] = (
            "Enter the date it happened as a day, month and year"
        )

    def occurred_at(self) -> datetime | None:
        day, moment = self.cleaned_data.get("occurred_on"), self.cleaned_data.get("occurred_time")
        if isinstance(day, date) and isinstance(moment, time):
            return datetime.combine(day, moment, tzinfo=LONDON)
        return None


class RespondForm(GovUKForm):
    response = forms.CharField(
        label="Your response",
        help_text="What probation has done or will do. The provider reads it. Do not include "
        "names, dates of birth or addresses.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=RESPONSE_MAX_LENGTH,
        error_messages={
            "required": "Enter your response to the provider",
            "max_length": f"Response must be {RESPONSE_MAX_LENGTH} characters or fewer",
        },
    )
