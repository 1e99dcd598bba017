"""The analytics core may not import Django (style.md convention 1, enforced by ruff TID251)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).parent / "ruff"


def ruff_on(source: str, pretend_path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RUFF), "check", "--select", "TID251", "--stdin-filename", pretend_path, "-"],
        input=source,
        text=True,
        capture_output=True,
        cwd=REPO,
        check=False,
    )


@pytest.mark.parametrize(
    "source", ["import django\n", "from django.db import models\n", "from ninja import Router\n"]
)
def test_django_import_in_core_fails_lint(source: str) -> None:
    result = ruff_on(source, "src/commissioning_analytics/probe.py")
    assert result.returncode == 1
    assert "TID251" in result.stdout


def test_same_import_in_web_project_is_allowed() -> None:
    result = ruff_on("from django.db import models\n", "src/commissioning/probe.py")
    assert result.returncode == 0, result.stdout


def test_no_module_in_core_imports_django() -> None:
    sources = (REPO / "src" / "commissioning_analytics").rglob("*.py")
    offenders = [
        str(p)
        for p in sources
        if any(
            line.strip().startswith(("import django", "from django"))
            for line in p.read_text().splitlines()
        )
    ]
    assert offenders == []
