"""Django admin for contracts (PBR-1, SUP-1): a support tool, audited like every other change
(:class:`~commissioning.audit.admin.AuditedModelAdmin`). The JSON documents are checked by the
analytics core exactly as on the web page (:func:`.services.validate_documents`), so the admin
cannot store a half-valid mechanism."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from commissioning.audit.admin import AuditedModelAdmin
from commissioning.contracts import services
from commissioning.contracts.models import Contract, ContractParty


class ContractAdminForm(forms.ModelForm):
    class Meta:
        model = Contract
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
            "mechanism",
            "observed",
            "assumptions",
            "is_synthetic",
            "created_by",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "mechanism" not in data:
            return data
        try:
            services.validate_documents(
                data.get("mechanism"), data.get("observed"), data.get("assumptions")
            )
        except services.ContractDataError as error:
            for name, messages in error.errors.items():
                for message in messages:
                    self.add_error(name, message)
        return data


class ContractPartyInline(admin.TabularInline):
    model = ContractParty
    extra = 0
    fields = (
        "party_id",
        "role",
        "organisation",
        "services",
        "promised_referrals_per_year",
        "promised_value_per_year",
    )
    raw_id_fields = ("organisation",)


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    form = ContractAdminForm
    list_display = ("reference", "title", "commissioning_body", "prime", "status", "is_synthetic")
    list_filter = ("status", "is_synthetic")
    search_fields = ("reference", "title")
    list_select_related = ("commissioning_body", "prime")
    raw_id_fields = ("lot", "commissioning_body", "prime", "created_by")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ContractPartyInline,)
