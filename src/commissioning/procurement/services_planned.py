"""The planned procurement notice (UK3, issue 11 item 9; LAW-1, PRO-3): a commissioner may
announce an opportunity before its tender notice (UK4). Published 40 days to 12 months before
the tender notice, it lets the bid window be shorter (rule 5 of the timeline policy in
:mod:`commissioning_analytics.timelines.policy`); the notice itself is published as open data
from then on, even while the opportunity is still being prepared."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.opendata.publication import publish_planned_release
from commissioning.procurement import access
from commissioning.procurement.models import Opportunity

ACTION = "opportunity_planned_notice_published"


def planned_notice_problems(opportunity: Opportunity) -> list[str]:
    """Why the planned procurement notice cannot be published now (empty when it can)."""
    if opportunity.planned_notice_at is not None:
        when = timezone.localtime(opportunity.planned_notice_at)
        return [f"The planned procurement notice was already published on {when:%-d %B %Y}."]
    if opportunity.status != Opportunity.Status.DRAFT:
        return [
            "A planned procurement notice comes before the tender notice, and this opportunity "
            "has already been published."
        ]
    problems = []
    lots = list(opportunity.lots.all())
    if not lots:
        problems.append("Add at least one lot: the notice says what will be bought.")
    elif len(lots) == 1 and not opportunity.not_divided_rationale.strip():
        problems.append("Explain why the contract is not divided into lots.")
    return problems


def publish_planned_notice(
    actor: User, opportunity: Opportunity, now: datetime | None = None
) -> Opportunity:
    """Publish the UK3 now; refused with the reasons (nothing is written when refused)."""
    if not access.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied("Only the exercise's commissioners can publish its notices.")
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        problems = planned_notice_problems(locked)
        if problems:
            raise ValidationError({"planned_notice_at": problems})
        locked.planned_notice_at = now or timezone.now()
        locked.save(update_fields=["planned_notice_at"])
        # Published as it reads now; later edits of the draft never change it (issue 11 item 3).
        publish_planned_release(locked)
        record(actor, ACTION, locked, {"planned_notice_at": locked.planned_notice_at.isoformat()})
    return locked
