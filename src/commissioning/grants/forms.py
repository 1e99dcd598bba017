"""Forms for grant rounds (CYC-6). They collect what people type; the rules are the
services' (:mod:`commissioning.grants.services`), whose errors the views put back on the form."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db import transaction

from commissioning.accounts.models import User
from commissioning.grants.models import GrantApplication, GrantCriterion, GrantRound
from commissioning.kernel.forms import GovUKForm, date_field

MONEY_HINT = "In pounds, for example 5000"
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def _refresh_layout(form: GovUKForm) -> None:
    """Fields added after construction: radios get the first-option label target, and the
    layout is rebuilt so every field renders."""
    from commissioning.kernel.forms import FirstOptionBoundField

    for field in form.fields.values():
        if isinstance(field.widget, CHOICE_WIDGETS):
            field.bound_field_class = FirstOptionBoundField
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = "s"
    helper.legend_size = "s"
    form.helper = helper


ROUND_FIELDS = (
    "title",
    "purpose",
    "eligibility",
    "amount_available",
    "minimum_grant",
    "maximum_grant",
    "short_form_limit",
    "opens_on",
    "closes_on",
    "decision_by",
)


class RoundForm(GovUKForm):
    title = forms.CharField(label="Title of the round", max_length=200)
    purpose = forms.CharField(label="What the grants are for", widget=forms.Textarea)
    eligibility = forms.CharField(label="Who can apply", widget=forms.Textarea)
    amount_available = forms.CharField(label="Total amount available", help_text=MONEY_HINT)
    minimum_grant = forms.CharField(label="Smallest grant", help_text=MONEY_HINT)
    maximum_grant = forms.CharField(label="Largest grant", help_text=MONEY_HINT)
    short_form_limit = forms.CharField(
        label="Largest amount applicants can ask for with the short form",
        help_text="Applicants asking for more than this also explain their budget, plan and "
        "risks. In pounds.",
    )
    opens_on = date_field("Opening date")
    closes_on = date_field("Closing date")
    decision_by = date_field("Decision date")
    criteria = forms.CharField(
        label="What applications are scored on",
        help_text="One criterion a line. Add what it looks for after a colon, for example: "
        "Need: who it helps and why",
        widget=forms.Textarea,
    )
    assessors = forms.MultipleChoiceField(
        label="Assessment panel", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.get_full_name() or p.username) for p in people]
        self.fields["assessors"].choices = choices  # type: ignore[attr-defined]
        self.fields["assessors"].error_messages["required"] = "Choose at least one assessor"

    def save_round(
        self, actor: User, exercise: Any, people: Any, contract: Any = None
    ) -> GrantRound | None:
        """Create the draft round (with ``contract``, the prime's small-grants pot) and its
        panel from the valid form, or put the service's errors back on the form."""
        from django.core.exceptions import ValidationError

        from commissioning.grants import services
        from commissioning.kernel.forms import apply_validation_error

        data = self.cleaned_data
        try:
            with transaction.atomic():
                grant_round = services.create_round(
                    actor,
                    exercise,
                    contract=contract,
                    criteria=self.criteria_pairs(),
                    **{field: data[field] for field in ROUND_FIELDS},
                )
                by_pk = {str(p.pk): p for p in people}
                for pk in data["assessors"]:
                    services.assign_assessor(actor, grant_round, by_pk[pk])
        except ValidationError as problem:
            apply_validation_error(self, problem)
            return None
        return grant_round

    def criteria_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.cleaned_data["criteria"].splitlines():
            if line.strip():
                title, _, description = line.partition(":")
                pairs.append((title.strip(), description.strip()))
        return pairs


class ApplicationForm(GovUKForm):
    organisation = forms.ChoiceField(label="Which organisation is applying?")
    title = forms.CharField(
        label="Give your project a short name",
        max_length=200,
        help_text="A few words, for example: Women's drop-in on Tuesdays",
    )
    activity = forms.CharField(
        label="What will you do?",
        widget=forms.Textarea,
        help_text="In plain words, as you would tell a neighbour. A few sentences is enough.",
    )
    beneficiaries = forms.CharField(
        label="Who is it for?",
        widget=forms.Textarea,
        help_text="Who will take part, and roughly how many people.",
    )
    amount_requested = forms.CharField(label="How much are you asking for?", help_text=MONEY_HINT)
    difference = forms.CharField(
        label="What difference will it make?",
        widget=forms.Textarea,
        help_text="What will be better for the people you help if you get the grant.",
    )
    budget_breakdown = forms.CharField(
        label="What will the money be spent on?",
        widget=forms.Textarea,
        required=False,
        help_text="Only if you are asking for more than the short-form limit. "
        "A rough list is fine: staff, room hire, travel, food.",
    )
    delivery_plan = forms.CharField(
        label="How and when will you do the work?",
        widget=forms.Textarea,
        required=False,
        help_text="Only if you are asking for more than the short-form limit.",
    )
    risks = forms.CharField(
        label="What could go wrong, and what would you do?",
        widget=forms.Textarea,
        required=False,
        help_text="Only if you are asking for more than the short-form limit.",
    )

    def __init__(
        self, *args: Any, organisations: Any = (), grant_round: GrantRound, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (str(o.pk), o.name) for o in organisations
        ]
        limit = f"£{grant_round.short_form_limit:,.0f}"
        for name in ("budget_breakdown", "delivery_plan", "risks"):
            self.fields[name].help_text = self.fields[name].help_text.replace(
                "the short-form limit", limit
            )
        if grant_round.maximum_grant <= grant_round.short_form_limit:
            for name in ("budget_breakdown", "delivery_plan", "risks"):
                del self.fields[name]
        for name in ("title", "activity", "beneficiaries", "amount_requested", "difference"):
            self.fields[name].required = False  # a draft may be partial; the service checks
        _refresh_layout(self)


class DeclarationForm(GovUKForm):
    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with this applicant?",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        help_text="For example, you work or volunteer there, or someone close to you does.",
    )
    details = forms.CharField(label="What is the conflict?", widget=forms.Textarea, required=False)


class ScoresForm(GovUKForm):
    """A score and a reason for each criterion: an assessor's own, or (``agreed``) the panel's
    moderated score with its note."""

    def __init__(
        self,
        *args: Any,
        criteria: list[GrantCriterion],
        agreed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"{'Agreed score' if agreed else 'Score'} for {criterion.title}",
                choices=[("", "Choose a score")]
                + [(str(n), str(n)) for n in range(criterion.max_score + 1)],
                help_text=f"0 (not shown) to {criterion.max_score} (strong). "
                f"{criterion.description}",
            )
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=f"{'How the panel agreed it' if agreed else 'Why'}: {criterion.title}",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        _refresh_layout(self)


class DecisionForm(GovUKForm):
    def __init__(self, *args: Any, applications: list[GrantApplication], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for application in applications:
            name = application.organisation.name
            self.fields[f"decision_{application.pk}"] = forms.ChoiceField(
                label=f"Decision for {name}",
                choices=[("award", "Award a grant"), ("decline", "Do not award")],
                widget=forms.RadioSelect,
            )
            self.fields[f"amount_{application.pk}"] = forms.CharField(
                label=f"Amount awarded to {name}",
                required=False,
                help_text=f"Asked for £{application.amount_requested:,}. "
                "Leave empty if not awarded.",
            )
            self.fields[f"feedback_{application.pk}"] = forms.CharField(
                label=f"Feedback for {name}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text="Every applicant reads this: say why.",
            )
        _refresh_layout(self)


class AgreementForm(GovUKForm):
    starts_on = date_field("Start date")
    ends_on = date_field("End date")
    first_due_on = date_field("First payment date")
    first_amount = forms.CharField(label="First payment amount", help_text=MONEY_HINT)
    second_due_on = date_field("Second payment date")
    second_amount = forms.CharField(
        label="Second payment amount", required=False, help_text="Leave empty for one payment."
    )
    monitoring_note = forms.CharField(
        label="What the organisation will report, and when",
        widget=forms.Textarea,
        help_text="Keep it light: ask for what they already collect.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["second_due_on"].required = False

    def instalments(self) -> list[tuple[Any, str]]:
        data = self.cleaned_data
        rows = [(data["first_due_on"], data["first_amount"])]
        if data.get("second_amount"):
            rows.append((data.get("second_due_on") or data["first_due_on"], data["second_amount"]))
        return rows


class MonitoringForm(GovUKForm):
    period_end = date_field("End of the period you are reporting on")
    people_helped = forms.CharField(label="How many people did the grant help?")
    summary = forms.CharField(
        label="What did the grant pay for?",
        widget=forms.Textarea,
        help_text="A few sentences, using what you already record.",
    )
