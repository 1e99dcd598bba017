"""The monitoring return's form and the funder's "what we need" form (SUP-7). They collect what
people type; the rules are :mod:`commissioning.monitoring.services`', whose errors the views put
back on the form."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning.kernel.quarters import quarter_code, quarter_label, quarter_start, quarters
from commissioning.monitoring.models import BREAKDOWN_GROUPS, Part
from commissioning.monitoring.services import Story, breakdown_field

COUNT_HINT = "A whole number. Leave blank if you do not record it."


def recent_quarters(today: date, count: int = 8) -> list[tuple[str, str]]:
    """The ``count`` quarters that ended most recently, newest first, as (code, label)."""
    last = quarter_start(today)
    first = date(last.year - 3, last.month, 1)
    ended = [start for start in quarters(first, last) if start < last]
    return [(quarter_code(start), quarter_label(start)) for start in reversed(ended)][:count]


class ReturnForm(GovUKForm):
    quarter = forms.ChoiceField(label="Which quarter is this return for?")
    people_served = forms.CharField(
        label="How many people did you serve in the quarter?",
        help_text="Count each person once, however often you saw them.",
        required=False,
    )
    outputs = forms.CharField(
        label="What did you deliver?",
        help_text="For example: 46 one-to-one sessions, 12 group workshops, 9 housing referrals.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    outcomes = forms.CharField(
        label="What changed for the people you served?",
        help_text="For example: 8 people moved into settled housing; 5 started work.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(
        self, *args: Any, quarter_choices: list[tuple[str, str]], correcting: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        quarter = self.fields["quarter"]
        assert isinstance(quarter, forms.ChoiceField)
        quarter.choices = quarter_choices
        if correcting:
            self.fields["quarter"].disabled = True
        for characteristic, (label, groups) in BREAKDOWN_GROUPS.items():
            for group, group_label in groups:
                self.fields[breakdown_field(characteristic, group)] = forms.CharField(
                    label=f"{label}: {group_label}",
                    help_text=COUNT_HINT,
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                )
        for number in (1, 2):
            prefix = "case_study" if number == 1 else f"case_study_{number}"
            self.fields[f"{prefix}_title"] = forms.CharField(
                label=f"Case study {number}: title", required=False, max_length=200
            )
            self.fields[f"{prefix}_story"] = forms.CharField(
                label=f"Case study {number}: the story",
                help_text="Do not use the person's name or anything that identifies them.",
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
            )
            self.fields[f"{prefix}_consent"] = forms.BooleanField(
                label=f"The person in case study {number} agreed to their story being shared",
                required=False,
            )
        if correcting:
            self.fields["reason"] = forms.CharField(
                label="Why are you correcting the return?",
                help_text="Your funders see the reason, the date and who made the change.",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
        # The fields above were added after the helper was made: make it again so all render.
        helper = FormHelper(self)
        helper.form_tag, helper.disable_csrf = False, True
        helper.label_size = helper.legend_size = "s"
        self.helper = helper

    def stories(self) -> list[Story]:
        data = self.cleaned_data
        return [
            Story(
                data.get(f"{prefix}_title", ""),
                data.get(f"{prefix}_story", ""),
                bool(data.get(f"{prefix}_consent")),
            )
            for prefix in ("case_study", "case_study_2")
        ]


class NeedsForm(GovUKForm):
    parts = forms.MultipleChoiceField(
        label="Which parts of the organisation's quarterly return do you need?",
        help_text="You see these parts of every return for the quarters you fund. The "
        "organisation reports once for all its funders.",
        choices=Part.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
