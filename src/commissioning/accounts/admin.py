"""Admin for people and memberships; every change is audited (AuditedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from commissioning.accounts import services
from commissioning.accounts.models import Membership, User
from commissioning.audit.admin import AuditedModelAdmin
from commissioning.audit.services import Action, record

_PASSWORD_CHANGE_ATTR = "_audit_password_change"


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organisation", "status", "is_org_admin", "job_title", "requested_at")
    readonly_fields = ("organisation", "status", "is_org_admin", "job_title", "requested_at")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Django's user admin with the platform role; changes (and password resets) are audited,
    the password hash never is."""

    audit_exclude = ("password", "last_login", "date_joined")
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Platform role", {"fields": ("role",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    inlines = (MembershipInline,)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        setattr(request, _PASSWORD_CHANGE_ATTR, True)
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if getattr(request, _PASSWORD_CHANGE_ATTR, False):
            label = "set" if obj.has_usable_password() else "disabled"
            record(request.user, Action.ADMIN_PASSWORD, obj, {"password": label})
        return super().log_change(request, obj, message)


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "organisation", "status", "is_org_admin", "requested_at", "decided_at")
    list_filter = ("status", "is_org_admin")
    search_fields = ("user__username", "user__email", "organisation__name")
    raw_id_fields = ("user", "organisation", "decided_by")
    readonly_fields = ("requested_at",)
    list_select_related = ("user", "organisation")
    actions = ("approve_selected", "reject_selected")

    @admin.action(description="Approve selected pending memberships")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject selected pending memberships")
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, approve=False)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Membership], *, approve: bool
    ) -> HttpResponse | None:
        decided = skipped = 0
        for membership in queryset.select_related("organisation", "user"):
            try:
                services.decide_membership(request.user, membership, approve=approve)
                decided += 1
            except (services.MembershipError, PermissionDenied):
                skipped += 1
        verdict = "approved" if approve else "rejected"
        self.message_user(request, f"{decided} membership(s) {verdict}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} skipped: already decided or not yours.", messages.WARNING
            )
        return None
