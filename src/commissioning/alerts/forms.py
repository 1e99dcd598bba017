"""The alert form (issue 18, PRO-6): what to hear about, where, on what and for whom, and
whether to get an email as well."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Layout
from django import forms

from commissioning.alerts.models import ItemKind
from commissioning.directory.forms import (
    AreaChoiceField,
    areas_in_order,
    cohorts_field,
    specialisms_field,
)
from commissioning.directory.models import Area
from commissioning.kernel.forms import GovUKForm


class SubscriptionForm(GovUKForm):
    kinds = forms.MultipleChoiceField(
        label="What do you want to hear about?",
        choices=ItemKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one of opportunities, consultations or events",
            "invalid_choice": "Select what to hear about from the list",
        },
    )
    areas = AreaChoiceField(
        label="Areas",
        help_text="Leave empty for anywhere. A probation region includes the police force areas "
        "in it, and work across England and Wales is included in every area.",
        queryset=Area.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "“%(value)s” is not an area on the list",
            "invalid_list": "Select the areas from the list",
        },
    )
    specialisms = specialisms_field("Leave empty for any kind of service")
    cohorts = cohorts_field(
        "Leave empty for anyone. An item matches when its commissioner says it serves the group."
    )
    by_email = forms.BooleanField(
        label="Email me as well",
        help_text="You always see alerts in your notifications on the platform",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas_in_order()  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.checkboxes("kinds"),
            *(Field.checkboxes(name, small=True) for name in ("areas", "specialisms", "cohorts")),
            Field.checkbox("by_email"),
        )


def initial_for(subscription: Any) -> dict[str, Any]:
    return {
        "kinds": list(subscription.kinds),
        "areas": [area.slug for area in subscription.areas.all()],
        "specialisms": [item.slug for item in subscription.specialisms.all()],
        "cohorts": [item.slug for item in subscription.cohorts.all()],
        "by_email": subscription.by_email,
    }
