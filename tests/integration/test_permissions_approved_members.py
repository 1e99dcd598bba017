"""Whom an organisation's notices go to is one building block (issue 12, duplicates):
:func:`commissioning.permissions.approved_members`, the reverse of ``member_organisations``, which
the bid, clarification, message, interest and exercise notices now share instead of each writing
the "approved member of" query again."""

from __future__ import annotations

import pytest

from commissioning import permissions
from commissioning.accounts.models import Membership, User
from commissioning.bids.services import members_of
from commissioning.exercises.notifications import stage_change_recipients
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def test_approved_members_are_the_active_approved_people_each_once_by_id() -> None:
    charity, partner = OrganisationFactory(), OrganisationFactory()
    both = member_of(charity)
    MembershipFactory(user=both, organisation=partner)
    only_partner = member_of(partner)
    member_of(charity, is_active=False)
    MembershipFactory(organisation=charity, status=Membership.Status.PENDING)
    MembershipFactory(organisation=charity, status=Membership.Status.REJECTED)
    member_of(OrganisationFactory())  # another organisation's member

    people = permissions.approved_members([charity.pk, partner.pk])

    assert list(people) == sorted([both, only_partner], key=lambda user: user.pk)
    assert list(permissions.approved_members([charity.pk])) == [both]
    assert members_of(charity.pk) == [both]


def test_the_membership_that_counts_is_of_the_organisation_asked_about() -> None:
    """Pending at the organisation asked about, approved elsewhere: not a member of it."""
    charity = OrganisationFactory()
    person = member_of(OrganisationFactory())
    MembershipFactory(user=person, organisation=charity, status=Membership.Status.PENDING)

    assert list(permissions.approved_members([charity.pk])) == []


def test_stage_change_emails_go_to_the_body_and_partners_members_once() -> None:
    body, partner = CommissioningBodyFactory(), OrganisationFactory()
    exercise = ExerciseFactory(commissioning_body=body)
    exercise.partners.add(partner)
    commissioner = member_of(body, role=User.Role.COMMISSIONER, email="c@example.org")
    MembershipFactory(user=commissioner, organisation=partner)
    member_of(partner, email="p@example.org")
    member_of(partner, email="")
    member_of(body, email="gone@example.org", is_active=False)
    UserFactory(email="stranger@example.org")

    assert stage_change_recipients(exercise) == ["c@example.org", "p@example.org"]
