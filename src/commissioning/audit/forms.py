"""The audit trail's filter form (GET)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from commissioning.audit import services
from commissioning.audit.models import AuditEvent
from commissioning.kernel.forms import GovUKForm


def _choices(field: str, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """The values recorded so far (a filter can only match those), labelled for people."""
    values = AuditEvent.objects.order_by(field).values_list(field, flat=True).distinct()
    options = sorted(((value, label(value)) for value in values if value), key=lambda o: o[1])
    return [("", "Any"), *options]


class AuditFilterForm(GovUKForm):
    target_type = forms.ChoiceField(label="Record type", required=False)
    action = forms.ChoiceField(label="Action", required=False)
    actor = forms.CharField(
        label="Who",
        required=False,
        max_length=150,
        help_text="Username, or part of it. Enter “system” for automatic changes.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True  # a GET form: no token in the URL
        target_type = self.fields["target_type"]
        action = self.fields["action"]
        assert isinstance(target_type, forms.ChoiceField)
        assert isinstance(action, forms.ChoiceField)
        target_type.choices = _choices("target_type", services.target_type_label)
        action.choices = _choices("action", services.action_label)
