"""People and their roles; membership of organisations (providers and commissioning bodies)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Role(models.TextChoices):
        COMMISSIONER = "commissioner", "Commissioner"
        EVALUATOR = "evaluator", "Evaluator"
        PROVIDER = "provider", "Provider member"
        REVIEWER = "reviewer", "Independent reviewer"
        ADMIN = "admin", "Site administrator"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PROVIDER)
    email = models.EmailField("Email address", unique=True)

    @property
    def is_site_admin(self) -> bool:
        return self.is_active and (self.role == self.Role.ADMIN or self.is_superuser)

    def approved_organisation_ids(self) -> set[int]:
        return set(
            self.memberships.filter(status=Membership.Status.APPROVED).values_list(
                "organisation_id", flat=True
            )
        )


class Membership(models.Model):
    """A person's membership of an organisation; provider members self-register (pending) and an
    organisation administrator (or a site administrator) approves them."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_org_admin = models.BooleanField("Organisation administrator", default=False)
    job_title = models.CharField(max_length=120, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation} ({self.get_status_display()})"
