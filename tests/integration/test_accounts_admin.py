"""Changes made in the Django admin are audited; the audit trail itself is read-only there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action, record
from tests.factories import (
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


MANAGEMENT_FORM = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(
        UserFactory(username="root", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    )
    return client


def _user_change_data(user: User, **overrides: str) -> dict[str, str]:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **MANAGEMENT_FORM,
    }
    data.update(overrides)
    return data


def test_changing_a_users_role_in_the_admin_is_audited(admin_client: Client) -> None:
    user = UserFactory(role=User.Role.PROVIDER)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = admin_client.post(url, _user_change_data(user, role=User.Role.COMMISSIONER))
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.role == User.Role.COMMISSIONER
    event = AuditEvent.objects.get(action=Action.ADMIN_UPDATE, target_id=str(user.pk))
    assert event.actor_label == "root"
    assert event.target_type == "accounts.User"
    assert event.changes == {"role": {"from": "provider", "to": "commissioner"}}


def test_a_users_email_and_name_changed_in_the_admin_are_not_recorded(
    admin_client: Client,
) -> None:
    """The audit trail says that personal details changed, never what they are (issue 13
    item 2)."""
    user = UserFactory(email="old.private@example.org", first_name="Olwen")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = _user_change_data(user, email="new.private@example.org", first_name="Nerys")

    assert admin_client.post(url, data).status_code == 302

    event = AuditEvent.objects.get(action=Action.ADMIN_UPDATE, target_id=str(user.pk))
    withheld = {"from": "(not recorded)", "to": "(not recorded)"}
    assert event.changes == {"email": withheld, "first_name": withheld}
    assert "Olwen" not in str(event.changes) and "Nerys" not in str(event.changes)


def test_saving_without_changes_writes_no_event(admin_client: Client) -> None:
    user = UserFactory()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    admin_client.post(url, _user_change_data(user))
    assert not AuditEvent.objects.filter(action=Action.ADMIN_UPDATE).exists()


def test_adding_a_user_in_the_admin_is_audited_without_the_password(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomm",
            "email": "newcomm@example.org",
            "role": User.Role.COMMISSIONER,
            "usable_password": "true",
            "password1": "lantern-orchard-47-quietly",
            "password2": "lantern-orchard-47-quietly",
            **MANAGEMENT_FORM,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newcomm")
    event = AuditEvent.objects.get(action=Action.ADMIN_CREATE, target_id=str(user.pk))
    assert event.changes["role"] == {"from": None, "to": "commissioner"}
    assert "password" not in event.changes
    assert "lantern" not in str(event.changes)


def test_setting_a_password_in_the_admin_is_audited(admin_client: Client) -> None:
    user = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url,
        {
            "password1": "lantern-orchard-47-quietly",
            "password2": "lantern-orchard-47-quietly",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.ADMIN_PASSWORD, target_id=str(user.pk))
    assert event.changes == {"password": "set"}


def test_memberships_are_read_only_in_the_admin_and_deleting_one_is_audited(
    admin_client: Client,
) -> None:
    """Issue 11 item 2 (PRO-8): no membership is added or changed in the admin; removing one
    (which takes access away) stays, audited."""
    membership = MembershipFactory(is_org_admin=False, status=Membership.Status.PENDING)
    assert admin_client.get(reverse("admin:accounts_membership_add")).status_code == 403
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    assert 'name="_save"' not in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "user": membership.user_id,
            "organisation": membership.organisation_id,
            "status": Membership.Status.APPROVED,
            "is_org_admin": "on",
        },
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert (membership.status, membership.is_org_admin) == (Membership.Status.PENDING, False)

    delete_url = reverse("admin:accounts_membership_delete", args=[membership.pk])
    admin_client.post(delete_url, {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deletion = AuditEvent.objects.get(action=Action.ADMIN_DELETE, target_id=str(membership.pk))
    assert deletion.changes["status"] == {"from": "pending", "to": None}


def test_membership_admin_action_approves_a_public_bodys_member_through_the_service(
    admin_client: Client,
) -> None:
    body = CommissioningBodyFactory()
    pending = MembershipFactory(organisation=body, status=Membership.Status.PENDING)
    response = admin_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Membership.Status.APPROVED
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP_APPROVE).count() == 1


def test_membership_admin_action_skips_a_provider_organisations_member(
    admin_client: Client,
) -> None:
    """Issue 11 item 2: only a provider organisation's administrators approve its members."""
    pending = MembershipFactory(organisation=OrganisationFactory(), status="pending")
    response = admin_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert "1 skipped" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Membership.Status.PENDING
    assert not AuditEvent.objects.filter(action=Action.MEMBERSHIP_APPROVE).exists()


def test_audit_events_are_read_only_in_the_admin(admin_client: Client) -> None:
    event = record(None, "test.action", OrganisationFactory(), {"name": "x"})
    assert admin_client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    view = admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete = admin_client.post(
        reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
