"""Forms of the anonymous concerns pages (SUP-5). They parse input; the rules are
:mod:`.services`'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from commissioning.concerns import challenge, crypto, subjects
from commissioning.concerns.models import (
    FILE_MAX_BYTES,
    MESSAGE_MAX_LENGTH,
    WHAT_HAPPENED_MAX_LENGTH,
    Concern,
    ConcernReferral,
)
from commissioning.concerns.services import Attachment
from commissioning.kernel.forms import GovUKForm

DESCRIBED = "described"
MAX_FILES_MB = FILE_MAX_BYTES // (1024 * 1024)


class ChallengeFields(forms.Form):
    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    solution = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].initial = challenge.issue()

    @property
    def solved(self) -> bool:
        data = self.data
        return challenge.is_solved(str(data.get("challenge", "")), str(data.get("solution", "")))


def _attachment(upload: Any) -> list[Attachment]:
    if not upload:
        return []
    if upload.size > FILE_MAX_BYTES:
        raise ValidationError(f"The file must be smaller than {MAX_FILES_MB} MB")
    return [Attachment(upload.name[:200], upload.read())]


class ReportForm(GovUKForm, ChallengeFields):
    subject = forms.ChoiceField(
        label="What is your concern about?",
        help_text='Choose from what the platform publishes, or choose "Something else" and '
        "describe it below.",
        error_messages={"required": "Choose what your concern is about"},
    )
    described_subject = forms.CharField(
        label="Describe what it is about (if it is not in the list)",
        required=False,
        max_length=500,
    )
    what_happened = forms.CharField(
        label="What happened",
        help_text="Say what happened and when, as far as you can. Leave out anything that would "
        "identify you if you want to stay anonymous.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=WHAT_HAPPENED_MAX_LENGTH,
        error_messages={"required": "Enter what happened"},
    )
    evidence = forms.FileField(
        label="Attach a file (optional)",
        help_text=f"Up to {MAX_FILES_MB} MB. We remove hidden details from photos; we tell you "
        "if we could not remove them from your file.",
        required=False,
    )
    contact = forms.CharField(
        label="Contact details (optional)",
        help_text="Leave this empty to stay anonymous. Only the independent reviewers can read it.",
        required=False,
        max_length=500,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subject_field: Any = self.fields["subject"]
        subject_field.choices = [
            ("", "Choose"),
            *subjects.grouped_choices(),
            ("Not listed", [(DESCRIBED, "Something else (describe it)")]),
        ]

    def clean_evidence(self) -> list[Attachment]:
        return _attachment(self.cleaned_data.get("evidence"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("subject")
        if chosen == DESCRIBED:
            if not str(data.get("described_subject", "")).strip():
                self.add_error("described_subject", "Describe what your concern is about")
            data["resolved"] = (Concern.SubjectKind.DESCRIBED.value, "", "")
        elif chosen:
            resolved = subjects.resolve(chosen)
            if resolved is None:
                self.add_error("subject", "Choose what your concern is about from the list")
            data["resolved"] = resolved
        return data


class ReceiptForm(GovUKForm):
    receipt = forms.CharField(
        label="Your receipt",
        help_text="16 digits, for example 1234 5678 9012 3456",
        max_length=40,
        error_messages={"required": "Enter your receipt"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_receipt(self) -> str:
        receipt = crypto.normalise_receipt(self.cleaned_data["receipt"])
        if not receipt:
            raise ValidationError("Enter the 16 digits of your receipt")
        return receipt


class ReporterReplyForm(GovUKForm):
    message = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
    )
    evidence = forms.FileField(
        label="Add a file (optional)", help_text=f"Up to {MAX_FILES_MB} MB.", required=False
    )

    def clean_evidence(self) -> list[Attachment]:
        return _attachment(self.cleaned_data.get("evidence"))


class PassphraseForm(GovUKForm):
    passphrase = forms.CharField(
        label="Passphrase",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter your passphrase"},
    )


class MessageForm(GovUKForm):
    question = forms.CharField(
        label="Question or reply to the reporter",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={"required": "Enter the message"},
    )
    attachment = forms.FileField(
        label="Attach a file for the reporter (optional)",
        help_text=f"Up to {MAX_FILES_MB} MB. Hidden details are removed from photos; you are "
        "told if they could not be removed from your file. Only the reporter, with their "
        "receipt, and the reviewers can open it.",
        required=False,
    )

    def clean_attachment(self) -> list[Attachment]:
        return _attachment(self.cleaned_data.get("attachment"))


class NoteForm(GovUKForm):
    note = forms.CharField(
        label="Internal note (the reporter never sees it)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={"required": "Enter the note"},
    )


class StatusForm(GovUKForm):
    status = forms.ChoiceField(label="Move the concern to", widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label="Outcome (when closing)",
        choices=[("", "Choose"), *Concern.Outcome.choices],
        required=False,
    )
    recipient_kind = forms.ChoiceField(
        label="Refer to (when referring)",
        choices=[("", "Choose"), *ConcernReferral.Recipient.choices],
        required=False,
    )
    recipient_name = forms.CharField(
        label="Name of the mediator or regulator (when referring)", required=False, max_length=200
    )
    items_sent = forms.MultipleChoiceField(
        label="What is sent (when referring)",
        choices=[
            ("concern", "The concern as reported"),
            ("messages", "The messages with the reporter"),
            ("files", "The files"),
            ("contact", "The reporter's contact details (only with their agreement)"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label="Message to the reporter",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={"required": "Enter a message to the reporter"},
    )

    def __init__(self, *args: Any, allowed: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field: Any = self.fields["status"]
        status_field.choices = [(s.value, s.label) for s in allowed]
        self.fields["status"].error_messages["required"] = "Choose where to move the concern"
