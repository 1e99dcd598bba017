"""The demo's users who must use two-factor sign-in get an authenticator with a published,
synthetic secret; the demo prints how to get their code, and that code signs them in (issue 13:
the demo still signs in with the printed users)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts.models import User
from commissioning.demo.output import format_users
from commissioning.demo.services import create_demo_users, load_market
from commissioning.demo.users import DEMO_PASSWORD
from commissioning_analytics.market.synthetic import generate_market
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUIRED = [
    "admin",
    "commissioner",
    "commissioner-national",
    "evaluator",
    "probation",
    "reviewer",
    "steward",
    "inspector",
]


@pytest.fixture
def demo_users(settings: pytest.FixtureRequest) -> list[object]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    load_market(generate_market(11, 0.05), replace=False)
    return list(create_demo_users())


def test_demo_users_who_must_use_two_factor_have_a_fixed_synthetic_authenticator(
    demo_users: list[object],
) -> None:
    with_device = set(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    )
    assert with_device == set(REQUIRED)
    text = format_users(demo_users)  # type: ignore[arg-type]
    assert "demo_two_factor_code USERNAME" in text
    secret_before = TOTPDevice.objects.get(user__username="commissioner").key
    create_demo_users()  # a reload resets them to the same secret
    assert TOTPDevice.objects.get(user__username="commissioner").key == secret_before
    assert TOTPDevice.objects.filter(user__username="commissioner").count() == 1


def test_the_printed_command_gives_a_code_that_signs_the_demo_user_in(
    demo_users: list[object],
) -> None:
    out = StringIO()
    call_command("demo_two_factor_code", "commissioner", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()

    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"username": "commissioner", "password": DEMO_PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:two-factor-verify"))
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("accounts:profile")).status_code == 200

    # Providers sign in with the demo password alone.
    provider = Client()
    response = provider.post(
        reverse("accounts:sign-in"), {"username": "provider", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("web:home")


def test_the_command_refuses_accounts_outside_the_demo(demo_users: list[object]) -> None:
    real = UserFactory(role=User.Role.COMMISSIONER)
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo_two_factor_code", real.username)
    with pytest.raises(CommandError, match="without a two-factor code"):
        call_command("demo_two_factor_code", "provider")
