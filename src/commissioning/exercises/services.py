"""The service layer for commissioning exercises (CYC-1, CYC-4).

Every user action is one transaction with its audit record; permission rules come from
:mod:`commissioning.permissions` and the stage rules from :mod:`.lifecycle`. Views and the API
call these functions and never write exercises themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import IntegerField, Max, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from commissioning import idempotency, permissions
from commissioning.accounts.models import User
from commissioning.audit.services import created, diff, record, snapshot
from commissioning.audit.versions import check_version
from commissioning.directory.models import Organisation
from commissioning.directory.queries import serving_area
from commissioning.exercises.lifecycle import Stage, TransitionError, check_transition, write
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.exercises.tasks import notify_stage_change

logger = logging.getLogger(__name__)

EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "tier",
    "partners",
    "service_area",
    "areas",
    "summary",
    "estimated_annual_value",
)
AUDITED_FIELDS: tuple[str, ...] = ("reference", "commissioning_body", *EDITABLE_FIELDS, "stage")
_MANY_TO_MANY = ("partners", "areas")
REFERENCE_ATTEMPTS = 10


# ---------------------------------------------------------------- reading


def filter_exercises(filters: Mapping[str, Any]) -> QuerySet[CommissioningExercise]:
    """Exercises matching the (already validated) list filters: tier, stage, area (an Area),
    body (an Organisation) and q (text in the title, reference or summary)."""
    queryset = CommissioningExercise.objects.select_related(
        "commissioning_body", "service_area"
    ).prefetch_related("areas")
    if filters.get("tier"):
        queryset = queryset.filter(tier=filters["tier"])
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("area"):
        queryset = serving_area(
            queryset,
            filters["area"],
            through=CommissioningExercise.areas.through,
            owner="commissioningexercise_id",
        )
    if filters.get("body"):
        queryset = queryset.filter(commissioning_body=filters["body"])
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(reference__icontains=text) | Q(summary__icontains=text)
        )
    return queryset


def get_exercise(reference: str) -> CommissioningExercise:
    """One exercise with everything its page shows; raises ``DoesNotExist``."""
    return (
        CommissioningExercise.objects.select_related("commissioning_body", "service_area")
        .prefetch_related("partners", "areas")
        .get(reference=reference)
    )


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: datetime
    from_stage: str
    from_label: str
    to_stage: str
    to_label: str
    who: str
    reason: str


def stage_history(
    exercise: CommissioningExercise, viewer: permissions.Visitor | None = None
) -> list[HistoryEntry]:
    """The dated stage history, oldest first. The public sees who acted by role and organisation
    ("Commissioner, <body>"); people who may edit the exercise also see names."""
    changes = list(exercise.stage_changes.select_related("changed_by"))
    show_names = permissions.can_edit_exercise(viewer, exercise) if viewer is not None else False
    orgs = {exercise.commissioning_body_id: exercise.commissioning_body}
    orgs.update({p.pk: p for p in exercise.partners.all()})
    user_ids = {c.changed_by_id for c in changes if c.changed_by_id}
    org_of_user: dict[int, Organisation] = {}
    if user_ids:
        from commissioning.accounts.models import Membership

        for user_id, org_id in (
            Membership.objects.filter(
                user_id__in=user_ids,
                organisation_id__in=list(orgs),
                status=Membership.Status.APPROVED,
            )
            .order_by("user_id")
            .values_list("user_id", "organisation_id")
        ):
            # The commissioning body wins over a partner when someone belongs to both.
            if org_of_user.get(user_id) != exercise.commissioning_body:
                org_of_user[user_id] = orgs[org_id]
    return [
        HistoryEntry(
            changed_at=change.changed_at,
            from_stage=change.from_stage,
            from_label=change.from_stage_label,
            to_stage=change.to_stage,
            to_label=change.to_stage_label,
            who=_who(change, org_of_user, show_names),
            reason=change.reason,
        )
        for change in changes
    ]


def _who(change: StageChange, org_of_user: Mapping[int, Organisation], show_names: bool) -> str:
    user = change.changed_by
    if user is None:
        return "Not recorded"
    if user.is_site_admin:
        label = "Site administrator"
    else:
        label = user.get_role_display()
        org = org_of_user.get(user.pk)
        if org is not None:
            label = f"{label}, {org.name}"
    name = user.get_full_name() or user.get_username()
    return f"{name} ({label})" if show_names else label


# ---------------------------------------------------------------- rules


def exercise_rule_errors(
    body: Organisation, tier: str | None, partners: Sequence[Organisation]
) -> dict[str, list[str]]:
    """Cross-field rules of CYC-1, as ``{field: [message]}`` (empty when all hold)."""
    errors: dict[str, list[str]] = {}
    if tier and body.commissioning_tier and tier != body.commissioning_tier:
        expected = CommissioningExercise.Tier(body.commissioning_tier).label
        errors["tier"] = [
            f"{body.name} commissions at the {expected.lower()} tier: select “{expected}”"
        ]
    if any(partner.pk == body.pk for partner in partners):
        errors["partners"] = [
            f"{body.name} is the commissioning body, so it cannot also be a partner"
        ]
    return errors


def _check_rules(body: Organisation, data: Mapping[str, Any]) -> None:
    errors = exercise_rule_errors(body, data.get("tier"), list(data.get("partners") or []))
    if not data.get("areas"):
        errors.setdefault("areas", []).append("Select at least one area the exercise covers")
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- writing


def next_reference(year: int) -> str:
    """The next free reference of ``year``: ``CX-<year>-<NNNN>`` (more digits after 9999)."""
    prefix = f"CX-{year}-"
    highest = (
        CommissioningExercise.objects.filter(reference__regex=rf"^CX-{year}-[0-9]+$")
        .annotate(number=Cast(Substr("reference", len(prefix) + 1), IntegerField()))
        .aggregate(highest=Max("number"))["highest"]
    )
    return f"{prefix}{(highest or 0) + 1:04d}"


def create_exercise(
    actor: User, data: Mapping[str, Any], now: datetime | None = None, submission_key: str = ""
) -> CommissioningExercise:
    """Create an exercise at "assess need" with its first history entry and an audit record.

    ``data`` is a validated form's ``cleaned_data``. Raises ``PermissionDenied`` when ``actor``
    may not commission for the body and ``ValidationError`` when a CYC-1 rule fails. Sent again
    with the same ``submission_key`` (the form's, or the API's ``Idempotency-Key``), it returns
    the exercise already created (issue 11 item 25).
    """
    body: Organisation = data["commissioning_body"]
    if not permissions.can_create_exercise_for(actor, body):
        raise PermissionDenied(f"You cannot create exercises for {body.name}.")
    _check_rules(body, data)
    now = now or timezone.now()
    key = idempotency.clean_key(submission_key)
    creator = actor if getattr(actor, "is_authenticated", False) else None

    def created_before() -> CommissioningExercise | None:
        if not key or creator is None:
            return None
        return CommissioningExercise.objects.filter(created_by=creator, submission_key=key).first()

    exercise, _ = idempotency.create_once(
        created_before, lambda: _create(actor, body, data, now, key)
    )
    return exercise


def _create(
    actor: User, body: Organisation, data: Mapping[str, Any], now: datetime, key: str
) -> CommissioningExercise:
    with transaction.atomic():
        exercise = _insert_with_fresh_reference(actor, body, data, now, key)
        exercise.partners.set(data.get("partners") or [])
        exercise.areas.set(data["areas"])
        StageChange.objects.create(
            exercise=exercise,
            from_stage="",
            to_stage=exercise.stage,
            changed_at=now,
            changed_by=actor,
            reason="Exercise created",
        )
        record(actor, "create", exercise, created(snapshot(exercise, AUDITED_FIELDS)))
    return exercise


# Any constant 64-bit key: PostgreSQL advisory lock that serialises reference allocation.
_REFERENCE_LOCK_KEY = 0x43585F524546  # "CX_REF"


def _lock_references() -> None:
    """Serialise reference allocation until the transaction ends. PostgreSQL: an advisory lock
    (a create waits for the one before it to commit, then reads its reference). SQLite: writes
    are already serialised (``transaction_mode=IMMEDIATE`` in settings), so nothing to do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFERENCE_LOCK_KEY])


def _insert_with_fresh_reference(
    actor: User, body: Organisation, data: Mapping[str, Any], now: datetime, key: str = ""
) -> CommissioningExercise:
    """Insert the row under the next reference. Allocation is serialised by
    :func:`_lock_references`; as a second line of defence, when the unique constraint refuses
    our reference (taken by a writer that did not take the lock, such as a data load), roll back
    to the savepoint and try the next one."""
    year = timezone.localdate(now).year
    _lock_references()
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        reference = next_reference(year)
        try:
            with transaction.atomic():
                return CommissioningExercise.objects.create(
                    reference=reference,
                    title=data["title"],
                    tier=data["tier"],
                    commissioning_body=body,
                    service_area=data["service_area"],
                    summary=data["summary"],
                    estimated_annual_value=data.get("estimated_annual_value"),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    submission_key=key,
                )
        except IntegrityError:
            if not CommissioningExercise.objects.filter(reference=reference).exists():
                raise
            logger.info("Reference %s taken concurrently (attempt %d)", reference, attempt)
    raise IntegrityError(f"Could not allocate an exercise reference after {attempt} attempts")


def update_exercise(
    actor: User,
    exercise: CommissioningExercise,
    data: Mapping[str, Any],
    version: str | None = None,
) -> CommissioningExercise:
    """Change the editable fields (not the body, reference or stage); audits what changed.
    ``version`` is the one the edit started from: a change saved since raises ``StaleEdit``
    and nothing is overwritten (issue 13 item 4, :mod:`commissioning.audit.versions`)."""
    if not permissions.can_edit_exercise(actor, exercise):
        raise PermissionDenied("You cannot edit this exercise.")
    _check_rules(exercise.commissioning_body, data)
    with transaction.atomic():
        CommissioningExercise.objects.select_for_update().filter(pk=exercise.pk).first()
        check_version(exercise, version)
        before = snapshot(exercise, AUDITED_FIELDS)
        keep_published_pipeline(exercise)
        for name in EDITABLE_FIELDS:
            if name not in _MANY_TO_MANY:
                setattr(exercise, name, data.get(name))
        exercise.save()
        exercise.partners.set(data.get("partners") or [])
        exercise.areas.set(data["areas"])
        changes = diff(before, snapshot(exercise, AUDITED_FIELDS))
        if changes:
            record(actor, "update", exercise, changes)
        if "estimated_annual_value" in changes:
            publish_pipeline_if_planned(exercise, timezone.now())
    return exercise


def keep_published_pipeline(exercise: CommissioningExercise) -> None:
    """Before an edit: a UK1 published before notices were stored is stored as it read."""
    from commissioning.opendata.publication import stored_pipeline

    stored_pipeline(exercise)


def publish_pipeline_if_planned(exercise: CommissioningExercise, now: datetime) -> None:
    """An exercise that has entered the plan stage and now expects a procurement at or above the
    threshold publishes its UK1 now, once: never backdated, and never withdrawn when the estimate
    is lowered later (issue 11 item 9, LAW-1)."""
    from commissioning.opendata.publication import publish_pipeline

    if exercise.stage_changes.filter(to_stage=Stage.PLAN.value).exists():
        publish_pipeline(exercise, now)


def change_stage(
    actor: User,
    exercise: CommissioningExercise,
    target: Stage | str,
    reason: str = "",
    now: datetime | None = None,
) -> StageChange:
    """Move ``exercise`` to ``target`` if the cycle allows it (CYC-1; review → assess need starts
    the next cycle, CYC-4), record the dated change and audit it, and — once the transaction has
    committed — queue the email to the body's and partners' members.

    Raises ``PermissionDenied`` or :class:`TransitionError`; nothing is written when either is
    raised.
    """
    if not permissions.can_edit_exercise(actor, exercise):
        raise PermissionDenied("You cannot change the stage of this exercise.")
    try:
        target = Stage(target)
    except ValueError:
        raise TransitionError("Select a stage of the commissioning cycle") from None
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the row so two simultaneous changes cannot both start from the same stage.
        locked = CommissioningExercise.objects.select_for_update().get(pk=exercise.pk)
        current = locked.current_stage
        check_transition(current, target, reason)
        write(locked, target, caller=exercise)
        change = StageChange.objects.create(
            exercise=locked,
            from_stage=current.value,
            to_stage=target.value,
            changed_at=now,
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
        )
        record(
            actor,
            "stage_change",
            locked,
            {"stage": {"from": current.value, "to": target.value}, "reason": reason},
        )
        if target == Stage.PLAN:
            publish_pipeline_if_planned(locked, now)
        transaction.on_commit(partial(notify_stage_change.enqueue, change.pk))
    return change


def initial_from_exercise(exercise: CommissioningExercise) -> dict[str, Any]:
    """The exercise's editable values as form data (slugs for related records)."""
    return {
        "title": exercise.title,
        "tier": exercise.tier,
        "partners": [p.slug for p in exercise.partners.all()],
        "service_area": exercise.service_area.slug,
        "areas": [a.slug for a in exercise.areas.all()],
        "summary": exercise.summary,
        "estimated_annual_value": exercise.estimated_annual_value,
    }
