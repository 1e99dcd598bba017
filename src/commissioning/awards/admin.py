"""Django admin for awards: read-only metadata (PRO-9). The results snapshot holds the bids'
prices in the clear once decided (ADR 0008), so it is never shown here, and a decision is never
edited: a mistaken award is dealt with by cancellation."""

from __future__ import annotations

from django.contrib import admin

from commissioning.awards.models import LotAward, PriceAdjustment
from commissioning.kernel.admin import SiteAdminReadOnly


@admin.register(LotAward)
class LotAwardAdmin(SiteAdminReadOnly):
    list_display = ("lot", "outcome", "winning_bid", "decided_at", "standstill_ends_at", "contract")
    list_filter = ("outcome",)
    search_fields = ("lot__opportunity__reference", "winning_bid__organisation__name")
    list_select_related = ("lot__opportunity", "winning_bid__organisation", "contract")
    fields = (
        "lot",
        "outcome",
        "winning_bid",
        "reasons",
        "decided_by",
        "decided_at",
        "standstill_ends_at",
        "contract",
    )
    readonly_fields = fields


@admin.register(PriceAdjustment)
class PriceAdjustmentAdmin(SiteAdminReadOnly):
    list_display = ("bid", "recorded_by", "recorded_at")
    search_fields = ("bid__organisation__name", "bid__lot__opportunity__reference")
    list_select_related = ("bid__organisation", "recorded_by")
    fields = ("bid", "reason", "recorded_by", "recorded_at")
    readonly_fields = fields
