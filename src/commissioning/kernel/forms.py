"""One GOV.UK base for every form (style.md: error summary done once).

Forms mix in :class:`GovUKFormMixin`; templates render them with
``{% include "includes/form.html" with form=form submit_label="Save" %}``, which shows the error
summary above the form and each error next to its field (crispy-forms-gds).
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

CHOICE_LIST_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class FirstOptionBoundField(BoundField):
    """crispy-forms-gds numbers radios and checkboxes ``id_<name>_1``, ``_2``…, while the error
    summary links to the field's ``auto_id``; pointing ``auto_id`` at the first option makes the
    link land on it (GOV.UK pattern) and keeps the hint and error ids consistent."""

    @property
    def auto_id(self) -> str:
        return f"id_{self.html_name}_1" if super().auto_id else ""


class GovUKFormMixin:
    """Sets up a crispy-forms-gds helper: no <form> tag (the template owns it), labels sized s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        # includes/form.html renders the one CSRF token; crispy would add a second.
        self.helper.disable_csrf = True
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field.widget, CHOICE_LIST_WIDGETS):
                field.bound_field_class = FirstOptionBoundField
        self.helper.label_size = "s"
        self.helper.legend_size = "s"


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class RealDateField(DateInputField):
    """A day that does not exist (31 2 2027) is "Enter the date paid as a real date", not the
    library's "day is out of range for month"."""

    def compress(self, data_list: Any) -> Any:
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def date_field(label: str, help_text: str = "For example, 27 3 2027") -> DateInputField:
    """A GOV.UK date input (day, month, year) whose errors name the field: "Enter the date paid",
    "Enter the date paid as a day, month and year", "Enter the date paid as a real date"."""
    field = RealDateField(label=label, help_text=help_text, require_all_fields=False)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["incomplete"] = f"Enter the {label.lower()} as a day, month and year"
    field.error_messages["invalid"] = f"Enter the {label.lower()} as a real date"
    return field


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: next to each field it names, and in the
    error summary for the rest, so views never re-check the business rules themselves."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
