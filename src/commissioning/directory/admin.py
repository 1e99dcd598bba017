"""Admin for the directory's reference data and organisations (MKT-1).

Every admin here is an :class:`~commissioning.audit.admin.AuditedModelAdmin`: adding, changing and
deleting are audited in the admin's own transaction, many-to-many values included. Organisations
are compared on the same fields as members' edits (:data:`services.AUDITED_FIELDS`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from commissioning.accounts.models import Membership
from commissioning.audit.admin import AuditedModelAdmin
from commissioning.directory import services
from commissioning.directory.models import LED_BY_FIELDS, Area, Cohort, Organisation, Specialism


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    list_display = ("name", "slug", "kind", "parent", "country")
    list_filter = ("kind", "country")
    search_fields = ("name", "slug")
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)


@admin.register(Specialism)
class SpecialismAdmin(AuditedModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Cohort)
class CohortAdmin(AuditedModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    audit_fields = services.AUDITED_FIELDS
    list_display = (
        "name",
        "org_type",
        "size_band",
        "is_commissioning_body",
        "commissioning_tier",
        "is_prime",
        "is_synthetic",
        "updated_at",
    )
    list_filter = (
        "is_commissioning_body",
        "org_type",
        "size_band",
        "commissioning_tier",
        "is_prime",
        *LED_BY_FIELDS,
        "is_synthetic",
    )
    search_fields = ("name", "slug", "charity_number", "company_number")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("areas", "specialisms", "cohorts")
    readonly_fields = ("size_band", "created_at", "updated_at")
    kind_fields = ("org_type", "is_commissioning_body")
    list_per_page = 50
    show_full_result_count = False  # no second COUNT(*) over 17,000 rows on every list page
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Whether an organisation is a commissioning body decides who approves its members (ADR
        0009):
        once it has members or is named in a bid, its kind is not switched here, or a site
        administrator could turn a bidder into a commissioning body, approve a member of it (who
        would read its sealed bids) and turn it back."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and (
            obj.memberships.filter(status=Membership.Status.APPROVED).exists()
            or obj.bids.exists()
            or obj.subcontract_requests.exists()
        ):
            return fields + self.kind_fields
        return fields
