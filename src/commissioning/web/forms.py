"""One GOV.UK base for every form (style.md: error summary done once).

Forms mix in :class:`GovUKFormMixin`; templates render them with
``{% include "includes/form.html" with form=form submit_label="Save" %}``, which shows the error
summary above the form and each error next to its field (crispy-forms-gds).
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from django import forms


class GovUKFormMixin:
    """Sets up a crispy-forms-gds helper: no <form> tag (the template owns it), labels sized s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        # includes/form.html renders the one CSRF token; crispy would add a second.
        self.helper.disable_csrf = True
        self.helper.label_size = "s"
        self.helper.legend_size = "s"


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass
