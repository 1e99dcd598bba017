"""The equality impact assessment form (EQU-1): one page, every field optional so a draft can be
saved part-written; what publication needs is :func:`.lifecycle.publish_problems`, shown on this
form when the commissioner continues to check their answers."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.equality.models import Characteristic, Impact
from commissioning.exercises.models import CommissioningExercise
from commissioning.kernel.forms import CHOICE_LIST_WIDGETS, FirstOptionBoundField, GovUKForm


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssessmentForm(GovUKForm):
    def __init__(
        self, *args: Any, exercise: CommissioningExercise, revising: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"] = _text(
            "What the assessment covers",
            "The service, who it is for and the decisions this assessment informs.",
        )
        for characteristic in Characteristic:
            key, label = characteristic.value, characteristic.label
            self.fields[f"{key}_evidence"] = _text(
                f"{label}: evidence",
                "What the needs assessment, monitoring data and engagement tell you.",
            )
            self.fields[f"{key}_impact"] = forms.ChoiceField(
                label=f"{label}: likely impact",
                choices=Impact.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{key}_mitigation"] = _text(
                f"{label}: mitigation",
                "Needed when the impact is negative or not known.",
            )
        self.fields["organisations_engaged"] = _text(
            "Specialist organisations engaged",
            "For example, organisations led by and for women, Black and minoritised people or "
            "disabled people.",
        )
        self.fields["service_users_engaged"] = _text(
            "How service users were engaged",
            "Who took part and how, without naming anyone.",
        )
        consultations = Consultation.objects.filter(exercise=exercise).order_by("opens_at", "pk")
        if consultations.exists():
            self.fields["consultations"] = forms.ModelMultipleChoiceField(
                label="Consultations that informed the assessment",
                queryset=consultations,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        events = MarketEvent.objects.filter(exercise=exercise).order_by("starts_at", "pk")
        if events.exists():
            self.fields["market_events"] = forms.ModelMultipleChoiceField(
                label="Market engagement events that informed the assessment",
                queryset=events,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if revising:
            self.fields["revision_reason"] = _text(
                "Why the assessment is being revised",
                "Published with the new version.",
            )
        for field in self.fields.values():
            if isinstance(field.widget, CHOICE_LIST_WIDGETS):
                field.bound_field_class = FirstOptionBoundField
