"""Django admin for opportunities and their lots (PRO-1, PRO-2, PRO-3, PRO-8): a support tool,
audited like every other change (:class:`~commissioning.audit.admin.AuditedModelAdmin`).

The lifecycle owns an opportunity's status and dates (issue 11 item 1): a date moved here would
skip the public change log, the notices to interest holders and the sealing of bids until the
deadline, so status, dates, cancellation and reference are read-only, and once published the
whole opportunity and its lots are (they change only through the lifecycle, with a public
reason). Opportunities are made through the commissioner's pages and never deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commissioning.audit.admin import AuditedModelAdmin
from commissioning.procurement import lifecycle
from commissioning.procurement.models import Lot, Opportunity

LIFECYCLE_FIELDS = (
    "reference",
    "exercise",
    "status",
    "published_at",
    "planned_notice_at",
    "question_deadline",
    "answers_by",
    "bid_deadline",
    "response_working_days",
    "cancellation_code",
    "cancellation_reason",
    "cancelled_at",
    "price_method",
    "is_synthetic",
    "created_by",
    "created_at",
)
"""Written only by the lifecycle and the timeline service (status, dates, cancellation), or
fixed when the opportunity is made."""


def _is_draft(opportunity: Opportunity | None) -> bool:
    return opportunity is not None and lifecycle.is_editable(lifecycle.Status(opportunity.status))


class LotInline(admin.StackedInline):
    model = Lot
    extra = 0
    filter_horizontal = ("areas", "specialisms")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Once its planned procurement notice is out, lots go through the service, which keeps
        # the last one (issue 11 item 9).
        return (
            _is_draft(obj)
            and obj.planned_notice_at is None
            and super().has_delete_permission(request, obj)
        )


@admin.register(Opportunity)
class OpportunityAdmin(AuditedModelAdmin):
    list_display = ("reference", "title", "exercise", "status", "bid_deadline", "is_synthetic")
    list_filter = ("status", "is_synthetic")
    search_fields = ("reference", "title", "description")
    list_select_related = ("exercise",)
    inlines = (LotInline,)

    readonly_fields = LIFECYCLE_FIELDS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not _is_draft(obj):
            return False  # published: shown read-only, changed only through the lifecycle
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Lot)
class LotAdmin(AuditedModelAdmin):
    list_display = ("__str__", "opportunity", "estimated_annual_value", "duration_months")
    search_fields = ("title", "opportunity__reference", "opportunity__title")
    list_select_related = ("opportunity",)
    filter_horizontal = ("areas", "specialisms")
    readonly_fields = ("opportunity", "number")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not _is_draft(obj.opportunity):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
