"""The independent reviewer's form: a level and reasons for each principle of the code of
conduct, an overall summary and the date of the assessment (SUP-3)."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.delivery_checks.code_of_conduct import Principle
from commissioning.delivery_checks.conduct_ratings import PrincipleJudgement, field_prefix
from commissioning.delivery_checks.models import ConductLevel
from commissioning.kernel.forms import GovUKForm, date_field

REASONS_LIMIT = 4000


class ConductRatingForm(GovUKForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"] = date_field("Date of the assessment")
        for principle in Principle:
            key = field_prefix(principle)
            name = principle.value.lower()
            self.fields[f"{key}_level"] = forms.ChoiceField(
                label=f"{principle.value}: how far does the prime meet it?",
                choices=ConductLevel.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how far the prime meets {name}",
                    "invalid_choice": f"Choose how far the prime meets {name}",
                },
            )
            self.fields[f"{key}_reasons"] = forms.CharField(
                label=f"{principle.value}: your reasons",
                help_text="Published on the contract page and the prime's profile.",
                max_length=REASONS_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "required": f"Give the reasons for the rating of {name}",
                    "max_length": f"The reasons must be {REASONS_LIMIT} characters or fewer",
                },
            )
        self.fields["summary"] = forms.CharField(
            label="Overall summary",
            max_length=REASONS_LIMIT,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={
                "required": "Enter the overall summary",
                "max_length": f"The summary must be {REASONS_LIMIT} characters or fewer",
            },
        )

    def judgements(self) -> dict[Principle, PrincipleJudgement]:
        data = self.cleaned_data
        return {
            p: PrincipleJudgement(
                level=data[f"{field_prefix(p)}_level"],
                reasons=data[f"{field_prefix(p)}_reasons"],
            )
            for p in Principle
        }
