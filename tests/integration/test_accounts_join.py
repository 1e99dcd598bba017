"""Issue 11 item 25a: a signed-in person who registers for a second organisation asks to join
it: one person, several memberships, a membership request each, decided by that organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commissioning.accounts import services
from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from commissioning.directory.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
Capture = Callable[..., Any]


def _url(organisation: Organisation) -> str:
    return f"{REGISTER}?{urlencode({'organisation': organisation.slug})}"


def _org_admin(organisation: Organisation) -> User:
    user = UserFactory(email=f"admin@{organisation.slug}.example")
    MembershipFactory(user=user, organisation=organisation, is_org_admin=True)
    return user


def test_a_signed_in_member_asks_to_join_a_second_organisation(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    first, second = OrganisationFactory(), OrganisationFactory(name="Second Chance Trust")
    person = UserFactory(username="grace", email="grace@example.org")
    MembershipFactory(user=person, organisation=first)
    second_admin = _org_admin(second)
    client.force_login(person)
    accounts_before = User.objects.count()

    page = client.get(_url(second)).content.decode()
    assert "Ask to join Second Chance Trust" in page
    assert 'name="password1"' not in page  # no second account
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(second), {"organisation": second.slug, "job_title": "Volunteer lead"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registered")

    assert User.objects.count() == accounts_before
    memberships = {m.organisation_id: m for m in person.memberships.all()}
    assert memberships[first.pk].status == Membership.Status.APPROVED
    request = memberships[second.pk]
    assert (request.status, request.job_title) == (Membership.Status.PENDING, "Volunteer lead")
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_REQUEST, target_id=str(request.pk))
    assert event.actor == person
    assert [message.to for message in mail.outbox] == [[second_admin.email]]

    waiting = client.get(reverse("accounts:registered")).content.decode()
    assert "Second Chance Trust" in waiting
    # and the second organisation's administrator decides it like any other request
    services.decide_membership(second_admin, request, approve=True)
    assert person.approved_organisation_ids() == {first.pk, second.pk}


def test_asking_twice_or_for_an_organisation_already_joined_is_refused(client: Client) -> None:
    organisation = OrganisationFactory(name="Northern Lights CIC")
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation, status="pending")
    client.force_login(person)
    response = client.post(_url(organisation), {"organisation": organisation.slug})
    assert response.status_code == 200
    assert "You have already asked to join Northern Lights CIC" in response.content.decode()
    assert person.memberships.count() == 1
    Membership.objects.filter(user=person).update(status="approved")
    with pytest.raises(services.MembershipError, match="already a member of Northern Lights"):
        services.request_membership(person, organisation)


def test_the_search_step_speaks_to_a_signed_in_person(client: Client) -> None:
    client.force_login(UserFactory())
    page = client.get(REGISTER).content.decode()
    assert "Join an organisation" in page
    assert "Already registered?" not in page


def test_the_profile_offers_to_join_another_organisation(client: Client) -> None:
    person = UserFactory()
    MembershipFactory(user=person, organisation=OrganisationFactory())
    client.force_login(person)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{REGISTER}">Ask to join another organisation' in page
