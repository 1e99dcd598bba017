"""The form that names a new API token (REF-1, REF-2)."""

from __future__ import annotations

from django import forms

from commissioning.kernel.forms import GovUKForm
from commissioning.service_accounts.services import NAME_MAX_LENGTH


class TokenForm(GovUKForm):
    name = forms.CharField(
        label="Name of the token",
        max_length=NAME_MAX_LENGTH,
        help_text="Say which system will use it, for example “Case management (live)”.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"Name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
