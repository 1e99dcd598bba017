"""Admin building blocks shared by the apps."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody adds, changes or deletes in the admin: the audit trail, sealed bids'
    metadata (ADR 0006) and award decisions (ADR 0008) change only through their services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SiteAdminReadOnly(ReadOnlyAdmin):
    """Read-only records that only site administrators look up (bids' metadata, awards,
    contracts): the lifecycle owns them (issue 11 items 1-3)."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_site_admin", False))


class ReadOnlyInline(admin.TabularInline):
    """An inline shown for reference only: nothing added, changed or deleted through it."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
