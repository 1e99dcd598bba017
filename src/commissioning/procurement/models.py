"""An opportunity (a tender within a commissioning exercise), its lots, specification, criteria,
timeline change log and expressions of interest (PRO-1 … PRO-6, EVA-1, LAW-1, LAW-2).

A lot is the unit a contract is let for: by geography and/or service, with an estimated annual
value, a duration, a payment model summary and the financial-standing conditions bidders must
meet (a turnover multiple of the lot's annual value, months of reserves).

The status lifecycle lives in :mod:`commissioning.procurement.lifecycle`; nothing writes
``Opportunity.status`` except :func:`commissioning.procurement.services.transition`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from commissioning import idempotency
from commissioning_analytics.outcomes.power import (
    detectable_change_sentence,
    minimum_detectable_effect,
)


class PriceMethodChoice(models.TextChoices):
    """The analytics core's price methods (commissioning_analytics.scoring.price.PriceMethod)."""

    RELATIVE_TO_LOWEST = (
        "relative_to_lowest",
        "Relative to the lowest price (lowest ÷ bid × weight)",
    )
    PRICE_PER_QUALITY_POINT = "price_per_quality_point", "Price per quality point"


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for bids"
        CLOSED = "closed", "Closed for bids"
        EVALUATION = "evaluation", "Evaluation"
        AWARDED = "awarded", "Awarded"
        CANCELLED = "cancelled", "Cancelled"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"

    class CancellationCode(models.TextChoices):
        """Coded reasons for a procurement termination (published with the UK12 notice)."""

        NO_LONGER_NEEDED = "no_longer_needed", "The service is no longer needed"
        BUDGET_WITHDRAWN = "budget_withdrawn", "The budget was withdrawn"
        INSUFFICIENT_BIDS = "insufficient_bids", "Too few suitable bids were received"
        MATERIAL_CHANGE = "material_change", "The requirement changed materially"
        LEGAL_CHALLENGE = "legal_challenge", "The procurement was stopped following a challenge"
        OTHER = "other", "Another reason (explained below)"

    exercise = models.ForeignKey(
        "exercises.CommissioningExercise", on_delete=models.PROTECT, related_name="opportunities"
    )
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Timeline (PRO-3, PRO-4): null until set; policy checks in the timelines core.
    published_at = models.DateTimeField(null=True, blank=True)
    planned_notice_at = models.DateTimeField(
        "Planned procurement notice published",
        null=True,
        blank=True,
        help_text="When the planned procurement notice (UK3) was published, before the tender "
        "notice: published 40 days to 12 months before it, it allows a shorter bid window.",
    )
    question_deadline = models.DateTimeField("Deadline for questions", null=True, blank=True)
    answers_by = models.DateTimeField("Answers published by", null=True, blank=True)
    bid_deadline = models.DateTimeField("Bid deadline", null=True, blank=True)
    consortium_encouraged = models.BooleanField(
        "Consortium or partnership bids are encouraged", default=False
    )
    response_working_days = models.PositiveSmallIntegerField(
        "Guaranteed response time for questions (working days)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    contact_name = models.CharField("Named point of contact", max_length=120, blank=True)
    contact_email = models.EmailField("Contact email address", blank=True)

    # Cancellation (PRO-9, LAW-1 UK12).
    cancellation_code = models.CharField(
        max_length=30, choices=CancellationCode.choices, blank=True
    )
    cancellation_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    price_method = models.CharField(
        "How price is scored",
        max_length=30,
        choices=PriceMethodChoice.choices,
        default=PriceMethodChoice.RELATIVE_TO_LOWEST,
        help_text="Published with the criteria.",  # EVA-4
    )

    # Barriers to small organisations (Procurement Act 2023 s.12(4); LAW-2).
    barriers_considered = models.TextField(
        "How barriers facing small organisations were considered", blank=True
    )
    not_divided_rationale = models.TextField(
        "Why the contract is not divided into lots", blank=True
    )
    sme_suitable = models.BooleanField("Suitable for small and medium enterprises", default=False)
    vcse_suitable = models.BooleanField(
        "Suitable for voluntary, community and social enterprises", default=False
    )

    # Tiered specification essentials (PRO-5).
    budget_total = models.DecimalField(
        "Total budget (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_service_users = models.PositiveIntegerField(
        "Expected number of people served", null=True, blank=True
    )
    good_practice_cost_per_user = models.DecimalField(
        "Cost of good practice per person served (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    tupe_information = models.TextField("TUPE information", blank=True)
    incumbent_details = models.TextField("Incumbent provider details", blank=True)
    outcomes_sought = models.TextField("Outcomes sought", blank=True)
    # The groups of people served, in the directory's and alerts' vocabulary, so an alert for a
    # group matches what the commissioner said rather than words in the text (PRO-6).
    cohorts = models.ManyToManyField(
        "directory.Cohort", related_name="opportunities", blank=True, verbose_name="People served"
    )
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["-created_at", "reference"]
        verbose_name_plural = "opportunities"
        constraints = [
            # A create form sent twice (a double click, a resent page) makes one draft.
            idempotency.key_constraint("exercise", "opportunity_created_once_per_submission_key")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:detail", args=[self.reference])

    @property
    def budget_per_user(self) -> Decimal | None:
        if self.budget_total is None or not self.expected_service_users:
            return None
        return (self.budget_total / self.expected_service_users).quantize(Decimal("0.01"))


TYPICAL_REOFFENDING_RATE = 0.4
"""About 40 in 100 people reoffend within a year: the rate the tender-design estimate of the
smallest detectable change assumes (one-year proven reoffending is about 25–45%)."""


class OutcomePaymentMode(models.TextChoices):
    """The payment mechanism's ``service_fee.at_risk.mode`` (PBR-1)."""

    WITHHELD = "withheld", "Withheld from each payment until the outcome target is met"
    CLAWBACK = "clawback", "Paid with the fee, and repaid if the outcome target is missed"


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
    outcome_payment_percent = models.DecimalField(
        "Share of the fee paid on outcomes (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="0 for a fixed fee, 100 when the whole fee depends on outcomes.",
    )
    """The payment model bids are priced on, as a number (PBR-1): the contract made from the
    award puts this share of the fee at risk. Required before publication; the summary above
    stays the narrative."""
    outcome_payment_mode = models.CharField(
        "How the share paid on outcomes is held",
        max_length=10,
        choices=OutcomePaymentMode.choices,
        default=OutcomePaymentMode.WITHHELD,
    )
    turnover_multiple = models.DecimalField(
        "Minimum turnover as a multiple of the annual value",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    turnover_justification = models.TextField(
        "Why the turnover condition is more than twice the annual value",
        blank=True,
        help_text="Required for a turnover condition above twice the lot's annual value; "
        "published beside the condition.",
    )
    minimum_reserves_months = models.DecimalField(
        "Minimum free reserves (months of expenditure)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    sme_suitable = models.BooleanField("Suitable for small and medium enterprises", default=False)
    vcse_suitable = models.BooleanField(
        "Suitable for voluntary, community and social enterprises", default=False
    )
    tendered_mechanism = models.JSONField(
        "Payment mechanism as tendered", null=True, blank=True, editable=False
    )
    """The payment mechanism bids are priced on, in the core's format (PBR-1, PBR-2), built with
    the contract's builder while the opportunity is a draft; its parties are placeholders that
    the contract made from the award replaces (PRO-9). Written only by
    :func:`.services_editing.save_lot_mechanism`."""

    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="lot_number_unique"),
            idempotency.key_constraint("opportunity", "lot_added_once_per_submission_key"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"

    @property
    def outcome_payment_text(self) -> str:
        """The share of the fee paid on outcomes in words, shown beside the summary."""
        percent = self.outcome_payment_percent
        if percent is None:
            return "The share of the fee paid on outcomes is not stated yet."
        if not percent:
            return "None of the fee is paid on outcomes."
        held = OutcomePaymentMode(self.outcome_payment_mode).label
        return f"{Decimal(percent).normalize():f}% of the fee is paid on outcomes: {held.lower()}."

    @property
    def people_a_year(self) -> int | None:
        """The people this lot expects to serve a year (PBR-2): the opportunity's expected
        number of people served, spread over the lot's duration. Known only when the
        opportunity has this one lot, since how the people divide between lots is not
        recorded."""
        expected = self.opportunity.expected_service_users
        if not expected or not self.duration_months or self.opportunity.lots.count() != 1:
            return None
        return round(expected * 12 / self.duration_months)

    @property
    def detectable_change_text(self) -> str:
        """The smallest change in reoffending the lot's yearly cohort could reliably show
        against a matched comparison group of the same size, at a typical rate (seed 003
        §14.5), so payments are not tied to effects no one could measure; empty when the
        people a year are not known."""
        people = self.people_a_year
        if not people:
            return ""
        effect = minimum_detectable_effect(people, TYPICAL_REOFFENDING_RATE)
        return detectable_change_sentence(effect, a_year=True)


class SpecSection(models.Model):
    """A section of the tiered specification (PRO-5): what a bid must offer, and the ideal."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="spec_sections"
    )
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    required = models.BooleanField(default=True)
    must_have = models.TextField("Must-haves", blank=True)
    ideal = models.TextField("Ideal level", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["opportunity", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "key"], name="spec_section_key_unique"),
            idempotency.key_constraint("opportunity", "spec_section_added_once_per_submission_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_blank(self) -> bool:
        return not self.must_have.strip()


class Criterion(models.Model):
    """An evaluation criterion published with the opportunity (EVA-1); weights are percentages
    of the total and must add up to 100, with social value at least 10%."""

    class Kind(models.TextChoices):
        PRICE = "price", "Price"
        QUALITY = "quality", "Quality"
        SOCIAL_VALUE = "social_value", "Social value"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.QUALITY)
    weight = models.DecimalField(
        "Weight (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    guidance = models.TextField(blank=True)
    minimum = models.PositiveSmallIntegerField(
        "Minimum score",
        null=True,
        blank=True,
        help_text="A bid scoring below this on the 0–100 scale is disqualified, declared in "
        "advance (Procurement Act 2023 s.23(3)). Not for price.",
    )
    library_id = models.CharField(
        "Criteria library entry",
        max_length=60,
        blank=True,
        help_text="The ready-made criterion this was picked from, if any.",  # EVA-2, EVA-3
    )
    order = models.PositiveSmallIntegerField(default=0)
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["opportunity", "order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            idempotency.key_constraint("opportunity", "criterion_added_once_per_submission_key")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class DateChange(models.Model):
    """One change to a published date, with its reason (PRO-3): the public change log.
    ``automatic`` marks the deadline moves the timeline policy made by itself."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="date_changes"
    )
    field = models.CharField(max_length=30)
    old_value = models.DateTimeField(null=True, blank=True)
    new_value = models.DateTimeField()
    reason = models.TextField()
    automatic = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["opportunity", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.opportunity.reference} {self.field} → {self.new_value:%Y-%m-%d}"

    @property
    def field_label(self) -> str:
        field = Opportunity._meta.get_field(self.field)
        return str(getattr(field, "verbose_name", self.field)).capitalize()


class Interest(models.Model):
    """An organisation's expression of interest in a lot (PRO-6)."""

    class Role(models.TextChoices):
        PRIME = "prime", "Prime provider"
        SUBCONTRACTOR = "subcontractor", "Sub-contractor"
        CONSORTIUM_MEMBER = "consortium_member", "Consortium member"

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="lot_interests"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_private = models.BooleanField("Keep our interest private", default=False)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lot", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "organisation"], name="one_interest_per_lot_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.lot} as {self.get_role_display()}"


class TransferringStaff(models.Model):
    """Anonymised staff expected to transfer under TUPE (PRO-10): one row per group of people on
    the same terms, so no one can be identified. Bidders see the estimate of the liability
    (:mod:`commissioning_analytics.tupe`) worked out from these rows."""

    class Pension(models.TextChoices):
        DEFINED_BENEFIT = (
            "defined_benefit",
            "Defined benefit (for example the Local Government Pension Scheme)",
        )
        DEFINED_CONTRIBUTION = "defined_contribution", "Defined contribution"
        NONE = "none", "No pension"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="transferring_staff"
    )
    role = models.CharField(max_length=120)
    headcount = models.PositiveSmallIntegerField(
        "Number of staff", validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    annual_salary = models.DecimalField(
        "Salary each a year (£)",
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    weekly_hours = models.DecimalField(
        "Hours a week",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(168))],
    )
    pension = models.CharField(
        "Pension arrangement", max_length=30, choices=Pension.choices, default=Pension.NONE
    )
    employer_pension_percent = models.DecimalField(
        "Employer's pension contribution (% of salary)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    years_of_service = models.PositiveSmallIntegerField(
        "Typical length of service (whole years)", validators=[MaxValueValidator(84)]
    )
    age = models.PositiveSmallIntegerField(
        "Typical age (years)",
        validators=[MinValueValidator(16), MaxValueValidator(100)],
        help_text="Statutory redundancy pay depends on age as well as length of service.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["opportunity", "order", "pk"]
        verbose_name_plural = "transferring staff"
        constraints = [
            idempotency.key_constraint(
                "opportunity", "transferring_staff_added_once_per_submission_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.headcount} × {self.role}"
