"""Forms of the social value pages (EVA-3): they parse input; the rules are the services', whose
``ValidationError`` lands next to the field it names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning.kernel.quarters import quarter_label
from commissioning.social_value.models import Commitment, Measure
from commissioning.social_value.services import NOTE_LIMIT

_NUMBER = {
    "required": "Enter a number",
    "invalid": "Enter a number, for example 12 or 2500.50",
    "max_decimal_places": "Enter a number with no more than 2 decimal places",
    "max_digits": "Enter a smaller number",
    "max_whole_digits": "Enter a smaller number",
}


class CommitmentForm(GovUKForm):
    measure = forms.ChoiceField(
        label="What does the commitment measure?",
        choices=Measure.choices,
        widget=forms.RadioSelect,
        help_text="Use a standard reporting metric where one fits.",
        error_messages={
            "required": "Choose what the commitment measures",
            "invalid_choice": "Choose what the commitment measures",
        },
    )
    unit = forms.CharField(
        label="Unit, for a commitment measured otherwise (optional)",
        help_text="What the target counts, for example people or hours",
        required=False,
        max_length=40,
        error_messages={"max_length": "The unit must be 40 characters or fewer"},
    )
    description = forms.CharField(
        label="What was promised",
        help_text="In the bid's words, for example: employ 4 people with convictions each quarter",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was promised"},
    )
    target_per_quarter = forms.DecimalField(
        label="Target each quarter",
        max_digits=14,
        decimal_places=2,
        error_messages={**_NUMBER, "required": "Enter the target each quarter"},
    )
    from_winning_bid = forms.BooleanField(
        label="This was promised in the winning bid", required=False, initial=True
    )


class ReportForm(GovUKForm):
    def __init__(
        self, *args: Any, commitments: list[Commitment], quarters: list[date], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = {str(c.pk): c for c in commitments}
        self.fields["commitment"] = forms.ChoiceField(
            label="Commitment",
            choices=[
                (str(c.pk), f"{c.get_measure_display()}: {c.description}") for c in commitments
            ],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose the commitment you are reporting",
                "invalid_choice": "Choose the commitment you are reporting",
            },
        )
        self.fields["quarter"] = forms.TypedChoiceField(
            label="Quarter",
            choices=[(q.isoformat(), quarter_label(q)) for q in reversed(quarters)],
            coerce=date.fromisoformat,
            error_messages={
                "required": "Choose the quarter you are reporting",
                "invalid_choice": "Choose a quarter of the contract that has begun",
            },
        )
        self.fields["delivered"] = forms.DecimalField(
            label="Delivered in the quarter",
            max_digits=14,
            decimal_places=2,
            error_messages={**_NUMBER, "required": "Enter what was delivered in the quarter"},
        )
        self.fields["note"] = forms.CharField(
            label="Note for the commissioners (optional)",
            help_text="Only the commissioners and your organisation see it.",
            required=False,
            max_length=NOTE_LIMIT,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": f"The note must be {NOTE_LIMIT} characters or fewer"},
        )

    def commitment(self) -> Commitment:
        return self.commitments[self.cleaned_data["commitment"]]


class ReviewForm(GovUKForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the figure"), ("query", "Query the figure")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to accept or query the figure",
            "invalid_choice": "Choose whether to accept or query the figure",
        },
    )
    question = forms.CharField(
        label="Your question, if you query the figure",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The question must be {NOTE_LIMIT} characters or fewer"},
    )
