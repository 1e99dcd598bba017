"""The notices already sent about a bid-candy flag (SUP-2): one row per sub-contractor and
measure, so that evaluating the flags again never tells anyone twice."""

from __future__ import annotations

from typing import Any

from django.db import models


class FlagNotice(models.Model):
    party = models.ForeignKey(
        "contracts.ContractParty", on_delete=models.CASCADE, related_name="flag_notices"
    )
    measure = models.CharField(max_length=20)
    quarter = models.DateField(help_text="The first day of the quarter the flag first appeared.")
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "measure"], name="flag_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure} flag for {self.party} from {self.quarter}"


class ConductLevel(models.TextChoices):
    """How far the prime meets one principle of the code of conduct, as the independent reviewer
    judges it (SUP-3)."""

    MEETS = "meets", "Meets the standard"
    PARTLY = "partly", "Partly meets the standard"
    DOES_NOT_MEET = "does_not_meet", "Does not meet the standard"


class CodeOfConductRating(models.Model):
    """The independent reviewer's published rating of how a contract's prime treats its supply
    chain (SUP-3). Published as soon as it is recorded and never edited: a later rating of the
    same contract supersedes it, and the earlier one stays as history."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="conduct_ratings"
    )
    assessed_on = models.DateField()
    summary = models.TextField()
    # Who recorded it is also in the audit trail, which outlives the account.
    recorded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conduct_ratings",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Code-of-conduct rating of {self.contract} on {self.assessed_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A published code-of-conduct rating is never edited; record a new one")
        super().save(*args, **kwargs)


class PrincipleRating(models.Model):
    """One principle's level and the reviewer's reasons, within a rating."""

    rating = models.ForeignKey(
        CodeOfConductRating, on_delete=models.CASCADE, related_name="principles"
    )
    principle = models.CharField(max_length=40)
    level = models.CharField(max_length=20, choices=ConductLevel.choices)
    reasons = models.TextField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "principle"], name="principle_rated_once")
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {self.get_level_display()}"
