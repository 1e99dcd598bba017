"""Production settings fail safe (issue 13 item 1): without its own SECRET_KEY or a bid-sealing
key the platform refuses to start, the public development sealing key is used only when asked for
explicitly, the browser protections are on by default, and ``check --deploy`` with the documented
production environment reports nothing.

The refusals run in a subprocess: the settings are read once per process."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

REPO = Path(__file__).resolve().parents[2]
#: Everything the settings read that the test process itself may have set (settings_dev does).
CONFIGURATION = (
    "SECRET_KEY",
    "BID_SEALING_KEY",
    "BID_SEALING_ALLOW_DEV_KEY",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "TRUST_X_FORWARDED_PROTO",
    "DATABASE_PREPARED_STATEMENTS",
    # Set by tests/conftest.py for Playwright; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
)


def _secret_key() -> str:
    return secrets.token_urlsafe(50)


def _sealing_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def run_with_production_settings(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh Python with the production settings and only ``environment`` set."""
    env = {name: value for name, value in os.environ.items() if name not in CONFIGURATION}
    env.update(
        PYTHONPATH=str(REPO / "src"),
        DJANGO_SETTINGS_MODULE="commissioning.settings",
        SQLITE_PATH="/nonexistent/never-opened.sqlite3",
    )
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


START = "import django; django.setup(); print('started')"


def test_refuses_to_start_without_a_secret_key() -> None:
    result = run_with_production_settings(START, DEBUG="0", BID_SEALING_KEY=_sealing_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_refuses_to_start_without_a_bid_sealing_key() -> None:
    result = run_with_production_settings(START, DEBUG="0", SECRET_KEY=_secret_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured: BID_SEALING_KEY is not set" in result.stderr
    assert "BID_SEALING_ALLOW_DEV_KEY=1" in result.stderr


def test_refuses_to_start_with_a_malformed_bid_sealing_key() -> None:
    result = run_with_production_settings(
        START, SECRET_KEY=_secret_key(), BID_SEALING_KEY="not-a-key"
    )
    assert result.returncode != 0
    assert "BID_SEALING_KEY is not a usable key" in result.stderr


def test_the_development_sealing_key_is_never_inferred_from_debug_or_pytest() -> None:
    """PRO-8: DEBUG on, or pytest imported, used to switch the public key on silently."""
    with_debug = run_with_production_settings(START, DEBUG="1", SECRET_KEY=_secret_key())
    assert "BID_SEALING_KEY is not set" in with_debug.stderr
    with_pytest = run_with_production_settings(f"import pytest; {START}", SECRET_KEY=_secret_key())
    assert "BID_SEALING_KEY is not set" in with_pytest.stderr


def test_starts_with_both_keys_or_with_the_development_key_asked_for() -> None:
    own_keys = run_with_production_settings(
        START, SECRET_KEY=_secret_key(), BID_SEALING_KEY=_sealing_key()
    )
    assert own_keys.returncode == 0, own_keys.stderr
    assert own_keys.stdout.strip() == "started"
    asked = run_with_production_settings(
        START, SECRET_KEY=_secret_key(), BID_SEALING_ALLOW_DEV_KEY="1"
    )
    assert asked.returncode == 0, asked.stderr


def _production_settings() -> dict[str, Any]:
    """The security settings a deployment gets by default (both keys set, nothing else)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = run_with_production_settings(
        code, SECRET_KEY=_secret_key(), BID_SEALING_KEY=_sealing_key()
    )
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout)
    return values


def test_https_protections_are_on_by_default() -> None:
    values = _production_settings()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_responses_carry_the_security_headers_with_production_settings(
    settings: Any, client: Client
) -> None:
    for name, value in _production_settings().items():
        setattr(settings, name, value)
    plain = client.get(reverse("web:home"))
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"

    UserFactory(username="amara")
    signed_in = client.post(
        reverse("accounts:sign-in"), {"username": "amara", "password": PASSWORD}, secure=True
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"] is True
    page = client.get(reverse("web:home"), secure=True)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


TEMPLATES = REPO / "src" / "commissioning"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|\sstyle=\"|\son[a-z]+=\"")


def test_no_template_has_an_inline_script_style_or_event_handler() -> None:
    """The policy allows scripts and styles only from files: anything inline would be blocked."""
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "static" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert offenders == []


def documented_production_environment() -> dict[str, str]:
    """The environment block of docs/deployment.md, with real keys for its placeholders."""
    text = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = text.split("<!-- production-environment", 1)[1].split("```sh\n", 1)[1]
    block = block.split("```", 1)[0]
    generated = {"SECRET_KEY": _secret_key(), "BID_SEALING_KEY": _sealing_key()}
    environment = {}
    for line in block.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, value = line.split("=", 1)
        environment[name] = generated.get(name) or re.sub(r"<[^>]*>", "placeholder", value)
    return environment


def test_check_deploy_reports_nothing_with_the_documented_production_environment() -> None:
    environment = documented_production_environment()
    assert "BID_SEALING_ALLOW_DEV_KEY" not in environment
    result = run_with_production_settings(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **environment,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_the_development_keys() -> None:
    result = run_with_production_settings(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy'])",
        SECRET_KEY="django-insecure-" + _secret_key(),
        BID_SEALING_ALLOW_DEV_KEY="1",
    )
    assert "(commissioning.W001) Bids are sealed with the development key" in result.stderr
    assert "(commissioning.W002) SITE_URL" in result.stderr
    assert "security.W009" in result.stderr
