"""Forms for commissioning exercises (CYC-1): one set of validation for the web pages and the API.

The forms only parse and check input; :mod:`commissioning.exercises.services` does the writes and
holds the business rules (which :meth:`ExerciseEditForm.clean` calls), so the web and the API give
the same errors. Choices are identified by slug, which is what the API accepts too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from commissioning import permissions
from commissioning.accounts.organisation_search import public_bodies
from commissioning.audit.versions import VersionedFormMixin
from commissioning.directory.models import Area, Organisation, Specialism
from commissioning.exercises import services
from commissioning.exercises.lifecycle import Stage, allowed_next
from commissioning.exercises.models import CommissioningExercise
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm
from commissioning.kernel.widgets import ChooseSeveral

TIER_CHOICES = CommissioningExercise.Tier.choices


def commissioning_bodies() -> Any:
    return Organisation.objects.filter(is_commissioning_body=True)


class ExerciseEditForm(VersionedFormMixin, GovUKForm):
    """The fields of an exercise that can change after it is created (not its body or reference)."""

    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    tier = forms.ChoiceField(
        choices=TIER_CHOICES,
        widget=forms.RadioSelect,
        help_text="The tier must match the tier of the commissioning body.",
        error_messages={
            "required": "Select the tier the exercise is commissioned at",
            "invalid_choice": "Select national, sub-national or local",
        },
    )
    partners = forms.ModelMultipleChoiceField(
        label="Joint-commissioning partners (optional)",
        queryset=public_bodies(),
        to_field_name="slug",
        required=False,
        widget=ChooseSeveral("Add a partner"),
        help_text="Public bodies (health, police, local authority) commissioning with you.",
        error_messages={"invalid_choice": "Select partners from the list of public bodies"},
    )
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=Specialism.objects.all(),
        to_field_name="slug",
        empty_label="Select a service area",
        error_messages={
            "required": "Select a service area",
            "invalid_choice": "Select a service area from the list",
        },
    )
    areas = forms.ModelMultipleChoiceField(
        label="Geography",
        queryset=Area.objects.all(),
        to_field_name="slug",
        widget=ChooseSeveral("Add an area"),
        help_text="Select every area the exercise covers.",
        error_messages={
            "required": "Select at least one area the exercise covers",
            "invalid_choice": "Select areas from the list",
            "invalid_list": "Select areas from the list",
        },
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is being commissioned, for whom, and why.",
        error_messages={"required": "Enter a summary"},
    )
    estimated_annual_value = forms.DecimalField(
        label="Estimated annual value in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text="For example, 450000 or 450000.50",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Estimated annual value must be an amount in pounds, like 450000",
            "min_value": "Estimated annual value must be £0 or more",
            "max_digits": "Estimated annual value must be less than £1 trillion",
            "max_decimal_places": "Estimated annual value must have no more than 2 decimal places",
            "max_whole_digits": "Estimated annual value must be less than £1 trillion",
        },
    )

    def __init__(self, *args: Any, exercise: CommissioningExercise | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.exercise = exercise

    def body(self) -> Organisation | None:
        return self.exercise.commissioning_body if self.exercise else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        body = self.body()
        if body is not None:
            errors = services.exercise_rule_errors(
                body, cleaned.get("tier"), list(cleaned.get("partners") or [])
            )
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class ExerciseForm(ExerciseEditForm, SubmissionKeyForm):
    """A new exercise: the editable fields plus the commissioning body it belongs to.

    Any commissioning body is a valid value (so that naming a body you do not belong to is refused
    as a permission failure, 403, by the service), but only the user's own bodies are offered.
    """

    commissioning_body = forms.ModelChoiceField(
        label="Commissioning body",
        queryset=commissioning_bodies(),
        to_field_name="slug",
        empty_label="Select a commissioning body",
        error_messages={
            "required": "Select the commissioning body",
            "invalid_choice": "Select a commissioning body from the list",
        },
    )

    field_order = [
        "title",
        "tier",
        "commissioning_body",
        "partners",
        "service_area",
        "areas",
        "summary",
        "estimated_annual_value",
    ]

    def __init__(self, *args: Any, user: permissions.Visitor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = permissions.commissioning_bodies_for(user)
        field = self.fields["commissioning_body"]
        field.widget.choices = [("", "Select a commissioning body")] + [
            (b.slug, b.name) for b in own
        ]
        if len(own) == 1 and not self.is_bound:
            self.initial.setdefault("commissioning_body", own[0].slug)

    def body(self) -> Organisation | None:
        return getattr(self, "cleaned_data", {}).get("commissioning_body")


class StageChoiceField(forms.ChoiceField):
    """Offers the stages the exercise may move to, but accepts any stage of the cycle so that the
    lifecycle (not the form) explains why a move is not allowed."""

    def valid_value(self, value: Any) -> bool:
        return value in {stage.value for stage in Stage}


class StageChangeForm(GovUKForm):
    stage = StageChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the stage to move the exercise to",
            "invalid_choice": "Select a stage of the commissioning cycle",
        },
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the public stage history. Needed when moving back a stage.",
        error_messages={"max_length": "Reason must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, exercise: CommissioningExercise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        stage_field = cast(forms.ChoiceField, self.fields["stage"])
        stage_field.choices = [
            (stage.value, stage.label) for stage in allowed_next(exercise.current_stage)
        ]

    def target(self) -> Stage:
        return Stage(self.cleaned_data["stage"])


class ExerciseFilterForm(GovUKForm):
    """The filters of the public list and the API (GET): every field optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True  # a GET form: no token in the address bar

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Title, reference or summary",
        error_messages={"max_length": "Search must be 200 characters or fewer"},
    )
    tier = forms.ChoiceField(
        required=False,
        choices=[("", "Any tier"), *TIER_CHOICES],
        error_messages={"invalid_choice": "Select a tier from the list"},
    )
    stage = forms.ChoiceField(
        required=False,
        choices=[("", "Any stage"), *((s.value, s.label) for s in Stage)],
        error_messages={"invalid_choice": "Select a stage from the list"},
    )
    area = forms.ModelChoiceField(
        required=False,
        queryset=Area.objects.all(),
        to_field_name="slug",
        empty_label="Any area",
        error_messages={"invalid_choice": "Select an area from the list"},
    )
    body = forms.ModelChoiceField(
        label="Commissioning body",
        required=False,
        queryset=commissioning_bodies(),
        to_field_name="slug",
        empty_label="Any commissioning body",
        error_messages={"invalid_choice": "Select a commissioning body from the list"},
    )


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    """A form's errors as ``{field: [message, …]}`` for JSON responses."""
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}
