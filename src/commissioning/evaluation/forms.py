"""Evaluation forms (EVA-5): assigning, declaring interests, scoring and moderating."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning_analytics.scoring.criteria import Scale


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _scale_choices(scale: Scale) -> list[tuple[str, str]]:
    return [(str(band.score), f"{band.score} – {band.descriptor}") for band in scale.bands]


def _people_choices(prompt: str, people: Any) -> list[tuple[str, str]]:
    return [("", prompt)] + [
        (str(u.pk), f"{u.get_full_name() or u.email} ({u.email})") for u in people
    ]


class AssignForm(GovUKForm):
    criterion = forms.ChoiceField(label="Criterion")
    evaluator = forms.ChoiceField(label="Evaluator")

    def __init__(self, *args: Any, criteria: Any, evaluators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "criterion",
            [("", "Choose a criterion")]
            + [(str(c.pk), f"{c.name} ({c.get_kind_display()}, {c.weight}%)") for c in criteria],
        )
        _set_choices(self, "evaluator", _people_choices("Choose an evaluator", evaluators))


class AdviserForm(GovUKForm):
    """An adviser to the panel (PRO-11): scores nothing, declares interests before any bid."""

    adviser = forms.ChoiceField(label="Adviser", error_messages={"required": "Choose the adviser"})
    expertise = forms.CharField(
        label="What they advise on",
        max_length=200,
        help_text="For example: finance, legal, lived experience of the justice system.",
        error_messages={"required": "Say what the adviser advises on"},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "adviser", _people_choices("Choose an adviser", people))


class DeclarationForm(GovUKForm):
    """One conflict question (and details) per bidding organisation."""

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        for org in self.organisations:
            self.fields[f"org-{org.pk}"] = forms.ChoiceField(
                label=f"Do you have a conflict of interest with {org.name}?",
                choices=[("no", "No conflict"), ("yes", "Yes, I have a conflict")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether you have a conflict with {org.name}."},
            )
            self.fields[f"org-{org.pk}-details"] = forms.CharField(
                label=f"Details of your conflict with {org.name} (if any)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[int, tuple[bool, str]]:
        return {
            org.pk: (
                self.cleaned_data[f"org-{org.pk}"] == "yes",
                self.cleaned_data.get(f"org-{org.pk}-details", ""),
            )
            for org in self.organisations
        }


class ScoreForm(GovUKForm):
    score = forms.ChoiceField(label="Score", widget=forms.RadioSelect)
    justification = forms.CharField(
        label="Justification",
        help_text="Explain the score against the criterion and the scale's descriptors.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "score", _scale_choices(scale))


class ModerateForm(GovUKForm):
    score = forms.ChoiceField(label="Agreed score", widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Rationale for the agreed score", widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "score", _scale_choices(scale))
