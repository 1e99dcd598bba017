"""A referral of a person to a provider's service under a contract, and the dated, attributed
events it moved through (REF-1). The person is only a pseudonymous reference (a keyed hash of
the referrer's case reference, :mod:`.pseudonyms`); protected characteristics are optional
answers held for equality monitoring (:mod:`.characteristics`). ``status`` is written only by
:mod:`commissioning.referrals.lifecycle`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from commissioning.idempotency import key_constraint, key_field


class Referral(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        STARTED = "started", "Started"
        ENGAGED = "engaged", "Engaged"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DISENGAGED = "disengaged", "Disengaged"

    reference = models.CharField(max_length=20, unique=True)
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="referrals"
    )
    party = models.ForeignKey(
        "contracts.ContractParty",
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The contract party whose service the person is referred to.",
    )
    provider = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    referrer = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="referrals_made"
    )
    person = models.CharField(
        "Person's pseudonymous reference",
        max_length=64,
        help_text="A keyed hash of the referrer's case reference, never a name.",
    )
    need_group = models.CharField(max_length=60)
    characteristics = models.JSONField(
        default=dict,
        blank=True,
        help_text="Protected characteristics for equality monitoring: each optional.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    status_on = models.DateField(help_text="When the referral reached its current status.")
    referred_on = models.DateField()
    is_synthetic = models.BooleanField(default=False)
    personal_data_erased_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the protected characteristics and the pseudonymous reference were erased "
        "(the retention period after the referral ended); its counts are kept by its contract.",
    )
    submission_key = key_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [key_constraint("referrer", "referral_submission_key_unique")]
        indexes = [
            models.Index(fields=["contract", "status"], name="referral_contract_status"),
            # A contract's list, newest first, a page at a time (issue 14 speed).
            models.Index(
                fields=["contract", "-referred_on", "-id"], name="referral_contract_newest"
            ),
            models.Index(fields=["provider", "status"], name="referral_provider_status"),
            models.Index(fields=["referrer", "status"], name="referral_referrer_status"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.reference])


class ReferralEvent(models.Model):
    """One step of a referral: what happened (the status it moved to), the day it happened, who
    recorded it (a person, or the organisation's API token) for which organisation, and the
    reason where one is needed."""

    class Source(models.TextChoices):
        FORM = "form", "Web form"
        API = "api", "API"
        IMPORT = "import", "CSV import"
        DEMO = "demo", "Synthetic demo data"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(
        max_length=20, choices=Referral.Status.choices, help_text="The status it moved to."
    )
    happened_on = models.DateField()
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_with_token = models.ForeignKey(
        "service_accounts.OrganisationToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation's API token its case-management system recorded it with.",
    )
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "happened_on", "pk"]
        indexes = [models.Index(fields=["step", "happened_on"], name="referral_event_day")]

    def __str__(self) -> str:
        return f"{self.referral.reference}: {self.get_step_display()} on {self.happened_on}"


class ErasedCharacteristicCount(models.Model):
    """How many of a contract's referrals whose personal data was erased gave each answer to a
    protected characteristic ("" for not recorded): the only thing kept of those answers, so
    that the published equality counts do not change when the answers are erased."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="erased_characteristic_counts"
    )
    characteristic = models.CharField(max_length=40)
    answer = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "characteristic", "answer"],
                name="erased_characteristic_count_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}={self.answer or 'not recorded'}: {self.count}"
