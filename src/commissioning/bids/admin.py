"""Django admin for bids: metadata only (PRO-8). No sealed field is shown, editable or
searchable, and bids cannot be added or changed here — a bid's content is readable only through
the opening service after the deadline (ADR 0006)."""

from __future__ import annotations

from django.contrib import admin

from commissioning.bids.models import Bid, Receipt
from commissioning.kernel.admin import ReadOnlyInline, SiteAdminReadOnly


class ReceiptInline(ReadOnlyInline):
    model = Receipt
    fields = ("reference", "submitted_at", "submitted_by", "digest")
    readonly_fields = fields


@admin.register(Bid)
class BidAdmin(SiteAdminReadOnly):
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
