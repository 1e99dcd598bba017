"""Recording audit events. Every service that creates or changes a record calls :func:`record`
inside the same transaction, so an action and its audit entry stand or fall together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.db.models import QuerySet, TextChoices

from commissioning.audit.models import AuditEvent
from commissioning.audit.privacy import scrub
from commissioning.permissions import Visitor, is_signed_in


class Action(TextChoices):
    """Actions written by the accounts app and by every audited admin (AuditedModelAdmin).

    Other apps may record their own action strings; these are the shared ones."""

    ADMIN_CREATE = "admin.create", "Created in the admin"
    ADMIN_UPDATE = "admin.update", "Changed in the admin"
    ADMIN_DELETE = "admin.delete", "Deleted in the admin"
    ADMIN_PASSWORD = "admin.password", "Password set in the admin"
    TWO_FACTOR_ENABLE = "two_factor.enable", "Two-factor authentication set up"
    TWO_FACTOR_DISABLE = "two_factor.disable", "Two-factor authentication turned off"
    TWO_FACTOR_VERIFY = "two_factor.verify", "Signed in with an authenticator code"
    TWO_FACTOR_RECOVERY = "two_factor.recovery", "Signed in with a recovery code"
    TWO_FACTOR_FAILURE = "two_factor.failure", "Wrong two-factor code"
    TWO_FACTOR_NEW_RECOVERY_CODES = "two_factor.new_codes", "New recovery codes made"
    REGISTER = "account.register", "Registered and asked to join an organisation"
    MEMBERSHIP_APPROVE = "membership.approve", "Membership approved"
    MEMBERSHIP_REJECT = "membership.reject", "Membership rejected"
    MEMBERSHIP_ADMIN = "membership.admin", "Organisation administrator rights changed"
    MEMBERSHIP_VERIFY = "membership.verify", "First member verified by the support team"
    MEMBERSHIP_REQUEST = "membership.request", "Asked to join another organisation"
    MEMBERSHIP_REMOVED = "membership.removed", "An approved member removed"
    # Sign-in and accounts (issue 13): people are named by their account, never by an email
    # address or a username typed for an account that does not exist.
    EMAIL_CONFIRM = "account.email_confirm", "Email address confirmed"
    SIGN_IN = "account.sign_in", "Signed in"
    SIGN_OUT = "account.sign_out", "Signed out"
    SIGN_IN_FAILED = "account.sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "account.locked_out", "Sign-in locked after repeated failures"
    PASSWORD_CHANGE = "account.password_change", "Password changed"
    PASSWORD_RESET = "account.password_reset", "Password reset by an emailed link"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(_plain(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` (many-to-many as sorted names) in JSON-safe form."""
    result: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = [str(obj) for obj in getattr(instance, name).all()] if instance.pk else []
        else:
            value = getattr(instance, name)
        result[name] = _plain(value)
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Only what changed: ``{field: {"from": old, "to": new}}``."""
    return {
        key: {"from": before.get(key), "to": after.get(key)}
        for key in after
        if before.get(key) != after.get(key)
    }


def created(after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The changes of a new record: every field that has a value, from nothing."""
    return {key: {"from": None, "to": value} for key, value in after.items() if _has_value(value)}


def deleted(before: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The changes of a deleted record: every field that had a value, to nothing."""
    return {key: {"from": value, "to": None} for key, value in before.items() if _has_value(value)}


def _has_value(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != [] and value != {}


def editable_field_names(model: type[models.Model], exclude: Iterable[str] = ()) -> list[str]:
    """The fields a person can edit (many-to-many included): what an audit diff compares.

    Primary keys, derived fields (``editable=False``, ``auto_now``) and ``exclude`` are left out.
    """
    excluded = set(exclude)
    names: list[str] = []
    for field in model._meta.get_fields():
        if field.auto_created or not getattr(field, "editable", False):
            continue
        if getattr(field, "primary_key", False) or field.name in excluded:
            continue
        if field.concrete or field.many_to_many:
            names.append(field.name)
    return names


class NamedActor(Protocol):
    """Something other than a person that acts, such as an organisation's API token: it is named
    in the trail by its ``audit_label``."""

    @property
    def audit_label(self) -> str: ...


def record(
    actor: Visitor | NamedActor | None,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event for ``actor`` doing ``action`` to ``target``, in the caller's
    transaction, appended to the hash chain. People are named by account (the ``actor`` link
    and username); any email address in the label or the changes is replaced (issue 13 item 2)."""
    person = actor if is_signed_in(actor) else None
    return AuditEvent.objects.create(
        actor=person,
        # A non-person actor (an organisation's API token) names itself by its ``audit_label``.
        actor_label=(
            scrub(person.get_username())[:150]
            if person is not None
            else getattr(actor, "audit_label", "system")
        ),
        action=action,
        target_type=target._meta.label,
        target_id=str(target.pk),
        target_label=scrub(str(target))[:250],
        changes=scrub(dict(changes or {})),
    )


_EMPTY = "(blank)"


def describe_value(value: Any) -> str:
    """A stored (JSON) value as a person reads it: blanks named, lists joined, booleans Yes/No."""
    if value is None or value == "" or value == []:
        return _EMPTY
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, (list, tuple)):
        return ", ".join(describe_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {describe_value(item)}" for key, item in value.items())
    return str(value)


def describe_changes(changes: Mapping[str, Any] | None) -> list[str]:
    """Each change as one line: ``"field: old → new"`` for ``{"from", "to"}`` pairs (the shape
    :func:`diff` writes), ``"field: value"`` for anything else another app recorded."""
    lines: list[str] = []
    for field, change in (changes or {}).items():
        label = str(field).replace("_", " ")
        if isinstance(change, Mapping) and set(change) == {"from", "to"}:
            old, new = describe_value(change["from"]), describe_value(change["to"])
            lines.append(f"{label}: {old} → {new}")
        else:
            lines.append(f"{label}: {describe_value(change)}")
    return lines


def filter_events(
    events: QuerySet[AuditEvent], *, target_type: str = "", action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    """Narrow the audit trail: exact record type and action; ``actor`` matches part of the
    username (``system`` finds automatic changes)."""
    if target_type:
        events = events.filter(target_type=target_type)
    if action:
        events = events.filter(action=action)
    if actor.strip():
        events = events.filter(actor_label__icontains=actor.strip())
    return events


def target_type_label(target_type: str) -> str:
    """``"directory.Organisation"`` → ``"Organisation"`` (the model's verbose name), or the label
    as stored when the model no longer exists."""
    from django.apps import apps

    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name).capitalize()


def action_label(action: str) -> str:
    """The shared actions' descriptions; any other app's action string as recorded."""
    try:
        return str(Action(action).label)
    except ValueError:
        return action
