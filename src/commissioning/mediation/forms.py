"""Forms of the mediation pages (SUP-3). They parse input; the rules are :mod:`.services`'."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.directory.models import Organisation
from commissioning.kernel.forms import GovUKForm
from commissioning.mediation.models import MEDIATOR_MAX_LENGTH, TEXT_MAX_LENGTH, MediationRequest


def _text(label: str, required: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": required,
            "max_length": f"This must be {TEXT_MAX_LENGTH} characters or fewer",
        },
    )


class AskForm(GovUKForm):
    subcontractor: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Asked by",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation asking for mediation"},
    )
    category = forms.ChoiceField(
        label="What is the dispute about?",
        choices=MediationRequest.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the dispute is about"},
    )
    what_happened = _text(
        "What happened",
        "Enter what happened",
        "What the prime did or did not do, when, and what you have already tried.",
        rows=8,
    )
    outcome_sought = _text("What outcome do you seek?", "Enter the outcome you seek")

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subcontractor"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()


class AcceptForm(GovUKForm):
    mediator = forms.CharField(
        label="Mediator",
        help_text="The name of the person who will mediate, and their organisation.",
        max_length=MEDIATOR_MAX_LENGTH,
        error_messages={
            "required": "Enter the name of the mediator",
            "max_length": f"The mediator's name must be {MEDIATOR_MAX_LENGTH} characters or fewer",
        },
    )


class DeclineForm(GovUKForm):
    reason = _text("Why you are declining it", "Enter why the request is declined", rows=4)


class OutcomeForm(GovUKForm):
    resolved = forms.TypedChoiceField(
        label="Was the dispute resolved?",
        choices=[("yes", "Yes, the parties agreed an outcome"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the dispute was resolved"},
    )
    outcome = _text(
        "The outcome",
        "Enter the outcome agreed, or why the dispute was not resolved",
        "The outcome the parties agreed, or why they did not agree one.",
    )
