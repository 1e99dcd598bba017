"""Alerts (issue 18, PRO-6): a person's subscriptions to new opportunities, consultations and
market engagement events, by area, specialism and group of people, and a record of each alert
sent so nobody is told twice about the same thing."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    """An unguessable feed address part: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class ItemKind(models.TextChoices):
    OPPORTUNITY = "opportunity", "Opportunities"
    CONSULTATION = "consultation", "Consultations"
    EVENT = "event", "Market engagement events"


class Subscription(models.Model):
    """What one person wants to hear about. An empty list of areas, specialisms or groups of
    people means "any"; the kinds are never empty (the form and the service refuse it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    kinds = models.JSONField("What to hear about", default=list)
    areas = models.ManyToManyField("directory.Area", related_name="+", blank=True)
    specialisms = models.ManyToManyField("directory.Specialism", related_name="+", blank=True)
    cohorts = models.ManyToManyField("directory.Cohort", related_name="+", blank=True)
    by_email = models.BooleanField("Also send an email", default=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Alert {self.pk} of {self.user}"


class AlertSent(models.Model):
    """One row per person and published item: the alert goes out once, however many of the
    person's subscriptions match and however often the item is saved again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_kind = models.CharField(max_length=20, choices=ItemKind.choices)
    item_id = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item_kind", "item_id"], name="alert_sent_once_per_person_and_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_kind} {self.item_id} to {self.user}"
