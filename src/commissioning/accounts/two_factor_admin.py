"""Authenticators and recovery codes in the Django admin: a site administrator sees who has
them and removes a lost one (the person then sets up a new one), audited like every admin change.

django-otp's own admin screens are replaced: they show the secret key and a QR code of it, and
let anyone who may edit a device make one for someone else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.audit.admin import AuditedModelAdmin

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class DeviceAdmin(AuditedModelAdmin):
    """Seen and removed, never added or changed here; the secret is never shown."""

    audit_fields = ("user", "name", "confirmed")
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email")
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(TOTPDevice, DeviceAdmin)
admin.site.register(StaticDevice, DeviceAdmin)
