"""Opportunity services: bidding window, interest holders, publication guards (PRO-5, EVA-1,
PRO-3, PRO-4), cancellation with a coded reason (PRO-9) and the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Membership
from commissioning.audit.models import AuditEvent
from commissioning.notifications.models import Notification
from commissioning.procurement import services
from commissioning.procurement.lifecycle import TransitionError
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from tests.procurement_factories import (
    InterestFactory,
    ProcurementLotFactory,
    commissioner_of,
    interested_member,
    open_opportunity,
    ready_opportunity,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)


def test_open_for_bids_until_the_deadline_by_the_server_clock() -> None:
    opportunity = open_opportunity(published_at=NOW)
    deadline = opportunity.bid_deadline
    assert deadline is not None
    assert services.is_open_for_bids(opportunity, now=deadline - timedelta(seconds=1))
    assert not services.is_open_for_bids(opportunity, now=deadline)
    assert not services.bid_deadline_passed(opportunity, now=deadline - timedelta(seconds=1))
    assert services.bid_deadline_passed(opportunity, now=deadline)


def test_a_draft_is_not_open_for_bids() -> None:
    opportunity = ready_opportunity(now=NOW)
    assert not services.is_open_for_bids(opportunity, now=NOW)


def test_interest_holders_are_approved_members_of_interested_organisations() -> None:
    opportunity = open_opportunity(published_at=NOW)
    holder = interested_member(opportunity)
    pending = UserFactory()
    organisation = OrganisationFactory()
    InterestFactory(lot=opportunity.lots.last(), organisation=organisation)
    MembershipFactory(user=pending, organisation=organisation, status=Membership.Status.PENDING)
    colleague = member_of(organisation)
    elsewhere = open_opportunity(published_at=NOW)
    interested_member(elsewhere)
    assert services.interest_holders(opportunity) == sorted([holder, colleague], key=lambda u: u.pk)


def test_publish_lists_every_reason_it_is_refused() -> None:
    opportunity = ready_opportunity(now=NOW, lots=0, tupe_information="", contact_name="")
    section = opportunity.spec_sections.first()
    assert section is not None
    section.must_have = "   "
    section.save()
    opportunity.criteria.filter(kind="social_value").update(weight=Decimal(5))
    opportunity.bid_deadline = NOW + timedelta(weeks=4)
    opportunity.save()
    user = commissioner_of(opportunity)
    with pytest.raises(TransitionError) as info:
        services.publish(user, opportunity, now=NOW)
    reasons = info.value.reasons
    assert "Add at least one lot." in reasons
    assert f"The specification section “{section.title}” is blank." in reasons
    assert "Enter the TUPE information." in reasons
    assert any(r.startswith("The criteria weights add up to 85%") for r in reasons)
    assert any(r.startswith("Social value carries 5%") for r in reasons)
    assert any(r.startswith("The bid deadline must be") for r in reasons)
    assert "Name the point of contact for questions and their email." in reasons
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT
    assert not AuditEvent.objects.filter(action="opportunity.publish").exists()


def test_social_value_under_ten_percent_alone_refuses_publication() -> None:
    opportunity = ready_opportunity(now=NOW)
    opportunity.criteria.filter(kind="social_value").update(weight=Decimal("9.5"))
    opportunity.criteria.filter(kind="quality").update(weight=Decimal("60.5"))
    with pytest.raises(TransitionError) as info:
        services.publish(commissioner_of(opportunity), opportunity, now=NOW)
    assert info.value.reasons == [
        "Social value carries 9.5% of the total; it must carry at least 10%."
    ]


def test_publish_opens_the_opportunity_and_audits_it() -> None:
    opportunity = ready_opportunity(now=NOW)
    user = commissioner_of(opportunity)
    services.publish(user, opportunity, now=NOW)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN
    assert opportunity.published_at == NOW
    event = AuditEvent.objects.get(action="opportunity.publish")
    assert event.actor == user
    assert event.changes["status"] == {"from": "draft", "to": "open"}


def test_a_single_lot_needs_the_not_divided_rationale() -> None:
    opportunity = ready_opportunity(now=NOW, lots=1, not_divided_rationale="")
    with pytest.raises(TransitionError) as info:
        services.publish(commissioner_of(opportunity), opportunity, now=NOW)
    assert info.value.reasons == ["Explain why the contract is not divided into lots."]


def test_lot_without_areas_is_refused() -> None:
    opportunity = ready_opportunity(now=NOW)
    ProcurementLotFactory(opportunity=opportunity, areas=[], title="Nowhere")
    with pytest.raises(TransitionError, match="“Nowhere” needs at least one area"):
        services.publish(commissioner_of(opportunity), opportunity, now=NOW)


@pytest.mark.parametrize("who", ["anonymous", "provider", "other_commissioner"])
def test_only_the_bodys_commissioners_publish(who: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    from commissioning.accounts.models import User
    from tests.factories import CommissioningBodyFactory

    opportunity = ready_opportunity(now=NOW)
    actor = {
        "anonymous": AnonymousUser(),
        "provider": member_of(opportunity.exercise.commissioning_body),
        "other_commissioner": member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER),
    }[who]
    with pytest.raises(PermissionDenied):
        services.publish(actor, opportunity, now=NOW)


def test_cancel_needs_a_code_and_a_reason() -> None:
    opportunity = open_opportunity(published_at=NOW)
    user = commissioner_of(opportunity)
    with pytest.raises(TransitionError) as info:
        services.cancel(user, opportunity, code="nonsense", reason=" ")
    assert info.value.field == "cancellation_code"
    assert len(info.value.reasons) == 2
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN


def test_cancelling_a_published_opportunity_tells_interest_holders(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    opportunity = open_opportunity(published_at=NOW)
    holder = interested_member(opportunity)
    user = commissioner_of(opportunity)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.cancel(user, opportunity, code="budget_withdrawn", reason="Funding ended.")
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.CANCELLED
    assert opportunity.cancellation_code == "budget_withdrawn"
    assert opportunity.cancelled_at is not None
    note = Notification.objects.get(user=holder)
    assert note.kind == "procurement.cancelled"
    assert [m.to for m in mail.outbox] == [[holder.email]]
    assert "The budget was withdrawn. Funding ended." in mail.outbox[0].body
    event = AuditEvent.objects.get(action="opportunity.cancelled")
    assert event.changes["cancellation_reason"] == "Funding ended."


def test_closing_waits_for_the_deadline() -> None:
    opportunity = open_opportunity(published_at=NOW)
    user = commissioner_of(opportunity)
    with pytest.raises(TransitionError, match="once the bid deadline has passed"):
        services.transition(user, opportunity, "closed", now=NOW)
    assert opportunity.bid_deadline is not None
    services.transition(user, opportunity, "closed", now=opportunity.bid_deadline)
    assert opportunity.status == "closed"
