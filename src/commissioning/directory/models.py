"""The provider directory (MKT-1): organisations, the areas they serve and what they do."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from commissioning_analytics.market.size import SIZE_BAND_LABELS, SizeBand, size_band

SIZE_BAND_CHOICES = [(band.value, SIZE_BAND_LABELS[band]) for band in SizeBand]


class Area(models.Model):
    """A public geography: England & Wales, a probation region or a police force (PCC) area."""

    class Kind(models.TextChoices):
        NATIONAL = "national", "England and Wales"
        PROBATION_REGION = "probation_region", "Probation region"
        POLICE_FORCE_AREA = "police_force_area", "Police force (PCC) area"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.CharField(max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Specialism(models.Model):
    """A service specialism (accommodation, employment, women's services, …)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """A group of people an organisation serves (women, young adults, BAME people, …)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """Any organisation on the platform: providers (VCS, social enterprise, private) and the
    public bodies that commission (MoJ, HMPPS, PCCs, probation regions, governors)."""

    class OrgType(models.TextChoices):
        VCS_CHARITY = "vcs_charity", "Voluntary or community sector charity"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
        PRIVATE = "private", "Private company"
        PUBLIC_SECTOR = "public_sector", "Public sector body"

    class PublicBodyKind(models.TextChoices):
        NONE = "", "Not a public body"
        MINISTRY = "ministry", "Government department"
        PRISON_PROBATION = "prison_probation", "Prison and probation service"
        POLICE_CRIME_COMMISSIONER = "pcc", "Police and Crime Commissioner"
        PRISON = "prison", "Prison"
        HEALTH = "health", "Health body"
        POLICE = "police", "Police force"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    class Tier(models.TextChoices):
        NATIONAL = "national", "National"
        SUB_NATIONAL = "sub_national", "Sub-national"
        LOCAL = "local", "Local"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    org_type = models.CharField("Type", max_length=20, choices=OrgType.choices)
    public_body_kind = models.CharField(
        max_length=20, choices=PublicBodyKind.choices, blank=True, default=""
    )
    is_commissioning_body = models.BooleanField(default=False)
    commissioning_tier = models.CharField(max_length=20, choices=Tier.choices, blank=True)
    is_prime = models.BooleanField(
        "Prime contractor", default=False, help_text="Holds or bids for large prime contracts."
    )
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    annual_income = models.DecimalField(
        "Annual income (£)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        default=Decimal(0),
    )
    size_band = models.CharField(max_length=10, choices=SIZE_BAND_CHOICES, editable=False)
    reserves_months = models.DecimalField(
        "Months of free reserves",
        max_digits=5,
        decimal_places=1,
        help_text="Free reserves (unrestricted funds not tied up in fixed assets or designated), "
        "in months of expenditure: the one definition of reserves on the platform.",
        validators=[MinValueValidator(Decimal(0))],
        default=Decimal(0),
    )
    areas = models.ManyToManyField(Area, related_name="organisations", blank=True)
    specialisms = models.ManyToManyField(Specialism, related_name="organisations", blank=True)
    cohorts = models.ManyToManyField(Cohort, related_name="organisations", blank=True)
    bame_led = models.BooleanField("BAME-led", default=False)
    women_led = models.BooleanField("Women-led", default=False)
    lived_experience_led = models.BooleanField("Lived-experience-led", default=False)
    user_led = models.BooleanField("User-led", default=False)
    involvement_methods = models.JSONField(
        "How it involves the people it serves",
        default=list,
        blank=True,
        help_text="The ways chosen from the list on the profile form.",
    )
    involvement_description = models.TextField(
        "How it involves the people it serves, in its own words", blank=True
    )
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    stopped_operating_on = models.DateField(
        "Stopped operating on",
        null=True,
        blank=True,
        help_text="The day the organisation closed or stopped delivering services, if it has.",
    )
    is_synthetic = models.BooleanField(
        default=False, help_text="Generated demo data, not a real organisation."
    )
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The directory lists in (name, id) order within providers or bodies; deep pages walk
            # this index instead of sorting every row.
            models.Index(
                fields=["is_commissioning_body", "name", "id"], name="directory_list_order"
            ),
            models.Index(fields=["size_band"]),
            models.Index(fields=["org_type"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.slug])

    @property
    def led_by_labels(self) -> list[str]:
        return [label for field, label in LED_BY_FIELDS.items() if getattr(self, field)]

    @property
    def involvement_labels(self) -> list[str]:
        """The recorded ways of involving service users, in the order of the list (USR-1)."""
        chosen = set(self.involvement_methods or ())
        return [label for key, label in INVOLVEMENT_METHODS.items() if key in chosen]

    @property
    def records_involvement(self) -> bool:
        return bool(self.involvement_methods or self.involvement_description)

    def refresh_derived_fields(self) -> None:
        """Size band and the search document are derived, never typed in."""
        self.size_band = size_band(self.annual_income).value
        self.search_text = " ".join(
            part.lower() for part in (self.name, self.description, self.charity_number) if part
        )


LED_BY_FIELDS: dict[str, str] = {
    "bame_led": "BAME-led",
    "women_led": "Women-led",
    "lived_experience_led": "Lived-experience-led",
    "user_led": "User-led",
}

INVOLVEMENT_METHODS: dict[str, str] = {
    "forum": "A forum or advisory group of people who use its services",
    "staff_lived_experience": "Paid staff with lived experience",
    "volunteers_lived_experience": "Volunteers or peer mentors with lived experience",
    "trustees_lived_experience": "Trustees or board members with lived experience",
    "co_produced": "Services designed and reviewed with the people who use them (co-produced)",
    "feedback_acted_on": "Regular feedback from people using its services, with what changed",
}
"""How an organisation involves the people it serves (USR-1): the structured choices on its
profile, shown publicly and to evaluators beside a bid under a service-user-involvement
criterion."""
