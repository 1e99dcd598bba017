"""The forms of two-factor sign-in: one code field each, GOV.UK style."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.accounts import two_factor
from commissioning.kernel.forms import GovUKForm


def _code_field(label: str, hint: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=20,
        error_messages={"required": required},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


class SetUpForm(GovUKForm):
    """Confirms the authenticator being set up with the code it shows."""

    code = _code_field(
        "Code from your authenticator app",
        "The 6-digit code the app shows for this account, for example 123456",
        two_factor.SETUP_CODE_FORMAT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = self.fields["code"].widget.attrs
        attrs.update({"inputmode": "numeric", "class": "govuk-input--width-10"})


class VerifyForm(GovUKForm):
    """The second step of signing in."""

    code = _code_field(
        "Code",
        "The 6-digit code from your authenticator app, or one of your recovery codes",
        two_factor.CODE_FORMAT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["class"] = "govuk-input--width-10"
