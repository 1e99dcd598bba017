"""The audit trail page: site administrators only; newest first; filters; readable changes."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import record
from tests.factories import (
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:list")


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={AUDIT}"


@pytest.mark.parametrize(
    "role",
    [User.Role.PROVIDER, User.Role.COMMISSIONER, User.Role.EVALUATOR, User.Role.REVIEWER],
)
def test_every_role_but_site_admin_is_refused(client: Client, role: str) -> None:
    client.force_login(member_of(OrganisationFactory(), role=role))
    assert client.get(AUDIT).status_code == 403


def test_org_admin_and_staff_without_site_admin_role_are_refused(client: Client) -> None:
    org_admin = UserFactory(is_staff=True)
    MembershipFactory(user=org_admin, is_org_admin=True)
    client.force_login(org_admin)
    assert client.get(AUDIT).status_code == 403


def test_inactive_site_admin_is_refused(client: Client) -> None:
    client.force_login(UserFactory(role=User.Role.ADMIN))
    User.objects.update(is_active=False)
    # an inactive account is signed out by Django, so it is asked to sign in again
    assert client.get(AUDIT).status_code == 302


@pytest.mark.parametrize("kwargs", [{"role": User.Role.ADMIN}, {"is_superuser": True}])
def test_site_admin_sees_events_newest_first_with_readable_changes(
    client: Client, kwargs: dict[str, object]
) -> None:
    actor = UserFactory(username="editor")
    organisation = OrganisationFactory(name="Alpha Trust")
    record(actor, "directory.update", organisation, {"name": {"from": "Old", "to": "Alpha Trust"}})
    record(None, "exercise.stage", CommissioningBodyFactory(name="PCC Beta"), {"note": "auto"})
    client.force_login(UserFactory(**kwargs))
    response = client.get(AUDIT)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "name: Old → Alpha Trust" in html
    assert "note: auto" in html
    assert "editor" in html and "system" in html
    rows = response.context["rows"]
    assert [row["event"].target_label for row in rows] == ["PCC Beta", "Alpha Trust"]


def _events() -> None:
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    organisation = OrganisationFactory(name="Gamma Trust")
    body = CommissioningBodyFactory(name="Delta PCC")
    record(alice, "directory.update", organisation, {"name": {"from": "G", "to": "Gamma Trust"}})
    record(bob, "directory.update", body, {})
    record(bob, "membership.approve", organisation, {})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "ali"}, 1),
        ({"actor": "BOB"}, 2),
        ({"action": "directory.update"}, 2),
        ({"action": "membership.approve", "actor": "bob"}, 1),
        ({"target_type": "directory.Organisation"}, 3),
        ({"target_type": "directory.Organisation", "actor": "alice"}, 1),
        ({"actor": "nobody"}, 0),
    ],
)
def test_filters(client: Client, params: dict[str, str], expected: int) -> None:
    _events()
    client.force_login(UserFactory(role=User.Role.ADMIN))
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == expected
    assert len(response.context["rows"]) == expected


def test_filter_choices_come_from_recorded_events(client: Client) -> None:
    _events()
    client.force_login(UserFactory(role=User.Role.ADMIN))
    html = client.get(AUDIT).content.decode()
    assert '<option value="membership.approve"' in html
    assert '<option value="directory.Organisation"' in html


def test_unknown_filter_value_shows_an_error_not_a_crash(client: Client) -> None:
    _events()
    client.force_login(UserFactory(role=User.Role.ADMIN))
    response = client.get(AUDIT, {"action": "no-such-action"})
    assert response.status_code == 200
    assert "<title>Error: Audit trail" in response.content.decode()


def test_pagination(client: Client, settings: pytest.FixtureRequest) -> None:
    settings.PAGE_SIZE = 25  # type: ignore[attr-defined]
    organisation = OrganisationFactory()
    for number in range(30):
        record(None, f"bulk.{number:02d}", organisation, {})
    client.force_login(UserFactory(role=User.Role.ADMIN))
    first = client.get(AUDIT)
    assert len(first.context["rows"]) == 25
    second = client.get(AUDIT, {"page": 2})
    assert len(second.context["rows"]) == 5
    assert AuditEvent.objects.count() == 30
    assert 'class="govuk-pagination"' in first.content.decode()
