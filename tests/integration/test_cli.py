"""The ``commissioning`` command line: demo data into the configured database, a market summary
without Django, pass-through to manage.py, and one-line errors for bad arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from commissioning.accounts.models import User
from commissioning.cli import main
from commissioning.demo.users import SYNTHETIC_COMMISSIONER_PREFIX
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_demo_data_migrates_loads_and_prints_the_demo_users(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo-data", "--seed", "4", "--scale", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "Loaded the synthetic market (seed 4, scale 0.05)" in out
    assert "organisations:" in out and "exercises:" in out
    assert "demo-password-2026" in out and "commissioner-national" in out
    assert "http://127.0.0.1:8000" in out
    assert Organisation.objects.filter(is_synthetic=True, is_prime=False).count() > 85
    assert CommissioningExercise.objects.filter(is_synthetic=True).count() == 15
    assert User.objects.filter(username="provider").exists()

    assert main(["demo-data", "--seed", "4", "--scale", "0.05", "--keep", "--no-users"]) == 0
    out = capsys.readouterr().out
    assert "already loaded" in out and "Username" not in out


@pytest.mark.django_db(transaction=True)
def test_demo_data_without_users_creates_no_users(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo-data", "--scale", "0.05", "--no-users"]) == 0
    assert "Username" not in capsys.readouterr().out
    # Only the synthetic commissioners who sign the stage histories exist; none can sign in.
    users = User.objects.all()
    assert users.exists()
    assert all(u.username.startswith(SYNTHETIC_COMMISSIONER_PREFIX) for u in users)
    assert not any(u.is_active or u.has_usable_password() for u in users)


def test_market_summary_prints_statistics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["market-summary", "--seed", "1", "--scale", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "VCS providers: 170" in out
    assert "VCS income under £500,000:" in out
    assert "by stage: assess_need" in out


def test_market_summary_does_not_need_django() -> None:
    code = (
        "import sys; from commissioning.cli import main; "
        "main(['market-summary', '--scale', '0.05']); "
        "print('django loaded' if 'django' in sys.modules else 'no django')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip().endswith("no django")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo-data", "--scale", "0"], "scale must be more than 0"),
        (["demo-data", "--scale", "lots"], "scale must be a number"),
        (["market-summary", "--seed", "-3"], "seed must be zero or more"),
        (["market-summary", "--seed", "x"], "seed must be a whole number"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_give_one_line_and_a_non_zero_exit(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.django_db
def test_manage_passes_through_to_django(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out
