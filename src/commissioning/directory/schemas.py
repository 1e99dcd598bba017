"""Shapes of the provider directory's JSON API (MKT-1), documented in /api/openapi.json."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from commissioning.directory.filters import MAX_QUERY_LENGTH

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25


class DirectoryQuery(Schema):
    """Filters for ``GET /api/organisations``: the same as the web directory's."""

    q: str = Field(
        "",
        description=(
            "Words to find in the name, description or charity number; all must match "
            f"(at most {MAX_QUERY_LENGTH} characters)."
        ),
    )
    show: str = Field(
        "",
        description="`providers` (the default), `bodies` (commissioning bodies) or `all`.",
    )
    area: str = Field(
        "",
        description=(
            "Area slug. Also matches organisations serving an area containing it and national "
            "organisations; a probation region also matches its police force areas."
        ),
    )
    specialism: str = Field("", description="Specialism slug (see /api/organisations/lookups).")
    cohort: str = Field("", description="Slug of a group of people supported.")
    size: str = Field("", description="Size band: micro, small, medium, large or major.")
    led_by: list[str] = Field(
        default_factory=list,
        description=(
            "bame_led, women_led, lived_experience_led or user_led; repeat the parameter to "
            "find organisations led by any of several groups."
        ),
    )
    org_type: str = Field(
        "", description="vcs_charity, social_enterprise, private or public_sector."
    )
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page, at most 100."
    )


class NamedOut(Schema):
    slug: str
    name: str


class AreaOut(NamedOut):
    kind: str = Field(description="national, probation_region or police_force_area")
    parent: str | None = Field(None, description="Slug of the area containing this one.")


class ChoiceOut(Schema):
    value: str
    label: str


class OrganisationSummary(Schema):
    slug: str
    name: str
    org_type: str
    org_type_label: str
    is_commissioning_body: bool
    commissioning_tier: str
    is_prime: bool = Field(description="Holds or bids for large prime contracts.")
    size_band: str
    size_band_label: str
    areas: list[NamedOut]
    specialisms: list[NamedOut]
    cohorts: list[NamedOut]
    led_by: list[str] = Field(description="Which of the led-by flags are set.")
    is_synthetic: bool = Field(description="Generated demo data, not a real organisation.")
    url: str = Field(description="The public profile page.")


class OrganisationDetail(OrganisationSummary):
    public_body_kind: str
    description: str
    annual_income: Decimal = Field(description="Pounds, as a decimal string.")
    reserves_months: Decimal
    charity_number: str
    company_number: str
    website: str
    contact_name: str
    contact_email: str
    contact_phone: str
    involvement_methods: list[str] = Field(
        description="How it involves the people it serves: keys from "
        "/api/organisations/lookups (involvement_methods)."
    )
    involvement_description: str = Field(description="The same, in its own words.")
    updated_at: datetime
    version: str = Field(
        description="Send it back with a change: a change made since is refused (409)."
    )


class OrganisationPage(Schema):
    count: int = Field(description="How many organisations match, on all pages.")
    page: int
    page_size: int
    results: list[OrganisationSummary]


class OrganisationPatch(Schema):
    """Fields a member may change; leave out what should stay as it is.

    Validated exactly as the web form validates them. The lists replace the current values.
    """

    version: str | None = Field(
        None,
        description="The version read with the profile: if the profile changed since, the "
        "change is refused (409) with what changed and by whom, and nothing is overwritten.",
    )
    org_type: str | None = None
    description: str | None = None
    annual_income: Decimal | str | None = Field(None, description="Pounds, like 250000.00.")
    reserves_months: Decimal | str | None = Field(
        None, description="Free reserves in months of expenditure, like 4.5."
    )
    areas: list[str] | None = Field(None, description="Area slugs; at least one.")
    specialisms: list[str] | None = Field(None, description="Specialism slugs.")
    cohorts: list[str] | None = Field(None, description="Cohort slugs.")
    led_by: list[str] | None = Field(
        None, description="Any of bame_led, women_led, lived_experience_led, user_led."
    )
    website: str | None = Field(None, description="Starting with http:// or https://.")
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    involvement_methods: list[str] | None = Field(
        None, description="Keys from /api/organisations/lookups (involvement_methods)."
    )
    involvement_description: str | None = Field(None, description="At most 1,000 characters.")


class LookupsOut(Schema):
    areas: list[AreaOut]
    specialisms: list[NamedOut]
    cohorts: list[NamedOut]
    size_bands: list[ChoiceOut]
    led_by: list[ChoiceOut]
    org_types: list[ChoiceOut]
    involvement_methods: list[ChoiceOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages for each parameter or field at fault."
    )
