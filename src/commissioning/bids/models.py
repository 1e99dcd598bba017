"""Bids per lot (PRO-7, PRO-8, EVA-1, EVA-4), stored sealed.

Only metadata is stored in the clear: which organisation bids for which lot, the bid's status and
times, which organisations it names as sub-contractors and whether each agreed, document sizes
and the receipts. Everything a bid *says* — price, full-cost disclosure, subsidy declaration,
answers to the criteria, documents and their names, and the terms promised to each
sub-contractor — is held only as AES-GCM ciphertext under the opportunity's data key
(:class:`BidKey`), itself wrapped by the server's key-encryption key (ADR 0006).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class BidKey(models.Model):
    """The opportunity's data key, wrapped by the key-encryption key, and when the bids were
    opened (after the deadline, by a commissioner of the commissioning body)."""

    opportunity = models.OneToOneField(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="bid_key"
    )
    wrapped_key = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    def __str__(self) -> str:
        return f"Bid key for {self.opportunity_id}"


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    lot = models.ForeignKey("procurement.Lot", on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="bids"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sealed_content = models.BinaryField(editable=False, default=b"")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The bidder's core supplier information as it stood at the latest submission (LAW-5): the
    # commissioner reads this version, not a later one. In the clear, like who bids: it says
    # nothing about what the bid offers.
    supplier_information = models.ForeignKey(
        "supplier_information.SupplierInformationVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["lot", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "organisation"], name="one_bid_per_lot_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"Bid {self.pk} by {self.organisation} for {self.lot}"

    @property
    def content_context(self) -> str:
        return f"bid:{self.pk}:content"


class Subcontractor(models.Model):
    """An organisation named in a bid's supply chain (PRO-7). The terms promised to it (role,
    services, referrals and value a year) are sealed; it must confirm before the bid goes in."""

    class Consent(models.TextChoices):
        REQUESTED = "requested", "Waiting for an answer"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="supply_chain")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="subcontract_requests"
    )
    sealed_terms = models.BinaryField(editable=False)
    consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.REQUESTED)
    decline_reason = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bid", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "organisation"], name="one_subcontract_per_bid_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in bid {self.bid_id}"

    @property
    def terms_context(self) -> str:
        return f"bid:{self.bid_id}:subcontractor:{self.organisation_id}"


class BidDocument(models.Model):
    """A document attached to a bid: its name and bytes sealed; only its size is in the clear."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sealed_name = models.BinaryField(editable=False)
    sealed_data = models.BinaryField(editable=False)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["bid", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Document {self.key} of bid {self.bid_id}"

    @property
    def name_context(self) -> str:
        return f"bid:{self.bid_id}:document:{self.key}:name"

    @property
    def data_context(self) -> str:
        return f"bid:{self.bid_id}:document:{self.key}:data"


class Receipt(models.Model):
    """Proof of one submission: a reference, the server's time and a SHA-256 digest of the sealed
    content as submitted. The latest receipt of a submitted bid is the one that counts."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="receipts")
    reference = models.CharField(max_length=40, unique=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField("SHA-256 digest of the sealed bid", max_length=64)

    class Meta:
        ordering = ["bid", "-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.reference


class Consortium(models.Model):
    """Organisations bidding together (PRO-6): the bid's organisation is the lead, which prepares
    and submits the sealed bid; the members beneath agree to be named, as sub-contractors do.
    Who is in it, their roles and shares of the work are metadata, in the clear, because the
    award and the contract name every member."""

    class Arrangement(models.TextChoices):
        CONSORTIUM = "consortium", "Consortium"
        SPECIAL_PURPOSE_VEHICLE = "spv", "Special-purpose vehicle"

    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="consortium")
    arrangement = models.CharField(
        max_length=12, choices=Arrangement.choices, default=Arrangement.CONSORTIUM
    )
    lead_role = models.CharField("The lead's role", max_length=200)
    lead_share = models.DecimalField(
        "The lead's share of the work (%)", max_digits=5, decimal_places=2
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_arrangement_display()} led by {self.bid.organisation}"


class ConsortiumMember(models.Model):
    """A member bidding together with the lead (PRO-6): its role and share of the work, and its
    answer, given exactly as a named sub-contractor gives one (:mod:`.consent`)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="consortium_memberships"
    )
    role = models.CharField(max_length=200)
    share = models.DecimalField("Share of the work (%)", max_digits=5, decimal_places=2)
    consent = models.CharField(
        max_length=10,
        choices=Subcontractor.Consent.choices,
        default=Subcontractor.Consent.REQUESTED,
    )
    decline_reason = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consortium", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organisation"], name="one_membership_per_consortium"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in consortium {self.consortium_id}"

    @property
    def bid(self) -> Bid:
        return self.consortium.bid

    @property
    def bid_id(self) -> int:
        return self.consortium.bid_id
