"""Ring-fenced budgets (CYC-5): money earmarked for a purpose — women's services,
BAME-specialist services, small local grants, services led by people with lived experience —
on a contract or across an area, and the invoices charged to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class RingFence(models.Model):
    """Money earmarked for a purpose (CYC-5): a share of one contract's value or of an area's
    commissioning budget, published with its amount. Spend against it is read from the invoices
    charged to it and the awards of the grant rounds that count against it."""

    class Purpose(models.TextChoices):
        WOMEN = "women", "Women's services"
        BAME = "bame", "BAME-specialist services"
        SMALL_LOCAL = "small_local", "Small local grants"
        LIVED_EXPERIENCE = "lived_experience", "Services led by people with lived experience"

    commissioning_body = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="ring_fences"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="ring_fences",
        null=True,
        blank=True,
    )
    area = models.ForeignKey(
        "directory.Area",
        on_delete=models.PROTECT,
        related_name="ring_fences",
        null=True,
        blank=True,
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    amount = models.DecimalField("Amount earmarked (£)", max_digits=14, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField("What the money is for", blank=True)
    # Grant rounds whose awards count against it. A prime's small-grants pot under the same
    # contract counts against the contract's small local grants ring-fence without a link.
    grant_rounds = models.ManyToManyField(
        "grants.GrantRound", related_name="ring_fences", blank=True
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ring_fences_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="ring_fence_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(contract__isnull=False) | models.Q(area__isnull=False),
                name="ring_fence_on_contract_or_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: £{self.amount:,} ({self.scope})"

    def get_absolute_url(self) -> str:
        return reverse("ringfences:detail", args=[self.pk])

    @property
    def scope(self) -> str:
        if self.contract is not None:
            return f"contract {self.contract.reference}"
        return f"{self.area}"


class RingFenceCharge(models.Model):
    """An invoice the commissioner charged to a ring-fence: what it says was spent from it."""

    ring_fence = models.ForeignKey(RingFence, on_delete=models.CASCADE, related_name="charges")
    invoice = models.ForeignKey(
        "invoices.Invoice", on_delete=models.CASCADE, related_name="ring_fence_charges"
    )
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    charged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ring_fence", "invoice"], name="one_charge_per_invoice_and_ring_fence"
            )
        ]

    def __str__(self) -> str:
        return f"Invoice {self.invoice_id} charged to ring-fence {self.ring_fence_id}"
