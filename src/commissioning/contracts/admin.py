"""Django admin for contracts (PBR-1, SUP-1): read-only (issue 11 item 3).

A contract is made from an award decision and published (UK7); its payment mechanism,
observations and assumptions are edited on the contract's own page through
:func:`.services.update_documents` (validated by the analytics core and audited). Here support
staff can look a contract up, but nobody adds, changes or deletes one: a published contract is
never deleted, only ended or terminated on its page (:mod:`.lifecycle`), or corrected with a
public reason.
"""

from __future__ import annotations

from django.contrib import admin

from commissioning.contracts.models import Contract, ContractParty
from commissioning.kernel.admin import ReadOnlyInline, SiteAdminReadOnly


class ContractPartyInline(ReadOnlyInline):
    model = ContractParty
    fields = (
        "party_id",
        "role",
        "organisation",
        "services",
        "promised_referrals_per_year",
        "promised_value_per_year",
    )
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(SiteAdminReadOnly):
    list_display = ("reference", "title", "commissioning_body", "prime", "status", "is_synthetic")
    list_filter = ("status", "is_synthetic")
    search_fields = ("reference", "title")
    list_select_related = ("commissioning_body", "prime")
    fields = (
        "reference",
        "title",
        "lot",
        "commissioning_body",
        "prime",
        "start_date",
        "end_date",
        "annual_value",
        "status",
        "ended_on",
        "termination_reason",
        "end_recorded_at",
        "is_synthetic",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (ContractPartyInline,)
