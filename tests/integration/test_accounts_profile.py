"""The account page: who you are, your memberships and what you can do with them."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership, User
from tests.factories import (
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_provider_sees_memberships_with_status_and_links(client: Client) -> None:
    user = UserFactory(first_name="Sam", last_name="Lee", email="sam@example.org")
    administered = OrganisationFactory(name="Bridge Trust")
    member = OrganisationFactory(name="Canal Project")
    waiting = OrganisationFactory(name="Dockside Aid")
    MembershipFactory(user=user, organisation=administered, is_org_admin=True)
    MembershipFactory(user=user, organisation=member)
    MembershipFactory(
        user=user, organisation=waiting, status=Membership.Status.PENDING, decided_at=None
    )
    client.force_login(user)
    html = unescape(client.get(PROFILE).content.decode())

    assert "Sam Lee" in html and "sam@example.org" in html and "Provider member" in html
    assert "Waiting for approval" in html
    assert reverse("directory:edit", args=[administered.slug]) in html
    assert reverse("accounts:members", args=[administered.slug]) in html
    assert reverse("directory:edit", args=[member.slug]) in html
    assert reverse("accounts:members", args=[member.slug]) not in html
    assert reverse("directory:edit", args=[waiting.slug]) not in html


def test_commissioner_sees_the_bodies_they_belong_to(client: Client) -> None:
    body = CommissioningBodyFactory(name="PCC for Testshire")
    CommissioningBodyFactory(name="PCC for Elsewhere")
    user = member_of(body, role=User.Role.COMMISSIONER)
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert "Commissioning bodies you work for" in html
    assert "PCC for Testshire" in html
    assert "PCC for Elsewhere" not in html
    assert reverse("exercises:create") in html


def test_site_admin_sees_audit_link_and_organisations_with_people_waiting(client: Client) -> None:
    organisation = OrganisationFactory(name="Waiting Room Trust")
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    client.force_login(UserFactory(role=User.Role.ADMIN))
    html = client.get(PROFILE).content.decode()
    assert reverse("audit:list") in html
    assert "Waiting Room Trust" in html
    assert reverse("accounts:members", args=[organisation.slug]) in html


def test_provider_does_not_see_site_administration(client: Client) -> None:
    client.force_login(UserFactory())
    html = client.get(PROFILE).content.decode()
    assert reverse("audit:list") not in html
    assert "Site administration" not in html
