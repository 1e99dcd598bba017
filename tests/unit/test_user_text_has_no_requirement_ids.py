"""Requirement IDs (PRO-8, EVA-4, …) belong in docstrings, tests and commit messages, never in
text people read (issue 11 item 23): templates, labels, hints, error messages, page intros, the
feedback PDF and the analytics core's explanations. This reads every template (less its
comments) and every string in the code that is not a docstring."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
REQUIREMENT_ID = re.compile(r"\b(CYC|PRO|EVA|PBR|SUP|REF|OUT|EQU|USR|MKT|LAW)-\d+\b")
TEMPLATE_COMMENTS = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->", re.DOTALL
)
TEMPLATES = sorted(SRC.rglob("*.html"))
# Not read by the people using the service: the API's OpenAPI text is developer documentation.
# Models are checked: their help_text is the hint on forms and admin pages.
DEVELOPER_FACING = re.compile(r"(/migrations/|/api/|/api\.py$|/api_\w+\.py$)")
PYTHON = sorted(p for p in SRC.rglob("*.py") if not DEVELOPER_FACING.search(p.as_posix()))


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings or bare string statements."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
    return found


def _relative(path: Path) -> str:
    return str(path.relative_to(SRC))


@pytest.mark.parametrize("path", TEMPLATES, ids=_relative)
def test_no_template_shows_a_requirement_id(path: Path) -> None:
    text = TEMPLATE_COMMENTS.sub("", path.read_text(encoding="utf-8"))
    found = sorted({m.group(0) for m in REQUIREMENT_ID.finditer(text)})
    assert not found, f"{_relative(path)} shows {found} to its readers"


def test_no_string_in_the_code_shows_a_requirement_id() -> None:
    found: list[str] = []
    for path in PYTHON:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and REQUIREMENT_ID.search(node.value)
                # A bare ID is data (what a library criterion covers), never a sentence.
                and not REQUIREMENT_ID.fullmatch(node.value)
            ):
                found.append(f"{_relative(path)}:{node.lineno}: {node.value[:80]!r}")
    assert not found, "requirement IDs in text people read:\n" + "\n".join(found)
