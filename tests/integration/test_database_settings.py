"""On PostgreSQL, statements are bound by the server and prepared once run five times on a
connection (ADR 0012, issue 21), unless ``DATABASE_PREPARED_STATEMENTS=0`` (a pooler that cannot
keep them); SQLite is unaffected. Bound by the server, a statement takes at most 65,535
parameters, and bulk work and cascading deletes stay under it (commissioning.postgresql)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.db.models.deletion import Collector

from commissioning.accounts.models import User
from tests.integration.test_production_settings import run_with_production_settings

READ_OPTIONS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)
READ_ENGINE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['ENGINE']))"
)
POSTGRES = "postgres://user@127.0.0.1:5432/commissioning"


def _engine(**environment: str) -> str:
    return str(_read(READ_ENGINE, **environment))


def _options(**environment: str) -> dict[str, object]:
    options: dict[str, object] = _read(READ_OPTIONS, **environment)
    return options


def _read(code: str, **environment: str) -> Any:
    result = run_with_production_settings(
        code,
        SECRET_KEY="a" * 50,
        BID_SEALING_ALLOW_DEV_KEY="1",
        REFERRAL_PSEUDONYM_ALLOW_DEV_KEY="1",
        OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY="1",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements() -> None:
    options = _options(DATABASE_URL=POSTGRES)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert _engine(DATABASE_URL=POSTGRES) == "commissioning.postgresql"
    off = {"DATABASE_URL": POSTGRES, "DATABASE_PREPARED_STATEMENTS": "0"}
    assert _engine(**off) == "django.db.backends.postgresql"


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


@pytest.mark.django_db
@pytest.mark.skipif(
    not connection.features.max_query_params or connection.vendor != "postgresql",
    reason="PostgreSQL with parameters bound by the server",
)
def test_bulk_work_and_cascading_deletes_stay_under_the_parameter_limit() -> None:
    # The deletion collector reads what a delete cascades to with the deleted keys in IN (...),
    # in batches of the backend's bulk_batch_size; Django 5.2 made it unbounded for PostgreSQL,
    # which refuses a statement of more than 65,535 parameters (commissioning.postgresql).
    users = [User(pk=n, username=f"u{n}") for n in range(1, 200_001)]
    field = User._meta.get_field("username")
    batches = Collector(using="default").get_del_batches(users, [field])
    assert sum(len(batch) for batch in batches) == len(users)
    assert max(len(batch) for batch in batches) == 32_767
    assert connection.ops.bulk_batch_size(["pk", "name"], users) == 16_383
    # A look-up of 70,000 keys, refused as one statement, goes in two.
    User.objects.create(username="found", email="found@example.org")
    keys = [*range(1, 70_000), User.objects.get(username="found").pk]
    assert [user.username for user in User.objects.in_bulk(keys).values()] == ["found"]
