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
        MOBILISING = "mobilising", "Mobilising"
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
    # LAW-4: a light-touch contract need not publish KPIs, but then says why none were set.
    is_light_touch = models.BooleanField("Light-touch contract", default=False)
    no_kpis_rationale = models.TextField("Why no KPIs were set", blank=True)
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
        # A member of the consortium that bid together, beside the lead (the prime) (PRO-6).
        CONSORTIUM_MEMBER = "consortium_member", "Consortium member"

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
    share_of_work = models.DecimalField(
        "Share of the work (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For a consortium that bid together: this member's share, as bid.",
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


class Kpi(models.Model):
    """A key performance indicator agreed on the contract (LAW-4): what is measured, the target,
    how often it is assessed and where the figures come from, which may be the platform's own
    records."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Every six months"
        ANNUALLY = "annually", "Annually"

    class DataSource(models.TextChoices):
        REFERRALS_COMPLETED = (
            "referrals_completed",
            "Referrals completed (this platform's referrals)",
        )
        OUTCOMES = "outcomes", "Outcomes observed (this platform's contract outcomes)"
        PAYMENT_TIMES = (
            "payment_times",
            "Average days to pay sub-contractors (this platform's invoices and payments)",
        )
        PAID_WITHIN_30_DAYS = (
            "paid_within_30_days",
            "Sub-contractors' invoices paid within 30 days (this platform's invoices and payments)",
        )
        PROVIDER_RETURN = "provider_return", "The prime's monitoring return"
        OTHER = "other", "Another source, named in the measure"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    measure = models.TextField(help_text="What is counted and how.")
    target = models.CharField(max_length=200)
    frequency = models.CharField(
        "How often it is assessed", max_length=20, choices=Frequency.choices
    )
    data_source = models.CharField("Data source", max_length=30, choices=DataSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "created_at", "pk"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.name}"


class KpiAssessment(models.Model):
    """An assessment of every KPI of the contract over a period (at least every 12 months, and
    at the end), published as the contract performance notice."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="assessments")
    period_start = models.DateField("Start of the period assessed")
    period_end = models.DateField("End of the period assessed")
    is_final = models.BooleanField("Final assessment at the end of the contract", default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract", "period_end", "pk"]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.period_start} to {self.period_end}"


class KpiRating(models.Model):
    """One KPI's rating in an assessment, with the result observed."""

    class Rating(models.TextChoices):
        GOOD = "good", "Good"
        APPROACHING = "approaching", "Approaching target"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"
        OTHER = "other", "Other"

    assessment = models.ForeignKey(KpiAssessment, on_delete=models.CASCADE, related_name="ratings")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(max_length=30, choices=Rating.choices)
    result = models.CharField("Result in the period", max_length=200)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "kpi__created_at", "kpi__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "kpi"], name="kpi_rating_once")
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.get_rating_display()}"


class PerformanceFailure(models.Model):
    """A breach or performance failure and the penalty that followed, by how it was decided."""

    class PenaltyType(models.TextChoices):
        CONTRACTED = "contracted", "Contracted: the penalty was set in the contract"
        IMPOSED = "imposed", "Imposed by a court or tribunal"
        NEGOTIATED = "negotiated", "Negotiated in a settlement agreement"

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="performance_failures"
    )
    requirement = models.TextField("Requirement not met")
    description = models.TextField("What happened")
    decided_on = models.DateField("Date the failure was decided")
    penalty_type = models.CharField(max_length=20, choices=PenaltyType.choices)
    penalty_value = models.DecimalField(
        "Penalty value (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.contract.reference}: failure decided {self.decided_on}"


class ContractChange(models.Model):
    """A change to a contract in force (value, term, scope or supply chain; an extension is a
    change of term), with its reason: the contract change notice."""

    class Kind(models.TextChoices):
        VALUE = "value", "Value"
        TERM = "term", "Term (including an extension)"
        SCOPE = "scope", "Scope"
        SUPPLY_CHAIN = "supply_chain", "Supply chain"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("What changes", max_length=20, choices=Kind.choices)
    description = models.TextField("The change")
    reason = models.TextField("Why")
    previous_annual_value = models.DecimalField(max_digits=14, decimal_places=2)
    new_annual_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    previous_end_date = models.DateField()
    new_end_date = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.get_kind_display()} change"


class StudyCitation(models.Model):
    """A published outcome study cited as the observed result of one outcome measure in one
    period of the contract's mechanism (PBR-2): the statement pays on the study's figures
    (:mod:`commissioning.contracts.citations`) instead of an imported result."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="citations")
    measure = models.SlugField("Outcome measure", max_length=64)
    period = models.PositiveIntegerField("Contract period")
    study = models.ForeignKey(
        "outcomes_web.OutcomeStudy", on_delete=models.PROTECT, related_name="contract_citations"
    )
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cited_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract", "period", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "measure", "period"], name="study_citation_once_per_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.measure}, period {self.period}"
