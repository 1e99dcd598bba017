"""Django admin for opportunities and their lots (PRO-1, PRO-2): a support tool, audited like
every other change (:class:`~commissioning.audit.admin.AuditedModelAdmin`)."""

from __future__ import annotations

from django.contrib import admin

from commissioning.audit.admin import AuditedModelAdmin
from commissioning.procurement.models import Lot, Opportunity


class LotInline(admin.StackedInline):
    model = Lot
    extra = 0
    filter_horizontal = ("areas", "specialisms")


@admin.register(Opportunity)
class OpportunityAdmin(AuditedModelAdmin):
    list_display = ("reference", "title", "exercise", "status", "is_synthetic")
    list_filter = ("status", "is_synthetic")
    search_fields = ("reference", "title", "description")
    list_select_related = ("exercise",)
    inlines = (LotInline,)


@admin.register(Lot)
class LotAdmin(AuditedModelAdmin):
    list_display = ("__str__", "opportunity", "estimated_annual_value", "duration_months")
    search_fields = ("title", "opportunity__reference", "opportunity__title")
    list_select_related = ("opportunity",)
    filter_horizontal = ("areas", "specialisms")
