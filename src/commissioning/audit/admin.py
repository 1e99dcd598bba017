"""The Django admin for the audit trail, and :class:`AuditedModelAdmin`, which every other app's
admin uses so that changes made through the admin are audited like any other change.

Usage in another app::

    from commissioning.audit.admin import AuditedModelAdmin

    @admin.register(Organisation)
    class OrganisationAdmin(AuditedModelAdmin):
        audit_fields = ("name", "annual_income", "areas")  # optional; default: editable fields

Adding, changing (form or list-editable) and deleting (one or in bulk) each write an
:class:`~commissioning.audit.models.AuditEvent` in the admin's own transaction, so the change and
its audit entry stand or fall together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from commissioning import permissions
from commissioning.audit import services
from commissioning.audit.models import AuditEvent
from commissioning.kernel.admin import ReadOnlyAdmin

_BEFORE_ATTR = "_audit_before_snapshot"


class AuditedModelAdmin(admin.ModelAdmin):
    """A ``ModelAdmin`` whose saves and deletes are recorded in the audit trail.

    It can be combined with another admin class, e.g. ``class MyUserAdmin(AuditedModelAdmin,
    UserAdmin)``. ``audit_fields`` names the fields to compare (default: every editable field,
    many-to-many included, except those in ``audit_exclude``).
    """

    audit_fields: Sequence[str] | None = None
    audit_exclude: Sequence[str] = ("password", "last_login")
    audit_private: Sequence[str] = ()
    """Personal data: the event says that these changed, never their values (issue 13 item 2)."""

    # ------------------------------------------------------------------ what is compared
    def get_audit_fields(self) -> list[str]:
        if self.audit_fields is not None:
            return list(self.audit_fields)
        return services.editable_field_names(self.model, exclude=self.audit_exclude)

    # ------------------------------------------------------------------ saving
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before: dict[str, Any] = {}
        if change and obj.pk is not None:
            # ``obj`` already carries the form's values; the stored row still has the old ones.
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                before = services.snapshot(stored, self.get_audit_fields())
        setattr(obj, _BEFORE_ATTR, before)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many values are saved here, after save_model, so the "after" picture is taken
        # once they are in place.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, _BEFORE_ATTR, {})
        after = services.snapshot(obj, self.get_audit_fields())
        inline_changes = _inline_changes(formsets)
        if change:
            changes = {**self._withheld(services.diff(before, after)), **inline_changes}
            if changes:
                services.record(request.user, services.Action.ADMIN_UPDATE, obj, changes)
        else:
            changes = {**self._withheld(services.created(after)), **inline_changes}
            services.record(request.user, services.Action.ADMIN_CREATE, obj, changes)

    def _withheld(self, changes: dict[str, Any]) -> dict[str, Any]:
        return {
            name: {"from": "(not recorded)", "to": "(not recorded)"}
            if name in self.audit_private
            else change
            for name, change in changes.items()
        }

    # ------------------------------------------------------------------ deleting
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record_deletion(request, obj)
            super().delete_queryset(request, queryset)

    def _record_deletion(self, request: HttpRequest, obj: models.Model) -> None:
        before = services.snapshot(obj, self.get_audit_fields())
        deleted = self._withheld(services.deleted(before))
        services.record(request.user, services.Action.ADMIN_DELETE, obj, deleted)


def _inline_changes(formsets: Any) -> dict[str, dict[str, list[str]]]:
    """What inline formsets added, changed (with the fields) and deleted, by inline model."""
    result: dict[str, dict[str, list[str]]] = {}
    for formset in formsets or []:
        entry: dict[str, list[str]] = {}
        added = [str(obj) for obj in getattr(formset, "new_objects", [])]
        changed = [
            f"{obj} ({', '.join(fields)})"
            for obj, fields in getattr(formset, "changed_objects", [])
        ]
        removed = [str(obj) for obj in getattr(formset, "deleted_objects", [])]
        for key, items in (("added", added), ("changed", changed), ("deleted", removed)):
            if items:
                entry[key] = items
        if entry:
            result[str(formset.model._meta.verbose_name_plural)] = entry
    return result


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is read-only, for everyone, superusers included."""

    list_display = ("occurred_at", "actor_label", "action", "target_type", "target_label")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "target_id", "action")
    date_hierarchy = "occurred_at"
    readonly_fields = (
        "occurred_at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
    )
    fields = readonly_fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_view_audit(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view_audit(request.user)
