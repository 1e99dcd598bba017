"""Forms of the survey pages (SUP-4): they parse input; the rules are the services', whose
``ValidationError`` lands next to the field it names."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.directory.models import Organisation
from commissioning.kernel.forms import GovUKForm
from commissioning.supply_survey.models import QUESTIONS, Agreement
from commissioning.supply_survey.services import COMMENTS_LIMIT


class OpenRoundForm(GovUKForm):
    prime = forms.ModelChoiceField(
        label="Prime contractor",
        queryset=Organisation.objects.filter(contracts_as_prime__isnull=False)
        .distinct()
        .order_by("name"),
        error_messages={
            "required": "Choose the prime contractor",
            "invalid_choice": "Choose the prime contractor",
        },
    )
    year = forms.IntegerField(
        label="Year the survey is about",
        help_text="For example, 2026",
        error_messages={"required": "Enter the year", "invalid": "Enter the year as a number"},
    )


class AnswerForm(GovUKForm):
    """Which organisation answers (where the person speaks for more than one), the five questions,
    the optional comments and the permission to quote them without the organisation's name."""

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label="Which organisation are you answering for?",
                choices=[(str(o.pk), o.name) for o in organisations],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the organisation you are answering for",
                    "invalid_choice": "Choose the organisation you are answering for",
                },
            )
        for field, question in QUESTIONS:
            self.fields[field] = forms.TypedChoiceField(
                label=question,
                choices=Agreement.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose how far you agree: {question.lower()}",
                    "invalid_choice": f"Choose how far you agree: {question.lower()}",
                },
            )
        self.fields["comments"] = forms.CharField(
            label="Anything else you want to tell the independent reviewer (optional)",
            help_text="Good practice or poor practice. Only the independent reviewer reads this; "
            "the prime contractor never sees it.",
            required=False,
            max_length=COMMENTS_LIMIT,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={
                "max_length": f"Your comments must be {COMMENTS_LIMIT} characters or fewer"
            },
        )
        self.fields["may_quote"] = forms.BooleanField(
            label="You may quote our comments in the published results, without our name",
            required=False,
        )

    def organisation(self) -> Organisation:
        if "organisation" in self.fields:
            return self.organisations[self.cleaned_data["organisation"]]
        return next(iter(self.organisations.values()))

    def ratings(self) -> dict[str, int]:
        return {field: self.cleaned_data[field] for field, _ in QUESTIONS}


class MoveForm(GovUKForm):
    move = forms.ChoiceField(
        choices=[("close", "Close"), ("publish", "Publish")], widget=forms.HiddenInput
    )
