"""Two-factor sign-in (issue 13): setting up an authenticator, the code after the password,
single-use recovery codes, enforcement for the roles that must use it, optional for providers,
every success and failure in the audit trail with the person's user id."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts import two_factor
from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import Action
from tests.factories import PASSWORD, UserFactory
from tests.two_factor import code_for_secret, give_authenticator, next_code, password_only_login

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
SET_UP = reverse("accounts:two-factor-set-up")
VERIFY = reverse("accounts:two-factor-verify")
RECOVERY = reverse("accounts:two-factor-recovery-codes")
TURN_OFF = reverse("accounts:two-factor-turn-off")
HOME = reverse("web:home")
ACCOUNT = reverse("accounts:profile")

REQUIRED_ROLES = [
    User.Role.COMMISSIONER,
    User.Role.EVALUATOR,
    User.Role.REVIEWER,
    User.Role.PROBATION,
    User.Role.ADMIN,
]


def _password_step(client: Client, user: User, next_url: str = "") -> str:
    """Sign in with the password at the sign-in page; the address it sends the person to."""
    url = f"{SIGN_IN}?next={next_url}" if next_url else SIGN_IN
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def _secret_on_page(html: str) -> str:
    found = re.search(r'<code class="app-secret">([A-Z2-7 ]+)</code>', html)
    assert found, "the set-up page shows the secret as text"
    return found.group(1)


def _events(user: User, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(user.pk)))


# ---------------------------------------------------------------------- enforcement
@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_each_required_role_without_an_authenticator_is_sent_to_set_up_and_nowhere_else(
    client: Client, role: str
) -> None:
    user = UserFactory(role=role)
    assert _password_step(client, user, next_url=ACCOUNT) == f"{SET_UP}?next=%2Faccount%2F"
    for path in (HOME, ACCOUNT, "/directory/", "/exercises/", "/audit/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SET_UP), path
    assert client.post("/account/register/", {}).status_code == 302
    assert client.get(SET_UP).status_code == 200
    assert client.get(reverse("accounts:sign-out")).status_code == 200


def test_a_superuser_with_another_role_must_use_two_factor_too(client: Client) -> None:
    user = UserFactory(role=User.Role.PROVIDER, is_superuser=True, is_staff=True)
    assert _password_step(client, user).startswith(SET_UP)


def test_the_required_roles_are_a_setting(client: Client, settings: object) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = [User.Role.EVALUATOR]  # type: ignore[attr-defined]
    assert _password_step(client, UserFactory(role=User.Role.COMMISSIONER)) == HOME
    assert _password_step(Client(), UserFactory(role=User.Role.EVALUATOR)).startswith(SET_UP)


def test_the_api_refuses_a_half_signed_in_person_in_its_error_shape(client: Client) -> None:
    user = UserFactory(role=User.Role.COMMISSIONER)
    give_authenticator(user)
    password_only_login(client, user)
    response = client.get("/api/organisations")
    assert response.status_code == 403
    assert response.json() == {"detail": two_factor.API_REFUSAL, "errors": {}}


def test_a_provider_signs_in_with_the_password_alone(client: Client) -> None:
    provider = UserFactory(role=User.Role.PROVIDER)
    assert _password_step(client, provider) == HOME
    assert client.get(ACCOUNT).status_code == 200
    assert "Set up two-factor authentication" in client.get(ACCOUNT).content.decode()


def test_signed_in_test_clients_give_a_real_second_factor(client: Client) -> None:
    """The suite's force_login completes the second factor with a confirmed device of the user's
    own, not by switching enforcement off."""
    commissioner = UserFactory(role=User.Role.COMMISSIONER)
    client.force_login(commissioner)
    device = TOTPDevice.objects.get(user=commissioner)
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(ACCOUNT).status_code == 200
    provider = UserFactory(role=User.Role.PROVIDER)
    Client().force_login(provider)
    assert not TOTPDevice.objects.filter(user=provider).exists()


# ---------------------------------------------------------------------- setting up
def test_setting_up_an_authenticator_then_recovery_codes_shown_once(client: Client) -> None:
    user = UserFactory(role=User.Role.EVALUATOR)
    set_up_url = _password_step(client, user, next_url="/directory/")
    page = client.get(set_up_url).content.decode()
    assert '<svg role="img"' in page and "QR code to scan with your authenticator app" in page
    secret = _secret_on_page(page)
    assert client.get(set_up_url).content.decode().count(secret) == 1  # the same on a reload

    response = client.post(
        set_up_url, {"code": "000000" if code_for_secret(secret) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert two_factor.WRONG_CODE in response.content.decode()
    assert [e.changes for e in _events(user, Action.TWO_FACTOR_FAILURE)] == [
        {"user_id": user.pk, "method": "authenticator set-up"}
    ]
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        response = client.post(set_up_url, {"code": code_for_secret(secret)})
    assert response.status_code == 302
    assert response["Location"] == f"{RECOVERY}?next=%2Fdirectory%2F"
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert len(_events(user, Action.TWO_FACTOR_ENABLE)) == 1

    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r'<code class="app-recovery-code">([a-z2-7]+)</code>', page)
    assert len(codes) == 10 == len(set(codes))
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert 'href="/directory/"' in page
    again = client.get(RECOVERY).content.decode()
    assert not any(code in again for code in codes)
    assert "10 unused recovery codes" in again
    assert client.get("/directory/").status_code == 200


def test_an_empty_or_malformed_set_up_code_is_refused_clearly(client: Client) -> None:
    user = UserFactory(role=User.Role.REVIEWER)
    password_only_login(client, user)
    client.get(SET_UP)
    for given in ("", "12345", "abcdef"):
        html = client.post(SET_UP, {"code": given}).content.decode()
        assert "There is a problem" in html
        assert two_factor.SETUP_CODE_FORMAT in html
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client: Client) -> None:
    user = UserFactory(role=User.Role.COMMISSIONER)
    client.force_login(user)
    client.post(RECOVERY)
    first = re.findall(r'app-recovery-code">(\w+)<', client.get(RECOVERY).content.decode())
    client.post(RECOVERY)
    second = re.findall(r'app-recovery-code">(\w+)<', client.get(RECOVERY).content.decode())
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    assert len(_events(user, Action.TWO_FACTOR_NEW_RECOVERY_CODES)) == 2

    other = Client()
    password_only_login(other, user)
    response = other.post(VERIFY, {"code": first[0]})
    assert two_factor.WRONG_RECOVERY_CODE in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        assert other.post(VERIFY, {"code": second[0]}).status_code == 302


# ---------------------------------------------------------------------- signing in
def test_a_person_with_an_authenticator_enters_a_code_after_the_password(client: Client) -> None:
    user = UserFactory(role=User.Role.COMMISSIONER)
    device = give_authenticator(user)
    verify_url = _password_step(client, user, next_url="/exercises/")
    assert verify_url == f"{VERIFY}?next=%2Fexercises%2F"
    assert client.get("/exercises/")["Location"].startswith(VERIFY)
    assert "Enter your two-factor code" in client.get(verify_url).content.decode()

    response = client.post(verify_url, {"code": "12345"})
    assert two_factor.CODE_FORMAT not in response.content.decode()
    assert two_factor.WRONG_RECOVERY_CODE in response.content.decode()
    response = client.post(verify_url, {"code": ""})
    assert two_factor.CODE_FORMAT in response.content.decode()

    wrong = "000000" if next_code(device) != "000000" else "111111"
    response = client.post(verify_url, {"code": wrong})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert two_factor.WRONG_CODE in response.content.decode()
    # A second try straight away is held back: wrong codes slow the next try down.
    response = client.post(verify_url, {"code": next_code(device)})
    assert "Too many wrong codes. Wait 1 second" in response.content.decode()
    failures = _events(user, Action.TWO_FACTOR_FAILURE)
    assert [e.changes["user_id"] for e in failures] == [user.pk] * 3
    assert {e.changes["method"] for e in failures} == {"authenticator app", "recovery code"}

    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        response = client.post(verify_url, {"code": next_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/exercises/"
    assert client.get("/exercises/").status_code == 200
    assert [e.changes for e in _events(user, Action.TWO_FACTOR_VERIFY)] == [
        {"user_id": user.pk, "method": "authenticator app"}
    ]
    assert all(e.actor_id == user.pk for e in AuditEvent.objects.filter(target_id=str(user.pk)))


def test_a_code_works_once(client: Client) -> None:
    user = UserFactory(role=User.Role.EVALUATOR)
    device = give_authenticator(user)
    with time_machine.travel(timezone.now(), tick=False):
        code = next_code(device)
        password_only_login(client, user)
        assert client.post(VERIFY, {"code": code}).status_code == 302
        other = Client()
        password_only_login(other, user)
        response = other.post(VERIFY, {"code": code})
    assert two_factor.WRONG_CODE in response.content.decode()


def test_a_recovery_code_signs_in_once(client: Client) -> None:
    user = UserFactory(role=User.Role.PROBATION)
    client.force_login(user)
    client.post(RECOVERY)
    codes = re.findall(r'app-recovery-code">(\w+)<', client.get(RECOVERY).content.decode())

    first = Client()
    password_only_login(first, user)
    response = first.post(f"{VERIFY}?next=/account/", {"code": f" {codes[0].upper()} "})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert StaticToken.objects.filter(device__user=user).count() == 9
    [event] = _events(user, Action.TWO_FACTOR_RECOVERY)
    assert event.changes == {
        "user_id": user.pk,
        "method": "recovery code",
        "recovery_codes_left": 9,
    }

    second = Client()
    password_only_login(second, user)
    response = second.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert two_factor.WRONG_RECOVERY_CODE in response.content.decode()
    assert second.get(ACCOUNT)["Location"].startswith(VERIFY)


def test_the_verify_page_does_not_follow_an_external_next(client: Client) -> None:
    user = UserFactory(role=User.Role.COMMISSIONER)
    device = give_authenticator(user)
    password_only_login(client, user)
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": next_code(device)})
    assert response["Location"] == HOME


# ---------------------------------------------------------------------- optional for providers
def test_a_provider_may_turn_two_factor_on_and_off(client: Client) -> None:
    provider = UserFactory(role=User.Role.PROVIDER)
    client.post(SIGN_IN, {"username": provider.username, "password": PASSWORD})
    secret = _secret_on_page(client.get(SET_UP).content.decode())
    assert client.post(SET_UP, {"code": code_for_secret(secret)}).status_code == 302
    account = client.get(ACCOUNT).content.decode()
    assert "Turn off two-factor authentication" in account

    # Now the provider gives a code at every sign-in.
    other = Client()
    assert _password_step(other, provider).startswith(VERIFY)

    assert client.get(TURN_OFF).status_code == 200
    assert client.post(TURN_OFF)["Location"] == ACCOUNT
    assert not TOTPDevice.objects.filter(user=provider).exists()
    assert not StaticToken.objects.filter(device__user=provider).exists()
    assert len(_events(provider, Action.TWO_FACTOR_DISABLE)) == 1
    assert _password_step(Client(), provider) == HOME


def test_a_required_role_cannot_turn_two_factor_off(client: Client) -> None:
    user = UserFactory(role=User.Role.COMMISSIONER)
    client.force_login(user)
    assert "Turn off two-factor" not in client.get(ACCOUNT).content.decode()
    assert client.post(TURN_OFF)["Location"] == ACCOUNT
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not _events(user, Action.TWO_FACTOR_DISABLE)


# ---------------------------------------------------------------------- the admin
def test_a_site_administrator_removes_a_lost_authenticator_audited_without_its_secret(
    client: Client,
) -> None:
    admin_user = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    person = UserFactory(role=User.Role.EVALUATOR)
    device = give_authenticator(person)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403

    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    [event] = AuditEvent.objects.filter(action=Action.ADMIN_DELETE, target_id=str(device.pk))
    assert event.actor_id == admin_user.pk
    assert device.key not in str(event.changes)
    # Next time the person signs in, they set up a new authenticator.
    assert _password_step(Client(), person).startswith(SET_UP)


def test_signing_in_again_asks_for_the_code_again(client: Client) -> None:
    user = UserFactory(role=User.Role.COMMISSIONER)
    client.force_login(user)
    assert client.get(ACCOUNT).status_code == 200
    assert _password_step(client, user).startswith(VERIFY)
    assert client.get(ACCOUNT)["Location"].startswith(VERIFY)
