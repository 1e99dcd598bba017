"""Forms of the return pages (SUP-1): they parse input; the rules are the services', whose
``ValidationError`` lands next to the field it names."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning.supply_returns.models import ReturnLine
from commissioning.supply_returns.services import NOTE_LIMIT, REASON_LIMIT


class SubmitForm(GovUKForm):
    """The prime's note on each line (each optional); the figures are the records'."""

    def __init__(self, *args: Any, lines: list[ReturnLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"note-{line.pk}"] = forms.CharField(
                label=f"Note on {line.organisation.name}'s line (optional)",
                required=False,
                max_length=NOTE_LIMIT,
                initial=line.prime_note,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"A note must be {NOTE_LIMIT} characters or fewer",
                },
            )

    def notes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("note-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("note-")
        }


class AnswerForm(GovUKForm):
    answer = forms.ChoiceField(
        label="Is your line right?",
        choices=[
            ("confirm", "Yes, I confirm these figures"),
            ("dispute", "No, I dispute these figures"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you confirm or dispute your line",
            "invalid_choice": "Choose whether you confirm or dispute your line",
        },
    )
    reason = forms.CharField(
        label="Why you dispute it",
        help_text="Only if you dispute it. The prime contractor, the commissioners and "
        "independent reviewers see your reason.",
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The reason must be {REASON_LIMIT} characters or fewer"},
    )
