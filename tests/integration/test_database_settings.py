"""On PostgreSQL, statements are bound by the server and prepared once run five times on a
connection (ADR 0012, issue 21), unless ``DATABASE_PREPARED_STATEMENTS=0`` (a pooler that cannot
keep them); SQLite is unaffected."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from commissioning.accounts.models import User
from tests.integration.test_production_settings import run_with_production_settings

READ_OPTIONS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)
POSTGRES = "postgres://user@127.0.0.1:5432/commissioning"


def _options(**environment: str) -> dict[str, object]:
    result = run_with_production_settings(
        READ_OPTIONS,
        SECRET_KEY="a" * 50,
        BID_SEALING_ALLOW_DEV_KEY="1",
        REFERRAL_PSEUDONYM_ALLOW_DEV_KEY="1",
        OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY="1",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    options: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return options


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements() -> None:
    options = _options(DATABASE_URL=POSTGRES)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_the_switch_turns_both_off_and_sqlite_never_has_them() -> None:
    off = _options(DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS="0")
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    sqlite = _options(DATABASE_URL="sqlite:////nonexistent/never-opened.sqlite3")
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


@pytest.mark.django_db
@pytest.mark.skipif(
    not connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold"),
    reason="PostgreSQL's prepared statements, switched on",
)
def test_a_statement_run_five_times_is_planned_once_on_the_connection() -> None:
    user = User.objects.create(username="prepared", email="prepared@example.org")

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%"accounts_user"."username" = $1%'],
            )
            return int(cursor.fetchone()[0])

    for time in range(1, 8):
        assert User.objects.get(username=user.username) == user
        assert prepared() == (1 if time > 5 else 0), time
