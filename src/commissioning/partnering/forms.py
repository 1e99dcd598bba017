"""Forms of partner finding and messaging. Validation of the text itself lives in
:mod:`commissioning.partnering.rules` (shared by the services), so these forms only shape input."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.directory.models import Cohort, Organisation, Specialism
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm
from commissioning.partnering.rules import (
    MAX_MESSAGE_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_SUBJECT_LENGTH,
    TextProblem,
    clean_message_text,
    clean_note,
    clean_subject,
)
from commissioning.procurement.models import Interest


def _organisation_field(organisations: list[Organisation], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(str(org.pk), org.name) for org in organisations],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select your organisation",
            "invalid_choice": "Select one of your organisations",
        },
    )


class OrganisationChoiceMixin:
    """Adds an ``organisation`` choice when the person belongs to more than one organisation."""

    organisations: list[Organisation]

    def setup_organisations(self, organisations: list[Organisation], label: str) -> None:
        self.organisations = organisations
        if len(organisations) > 1:
            self.fields["organisation"] = _organisation_field(organisations, label)  # type: ignore[attr-defined]

    def chosen_organisation(self) -> Organisation:
        if len(self.organisations) == 1:
            return self.organisations[0]
        chosen = self.cleaned_data["organisation"]  # type: ignore[attr-defined]
        return next(org for org in self.organisations if str(org.pk) == chosen)


class InterestForm(OrganisationChoiceMixin, GovUKForm):
    role = forms.ChoiceField(
        label="How would your organisation take part?",
        choices=Interest.Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how your organisation would take part",
            "invalid_choice": "Select how your organisation would take part",
        },
    )
    # Each field says who can read it, in its own hint (PRO-6): a single checkbox's hint is
    # shown above the box, so it must not be the only place that says what is private.
    note = forms.CharField(
        label="Note for possible partners (optional)",
        help_text=(
            "Public unless you keep your interest private: anyone can read it, with your "
            "organisation's name, on this lot's list of organisations looking for partners and "
            "through the open data API. Say what you bring or what you are looking for, for "
            "example: we bring specialist women's services in Tyneside. Up to "
            f"{MAX_NOTE_LENGTH:,} characters."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_private = forms.BooleanField(
        label=(
            "Keep our interest private: only the commissioners of this opportunity will see it "
            "and its note"
        ),
        required=False,
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_organisations(organisations, "Which organisation is interested?")

    def clean_note(self) -> str:
        try:
            return clean_note(self.cleaned_data.get("note") or "")
        except TextProblem as problem:
            raise forms.ValidationError(str(problem)) from problem


class _MessageBodyMixin:
    def clean_body(self) -> str:
        try:
            return clean_message_text(self.cleaned_data.get("body") or "")  # type: ignore[attr-defined]
        except TextProblem as problem:
            raise forms.ValidationError(str(problem)) from problem


def _body_field() -> forms.CharField:
    return forms.CharField(
        label="Message",
        help_text=f"Plain text, up to {MAX_MESSAGE_LENGTH:,} characters.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,  # the rules give the error message for a blank message
    )


class StartConversationForm(
    _MessageBodyMixin, OrganisationChoiceMixin, GovUKForm, SubmissionKeyForm
):
    subject = forms.CharField(
        label="Subject",
        help_text=f"Up to {MAX_SUBJECT_LENGTH} characters.",
        required=False,
    )
    body = _body_field()

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_organisations(organisations, "Which organisation are you writing for?")
        # Subject first, then the message, then (when needed) the organisation.
        order = ["subject", "body", "organisation"]
        self.order_fields(order)

    def clean_subject(self) -> str:
        try:
            return clean_subject(self.cleaned_data.get("subject") or "")
        except TextProblem as problem:
            raise forms.ValidationError(str(problem)) from problem


class ReplyForm(_MessageBodyMixin, GovUKForm, SubmissionKeyForm):
    body = _body_field()


class PartnerFilterForm(GovUKForm):
    """GET filters of the "looking for partners" list; unknown values are errors, not ignored."""

    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Any role"), *Interest.Role.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a role from the list"},
    )
    specialism = forms.ChoiceField(
        label="Specialism",
        required=False,
        error_messages={"invalid_choice": "Choose a specialism from the list"},
    )
    cohort = forms.ChoiceField(
        label="People supported",
        required=False,
        error_messages={"invalid_choice": "Choose a group of people from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialism"].choices = [("", "Any specialism")] + [  # type: ignore[attr-defined]
            (item.slug, item.name) for item in Specialism.objects.order_by("name")
        ]
        self.fields["cohort"].choices = [("", "Anyone")] + [  # type: ignore[attr-defined]
            (item.slug, item.name) for item in Cohort.objects.order_by("name")
        ]
