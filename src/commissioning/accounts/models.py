"""People and their roles; membership of organisations (providers and commissioning bodies)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Role(models.TextChoices):
        COMMISSIONER = "commissioner", "Commissioner"
        EVALUATOR = "evaluator", "Evaluator"
        # Commissioner-side: refers people to services under a contract and answers providers'
        # escalations (REF-1, REF-2).
        PROBATION = "probation", "Probation practitioner"
        PROVIDER = "provider", "Provider member"
        REVIEWER = "reviewer", "Independent reviewer"
        # Holds the national offence and person extract for outcome studies and the key that
        # pseudonymises identifiers (OUT-1): an analyst at the Ministry of Justice or HMPPS.
        STEWARD = "steward", "Data steward"
        # Inspects every commissioning body against the national standards (MKT-3).
        INSPECTOR = "inspector", "Inspector"
        ADMIN = "admin", "Site administrator"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PROVIDER)
    email = models.EmailField("Email address", unique=True)
    # Self-registered accounts start unconfirmed and cannot sign in until the emailed link is
    # followed; accounts made by an administrator, the demo or a command are vouched for.
    email_verified = models.BooleanField(
        "Email address confirmed",
        default=True,
        help_text="People who registered themselves cannot sign in until they confirm it.",
    )

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
    """A person's membership of an organisation. Provider members ask to join (pending) and that
    organisation's administrators decide; an organisation with no administrator gets its first
    one through the support team's verification against its registered details, with the
    reason recorded (ADR 0009). Site administrators decide memberships of commissioning bodies."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class VerifiedAgainst(models.TextChoices):
        CHARITY_REGISTER = "charity_register", "The charity register entry (charity number)"
        COMPANIES_HOUSE = "companies_house", "The Companies House entry (company number)"
        REGISTERED_CONTACT = (
            "registered_contact",
            "A reply from the organisation's registered contact email address",
        )

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
    verified_against = models.CharField(
        "Checked against", max_length=30, choices=VerifiedAgainst.choices, blank=True
    )
    decision_reason = models.TextField(
        "Reason", blank=True, help_text="Why the support team verified or refused this person"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation} ({self.get_status_display()})"
