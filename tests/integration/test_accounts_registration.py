"""Self-registration of provider members: find the organisation, then create the account with a
pending membership that the organisation's administrator approves."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

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
)

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
STRONG_PASSWORD = "lantern-orchard-47-quietly"


def _url(organisation: Organisation) -> str:
    return f"{REGISTER}?{urlencode({'organisation': organisation.slug})}"


def _details(org: Organisation, /, **overrides: Any) -> dict[str, Any]:
    data = {
        "organisation": org.slug,
        "first_name": "Grace",
        "last_name": "Okafor",
        "job_title": "Service manager",
        "email": "grace.okafor@example.org",
        "username": "grace",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def _org_admin(organisation: Organisation, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation, is_org_admin=True)
    return user


Capture = Callable[..., Any]


# ---------------------------------------------------------------------- step 1: find
def test_step_one_finds_providers_but_not_public_bodies(client: Client) -> None:
    OrganisationFactory(name="Hope Street Trust")
    CommissioningBodyFactory(name="Hope Street Police and Crime Commissioner")
    response = client.get(REGISTER, {"q": "hope street"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hope Street Trust" in html
    assert "Police and Crime Commissioner" not in html
    assert 'type="radio"' in html


def test_step_one_continue_without_choosing_shows_error(client: Client) -> None:
    OrganisationFactory(name="Hope Street Trust")
    response = client.get(REGISTER, {"q": "hope", "choosing": "1"})
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "Choose the organisation you work for" in html


def test_step_one_choice_leads_to_step_two(client: Client) -> None:
    organisation = OrganisationFactory(name="Hope Street Trust")
    response = client.get(
        REGISTER, {"q": "hope", "choosing": "1", "organisation": organisation.slug}
    )
    html = response.content.decode()
    assert "Your details" in html
    assert "Hope Street Trust" in html
    assert 'name="password1"' in html


def test_a_public_body_cannot_be_chosen(client: Client) -> None:
    body = CommissioningBodyFactory()
    response = client.get(_url(body))
    html = response.content.decode()
    assert "Find your organisation" in html
    assert 'name="password1"' not in html


# ---------------------------------------------------------------------- step 2: register
def test_registration_creates_pending_membership_emails_admin_and_audits(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory(name="Hope Street Trust")
    admin = _org_admin(organisation, email="boss@hope.example")
    UserFactory(role=User.Role.ADMIN, email="siteadmin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(organisation), _details(organisation))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:check-email")
    user = User.objects.get(username="grace")
    assert user.is_active and user.role == User.Role.PROVIDER
    assert not user.email_verified
    assert user.check_password(STRONG_PASSWORD)
    assert (user.first_name, user.last_name) == ("Grace", "Okafor")
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation
    assert membership.status == Membership.Status.PENDING
    assert membership.job_title == "Service manager"
    assert not membership.is_org_admin

    # Issue 13 item 3: only the link to confirm the address goes out, and nobody is signed in
    assert [message.to for message in mail.outbox] == [["grace.okafor@example.org"]]
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", mail.outbox[0].body)
    assert link is not None
    assert "_auth_user_id" not in client.session
    page = unescape(client.get(response["Location"]).content.decode())
    assert "We've sent an email to <strong>grace.okafor@example.org</strong>" in page

    event = AuditEvent.objects.get(action=Action.REGISTER)
    assert event.actor == user
    assert event.target_type == "accounts.Membership"
    assert event.target_id == str(membership.pk)
    assert event.changes["organisation"] == {"from": None, "to": "Hope Street Trust"}
    assert "password" not in str(event.changes)
    # Issue 13 item 5: the audit trail keeps no email addresses
    assert "grace.okafor@example.org" not in str(event.changes)
    assert "email" not in event.changes

    # confirming the address tells the organisation's administrator (not the site administrator)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(link.group(1))
    assert confirmed["Location"] == reverse("accounts:sign-in")
    user.refresh_from_db()
    assert user.email_verified
    assert [message.to for message in mail.outbox[1:]] == [[admin.email]]
    message = mail.outbox[1]
    assert "Grace Okafor" in message.subject and "Hope Street Trust" in message.subject
    assert reverse("accounts:members", args=[organisation.slug]) in message.body

    # signed in, and told who must approve
    client.post(reverse("accounts:sign-in"), {"username": "grace", "password": STRONG_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    page = unescape(client.get(reverse("accounts:registered")).content.decode())
    assert "Your request is waiting for approval by Hope Street Trust's administrator" in page


def _register_and_confirm(client: Client, organisation: Organisation, capture: Capture) -> None:
    with capture(execute=True):
        client.post(_url(organisation), _details(organisation))
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", mail.outbox[0].body)
    assert link is not None
    mail.outbox.clear()
    with capture(execute=True):
        client.post(link.group(1))


def test_site_administrators_are_told_when_the_organisation_has_no_administrator(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, is_org_admin=False)  # a member, not an admin
    site_admin = UserFactory(role=User.Role.ADMIN)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    UserFactory(role=User.Role.ADMIN, is_active=False)
    _register_and_confirm(client, organisation, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [site_admin.email, superuser.email]
    )


def test_pending_admin_of_the_organisation_is_not_an_approver(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory()
    pending_admin = UserFactory()
    MembershipFactory(
        user=pending_admin,
        organisation=organisation,
        is_org_admin=True,
        status=Membership.Status.PENDING,
    )
    site_admin = UserFactory(role=User.Role.ADMIN)
    _register_and_confirm(client, organisation, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[site_admin.email]]


def _assert_nothing_saved() -> None:
    assert not User.objects.filter(username="grace").exists()
    assert not Membership.objects.filter(user__username="grace").exists()
    assert not AuditEvent.objects.filter(action=Action.REGISTER).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-entirely-9"}, "password2", "The passwords do not match"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password1": "short1", "password2": "short1"}, "password1", "too short"),
        # Issue 13 item 4: length over complexity; 11 characters are too few
        ({"password1": "Kingfisher1", "password2": "Kingfisher1"}, "password1", "too short"),
        (
            {"password1": "password1234", "password2": "password1234"},
            "password1",
            "too common",
        ),
        ({"password1": "4729384756", "password2": "4729384756"}, "password1", "entirely numeric"),
        (
            {"password1": "grace.okafor@example.org", "password2": "grace.okafor@example.org"},
            "password1",
            "too similar",
        ),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"username": "grace@example.org"}, "username", "cannot contain @"),
        ({"username": "grace okafor"}, "username", "can only contain letters"),
        ({"first_name": ""}, "first_name", "Enter your first name"),
        ({"organisation": ""}, "organisation", "Choose the organisation you work for"),
    ],
)
def test_every_error_is_shown_next_to_its_field_and_nothing_is_saved(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    organisation = OrganisationFactory()
    _org_admin(organisation)
    UserFactory(username="taken", email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(organisation), _details(organisation, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert 'class="govuk-error-summary"' in html
    assert message in html
    # the summary links to the field, and the field (its first radio, for radios) has that id
    target = re.search(rf'href="#(id_{field}[^"]*)"', html)
    assert target is not None
    assert f'id="{target.group(1)}"' in html
    _assert_nothing_saved()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "overrides",
    [{"email": "TAKEN@example.org"}, {"username": "Taken"}],
    ids=["email in use", "username in use"],
)
def test_registration_says_the_same_whether_or_not_an_account_exists(
    client: Client, django_capture_on_commit_callbacks: Capture, overrides: dict[str, str]
) -> None:
    """Issue 13 item 1: no page says that an email address or a username has an account; the
    owner of the address is emailed instead."""
    organisation = OrganisationFactory()
    _org_admin(organisation)
    owner = UserFactory(username="taken", email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = Client().post(
            _url(organisation), _details(organisation, email="new@example.org", username="new")
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(organisation), _details(organisation, **overrides))
    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"] == reverse("accounts:check-email")
    assert User.objects.count() == 3  # the owner, the administrator, "new"
    assert not AuditEvent.objects.filter(actor__username="grace").exists()
    if "email" in overrides:
        assert [message.to for message in mail.outbox] == [[owner.email]]
        assert "already have an account" in mail.outbox[0].subject
        assert f"{settings.SITE_URL}/account/password/reset/" in mail.outbox[0].body
    else:
        assert [message.to for message in mail.outbox] == [["grace.okafor@example.org"]]
        assert "username they chose is already used" in mail.outbox[0].body


def test_missing_organisation_returns_to_step_one_with_an_error(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, _details(organisation, organisation=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "Search for the organisation you work for, then choose it" in html
    _assert_nothing_saved()


def test_an_organisation_different_from_the_one_chosen_is_refused(client: Client) -> None:
    chosen = OrganisationFactory()
    other = OrganisationFactory()
    response = client.post(_url(chosen), _details(chosen, organisation=other.slug))
    assert "Choose the organisation you work for" in response.content.decode()
    _assert_nothing_saved()


def test_service_saves_nothing_when_the_account_cannot_be_created(
    django_capture_on_commit_callbacks: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A race (the username taken between the check and the save) leaves nothing behind."""
    organisation = OrganisationFactory()
    _org_admin(organisation)
    UserFactory(username="grace", email="first@example.org")
    monkeypatch.setattr(services, "username_in_use", lambda username: False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IntegrityError):
        services.register_provider_member(
            username="grace",
            email="grace.okafor@example.org",
            password=STRONG_PASSWORD,
            first_name="Grace",
            last_name="Okafor",
            organisation=organisation,
            job_title="",
        )
    assert not User.objects.filter(email="grace.okafor@example.org").exists()
    assert not Membership.objects.filter(user__username="grace").exists()
    assert not AuditEvent.objects.filter(action=Action.REGISTER).exists()
    assert mail.outbox == []


def test_registered_page_needs_sign_in(client: Client) -> None:
    response = client.get(reverse("accounts:registered"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
