"""Backup and restore (issue 13 item 4, docs/backup-and-restore.md): a backup of the database,
restored into a fresh database and opened by a new process that has only the bid-sealing key from
the environment, still opens a sealed bid after its deadline, and not before. SQLite with the
backup API; PostgreSQL (when the suite runs on it) with pg_dump and pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from glob import glob
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection

from commissioning.bids import sealing, submission
from tests.integration.test_bids_services import PRICE, START, bidding_setup, complete_bid
from tests.integration.test_production_settings import run_with_production_settings

pytestmark = pytest.mark.django_db(transaction=True)

KEY = sealing.encode_key(sealing.generate_key())

OPEN_IN_A_NEW_PROCESS = """
import django
django.setup()
from datetime import timedelta
from commissioning.accounts.models import User
from commissioning.bids import keys, opening
from commissioning.bids.models import Bid

bid = Bid.objects.get(pk={bid})
commissioner = User.objects.get(pk={commissioner})
deadline = bid.lot.opportunity.bid_deadline
try:
    opening.open_bids(commissioner, bid.lot.opportunity, now=deadline - timedelta(hours=1))
except keys.BidsSealed:
    print("sealed before the deadline")
after = deadline + timedelta(hours=1)
opening.open_bids(commissioner, bid.lot.opportunity, now=after)
view = opening.opened_bid(commissioner, bid, now=after)
print(view.content.price, view.digest_matches_receipt)
"""


def _postgres_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.fail(f"{name} is missing: run `make system-deps` (Debian package postgresql)")
    return found


def _postgres_environment() -> dict[str, str]:
    params = connection.settings_dict
    return {
        "PGHOST": str(params["HOST"] or "127.0.0.1"),
        "PGPORT": str(params["PORT"] or 5432),
        "PGUSER": str(params["USER"]),
        "PGPASSWORD": str(params["PASSWORD"] or ""),
    }


@pytest.fixture
def restore(tmp_path: Path) -> Iterator[Any]:
    """``restore()`` backs the test database up as the docs say, restores it into a fresh
    database and returns the environment that points a new process at the restored copy."""
    created: list[str] = []

    def backup_and_restore() -> dict[str, str]:
        if connection.vendor == "sqlite":
            backup = tmp_path / "backup.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(backup)
            connection.connection.backup(target)
            target.close()
            restored = tmp_path / "restored.sqlite3"
            shutil.copyfile(backup, restored)
            return {"SQLITE_PATH": str(restored)}
        assert connection.vendor == "postgresql"
        env = {**_postgres_environment(), "PATH": "/usr/bin:/bin"}
        dump = tmp_path / "commissioning.dump"
        name = str(connection.settings_dict["NAME"])
        subprocess.run(
            [_postgres_tool("pg_dump"), "--format=custom", f"--file={dump}", name],
            env=env,
            check=True,
        )
        fresh = f"{name}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            cursor.execute(f'CREATE DATABASE "{fresh}"')
        created.append(fresh)
        subprocess.run(
            [_postgres_tool("pg_restore"), "--no-owner", f"--dbname={fresh}", str(dump)],
            env=env,
            check=True,
        )
        pg = _postgres_environment()
        url = f"postgres://{pg['PGUSER']}:{pg['PGPASSWORD']}@{pg['PGHOST']}:{pg['PGPORT']}/{fresh}"
        return {"DATABASE_URL": url}

    yield backup_and_restore
    for name in created:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_restored_backup_opens_a_sealed_bid_after_its_deadline(
    settings: Any, restore: Any
) -> None:
    settings.BID_SEALING_KEY = KEY
    with time_machine.travel(START + timedelta(days=1), tick=False):
        s = bidding_setup()
        bid = complete_bid(s)
        submission.submit(s.prime, bid)

    environment = restore()
    code = OPEN_IN_A_NEW_PROCESS.format(bid=bid.pk, commissioner=s.commissioner.pk)
    result = run_with_production_settings(
        code, SECRET_KEY="restore-test-" + "x" * 50, BID_SEALING_KEY=KEY, **environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["sealed before the deadline", f"{PRICE} True"]

    # The backup without its key opens nothing.
    other_key = sealing.encode_key(sealing.generate_key())
    without = run_with_production_settings(
        code, SECRET_KEY="restore-test-" + "x" * 50, BID_SEALING_KEY=other_key, **environment
    )
    assert without.returncode != 0
    assert "SealingError" in without.stderr
