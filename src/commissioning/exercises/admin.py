"""Django admin for exercises: a support tool, audited like every other change
(:class:`~commissioning.audit.admin.AuditedModelAdmin`).

Exercises are created and moved between stages only through the service layer (reference
generation, history, notifications), so the admin cannot add exercises or change their reference,
body or stage, and shows the stage history read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from commissioning.audit.admin import AuditedModelAdmin
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.exercises.services import (
    AUDITED_FIELDS,
    keep_published_pipeline,
    publish_pipeline_if_planned,
)
from commissioning.kernel.admin import ReadOnlyInline


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ("changed_at", "from_stage", "to_stage", "changed_by", "reason")
    readonly_fields = fields
    ordering = ("changed_at", "id")


@admin.register(CommissioningExercise)
class CommissioningExerciseAdmin(AuditedModelAdmin):
    audit_fields = (*AUDITED_FIELDS, "is_synthetic")
    list_display = ("reference", "title", "tier", "commissioning_body", "stage", "is_synthetic")
    list_filter = ("tier", "stage", "is_synthetic")
    search_fields = ("reference", "title", "summary")
    list_select_related = ("commissioning_body",)
    readonly_fields = ("reference", "commissioning_body", "stage", "created_by", "created_at")
    filter_horizontal = ("partners", "areas")
    inlines = (StageChangeInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """As in the service: a published UK1 keeps what it said, and an estimate raised to the
        threshold publishes one dated now (issue 11 items 3 and 9)."""
        if change and obj.pk is not None:
            keep_published_pipeline(CommissioningExercise.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        if change and "estimated_annual_value" in form.changed_data:
            publish_pipeline_if_planned(obj, timezone.now())

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """An exercise's published notices (engagement, opportunities) are never deleted; it is
        closed or withdrawn through its stages, with a public reason."""
        return False
