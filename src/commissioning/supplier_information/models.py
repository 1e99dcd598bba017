"""An organisation's core supplier information (LAW-5; Procurement Regulations 2024 reg. 6):
each save is a new, numbered, immutable version (who and when), so a bid can point at the
version current when it was submitted and the commissioner reads that one, not a later one.
It is never public: its members read it, and a commissioning body reads it through a share code
the organisation controls, or through a bid it received."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class LegalForm(models.TextChoices):
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CHARITABLE_COMPANY = "charitable_company", "Charitable company limited by guarantee"
    COMPANY_BY_GUARANTEE = "company_by_guarantee", "Company limited by guarantee (not a charity)"
    CIC = "cic", "Community interest company (CIC)"
    COMPANY_BY_SHARES = "company_by_shares", "Company limited by shares"
    MUTUAL = "mutual", "Co-operative or community benefit society"
    CHARITABLE_TRUST = "charitable_trust", "Charitable trust"
    UNINCORPORATED = "unincorporated", "Unincorporated association"
    PUBLIC_BODY = "public_body", "Public body"
    OTHER = "other", "Something else"


class SupplierInformationVersion(models.Model):
    """One saved version of an organisation's core information. Never changed once written:
    :meth:`save` refuses an update and :meth:`delete` refuses always. The versions go only with
    their organisation (the synthetic demo replacing its own); a bid protects the one it
    recorded."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="supplier_information"
    )
    number = models.PositiveIntegerField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(editable=False)
    # Basic information.
    legal_name = models.CharField("Registered name", max_length=200)
    legal_form = models.CharField(max_length=30, choices=LegalForm.choices)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    ppon = models.CharField("Public Procurement Organisation Number", max_length=40, blank=True)
    registered_address = models.TextField()
    # Economic and financial standing: the latest accounts.
    accounts_year_end = models.DateField("Year end of the latest accounts")
    turnover = models.DecimalField("Income in the latest accounts", max_digits=14, decimal_places=2)
    reserves = models.DecimalField(
        "Unrestricted reserves at the year end", max_digits=14, decimal_places=2
    )
    # Connected persons: [{"name", "role", "control"}] (no dates of birth are ever asked).
    connected_persons = models.JSONField(default=list)
    # Declarations: {ground key: {"applies": bool, "details": str}} (see grounds.py).
    declarations = models.JSONField(default=dict)

    class Meta:
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="one_supplier_information_number_per_org"
            )
        ]
        verbose_name = "core supplier information version"

    def __str__(self) -> str:
        return f"{self.organisation}: core supplier information version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError("A saved version cannot be changed: save a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("A saved version cannot be deleted.")


class ShareCode(models.Model):
    """A code the organisation gives one commissioning body to read its current version.
    Revoked (``revoked_at`` set) it shows nothing, to anyone."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="supplier_share_codes"
    )
    commissioning_body = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=20, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Share code for {self.commissioning_body} from {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
