"""Asking for mediation and each step after it (SUP-3): each action one transaction with its
audit record and its notices. What happened, the outcome sought and the outcome stay out of the
audit trail (it is read more widely); they are on the request, which only its parties, the
contract's commissioners and the independent reviewers read."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.mediation import access, lifecycle, notifications
from commissioning.mediation.models import TEXT_MAX_LENGTH, MediationRequest

Status = MediationRequest.Status
ALREADY_OPEN = (
    "Your organisation already has an open mediation request under this contract: withdraw it "
    "or wait for it to end before asking again."
)


def _check(*, category: str, what_happened: str, outcome_sought: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if category not in MediationRequest.Category.values:
        problems["category"] = "Select what the dispute is about"
    for field, missing, label in (
        ("what_happened", "Enter what happened", "What happened"),
        ("outcome_sought", "Enter the outcome you seek", "The outcome you seek"),
    ):
        text = (what_happened if field == "what_happened" else outcome_sought).strip()
        if not text:
            problems[field] = missing
        elif len(text) > TEXT_MAX_LENGTH:
            problems[field] = f"{label} must be {TEXT_MAX_LENGTH} characters or fewer"
    return problems


def ask(
    user: User,
    contract: Contract,
    *,
    subcontractor: Organisation | None,
    category: str,
    what_happened: str,
    outcome_sought: str,
    now: datetime | None = None,
    is_synthetic: bool = False,
) -> MediationRequest:
    """A member of a sub-contractor on ``contract`` asks for mediation with its prime.
    PermissionDenied or ValidationError by field, nothing written."""
    allowed = access.asking_organisations(user, contract)
    if subcontractor is None and len(allowed) == 1:
        subcontractor = allowed[0]
    if subcontractor is None or subcontractor not in allowed:
        raise PermissionDenied(access.NOT_A_SUBCONTRACTOR)
    problems = _check(category=category, what_happened=what_happened, outcome_sought=outcome_sought)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    with transaction.atomic():
        open_already = MediationRequest.objects.select_for_update().filter(
            contract=contract,
            subcontractor=subcontractor,
            status__in=[Status.REQUESTED, Status.ACCEPTED],
        )
        if open_already.exists():
            raise ValidationError({"__all__": ALREADY_OPEN})
        request = MediationRequest.objects.create(
            contract=contract,
            subcontractor=subcontractor,
            prime=contract.prime,
            category=category,
            what_happened=what_happened.strip(),
            outcome_sought=outcome_sought.strip(),
            requested_at=now,
            requested_by=user,
            is_synthetic=is_synthetic,
        )
        record(
            user,
            "mediation.request",
            request,
            {
                "contract": {"from": None, "to": contract.reference},
                "subcontractor": {"from": None, "to": subcontractor.name},
                "prime": {"from": None, "to": contract.prime.name},
                "category": {"from": None, "to": category},
            },
        )
        notifications.requested(request)
    return request


def _move(
    user: User,
    request: MediationRequest,
    target: Status,
    *,
    text: str = "",
    now: datetime | None = None,
) -> MediationRequest:
    if target is Status.WITHDRAWN:
        if not access.can_withdraw(user, request):
            raise PermissionDenied(access.NOT_THE_REQUESTER)
    elif not access.can_review(user):
        raise PermissionDenied(access.NOT_A_REVIEWER)
    now = now or timezone.now()
    with transaction.atomic():
        locked = MediationRequest.objects.select_for_update().get(pk=request.pk)
        before = locked.status
        transition = lifecycle.move(locked, target, user, now, text=text)
        changes: dict[str, object] = {"status": {"from": before, "to": locked.status}}
        if target is Status.ACCEPTED:
            changes["mediator"] = {"from": "", "to": locked.mediator}
        record(user, transition.action, locked, changes)
        notifications.moved(locked)
    return locked


def accept(
    user: User, request: MediationRequest, mediator: str, *, now: datetime | None = None
) -> MediationRequest:
    return _move(user, request, Status.ACCEPTED, text=mediator, now=now)


def decline(
    user: User, request: MediationRequest, reason: str, *, now: datetime | None = None
) -> MediationRequest:
    return _move(user, request, Status.DECLINED, text=reason, now=now)


def withdraw(
    user: User, request: MediationRequest, *, now: datetime | None = None
) -> MediationRequest:
    return _move(user, request, Status.WITHDRAWN, now=now)


def conclude(
    user: User,
    request: MediationRequest,
    *,
    resolved: bool,
    outcome: str,
    now: datetime | None = None,
) -> MediationRequest:
    """Record how the mediation ended: the outcome agreed, or why it was not resolved."""
    target = Status.RESOLVED if resolved else Status.NOT_RESOLVED
    return _move(user, request, target, text=outcome, now=now)
