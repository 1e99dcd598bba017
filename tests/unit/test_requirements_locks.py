"""The lock is split into runtime and development (issue 13 item 3, ADR 0002): a production install
(`pip install -c requirements/runtime.txt .`) gets everything the platform needs to run and no
test tool; `make test` installs both."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
TEST_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-randomly",
    "pytest-xdist",
    "factory-boy",
    "hypothesis",
    "time-machine",
    "playwright",
    "ruff",
    "mypy",
    "django-stubs",
    "libcoveocds",
    "import-linter",
    "causaldata",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(name: str) -> dict[str, str]:
    lines = (REPO / "requirements" / name).read_text(encoding="utf-8").splitlines()
    pairs = (line.split("==", 1) for line in lines if line and not line.startswith("#"))
    return {canonical(package): version for package, version in pairs}


def project() -> dict[str, list[str]]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"runtime": data["dependencies"], "dev": data["optional-dependencies"]["dev"]}


def split_lock() -> ModuleType:
    spec = importlib.util.spec_from_file_location("split_lock", REPO / "scripts" / "split_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _names(requirements: list[str]) -> set[str]:
    return {canonical(re.split(r"[<>=!~;\[ ]", text, maxsplit=1)[0]) for text in requirements}


def test_the_runtime_lock_holds_no_test_tool() -> None:
    runtime = pins("runtime.txt")
    assert TEST_TOOLS.isdisjoint(runtime), TEST_TOOLS & set(runtime)
    assert set(pins("dev.txt")) >= TEST_TOOLS


def test_every_runtime_dependency_and_what_it_pulls_in_is_in_the_runtime_lock() -> None:
    runtime = pins("runtime.txt")
    assert _names(project()["runtime"]) <= set(runtime)
    needed = split_lock().runtime_closure(project()["runtime"])
    assert needed <= set(runtime), needed - set(runtime)
    assert {"django", "gunicorn", "psycopg", "cryptography", "django-csp"} <= set(runtime)


def test_the_locks_do_not_overlap_and_pin_every_development_dependency() -> None:
    runtime, development = pins("runtime.txt"), pins("dev.txt")
    assert set(runtime).isdisjoint(development)
    assert _names(project()["dev"]) <= set(development)
    assert not (REPO / "requirements" / "lock.txt").exists()


def test_the_makefile_installs_both_locks_for_development() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert '-c requirements/runtime.txt -c requirements/dev.txt -e ".[dev]"' in makefile
