"""Admin for people and memberships; every change is audited (AuditedModelAdmin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from commissioning.accounts import guards, services
from commissioning.accounts import two_factor_admin as _two_factor_admin  # noqa: F401 (registers)
from commissioning.accounts.models import Membership, User
from commissioning.audit.admin import AuditedModelAdmin
from commissioning.audit.services import Action, record
from commissioning.kernel.admin import ReadOnlyInline
from commissioning.permissions import signed_in_user

_PASSWORD_CHANGE_ATTR = "_audit_password_change"
PROVIDER_PASSWORD_REFUSED = (
    "This person is an approved member of an organisation that bids: setting their password here "
    "would let you sign in as them and read its draft bids, so it can only be disabled."
)


class MembershipInline(ReadOnlyInline):
    model = Membership
    fk_name = "user"
    fields = ("organisation", "status", "is_org_admin", "job_title", "requested_at")
    readonly_fields = fields
    show_change_link = True


class AccountChangeForm(UserChangeForm):
    """Deactivating the last administrator of an organisation that may bid, while it has other
    members or a bid, is refused: nobody could approve anyone there again (ADR 0009)."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if self.instance.pk and self.initial.get("is_active") and not cleaned.get("is_active"):
            memberships = self.instance.memberships.select_related("organisation", "user")
            for refusal in guards.last_administrator_refusals(memberships, verb="deactivate"):
                self.add_error("is_active", refusal)
        return cleaned


class LastAdministratorDeletionMixin:
    """Deleting (one or in bulk) is refused where it would take the last administrator from an
    organisation that may bid and has other members or a bid: the refusal is listed as what
    protects the record, and nothing is deleted (ADR 0009)."""

    def memberships_removed(self, objs: Any) -> QuerySet[Membership]:
        raise NotImplementedError

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(  # type: ignore[misc]
            objs, request
        )
        memberships = self.memberships_removed(objs).select_related("organisation", "user")
        refusals = guards.last_administrator_refusals(memberships, verb="delete")
        for refusal in refusals:
            self.message_user(request, refusal, messages.ERROR)  # type: ignore[attr-defined]
        return deleted, model_count, perms_needed, [*protected, *refusals]


@admin.register(User)
class UserAdmin(LastAdministratorDeletionMixin, AuditedModelAdmin, DjangoUserAdmin):
    """Django's user admin with the platform role; changes (and password resets) are audited,
    the password hash never is. The last administrator of an organisation that may bid is
    neither deactivated nor deleted here while it has other members or a bid."""

    form = AccountChangeForm

    audit_exclude = ("password", "last_login", "date_joined")
    audit_private = ("email", "first_name", "last_name")
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "email_verified", "is_staff", "is_superuser")
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

    def memberships_removed(self, objs: Any) -> QuerySet[Membership]:
        return Membership.objects.filter(user__in=objs)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """A member of an organisation that may bid holds its key to sealed draft bids (ADR 0006):
        setting their password here would let a site administrator sign in as them and read
        the bids, so for them the admin may only disable the password (ADR 0009)."""
        user = self.get_object(request, unquote(id))
        if user is not None and services.holds_bidders_key(user):
            if request.method == "POST" and request.POST.get("usable_password") != "false":
                self.message_user(request, PROVIDER_PASSWORD_REFUSED, messages.ERROR)
                return redirect(request.path)
            if request.method == "GET":
                self.message_user(request, PROVIDER_PASSWORD_REFUSED, messages.WARNING)
        setattr(request, _PASSWORD_CHANGE_ATTR, True)
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if getattr(request, _PASSWORD_CHANGE_ATTR, False):
            label = "set" if obj.has_usable_password() else "disabled"
            record(request.user, Action.ADMIN_PASSWORD, obj, {"password": label})
        return super().log_change(request, obj, message)


@admin.register(Membership)
class MembershipAdmin(LastAdministratorDeletionMixin, AuditedModelAdmin):
    """Memberships are read-only here (issue 11 item 2): an approved member of an organisation
    that may bid reads its sealed draft bids, so only that organisation's administrators
    approve one, or the support team verifies the first against the organisation's registered
    details on its members page, with a recorded reason (ADR 0009). The actions go through the
    same service, which refuses what the pages refuse. Removing a membership (audited, and
    kept against the organisation) stays a support task: it takes access away, never gives it,
    except the last administrator's of an organisation with other members or a bid."""

    list_display = ("user", "organisation", "status", "is_org_admin", "requested_at", "decided_at")
    list_filter = ("status", "is_org_admin")
    search_fields = ("user__username", "user__email", "organisation__name")
    fields = (
        "user",
        "organisation",
        "status",
        "is_org_admin",
        "job_title",
        "requested_at",
        "decided_at",
        "decided_by",
        "verified_against",
        "decision_reason",
    )
    readonly_fields = fields
    list_select_related = ("user", "organisation")
    actions = ("approve_selected", "reject_selected")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def memberships_removed(self, objs: Any) -> QuerySet[Membership]:
        return Membership.objects.filter(pk__in=[membership.pk for membership in objs])

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
                services.decide_membership(signed_in_user(request), membership, approve=approve)
                decided += 1
            except (services.MembershipError, PermissionDenied):
                skipped += 1
        verdict = "approved" if approve else "rejected"
        self.message_user(request, f"{decided} membership(s) {verdict}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: already decided, or a request to join an organisation "
                "that bids, which only its administrators decide (or the support team verifies "
                "on its members page when it has none).",
                messages.WARNING,
            )
        return None
