"""Raising, acknowledging and responding to escalations (REF-2): each action one transaction
with its audit record, the same for the web pages and the API (a person's session or an
organisation's API token).

The deadlines are set when an escalation is raised, from the targets of its urgency
(:mod:`.targets`); the audit record of each answer keeps whether it was within target.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract
from commissioning.escalations import access, lifecycle, notifications, targets
from commissioning.escalations.models import WHAT_HAPPENED_MAX_LENGTH, Escalation
from commissioning.service_accounts.models import OrganisationToken
from commissioning.service_accounts.services import record_write

Status = Escalation.Status
CLOCK_SKEW = timedelta(minutes=5)
"""A case-management system's clock may run a little ahead of ours."""

NOT_A_PARTY = (
    "Your organisation does not deliver under this contract, so it cannot raise escalations "
    "under it."
)
NOT_PROBATION = (
    "Only the probation practitioners of the probation service serving this contract can answer "
    "this escalation."
)
NO_PROBATION_BODY = (
    "No probation service is recorded as serving this contract's area, so there is nobody to "
    "send an escalation to: ask the contract's commissioner to record the lot's area."
)


def _check(
    contract: Contract,
    *,
    category: str,
    urgency: str,
    what_happened: str,
    occurred_at: datetime | None,
    now: datetime,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if category not in Escalation.Category.values:
        problems["category"] = "Select what the escalation is about"
    if urgency not in Escalation.Urgency.values:
        problems["urgency"] = "Select how urgent it is"
    text = what_happened.strip()
    if not text:
        problems["what_happened"] = "Enter what happened"
    elif len(text) > WHAT_HAPPENED_MAX_LENGTH:
        problems["what_happened"] = (
            f"What happened must be {WHAT_HAPPENED_MAX_LENGTH} characters or fewer"
        )
    if occurred_at is None:
        problems["occurred_at"] = "Enter when it happened"
    elif occurred_at > now + CLOCK_SKEW:
        problems["occurred_at"] = "When it happened must be now or in the past"
    elif occurred_at.date() < contract.start_date - timedelta(days=1):
        problems["occurred_at"] = "When it happened must be on or after the contract started"
    if contract.status != Contract.Status.ACTIVE:
        problems["__all__"] = (
            "This contract is no longer active: escalations are raised under active contracts."
        )
    elif not access.answering_body_ids(contract):
        problems["__all__"] = NO_PROBATION_BODY
    return problems


def raise_escalation(
    actor: User | OrganisationToken,
    contract: Contract,
    *,
    organisation: Any,
    category: str,
    urgency: str,
    what_happened: str,
    occurred_at: datetime | None,
    submission_key: str = "",
    now: datetime | None = None,
    is_synthetic: bool = False,
) -> Escalation:
    """Raise an escalation for ``organisation`` under ``contract``. ``actor`` is a person (an
    approved member of a delivering organisation) or an :class:`OrganisationToken` (acting for
    its own organisation only). PermissionDenied or ValidationError by field, nothing written.
    A repeat with the same ``submission_key`` returns the first one."""
    token = actor if isinstance(actor, OrganisationToken) else None
    person = actor if isinstance(actor, User) else None
    if token is not None:
        if organisation is None:
            organisation = token.organisation
        if organisation.pk != token.organisation_id:
            raise PermissionDenied("This API token acts only for its own organisation.")
        if not access.organisation_may_raise(organisation, contract):
            raise PermissionDenied(NOT_A_PARTY)
    else:
        allowed = access.raising_organisations(person, contract)
        if organisation is None and len(allowed) == 1:
            organisation = allowed[0]
        if organisation is None or organisation not in allowed:
            raise PermissionDenied(NOT_A_PARTY)
    now = now or timezone.now()
    problems = _check(
        contract,
        category=category,
        urgency=urgency,
        what_happened=what_happened,
        occurred_at=occurred_at,
        now=now,
    )
    if problems:
        raise ValidationError(problems)
    assert occurred_at is not None  # checked above
    key = idempotency.clean_key(submission_key)
    acknowledge_by, respond_by = targets.deadlines(urgency, now)

    def earlier() -> Escalation | None:
        if not key:
            return None
        return Escalation.objects.filter(organisation=organisation, submission_key=key).first()

    def create() -> Escalation:
        escalation = Escalation.objects.create(
            contract=contract,
            organisation=organisation,
            raised_by=person,
            raised_with_token=token,
            category=category,
            urgency=urgency,
            what_happened=what_happened.strip(),
            occurred_at=occurred_at,
            raised_at=now,
            acknowledge_by=acknowledge_by,
            respond_by=respond_by,
            submission_key=key,
            is_synthetic=is_synthetic,
        )
        # What happened stays out of the audit trail: the trail is read more widely.
        changes = {
            "contract": {"from": None, "to": contract.reference},
            "organisation": {"from": None, "to": str(organisation)},
            "category": {"from": None, "to": category},
            "urgency": {"from": None, "to": urgency},
            "acknowledge_by": {"from": None, "to": acknowledge_by.isoformat()},
            "respond_by": {"from": None, "to": respond_by.isoformat()},
        }
        if token is not None:
            record_write(token, "escalation.raise", escalation, changes)
        else:
            record(actor, "escalation.raise", escalation, changes)
        notifications.raised(escalation)
        return escalation

    with transaction.atomic():
        escalation, _ = idempotency.create_once(earlier, create)
    return escalation


def _answer(
    user: User,
    escalation: Escalation,
    target: Status,
    *,
    response: str = "",
    now: datetime | None = None,
) -> Escalation:
    if not access.can_answer(user, escalation):
        raise PermissionDenied(NOT_PROBATION)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
        before = locked.status
        transition = lifecycle.move(locked, target, user, now, response=response)
        step = "acknowledge" if target is Status.ACKNOWLEDGED else "respond"
        standing = targets.standing(locked, step, now)
        record(
            user,
            transition.action,
            locked,
            {
                "status": {"from": before, "to": locked.status},
                "against_target": standing.text,
            },
        )
        if target is Status.RESPONDED:
            notifications.responded(locked)
    return locked


def acknowledge(user: User, escalation: Escalation, *, now: datetime | None = None) -> Escalation:
    return _answer(user, escalation, Status.ACKNOWLEDGED, now=now)


def respond(
    user: User, escalation: Escalation, response: str, *, now: datetime | None = None
) -> Escalation:
    return _answer(user, escalation, Status.RESPONDED, response=response, now=now)
