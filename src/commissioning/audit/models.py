"""The audit trail: who did what, when, to which record, and what changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    # Set before saving (not auto_now_add), so that the hash covers the time that is stored.
    occurred_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=60)
    target_label = models.CharField(max_length=250)
    changes = models.JSONField(default=dict, blank=True)
    # The hash chain (issue 13 item 1): see commissioning.audit.chain.
    previous_hash = models.CharField(max_length=64, editable=False, default="")
    entry_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new event is appended to the hash chain in the saving transaction; events are
        never changed once written."""
        if not self._state.adding:
            raise ValueError("audit events are never changed once written")
        from commissioning.audit.chain import link

        with transaction.atomic(using=kwargs.get("using")):
            link(self)
            super().save(*args, **kwargs)
