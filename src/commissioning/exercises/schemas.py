"""API schemas for commissioning exercises (CYC-1), documented in the OpenAPI schema.

Related records are named by slug, both in responses and in requests. Write schemas make every
field optional so that missing or invalid values are reported by the same form validation as the
web pages (400 with ``{"detail", "errors": {field: [message]}}``) rather than by the parser.
Money is a decimal string (never a float).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages for each input field that was not valid."
    )


class NamedRef(Schema):
    slug: str
    name: str


class OrganisationRef(NamedRef):
    url: str = Field(description="The organisation's page in the directory.")


class StageChangeOut(Schema):
    changed_at: datetime
    from_stage: str = Field(description="Empty for the exercise's creation.")
    from_stage_label: str
    to_stage: str
    to_stage_label: str
    by: str = Field(description="Role and organisation of the person who made the change.")
    reason: str


class ExerciseSummaryOut(Schema):
    reference: str = Field(examples=["CX-2025-0001"])
    title: str
    tier: str = Field(description="national, sub_national or local")
    tier_label: str
    commissioning_body: OrganisationRef
    service_area: NamedRef
    areas: list[NamedRef]
    stage: str = Field(description="assess_need, plan, procure, deliver or review")
    stage_label: str
    estimated_annual_value: Decimal | None = Field(description="Pounds per year, if published.")
    is_synthetic: bool = Field(description="Generated demo data, not a real exercise.")
    url: str


class ExerciseDetailOut(ExerciseSummaryOut):
    partners: list[OrganisationRef] = Field(description="Joint-commissioning partners.")
    summary: str
    version: str = Field(
        description="Send it back with a change: a change saved since is refused (409)."
    )
    cycle: int = Field(description="1 for the first cycle, +1 for every re-commissioning.")
    stage_history: list[StageChangeOut] = Field(description="Oldest first.")


class ExercisePageOut(Schema):
    count: int = Field(description="How many exercises match, across all pages.")
    page: int
    page_size: int
    results: list[ExerciseSummaryOut]


class ExerciseUpdateIn(Schema):
    """Fields to change; those left out keep their value (PATCH)."""

    version: str | None = Field(
        None,
        description="The version read with the exercise: if it changed since, the change is "
        "refused (409) with what changed and by whom, and nothing is overwritten.",
    )
    title: str | None = None
    tier: str | None = Field(None, description="national, sub_national or local")
    partners: list[str] | None = Field(None, description="Slugs of public-sector organisations.")
    service_area: str | None = Field(None, description="Slug of a specialism.")
    areas: list[str] | None = Field(None, description="Slugs of areas; at least one.")
    summary: str | None = None
    estimated_annual_value: Decimal | None = Field(None, description="Pounds, 0 or more.")


class ExerciseCreateIn(ExerciseUpdateIn):
    commissioning_body: str | None = Field(
        None, description="Slug of a commissioning body you are a commissioner of."
    )


class StageChangeIn(Schema):
    stage: str | None = Field(None, description="The stage to move to, e.g. plan.")
    reason: str = Field("", description="Needed when moving back a stage.")
