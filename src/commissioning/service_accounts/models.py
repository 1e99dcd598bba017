"""An organisation's API token (a service account): named, acting for exactly one organisation,
stored only as a SHA-256 digest with a short visible prefix, revocable (REF-1, REF-2).

The secret is shown once, when it is made; nobody (the platform included) can show it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OrganisationToken(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system.")
    prefix = models.CharField(
        max_length=16, help_text="The token's first characters, to tell tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at", "-pk"]
        verbose_name = "organisation API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_label(self) -> str:
        """Who the audit trail names when the token acts (no person does)."""
        return f"token {self.prefix}… of {self.organisation}"[:150]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
