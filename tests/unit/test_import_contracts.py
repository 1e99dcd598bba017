"""The layers of docs/architecture.md hold, and a forbidden import breaks the build (issue 12,
ADR 0010): the import-linter contracts in pyproject.toml pass on the tree and fail, naming the
import, when the analytics core imports the Django project, an app imports one above it, an app
imports another app's views, or the shared kernel imports a feature app or the home page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contracts on the packages under ``src``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(REPO / "pyproject.toml")],
        cwd=src,
        env={**os.environ, "PYTHONPATH": str(src)},
        text=True,
        capture_output=True,
        check=False,
    )


@pytest.fixture(scope="module")
def copy_of_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python sources alone (no templates or static files), to add forbidden imports to."""
    target = tmp_path_factory.mktemp("layers") / "src"
    shutil.copytree(
        REPO / "src",
        target,
        ignore=shutil.ignore_patterns("templates", "static", "__pycache__", "*.egg-info"),
    )
    return target


@pytest.fixture
def src_with(copy_of_src: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """``copy_of_src`` with one import appended to one module, removed again afterwards."""
    module, statement = request.param
    path = copy_of_src / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{statement}  # noqa\n", encoding="utf-8")
    yield copy_of_src
    path.write_text(original, encoding="utf-8")


def test_the_tree_keeps_every_contract() -> None:
    result = lint_imports(REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("src_with", "broken", "named"),
    [
        (
            ("commissioning_analytics/scoring/__init__.py", "import commissioning.bids"),
            "The analytics core imports nothing from commissioning, Django or Ninja BROKEN",
            "commissioning_analytics.scoring -> commissioning.bids",
        ),
        (
            ("commissioning_analytics/lots/__init__.py", "import django.db"),
            "The analytics core imports nothing from commissioning, Django or Ninja BROKEN",
            "commissioning_analytics.lots -> django",
        ),
        (
            ("commissioning/directory/models.py", "import commissioning.bids.submission"),
            "arrows point down",
            "commissioning.directory.models -> commissioning.bids.submission",
        ),
        (
            ("commissioning/bids/services.py", "import commissioning.clarifications.services"),
            "arrows point down",
            "commissioning.bids.services -> commissioning.clarifications.services",
        ),
        (
            ("commissioning/awards/services.py", "import commissioning.bids.views"),
            "Views of bids are imported only inside bids BROKEN",
            "commissioning.awards.services -> commissioning.bids.views",
        ),
        (
            ("commissioning/kernel/forms.py", "import commissioning.bids.services"),
            "The shared kernel imports no feature app BROKEN",
            "commissioning.kernel.forms -> commissioning.bids.services",
        ),
        (
            ("commissioning/kernel/pagination.py", "import commissioning.web.navigation"),
            "arrows point down",
            "commissioning.kernel.pagination -> commissioning.web.navigation",
        ),
    ],
    indirect=["src_with"],
    ids=[
        "core-imports-project",
        "core-imports-django",
        "upward",
        "sibling",
        "other-apps-views",
        "kernel-imports-feature",
        "kernel-imports-home-page",
    ],
)
def test_a_forbidden_import_breaks_a_contract(src_with: Path, broken: str, named: str) -> None:
    result = lint_imports(src_with)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in " ".join(result.stdout.split()), result.stdout
    assert named in result.stdout, result.stdout
