"""Organisation administrators (and, for public bodies, site administrators) approve or reject
members; no one else can, and an organisation administrator cannot act for another
organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from commissioning import permissions
from commissioning.accounts import services
from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from commissioning.directory.models import Organisation
from tests.factories import (
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _org_admin(organisation: Organisation) -> User:
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, is_org_admin=True)
    return user


def _pending(organisation: Organisation, **user_kwargs: Any) -> Membership:
    user = UserFactory(**user_kwargs)
    membership: Membership = MembershipFactory(
        user=user, organisation=organisation, status=Membership.Status.PENDING, decided_at=None
    )
    return membership


def _members_url(organisation: Organisation) -> str:
    return reverse("accounts:members", args=[organisation.slug])


def test_org_admin_sees_pending_approved_and_rejected(client: Client) -> None:
    organisation = OrganisationFactory()
    admin = _org_admin(organisation)
    _pending(organisation, first_name="Pat", last_name="Pending")
    member_of(organisation, first_name="Alex", last_name="Approved")
    rejected = _pending(organisation, first_name="Rae", last_name="Rejected")
    rejected.status = Membership.Status.REJECTED
    rejected.save()
    client.force_login(admin)
    response = client.get(_members_url(organisation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waiting for approval (1)" in html and "Pat Pending" in html
    assert "Approved members (2)" in html and "Alex Approved" in html
    assert "Rejected requests (1)" in html and "Rae Rejected" in html
    assert 'value="approve"' in html and 'value="reject"' in html


def test_org_admin_approves_a_member_who_can_then_edit_the_organisation(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory(name="Riverside Mentoring")
    admin = _org_admin(organisation)
    membership = _pending(organisation, email="newbie@example.org")
    assert not permissions.can_edit_organisation(membership.user, organisation)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _members_url(organisation), {"membership": membership.pk, "action": "approve"}
        )
    assert response.status_code == 302
    assert response["Location"] == _members_url(organisation)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == admin
    assert membership.decided_at is not None
    assert permissions.can_edit_organisation(membership.user, organisation)

    assert [message.to for message in mail.outbox] == [["newbie@example.org"]]
    assert "approved" in mail.outbox[0].subject
    assert "Riverside Mentoring" in mail.outbox[0].subject

    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_APPROVE)
    assert event.actor == admin
    assert event.target_id == str(membership.pk)
    assert event.changes == {"status": {"from": "Waiting for approval", "to": "Approved"}}


def test_org_admin_rejects_a_member(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory()
    admin = _org_admin(organisation)
    membership = _pending(organisation)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_members_url(organisation), {"membership": membership.pk, "action": "reject"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REJECTED
    assert not permissions.can_edit_organisation(membership.user, organisation)
    assert "not approved" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_REJECT, actor=admin).count() == 1


def test_a_decision_cannot_be_made_twice(client: Client) -> None:
    organisation = OrganisationFactory()
    admin = _org_admin(organisation)
    membership = _pending(organisation)
    services.decide_membership(admin, membership, approve=False)
    with pytest.raises(services.MembershipError):
        services.decide_membership(admin, membership, approve=True)
    client.force_login(admin)
    response = client.post(
        _members_url(organisation), {"membership": membership.pk, "action": "approve"}, follow=True
    )
    assert "already been decided" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REJECTED


def test_site_admin_manages_a_public_bodys_members(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = CommissioningBodyFactory()
    site_admin = UserFactory(role=User.Role.ADMIN)
    membership = _pending(organisation)
    client.force_login(site_admin)
    assert client.get(_members_url(organisation)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_members_url(organisation), {"membership": membership.pk, "action": "approve"})
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


def test_site_admin_cannot_approve_a_member_of_a_provider_with_administrators(
    client: Client,
) -> None:
    """Issue 11 item 2 (PRO-8, ADR 0009): its own administrators decide."""
    organisation = OrganisationFactory()
    _org_admin(organisation)
    membership = _pending(organisation)
    site_admin = UserFactory(role=User.Role.ADMIN, is_superuser=True)
    client.force_login(site_admin)
    assert client.get(_members_url(organisation)).status_code == 403
    response = client.post(
        _members_url(organisation), {"membership": membership.pk, "action": "approve"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="administrators can decide"):
        services.decide_membership(site_admin, membership, approve=True)
    with pytest.raises(PermissionDenied):
        services.set_organisation_admin(site_admin, membership, is_org_admin=True)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    organisation = OrganisationFactory()
    membership = _pending(organisation)
    url = _members_url(organisation)
    for response in (
        client.get(url),
        client.post(url, {"membership": membership.pk, "action": "approve"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def _refused_users(organisation: Organisation) -> dict[str, User]:
    other = OrganisationFactory()
    return {
        "member who is not an administrator": member_of(organisation),
        "pending administrator": _pending_admin(organisation),
        "administrator of another organisation": _org_admin(other),
        "commissioner": member_of(organisation, role=User.Role.COMMISSIONER),
        "evaluator": UserFactory(role=User.Role.EVALUATOR),
        "reviewer": UserFactory(role=User.Role.REVIEWER),
        "provider with no organisation": UserFactory(),
    }


def _pending_admin(organisation: Organisation) -> User:
    membership = _pending(organisation)
    membership.is_org_admin = True
    membership.save()
    return membership.user


def test_everyone_else_is_refused_with_403(client: Client) -> None:
    organisation = OrganisationFactory()
    membership = _pending(organisation)
    for label, user in _refused_users(organisation).items():
        client.force_login(user)
        url = _members_url(organisation)
        assert client.get(url).status_code == 403, label
        response = client.post(url, {"membership": membership.pk, "action": "approve"})
        assert response.status_code == 403, label
        with pytest.raises(PermissionDenied):
            services.decide_membership(user, membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert not AuditEvent.objects.filter(action=Action.MEMBERSHIP_APPROVE).exists()


def test_org_admin_cannot_approve_a_membership_of_another_organisation(client: Client) -> None:
    mine = OrganisationFactory()
    theirs = OrganisationFactory()
    admin = _org_admin(mine)
    membership = _pending(theirs)
    client.force_login(admin)
    # posting another organisation's membership to my own page does not find it
    response = client.post(_members_url(mine), {"membership": membership.pk, "action": "approve"})
    assert response.status_code == 302
    # and their page is refused
    response = client.post(_members_url(theirs), {"membership": membership.pk, "action": "approve"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_org_admin_makes_and_unmakes_another_administrator(client: Client) -> None:
    organisation = OrganisationFactory()
    admin = _org_admin(organisation)
    colleague = member_of(organisation)
    membership = Membership.objects.get(user=colleague)
    client.force_login(admin)
    client.post(_members_url(organisation), {"membership": membership.pk, "action": "make_admin"})
    membership.refresh_from_db()
    assert membership.is_org_admin
    assert permissions.can_manage_members(colleague, organisation)
    client.post(_members_url(organisation), {"membership": membership.pk, "action": "remove_admin"})
    membership.refresh_from_db()
    assert not membership.is_org_admin
    changes = [
        event.changes["is_org_admin"]
        for event in AuditEvent.objects.filter(action=Action.MEMBERSHIP_ADMIN).order_by("id")
    ]
    assert changes == [{"from": False, "to": True}, {"from": True, "to": False}]


def test_pending_members_cannot_be_made_administrators() -> None:
    organisation = OrganisationFactory()
    admin = _org_admin(organisation)
    membership = _pending(organisation)
    with pytest.raises(services.MembershipError):
        services.set_organisation_admin(admin, membership, is_org_admin=True)


def test_org_admin_cannot_remove_their_own_rights() -> None:
    organisation = OrganisationFactory()
    admin = _org_admin(organisation)
    own = Membership.objects.get(user=admin)
    with pytest.raises(services.MembershipError):
        services.set_organisation_admin(admin, own, is_org_admin=False)
    own.refresh_from_db()
    assert own.is_org_admin


def test_unknown_organisation_is_404(client: Client) -> None:
    client.force_login(UserFactory(role=User.Role.ADMIN))
    assert client.get(reverse("accounts:members", args=["no-such-org"])).status_code == 404


def test_a_public_sector_provider_is_decided_by_its_own_administrators_too() -> None:
    """A public body that is not a commissioning body may bid (e.g. a probation service), so
    its members hold its key to sealed bids like any provider's (ADR 0009)."""
    probation = OrganisationFactory(
        org_type=Organisation.OrgType.PUBLIC_SECTOR,
        public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION,
    )
    _org_admin(probation)
    membership = _pending(probation)
    site_admin = UserFactory(role=User.Role.ADMIN)
    assert not permissions.can_manage_members(site_admin, probation)
    with pytest.raises(PermissionDenied):
        services.decide_membership(site_admin, membership, approve=True)
