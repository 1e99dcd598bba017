"""The service layer for opportunities (PRO-1 … PRO-5, PRO-9, EVA-1): reading, the status
lifecycle with its guards and side effects, and (re-exported) the timeline rules and editing.

Every user action is one transaction with its audit record; permission rules come from
:mod:`.access`, status rules from :mod:`.lifecycle`, timeline rules from the analytics core via
:mod:`.services_timeline`. Other apps (questions, interest, bids) import from here:
:func:`is_open_for_bids`, :func:`bid_deadline_passed`, :func:`interest_holders`,
:func:`apply_timeline_change`, :func:`answer_published`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.directory.models import Organisation
from commissioning.directory.queries import serving_area
from commissioning.engagement.queries import running_engagement
from commissioning.equality.queries import tender_problems
from commissioning.notifications.services import notify
from commissioning.procurement import access, lifecycle, signals
from commissioning.procurement.lifecycle import (
    Status,
    TransitionError,
    action_for,
    check_transition,
    criteria_problems,
)
from commissioning.procurement.models import Lot, Opportunity
from commissioning.procurement.services_editing import turnover_needs_justification
from commissioning.procurement.services_timeline import (
    answer_published,
    apply_timeline_change,
    timeline_errors,
    timeline_problems,
)

__all__ = [
    "answer_published",
    "apply_timeline_change",
    "bid_deadline_passed",
    "cancel",
    "filter_opportunities",
    "interest_holders",
    "is_open_for_bids",
    "publish",
    "publish_problems",
    "timeline_errors",
    "timeline_problems",
    "transition",
    "visible_opportunities",
]


# ---------------------------------------------------------------- bidding window


def is_open_for_bids(opportunity: Opportunity, now: datetime | None = None) -> bool:
    """Open for bids by the server's clock: status open and before the bid deadline (PRO-8)."""
    now = now or timezone.now()
    return (
        opportunity.status == Status.OPEN
        and opportunity.bid_deadline is not None
        and now < opportunity.bid_deadline
    )


def bid_deadline_passed(opportunity: Opportunity, now: datetime | None = None) -> bool:
    """The bid deadline has been reached (bids are late from the deadline itself, PRO-8)."""
    now = now or timezone.now()
    return opportunity.bid_deadline is not None and now >= opportunity.bid_deadline


def interest_holders(opportunity: Opportunity) -> list[User]:
    """Active, approved members of the organisations that registered interest in any of the
    opportunity's lots (PRO-3: every change is sent to them), each once."""
    interested = Organisation.objects.filter(lot_interests__lot__opportunity=opportunity)
    return list(permissions.approved_members(interested.values("pk")))


# ---------------------------------------------------------------- reading


def visible_opportunities(user: permissions.Visitor | None) -> QuerySet[Opportunity]:
    """Everything but drafts, plus the drafts of bodies ``user`` commissions for (all for a
    site administrator)."""
    queryset = Opportunity.objects.select_related("exercise__commissioning_body")
    if permissions.is_site_admin(user):
        return queryset
    bodies = access.manageable_body_ids(user)
    return queryset.filter(~Q(status=Status.DRAFT) | Q(exercise__commissioning_body_id__in=bodies))


def filter_opportunities(
    user: permissions.Visitor, filters: Mapping[str, Any]
) -> QuerySet[Opportunity]:
    """The list's filters (validated): status, area (an Area: a lot in it) and q (text in the
    reference, title or description)."""
    queryset = visible_opportunities(user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("area"):
        queryset = serving_area(
            queryset, filters["area"], through=Lot.areas.through, owner="lot__opportunity_id"
        )
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(reference__icontains=text) | Q(description__icontains=text)
        )
    return queryset.order_by("-published_at", "-created_at", "reference")


# ---------------------------------------------------------------- publication guards


def publish_problems(opportunity: Opportunity, now: datetime | None = None) -> list[str]:
    """Every reason publication is refused (empty when it may open): lots, the tiered
    specification's completeness (PRO-5), criteria and weights (EVA-1), the timeline policy
    (PRO-3), the point of contact (PRO-4), the record of barriers considered (s.12(4)), the
    end of the exercise's market engagement (CYC-3) and its published equality impact
    assessment (EQU-1)."""
    problems: list[str] = []
    lots = list(opportunity.lots.prefetch_related("areas"))
    if not lots:
        problems.append("Add at least one lot.")
    for lot in lots:
        if not lot.areas.all():
            problems.append(f"Lot {lot.number} “{lot.title}” needs at least one area.")
        if lot.outcome_payment_percent is None:
            problems.append(
                f"Lot {lot.number} “{lot.title}”: state what share of the fee is paid on outcomes "
                "(0 for a fixed fee)."
            )
        if turnover_needs_justification(lot.turnover_multiple, lot.turnover_justification):
            problems.append(
                f"Lot {lot.number} “{lot.title}”: explain why its turnover condition is more "
                "than twice the annual value, or lower it."
            )
    if len(lots) == 1 and not opportunity.not_divided_rationale.strip():
        problems.append("Explain why the contract is not divided into lots.")
    for section in opportunity.spec_sections.all():
        if section.required and section.is_blank:
            problems.append(f"The specification section “{section.title}” is blank.")
    essentials = {
        "budget_total": "the total budget",
        "tupe_information": "the TUPE information",
        "incumbent_details": "the incumbent provider details",
        "outcomes_sought": "the outcomes sought",
    }
    for name, label in essentials.items():
        value = getattr(opportunity, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(f"Enter {label}.")
    criteria = [(c.name, c.kind, float(c.weight)) for c in opportunity.criteria.all()]
    problems += criteria_problems(criteria)
    problems += timeline_problems(opportunity, now=now)
    if not (opportunity.contact_name.strip() and opportunity.contact_email.strip()):
        problems.append("Name the point of contact for questions and their email.")
    if not opportunity.barriers_considered.strip():
        problems.append(
            "Record how barriers facing small organisations were considered "
            "(Procurement Act 2023 s.12(4))."
        )
    problems += running_engagement(opportunity.exercise, now or timezone.now())
    problems += tender_problems(opportunity.exercise)
    return problems


# ---------------------------------------------------------------- transitions


def transition(
    actor: User,
    opportunity: Opportunity,
    target: Status | str,
    *,
    now: datetime | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Opportunity:
    """Move ``opportunity`` to ``target``: the one place where status changes, with the guards
    and side effects of each edge, audited. Raises ``PermissionDenied`` or
    :class:`TransitionError` (nothing written). ``changes`` adds fields to write (cancellation
    code and reason)."""
    if not access.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied("You cannot change the status of this opportunity.")
    try:
        target = Status(target)
    except ValueError:
        raise TransitionError("Select a status") from None
    now = now or timezone.now()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        current = Status(locked.status)
        check_transition(current, target)
        extra = dict(changes or {})
        if target is Status.OPEN:
            problems = publish_problems(locked, now=now)
            if problems:
                raise TransitionError(problems, field="publish")
            extra["published_at"] = now
        if target is Status.CLOSED and not bid_deadline_passed(locked, now):
            raise TransitionError("Bidding closes only once the bid deadline has passed.")
        if target is Status.CANCELLED:
            _check_cancellation(extra)
            extra["cancelled_at"] = now
        lifecycle.write(locked, target, extra)
        audit = {"status": {"from": current.value, "to": target.value}}
        audit.update({k: _plain(v) for k, v in extra.items()})
        record(actor, action_for(current, target), locked, audit)
        _side_effects(locked, current, target)
    for name in ("status", "published_at", "cancelled_at", "cancellation_code"):
        setattr(opportunity, name, getattr(locked, name))
    opportunity.cancellation_reason = locked.cancellation_reason
    return opportunity


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _check_cancellation(extra: Mapping[str, Any]) -> None:
    code = extra.get("cancellation_code") or ""
    reason = (extra.get("cancellation_reason") or "").strip()
    errors: dict[str, list[str]] = {}
    if code not in Opportunity.CancellationCode.values:
        errors["cancellation_code"] = ["Select the reason for cancelling"]
    if not reason:
        errors["cancellation_reason"] = ["Explain the reason for cancelling; it is published"]
    if errors:
        first = next(iter(errors))
        raise TransitionError([m for ms in errors.values() for m in ms], field=first)


def _side_effects(opportunity: Opportunity, current: Status, target: Status) -> None:
    """What each edge does beyond the status: tell interest holders of publication-relevant
    changes (cancellation; the later issue's award notices hang here too), and announce a
    publication to whoever listens (alerts)."""
    if target is Status.OPEN:
        signals.opportunity_published.send(sender=Opportunity, opportunity=opportunity)
    if target is Status.CANCELLED and current is not Status.DRAFT:
        code = Opportunity.CancellationCode(opportunity.cancellation_code).label
        notify(
            interest_holders(opportunity),
            subject=f"Cancelled: {opportunity.reference} {opportunity.title}",
            body=(
                f"The opportunity {opportunity.reference}, “{opportunity.title}”, has been "
                f"cancelled.\n\nReason: {code}. {opportunity.cancellation_reason}"
            ),
            url=opportunity.get_absolute_url(),
            kind="procurement.cancelled",
        )


def publish(actor: User, opportunity: Opportunity, now: datetime | None = None) -> Opportunity:
    """Open the opportunity for bids (refused with every reason listed)."""
    return transition(actor, opportunity, Status.OPEN, now=now)


def cancel(
    actor: User,
    opportunity: Opportunity,
    *,
    code: str,
    reason: str,
    now: datetime | None = None,
) -> Opportunity:
    """Cancel with a coded, published reason (PRO-9; LAW-1 UK12)."""
    return transition(
        actor,
        opportunity,
        Status.CANCELLED,
        now=now,
        changes={"cancellation_code": code, "cancellation_reason": (reason or "").strip()},
    )
