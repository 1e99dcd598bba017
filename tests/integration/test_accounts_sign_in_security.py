"""Issue 13, sign-in and accounts: lockout with back-off per account and per address (django-axes),
per-address limits on registration, email links and anonymous consultation responses
(django-ratelimit), email confirmation, password change and reset, and the audit trail of
every sign-in, sign-out, failure and lockout."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts import throttling
from commissioning.accounts.models import User
from commissioning.accounts.sign_in_audit import NO_SUCH_ACCOUNT
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from commissioning.demo.users import DEMO_PASSWORD
from commissioning.engagement.models import Response
from tests.engagement_factories import answers_for, open_consultation
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
Capture = Callable[..., Any]


def _sign_in(client: Client, username: str, password: str, **headers: Any) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password}, **headers)


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


# ---------------------------------------------------------------------- lockout (item 1)
def test_thirty_wrong_passwords_lock_the_account_until_the_growing_cool_off_passes() -> None:
    user = UserFactory(username="amara")
    client = _from("203.0.113.7")
    statuses = [_sign_in(client, "amara", f"wrong-guess-{n}").status_code for n in range(30)]
    # nine refusals as a wrong password, then locked from the tenth failure on
    assert statuses == [200] * 9 + [429] * 21

    locked = _sign_in(client, "amara", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    page = unescape(locked.content.decode())
    # 30 failures in a day: the 15-minute cool-off doubled twice
    assert throttling.lockout_message(timedelta(minutes=60)) in page
    assert (
        "You've tried to sign in too many times with a wrong username or password. "
        "Wait 60 minutes, then try again."
    ) in page
    assert "<title>Sign-in locked" in page
    assert locked["Retry-After"] == str(60 * 60)

    lockout = AuditEvent.objects.get(action=Action.LOCKED_OUT)
    assert lockout.target_type == "accounts.User" and lockout.target_id == str(user.pk)
    assert lockout.changes["failures"] == 10
    assert lockout.changes["address"] == "203.0.113.7"
    failures = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, target_id=str(user.pk))
    assert failures.count() == 31  # the right password while locked out counts too
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()

    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert _sign_in(client, "amara", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=121)):
        # the refusal at minute 59 was a failure during the lockout: the hour started again
        signed_in = _sign_in(client, "amara", PASSWORD)
        assert signed_in.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.get(action=Action.SIGN_IN).target_id == str(user.pk)


def test_the_first_lockout_lasts_fifteen_minutes() -> None:
    UserFactory(username="amara")
    client = _from("203.0.113.8")
    for n in range(10):
        response = _sign_in(client, "amara", f"wrong-{n}")
    assert response.status_code == 429
    assert "Wait 15 minutes, then try again." in unescape(response.content.decode())
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _sign_in(client, "amara", PASSWORD).status_code == 302


def _page(response: Any) -> str:
    """The page without its CSRF token (different for every client)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_an_account_that_does_not_exist_is_locked_out_alike_and_never_named() -> None:
    UserFactory(username="amara")
    existing = [_sign_in(_from("198.51.100.1"), "amara", "wrong-guess") for _ in range(10)]
    missing = [_sign_in(_from("198.51.100.2"), "nobody-here", "wrong-guess") for _ in range(10)]
    for real, unknown in zip(existing, missing, strict=True):
        assert real.status_code == unknown.status_code
        assert _page(real) == _page(unknown).replace("nobody-here", "amara")
    unknown_failures = AuditEvent.objects.filter(
        action__in=[Action.SIGN_IN_FAILED, Action.LOCKED_OUT], target_label=NO_SUCH_ACCOUNT
    )
    assert unknown_failures.count() == 11  # ten failures and the lockout
    assert not AuditEvent.objects.filter(target_label__contains="nobody").exists()
    assert not any("nobody" in str(event.changes) for event in AuditEvent.objects.all())


def test_an_address_is_locked_out_after_failures_across_accounts() -> None:
    victim = UserFactory(username="victim")
    address = _from("192.0.2.50")
    for n in range(10):
        _sign_in(address, f"guess-{n}", "wrong-password")
    assert _sign_in(address, victim.username, PASSWORD).status_code == 429
    # the same account from elsewhere is not locked: it was the address that failed
    assert _sign_in(_from("192.0.2.51"), victim.username, PASSWORD).status_code == 302


def test_a_locked_out_json_client_gets_the_api_error_shape() -> None:
    UserFactory(username="amara")
    client = _from("192.0.2.60")
    for n in range(10):
        response = _sign_in(client, "amara", f"wrong-{n}", HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response.json() == {
        "detail": throttling.lockout_message(timedelta(minutes=15)),
        "errors": {},
    }


def test_api_writes_over_the_limit_answer_429_in_the_error_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(throttling, "API_WRITE_RATE", "2/m")
    client = Client()
    client.force_login(UserFactory())
    url = "/api/messages/conversations"
    statuses = [
        client.post(url, "{}", content_type="application/json").status_code for _ in range(3)
    ]
    assert statuses[:2] != [429, 429] and statuses[2] == 429
    third = client.post(url, "{}", content_type="application/json")
    assert third.json() == {"detail": throttling.API_THROTTLED, "errors": {}}
    assert third["Retry-After"] == "60"
    # reads are not counted
    assert client.get("/api/organisations").status_code == 200


# ---------------------------------------------------------------------- audit (item 5)
def test_sign_in_and_sign_out_are_audited_by_account_id() -> None:
    user = UserFactory(username="amara", email="amara@example.org")
    client = _from("192.0.2.70")
    assert _sign_in(client, "amara@example.org", PASSWORD).status_code == 302
    assert client.post(reverse("accounts:sign-out")).status_code == 302
    _sign_in(client, "amara@example.org", "wrong-password-here")
    events = list(AuditEvent.objects.order_by("pk"))
    assert [event.action for event in events] == [
        Action.SIGN_IN,
        Action.SIGN_OUT,
        Action.SIGN_IN_FAILED,
    ]
    for event in events:
        assert event.target_type == "accounts.User" and event.target_id == str(user.pk)
        assert "amara@example.org" not in f"{event.target_label} {event.changes}"
    assert events[0].actor == user and events[1].actor == user
    assert events[2].actor is None


# ---------------------------------------------------------------------- email confirmation (3)
def _registered(client: Client, capture: Capture) -> tuple[User, str]:
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, is_org_admin=True)
    data = {
        "organisation": organisation.slug,
        "first_name": "Grace",
        "last_name": "Okafor",
        "job_title": "",
        "email": "grace@example.org",
        "username": "grace",
        "password1": "lantern-orchard-47-quietly",
        "password2": "lantern-orchard-47-quietly",
    }
    url = f"{reverse('accounts:register')}?{urlencode({'organisation': organisation.slug})}"
    with capture(execute=True):
        assert client.post(url, data).status_code == 302
    link = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", mail.outbox[-1].body)
    assert link is not None
    return User.objects.get(username="grace"), link.group(1)


def test_an_unconfirmed_account_cannot_sign_in_until_the_link_is_followed(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    user, link = _registered(client, django_capture_on_commit_callbacks)
    refused = _sign_in(client, "grace", "lantern-orchard-47-quietly")
    assert refused.status_code == 200
    assert "Confirm your email address before you sign in" in unescape(refused.content.decode())
    assert reverse("accounts:resend-confirmation") in refused.content.decode()
    assert "_auth_user_id" not in client.session

    page = client.get(link)  # a GET (a mail scanner) confirms nothing
    assert page.status_code == 200 and "Confirm email address" in page.content.decode()
    user.refresh_from_db()
    assert not user.email_verified
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link)["Location"] == SIGN_IN
    assert AuditEvent.objects.get(action=Action.EMAIL_CONFIRM).target_id == str(user.pk)
    # single use
    assert client.post(link).status_code == 400
    assert _sign_in(client, "grace", "lantern-orchard-47-quietly").status_code == 302


def test_a_confirmation_link_expires_and_a_new_one_can_be_asked_for(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    user, link = _registered(client, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        expired = client.post(link)
    assert expired.status_code == 400
    assert "This link has expired or has been used" in expired.content.decode()
    user.refresh_from_db()
    assert not user.email_verified

    mail.outbox.clear()
    resend = reverse("accounts:resend-confirmation")
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(resend, {"email": "grace@example.org"})
        unknown = client.post(resend, {"email": "nobody@example.org"})
    assert asked["Location"] == unknown["Location"] == reverse("accounts:check-email")
    assert [message.to for message in mail.outbox] == [["grace@example.org"]]
    fresh = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", mail.outbox[0].body)
    assert fresh is not None
    client.post(fresh.group(1))
    user.refresh_from_db()
    assert user.email_verified


def test_existing_and_demo_users_count_as_confirmed() -> None:
    assert UserFactory().email_verified
    assert User.objects.create_user(username="made", email="m@example.org").email_verified


# ---------------------------------------------------------------------- passwords (item 4)
@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Kingfisher1", "too short"),
        ("password1234", "too common"),
        ("847362910475", "entirely numeric"),
    ],
)
def test_short_and_common_passwords_are_refused(password: str, problem: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(problem in message for message in refused.value.messages)


def test_long_passwords_of_plain_words_are_accepted_and_the_demo_password_complies() -> None:
    validate_password("lantern orchard quietly")
    validate_password(DEMO_PASSWORD)


def test_password_change_needs_the_current_password_and_follows_the_rules(
    client: Client,
) -> None:
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password-change")
    assert client.get(url).status_code == 200
    wrong = client.post(
        url,
        {"old_password": "not-it", "new_password1": "x" * 3, "new_password2": "x" * 3},
    )
    html = unescape(wrong.content.decode())
    assert "<title>Error:" in html and "Your current password is not right" in html
    weak = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "Kingfisher1", "new_password2": "Kingfisher1"},
    )
    assert "too short" in weak.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    changed = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "tidal-heron-lamplight",
            "new_password2": "tidal-heron-lamplight",
        },
    )
    assert changed["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password("tidal-heron-lamplight")
    assert client.session["_auth_user_id"] == str(user.pk)  # still signed in
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGE, target_id=str(user.pk))


def test_password_reset_by_a_single_use_emailed_link(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    user = UserFactory(email="amara@example.org", email_verified=False)
    url = reverse("accounts:password-reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "AMARA@example.org"})
        unknown = client.post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:check-email")
    assert [message.to for message in mail.outbox] == [["amara@example.org"]]
    match = re.search(r"https?://[^/\s]+(/account/password/reset/\S+)", mail.outbox[0].body)
    assert match is not None
    link = match.group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "Kingfisher1", "new_password2": "Kingfisher1"})
    assert "too short" in weak.content.decode()
    done = client.post(
        form_url,
        {"new_password1": "tidal-heron-lamplight", "new_password2": "tidal-heron-lamplight"},
    )
    assert done["Location"] == SIGN_IN
    user.refresh_from_db()
    assert user.check_password("tidal-heron-lamplight")
    assert user.email_verified  # the link proved the address
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, target_id=str(user.pk))

    used = Client().get(link, follow=True)
    assert "This link has expired or has been used" in used.content.decode()


# ---------------------------------------------------------------------- per-address limits (2)
def test_registration_is_limited_per_address(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, is_org_admin=True)
    url = f"{reverse('accounts:register')}?{urlencode({'organisation': organisation.slug})}"
    client = _from("192.0.2.80")
    statuses = []
    for n in range(11):
        data = {
            "organisation": organisation.slug,
            "first_name": "Bot",
            "last_name": f"Number {n}",
            "job_title": "",
            "email": f"bot{n}@example.org",
            "username": f"bot{n}",
            "password1": "lantern-orchard-47-quietly",
            "password2": "lantern-orchard-47-quietly",
        }
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(client.post(url, data).status_code)
    assert statuses == [302] * 10 + [429]
    assert User.objects.filter(username__startswith="bot").count() == 10
    refused = client.post(url, {})
    assert refused.status_code == 429
    assert throttling.THROTTLED in unescape(refused.content.decode())
    # another address is not affected
    assert _from("192.0.2.81").get(url).status_code == 200


def test_anonymous_consultation_responses_are_limited_per_address() -> None:
    consultation = open_consultation()
    url = reverse("engagement:respond", args=[consultation.pk])
    client = _from("192.0.2.90")
    statuses = [client.post(url, answers_for(consultation)).status_code for _ in range(11)]
    # (each answered with the confirmation page itself: nothing goes into a session)
    assert statuses == [200] * 10 + [429]
    assert Response.objects.count() == 10
    assert "Too many attempts" in client.post(url, answers_for(consultation)).content.decode()

    # signed-in people from the same address are not limited this way
    client.force_login(member_of(OrganisationFactory()))
    # (answered with the confirmation page itself: an anonymous response leaves nothing in the
    # signed-in session that links it to them)
    assert client.post(url, {**answers_for(consultation), "anonymous": "on"}).status_code == 200
    assert Response.objects.count() == 11
