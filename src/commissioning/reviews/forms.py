"""The review's forms (CYC-4): the commissioner's conclusions and what will change, saved on a
draft part-written (what publishing needs is :func:`.lifecycle.publish_problems`), and how the
next cycle opens."""

from __future__ import annotations

from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning.reviews.services import NEXT_CYCLE_CHOICES


class ReviewForm(GovUKForm):
    conclusions = forms.CharField(
        label="Conclusions",
        help_text="What the figures and what people said show about this cycle.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    changes = forms.CharField(
        label="What we will change",
        help_text="What the next cycle's needs assessment, plan and contract will do differently.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NextCycleForm(GovUKForm):
    how = forms.ChoiceField(
        label="How the next cycle opens",
        choices=NEXT_CYCLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the next cycle opens",
            "invalid_choice": "Select how the next cycle opens",
        },
    )
