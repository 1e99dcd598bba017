"""GOV.UK forms of consultations, questions, responses, summaries and events (CYC-2, CYC-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Layout
from django import forms
from django.utils import timezone

from commissioning.audit.versions import VersionedFormMixin
from commissioning.directory.forms import cohorts_field
from commissioning.directory.models import Organisation
from commissioning.engagement import rules
from commissioning.engagement.models import Consultation, Question, Response
from commissioning.idempotency import SubmissionKeyForm, submission_key_field
from commissioning.kernel.forms import FirstOptionBoundField, GovUKForm

TEXT_ANSWER_MAX = 5000
PEOPLE_SERVED_HINT = (
    "The groups of people it is about. Providers who asked to hear about a group are alerted "
    "when it is published."
)


def _date_field(label: str, hint: str) -> DateInputField:
    field = DateInputField(label=label, help_text=hint, require_all_fields=False)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["incomplete"] = f"Enter the {label.lower()} as a day, month and year"
    return field


class ConsultationForm(VersionedFormMixin, GovUKForm, SubmissionKeyForm):
    title = forms.CharField(label="Title", max_length=200)
    purpose = forms.CharField(
        label="Purpose",
        help_text="What you want to learn and how the answers will be used",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    opens_on = _date_field("Opening date", "For example, 1 12 2026. It opens at midnight.")
    closes_on = _date_field(
        "Closing date", "For example, 31 1 2027. It closes at 11:59pm UK time on this day."
    )
    cohorts = cohorts_field(PEOPLE_SERVED_HINT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if isinstance(opens_on, date) and isinstance(closes_on, date):
            today = timezone.localdate()
            for field, message in rules.date_errors(opens_on, closes_on, today).items():
                self.add_error(field, message)
        return data


class CloseEarlyForm(GovUKForm):
    note = forms.CharField(
        label="Why is the consultation closing early?",
        help_text="Published on the consultation page, for everyone to read. Responses are "
        "refused from now on.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": "Explain why the consultation is closing early; it is published"
        },
    )


class QuestionForm(GovUKForm, SubmissionKeyForm):
    text = forms.CharField(label="Question", max_length=500)
    hint = forms.CharField(
        label="Hint (optional)",
        max_length=300,
        required=False,
        help_text="Shown under the question",
    )
    choices = forms.CharField(
        label="Choices (optional)",
        required=False,
        help_text=(
            f"For a multiple-choice question, type {rules.MIN_CHOICES} to {rules.MAX_CHOICES} "
            "choices, one a line. Leave blank for a free-text answer."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_choices(self) -> list[str]:
        choices = rules.parse_choices(self.cleaned_data.get("choices") or "")
        error = rules.choices_error(choices)
        if error:
            raise forms.ValidationError(error)
        return choices


class ResponseForm(GovUKForm, SubmissionKeyForm):
    """One field per question, then who is responding (USR-1). Signed-out people always answer
    anonymously. A honeypot input, which the template renders hidden outside the form's fields,
    catches simple bots."""

    honeypot_field = "website"

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        organisations: list[Any],
        signed_in: bool,
        **kwargs: Any,
    ) -> None:
        self.questions = questions
        self.signed_in = signed_in
        self.organisations = {str(org.pk): org for org in organisations}
        fields: dict[str, forms.Field] = {}
        for question in questions:
            fields[self.answer_field(question)] = self._question_field(question)
        fields["respond_as"] = forms.ChoiceField(
            label="Who are you responding as?",
            choices=self._respond_as_choices(),
            widget=forms.RadioSelect,
            error_messages={"required": "Select who you are responding as"},
        )
        if signed_in:
            fields["anonymous"] = forms.BooleanField(
                label="Respond anonymously: do not link this response to my account",
                required=False,
                help_text="Not available when responding on behalf of an organisation.",
            )
        fields["submission_key"] = submission_key_field()
        self.base_fields = fields  # type: ignore[misc]  # per-consultation questions
        super().__init__(*args, **kwargs)

    @staticmethod
    def answer_field(question: Question) -> str:
        return f"question_{question.pk}"

    @staticmethod
    def _question_field(question: Question) -> forms.Field:
        label = question.text
        if question.choices:
            return forms.ChoiceField(
                label=label,
                help_text=question.hint,
                choices=[(choice, choice) for choice in question.choices],
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer to: {label}"},
            )
        return forms.CharField(
            label=label,
            help_text=question.hint,
            max_length=TEXT_ANSWER_MAX,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={
                "required": f"Enter an answer to: {label}",
                "max_length": f"Answer in {TEXT_ANSWER_MAX} characters or fewer",
            },
        )

    def _respond_as_choices(self) -> list[tuple[str, str]]:
        choices = [
            (f"org:{pk}", f"On behalf of {org.name}") for pk, org in self.organisations.items()
        ]
        choices += [
            (Response.RespondentType.LIVED_EXPERIENCE.value, "A person with lived experience"),
            (Response.RespondentType.INDIVIDUAL.value, "Another individual"),
        ]
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        respond_as = data.get("respond_as", "")
        if respond_as.startswith("org:") and data.get("anonymous"):
            self.add_error(
                "anonymous", "You cannot respond anonymously on behalf of an organisation"
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.honeypot_field, "").strip())

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[self.answer_field(q)] for q in self.questions}

    def respondent(self) -> dict[str, Any]:
        """``respondent_type``, ``organisation`` and ``anonymous`` from the cleaned data."""
        respond_as = self.cleaned_data["respond_as"]
        if respond_as.startswith("org:"):
            return {
                "respondent_type": Response.RespondentType.ORGANISATION.value,
                "organisation": self.organisations[respond_as[4:]],
                "anonymous": False,
            }
        return {
            "respondent_type": respond_as,
            "organisation": None,
            "anonymous": (not self.signed_in) or bool(self.cleaned_data.get("anonymous")),
        }


class ThemeForm(GovUKForm, SubmissionKeyForm):
    you_said = forms.CharField(
        label="You said",
        help_text="A theme raised in the responses",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    we_did = forms.CharField(
        label="We did",
        help_text="What you did, or will do, in response",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SummaryPublishForm(GovUKForm):
    summary_intro = forms.CharField(
        label="Introduction (optional)",
        required=False,
        help_text="For example, how many events you held and how responses were analysed",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EventForm(VersionedFormMixin, GovUKForm, SubmissionKeyForm):
    title = forms.CharField(label="Title", max_length=200)
    starts_on = _date_field("Date", "For example, 14 1 2027")
    start_time = forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, UK time, for example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a start time like 14:30"},
    )
    is_online = forms.TypedChoiceField(
        label="Where is it held?",
        choices=[("False", "In person"), ("True", "Online")],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Select in person or online"},
    )
    location = forms.CharField(
        label="Place or how to join", max_length=300, help_text="The address, or the joining link"
    )
    audience = forms.CharField(
        label="Who it is for",
        max_length=300,
        help_text="For example, local voluntary organisations working with women",
    )
    agenda = forms.CharField(label="Agenda", widget=forms.Textarea(attrs={"rows": 6}))
    cohorts = cohorts_field(PEOPLE_SERVED_HINT)
    capacity = forms.IntegerField(
        label="Places (optional)",
        help_text="How many people can sign up. Leave empty for no limit.",
        required=False,
        min_value=1,
        max_value=100000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of places as a whole number, like 40",
            "min_value": "The number of places must be 1 or more",
            "max_value": "The number of places must be 100,000 or fewer",
        },
    )


class EventSignUpForm(GovUKForm):
    """Which organisation a person takes a place for; no field when they have only one."""

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ChoiceField(
                label="Which organisation are you attending for?",
                choices=[(str(org.pk), org.name) for org in organisations],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Select the organisation you are attending for",
                    "invalid_choice": "Select one of your organisations",
                },
            )
            self.fields["organisation"].bound_field_class = FirstOptionBoundField
            self.helper.layout = Layout(*self.fields)

    def chosen_organisation(self) -> Organisation:
        if len(self.organisations) == 1:
            return self.organisations[0]
        chosen = self.cleaned_data["organisation"]
        return next(org for org in self.organisations if str(org.pk) == chosen)


class NotesForm(GovUKForm):
    notes = forms.CharField(
        label="Meeting notes",
        help_text="Published to everyone, so that no organisation gains an advantage",
        widget=forms.Textarea(attrs={"rows": 10}),
    )


def consultation_initial(consultation: Consultation) -> dict[str, Any]:
    return {
        "title": consultation.title,
        "purpose": consultation.purpose,
        "opens_on": consultation.opens_at.astimezone(rules.LONDON).date(),
        "closes_on": rules.closing_day(consultation.closes_at),
        "cohorts": [cohort.slug for cohort in consultation.cohorts.all()],
    }
