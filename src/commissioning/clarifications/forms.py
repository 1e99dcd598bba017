"""GOV.UK forms for clarification questions: they parse input; the services hold the rules
(who may ask, the question deadline, what may be closed), so errors come from one place."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Layout
from django import forms

from commissioning.audit.versions import VersionedFormMixin
from commissioning.clarifications.models import Question
from commissioning.clarifications.services import MAX_TEXT
from commissioning.directory.models import Organisation
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm
from commissioning.procurement.models import Lot, Opportunity

TEXTAREA = {"rows": 6}


class AskForm(GovUKForm, SubmissionKeyForm):
    organisation = forms.ModelChoiceField(
        label="Which organisation are you asking for?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the organisation you are asking for"},
    )
    lot = forms.ModelChoiceField(
        label="Which lot is your question about? (optional)",
        queryset=Lot.objects.none(),
        required=False,
        empty_label="The whole opportunity",
    )
    text = forms.CharField(
        label="Your question",
        help_text="Questions and answers are published to everyone without your name or your "
        "organisation's name. Leave out anything that would identify you.",
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=MAX_TEXT,
        error_messages={"required": "Enter your question"},
    )

    def __init__(
        self, *args: Any, opportunity: Opportunity, organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]
        if len(organisations) == 1:
            del self.fields["organisation"]
            self.fixed_organisation: Organisation | None = organisations[0]
        else:
            self.fixed_organisation = None
        lots = opportunity.lots.all()
        if lots.exists():
            self.fields["lot"].queryset = lots  # type: ignore[attr-defined]
        else:
            del self.fields["lot"]
        # The helper's layout was built before fields were removed.
        self.helper.layout = Layout(*self.fields)

    def chosen_organisation(self) -> Organisation | None:
        chosen: Organisation | None = self.cleaned_data.get("organisation")
        return chosen or self.fixed_organisation


PUBLISHED_WORDING_HINT = (
    "Write the question in your own words. The wording as asked is never published: leave out "
    "anything that identifies who asked unless they chose to be named."
)


class NamesConfirmationMixin:
    """Adds a required "publish with these names" checkbox when the wording names organisations
    or people registered on the platform (PRO-4): nothing naming them goes out unconfirmed."""

    fields: dict[str, forms.Field]
    names: list[str]

    def ask_to_confirm(self, names: list[str]) -> None:
        self.names = names
        if not names:
            return
        listed = ", ".join(names)
        self.fields["names_confirmed"] = forms.BooleanField(
            label=f"Publish with {'this name' if len(names) == 1 else 'these names'}: {listed}",
            help_text="Only if the person who asked chose to be named, or the names do not "
            "give away who asked.",
            error_messages={
                "required": "Confirm the names may be published, or change the question to "
                "take them out"
            },
        )
        self.helper.layout = Layout(*self.fields)  # type: ignore[attr-defined]

    def names_confirmed(self) -> bool:
        return bool(self.cleaned_data.get("names_confirmed"))  # type: ignore[attr-defined]


class AnswerForm(GovUKForm):
    text = forms.CharField(
        label="Question as it will be published",
        help_text=PUBLISHED_WORDING_HINT,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=MAX_TEXT,
        error_messages={"required": "Write the question as it will be published"},
    )
    answer = forms.CharField(
        label="Answer",
        help_text="Published to everyone with the question, and sent to every organisation "
        "that registered interest.",
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=MAX_TEXT,
        error_messages={"required": "Enter the answer"},
    )


class ConfirmAnswerForm(NamesConfirmationMixin, GovUKForm):
    """The check step: the wording and answer carried unchanged, and the names confirmation."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_TEXT)
    answer = forms.CharField(widget=forms.HiddenInput, max_length=MAX_TEXT)

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ask_to_confirm(names)


class EditTextForm(VersionedFormMixin, NamesConfirmationMixin, GovUKForm):
    text = forms.CharField(
        label="Question as published",
        help_text=PUBLISHED_WORDING_HINT,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=MAX_TEXT,
        error_messages={"required": "Write the question as it will be published"},
    )


class CloseForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="Why is this question closed?",
        choices=[
            (Question.Status.WITHDRAWN.value, "Withdrawn"),
            (Question.Status.DUPLICATE.value, "A duplicate of another question"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select withdrawn or duplicate"},
    )
    duplicate_of = forms.ModelChoiceField(
        label="Which question does it duplicate? (if a duplicate)",
        queryset=Question.objects.none(),
        required=False,
        empty_label="Not a duplicate",
    )
    reason = forms.CharField(
        label="Reason (published)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Question.objects.filter(opportunity_id=question.opportunity_id).exclude(
            pk=question.pk
        )
        field = self.fields["duplicate_of"]
        field.queryset = others.order_by("number")  # type: ignore[attr-defined]
        field.label_from_instance = lambda q: f"Question {q.number}"  # type: ignore[attr-defined]
