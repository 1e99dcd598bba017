"""A contract let for a lot: its parties, its supply chain exactly as bid, its payment mechanism
(the versioned JSON format of ``commissioning_analytics.payments``) and the volumes and outcomes
observed so far (PBR-1 .. PBR-6, PRO-7).

The mechanism and the observations are stored as the documents the core validates, so the
payments are always computed by the core from the same data an analyst gets from the API or
the CLI; :mod:`commissioning.contracts.services` validates them before they are saved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Contract(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        TERMINATED = "terminated", "Terminated"

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    lot = models.ForeignKey("procurement.Lot", on_delete=models.PROTECT, related_name="contracts")
    commissioning_body = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="contracts_commissioned"
    )
    prime = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="contracts_as_prime"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    annual_value = models.DecimalField("Annual value (£)", max_digits=14, decimal_places=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # How it came to a close (written by contracts/lifecycle.py with the status): the last day it
    # ran, when that was recorded (the contract termination notice's date) and, when it was
    # terminated early, why.
    ended_on = models.DateField("Ended on", null=True, blank=True)
    end_recorded_at = models.DateTimeField(null=True, blank=True)
    termination_reason = models.TextField("Why it was terminated early", blank=True)
    mechanism = models.JSONField(help_text="Payment mechanism, format version 1")  # PBR-1
    observed = models.JSONField(
        null=True, blank=True, help_text="Observed volumes and outcomes, format version 1"
    )
    assumptions = models.JSONField(
        null=True,
        blank=True,
        help_text="Stress-test assumptions (referrals, outcome rates, reserves), optional",
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "reference"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.reference])


class ContractParty(models.Model):
    """A party named in the mechanism (``party_id``), linked to its directory entry where it
    has one; for sub-contractors, what they were promised in the bid (PRO-7, SUP-1)."""

    class Role(models.TextChoices):
        COMMISSIONER = "commissioner", "Commissioner"
        OUTCOME_PAYER = "outcome_payer", "Outcome payer"
        PRIME = "prime", "Prime contractor"
        SUBCONTRACTOR = "subcontractor", "Sub-contractor"
        INVESTOR = "investor", "Social investor"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    party_id = models.SlugField(max_length=60, help_text="The party's id in the mechanism")
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract_parties",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    role_as_bid = models.CharField(
        "Role as bid",
        max_length=200,
        blank=True,
        help_text="The sub-contractor's role in the bid's own words.",  # PRO-7
    )
    services = models.TextField(blank=True)
    promised_referrals_per_year = models.PositiveIntegerField(null=True, blank=True)
    promised_value_per_year = models.DecimalField(
        "Promised value per year (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["contract", "role", "party_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "party_id"], name="contract_party_id_unique"
            )
        ]
        verbose_name_plural = "contract parties"

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.party_id}"
