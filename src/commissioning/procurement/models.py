"""An opportunity (a tender within a commissioning exercise) and its lots (PRO-1, PRO-2).

A lot is the unit a contract is let for: by geography and/or service, with an estimated annual
value, a duration, a payment model summary and the financial-standing conditions bidders must
meet (a turnover multiple of the lot's annual value, months of reserves).
"""

from __future__ import annotations

from django.db import models


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Open for bids"
        CLOSED = "closed", "Closed for bids"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Cancelled"

    exercise = models.ForeignKey(
        "exercises.CommissioningExercise", on_delete=models.PROTECT, related_name="opportunities"
    )
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "reference"]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class Lot(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    areas = models.ManyToManyField("directory.Area", related_name="lots", blank=True)
    specialisms = models.ManyToManyField("directory.Specialism", related_name="lots", blank=True)
    estimated_annual_value = models.DecimalField(
        "Estimated annual value (£)", max_digits=14, decimal_places=2
    )
    duration_months = models.PositiveSmallIntegerField()
    payment_model_summary = models.TextField(blank=True)
    turnover_multiple = models.DecimalField(
        "Minimum turnover as a multiple of the annual value",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    minimum_reserves_months = models.DecimalField(
        "Minimum reserves (months of income)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="lot_number_unique")
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"
