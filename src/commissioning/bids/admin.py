"""Django admin for bids: metadata only (PRO-8). No sealed field is shown, editable or
searchable, and bids cannot be added or changed here — a bid's content is readable only through
the opening service after the deadline (ADR 0006)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commissioning.bids.models import Bid, Receipt
from commissioning.web.admin import ReadOnlyAdmin


class ReceiptInline(admin.TabularInline):
    model = Receipt
    fields = ("reference", "submitted_at", "submitted_by", "digest")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ("pk", "organisation", "lot", "status", "submitted_at", "withdrawn_at")
    list_filter = ("status",)
    search_fields = ("organisation__name", "lot__opportunity__reference")
    list_select_related = ("organisation", "lot__opportunity")
    fields = (
        "lot",
        "organisation",
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "withdrawn_at",
    )
    readonly_fields = fields
    inlines = (ReceiptInline,)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_site_admin", False))
