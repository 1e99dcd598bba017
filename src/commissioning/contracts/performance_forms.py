"""Forms for a contract's KPIs, assessments, performance failures and changes (LAW-4, LAW-1;
issue 15). They only read the input: the rules are in :mod:`.performance` and
:mod:`.lifecycle`, which the pages and the API share, so both refuse the same things with the
same words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Layout
from django import forms

from commissioning.audit.versions import VersionedFormMixin
from commissioning.contracts.models import (
    Contract,
    ContractChange,
    Kpi,
    KpiRating,
    PerformanceFailure,
)
from commissioning.contracts.performance import RatingInput
from commissioning.kernel.forms import FirstOptionBoundField, GovUKForm, date_field


def _choice(label: str, choices: Any, message: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def _text(label: str, message: str, *, long: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput,
        error_messages={
            "required": message,
            "max_length": f"{label} must be 2,000 characters or fewer",
        },
    )


class KpiForm(VersionedFormMixin, GovUKForm):
    """A KPI; pass ``versioned=kpi`` when editing one, so that a save from before someone
    else's change to it is refused (issue 13 item 4)."""

    name = _text("Name", "Enter the KPI's name")
    measure = _text(
        "Measure",
        "Enter what is measured and how",
        long=True,
        help_text="What is counted and how, for example the share of referrals first seen "
        "within 5 working days.",
    )
    target = _text("Target", "Enter the target", help_text="For example, 90%.")
    frequency = _choice(
        "How often is it assessed?", Kpi.Frequency.choices, "Select how often the KPI is assessed"
    )
    data_source = _choice(
        "Where do the figures come from?",
        Kpi.DataSource.choices,
        "Select where the figures come from",
    )


class AssessmentForm(GovUKForm):
    """The period and, for each KPI of the contract, its rating and result."""

    period_start = date_field("Start of the period assessed")
    period_end = date_field("End of the period assessed")
    is_final = forms.BooleanField(
        label="This is the final assessment, at the end of the contract", required=False
    )

    def __init__(
        self,
        *args: Any,
        contract: Contract,
        figures: PlatformFigures | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kpis = list(contract.kpis.all())
        self.figures = figures
        for kpi in self.kpis:
            self.fields[f"rating_{kpi.pk}"] = _choice(
                f"Rating for {kpi.name} (target {kpi.target})",
                KpiRating.Rating.choices,
                f"Select a rating for {kpi.name}",
            )
            self.fields[f"result_{kpi.pk}"] = _text(
                f"Result for {kpi.name}", f"Enter the result for {kpi.name}"
            )
            self.fields[f"comment_{kpi.pk}"] = forms.CharField(
                label=f"Comment on {kpi.name} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"rating_{kpi.pk}"].bound_field_class = FirstOptionBoundField
            if figures is not None and kpi.pk in figures.by_kpi:
                figure = figures.by_kpi[kpi.pk]
                self.fields[f"result_{kpi.pk}"].help_text = (
                    f"From this platform's records, {figures.period_label}: "
                    f"{figure or 'nothing recorded'}."
                )
                if figure:
                    self.fields[f"result_{kpi.pk}"].initial = figure
        # The helper's layout was made from the fields before the KPIs' were added.
        self.helper.layout = Layout(*self.fields)

    def ratings(self) -> list[RatingInput]:
        data = self.cleaned_data
        return [
            RatingInput(
                kpi.pk,
                data.get(f"rating_{kpi.pk}") or "",
                data.get(f"result_{kpi.pk}") or "",
                data.get(f"comment_{kpi.pk}") or "",
            )
            for kpi in self.kpis
        ]


@dataclass(frozen=True)
class PlatformFigures:
    """The figures the platform computed for the KPIs measured from its records over the period
    the form shows them for (issue 15 item 1)."""

    first: date
    last: date
    by_kpi: dict[int, str | None]

    @property
    def period_label(self) -> str:
        return f"{self.first:%-d %B %Y} to {self.last:%-d %B %Y}"


class FailureForm(GovUKForm):
    requirement = _text("Requirement not met", "Enter the requirement that was not met", long=True)
    description = _text("What happened", "Describe the failure", long=True)
    decided_on = date_field("Date the failure was decided")
    penalty_type = _choice(
        "How was the penalty decided?",
        PerformanceFailure.PenaltyType.choices,
        "Select how the penalty was decided",
    )
    penalty_value = forms.DecimalField(
        label="Penalty value in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the penalty value as a number of pounds",
            "min_value": "The penalty value cannot be negative",
        },
    )


class ChangeForm(GovUKForm):
    kind = _choice("What changes?", ContractChange.Kind.choices, "Select what changes")
    description = _text("The change", "Describe the change", long=True)
    reason = _text("Why is the contract changing?", "Enter why the contract is changing", long=True)
    new_annual_value = forms.DecimalField(
        label="New annual value in pounds",
        help_text="Only for a change of value.",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the new annual value as a number of pounds"},
    )
    new_end_date = date_field(
        "New end date",
        help_text="Only for a change of term or an extension. For example, 31 3 2029.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_end_date"].required = False
