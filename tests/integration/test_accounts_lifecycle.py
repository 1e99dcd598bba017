"""The membership's lifecycle module (ADR 0009; issue 12): pending is decided once, to approved
or rejected, and only the lifecycle writes the status."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commissioning.accounts import lifecycle, services
from commissioning.accounts.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Membership.Status


def test_a_pending_request_is_decided_once() -> None:
    assert set(lifecycle.TRANSITIONS) == {
        (Status.PENDING, Status.APPROVED),
        (Status.PENDING, Status.REJECTED),
    }
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, is_org_admin=True).user
    asker = UserFactory(first_name="Ada", last_name="Byron")
    membership = services.request_membership(asker, organisation)
    assert membership.status == Status.PENDING
    decided = lifecycle.decide(membership, approve=False, actor=admin, now=timezone.now())
    assert (decided.status, decided.decided_by) == (Status.REJECTED, admin)
    with pytest.raises(services.MembershipError, match=r"already been decided \(rejected\)"):
        lifecycle.decide(membership, approve=True, actor=admin, now=timezone.now())
    membership.refresh_from_db()
    assert membership.status == Status.REJECTED


def test_demo_members_are_seeded_already_decided() -> None:
    user, organisation = UserFactory(), OrganisationFactory()
    seeded = lifecycle.seed(user, organisation, Status.APPROVED, job_title="Synthetic")
    assert (seeded.status, seeded.job_title) == (Status.APPROVED, "Synthetic")
    assert lifecycle.seeded(Status.APPROVED, user=user).pk is None
