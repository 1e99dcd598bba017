"""Types reach the user (issue 12 item "types stop at the user"): no service or rule takes its
``user`` or ``actor`` as ``Any``, so mypy checks the most important argument of each (the pages
behind sign-in pass :func:`commissioning.permissions.signed_in_user`, tested with the database
tests)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PEOPLE = {"user", "actor", "viewer"}


def untyped_people() -> list[str]:
    """``file:line name`` of each user/actor/viewer parameter typed ``Any`` (or ``Any | …``)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if arg.arg in PEOPLE and arg.annotation is not None:
                    text = ast.unparse(arg.annotation)
                    if text == "Any" or text.startswith("Any |") or text.endswith("| Any"):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno} {arg.arg}")
    return found


def test_no_service_or_rule_takes_its_user_as_any() -> None:
    assert untyped_people() == []
