"""Only a record's lifecycle module writes its status (issue 12).

Every record with states (Exercise, Opportunity, Bid, Question, Membership, OutcomeStudy,
Contract, and every new one) has one ``<app>/lifecycle.py`` holding its states, its transition
table and the only code that writes its ``status`` (an exercise's ``stage``). This test parses
every module under ``src/commissioning`` and fails on a write anywhere else: an assignment to a
``.status`` attribute, ``status=`` (or a ``"status"`` key in ``defaults``) given to
``update``/``create``/``get_or_create``/``update_or_create`` or to a model's constructor,
``"status"`` in a ``save(update_fields=...)``, or ``setattr(x, "status", ...)``. Migrations are
exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "commissioning"
STATE_FIELDS = frozenset({"status", "stage"})
"""The fields that hold a record's state: ``status``, and an exercise's ``stage``."""
QUERY_WRITERS = frozenset({"update", "create", "get_or_create", "update_or_create"})
DICT_ARGUMENTS = frozenset({"defaults", "create_defaults"})

ALLOWED: dict[str, str] = {}
"""``path relative to src/commissioning`` → why it may write a status outside a lifecycle module.
Empty: records are created in their initial state by the field's default, and the demo data's
records in later states are seeded by their lifecycle modules (``seed``/``seeded``)."""


def models_with_status(source: Path = SOURCE) -> frozenset[str]:
    """Names of the model classes that have a ``status`` field (their constructors write it)."""
    names = set()
    for path in source.rglob("models.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(item, ast.Assign | ast.AnnAssign)
                and any(
                    isinstance(t, ast.Name) and t.id in STATE_FIELDS
                    for t in (item.targets if isinstance(item, ast.Assign) else [item.target])
                )
                for item in node.body
            ):
                names.add(node.name)
    return frozenset(names)


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _named_field(node: ast.AST) -> str | None:
    """The state field a literal (string, list, tuple, dict keys) names, if any."""
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and n.value in STATE_FIELDS:
            return str(n.value)
    return None


def _targets(node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> list[ast.expr]:
    found: list[ast.expr] = []
    stack = list(node.targets) if isinstance(node, ast.Assign) else [node.target]
    while stack:
        target = stack.pop()
        if isinstance(target, ast.Tuple | ast.List):
            stack.extend(target.elts)
        elif isinstance(target, ast.Starred):
            stack.append(target.value)
        else:
            found.append(target)
    return found


class _Finder(ast.NodeVisitor):
    def __init__(self, models: frozenset[str]) -> None:
        self.models = models
        self.classes: list[str] = []
        self.found: list[tuple[int, str]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _assignment(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign) -> None:
        for target in _targets(node):
            if not (isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS):
                continue
            # ``self.status`` in a class that is not a model with a status field (an
            # exception's HTTP status, say) is not a record's status.
            own = isinstance(target.value, ast.Name) and target.value.id == "self"
            if own and not (self.classes and self.classes[-1] in self.models):
                continue
            self.found.append((node.lineno, f"assigns {ast.unparse(target)}"))
        self.generic_visit(node)

    visit_Assign = visit_AugAssign = visit_AnnAssign = _assignment

    def visit_Call(self, node: ast.Call) -> None:
        name = _callee(node)
        if name in QUERY_WRITERS or name in self.models:
            for keyword in node.keywords:
                if keyword.arg in STATE_FIELDS:
                    self.found.append((node.lineno, f"{name}({keyword.arg}=...)"))
                elif (field := _named_field(keyword.value)) and keyword.arg in DICT_ARGUMENTS:
                    self.found.append((node.lineno, f"{name}({keyword.arg}={{'{field}': ...}})"))
                elif field and keyword.arg is None:
                    self.found.append((node.lineno, f"{name}(**{{'{field}': ...}})"))
        for keyword in node.keywords:
            if keyword.arg == "update_fields" and (field := _named_field(keyword.value)):
                self.found.append((node.lineno, f"save(update_fields=[..., '{field}'])"))
        if (
            name == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in STATE_FIELDS
        ):
            self.found.append((node.lineno, f"setattr(..., '{node.args[1].value}', ...)"))
        self.generic_visit(node)


def status_writes(source: str, models: frozenset[str]) -> list[tuple[int, str]]:
    """Each write of a status in ``source`` as ``(line, what)``."""
    finder = _Finder(models)
    finder.visit(ast.parse(source))
    return sorted(finder.found)


def is_exempt(relative: Path) -> bool:
    return relative.name == "lifecycle.py" or "migrations" in relative.parts


def test_only_lifecycle_modules_write_a_status() -> None:
    models = models_with_status()
    assert {"Opportunity", "Bid", "Question", "Membership", "OutcomeStudy", "Contract"} <= models
    assert "CommissioningExercise" in models
    offences = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if is_exempt(relative) or relative.as_posix() in ALLOWED:
            continue
        for line, what in status_writes(path.read_text(encoding="utf-8"), models):
            offences.append(f"src/commissioning/{relative.as_posix()}:{line}: {what}")
    assert offences == [], (
        "Only a record's lifecycle module (<app>/lifecycle.py) writes its status; move these "
        "writes there:\n" + "\n".join(offences)
    )


def test_every_record_with_a_status_has_a_lifecycle_module() -> None:
    owners = {
        "CommissioningExercise": "exercises",
        "Opportunity": "procurement",
        "Bid": "bids",
        "Question": "clarifications",
        "Membership": "accounts",
        "OutcomeStudy": "outcomes_web",
        "Contract": "contracts",
        "Escalation": "escalations",
        "OrganisationToken": "service_accounts",
        "Invoice": "invoices",
        "Referral": "referrals",
        "SupplyReturn": "supply_returns",  # SUP-1
        "ReturnLine": "supply_returns",
        "Concern": "concerns",
        "SurveyRound": "supply_survey",  # SUP-4
        "MediationRequest": "mediation",  # SUP-3
        "QuarterlyReport": "social_value",  # EVA-3
        "Assessment": "equality",  # EQU-1
        "ExerciseReview": "reviews",  # CYC-4
        "GrantRound": "grants",  # CYC-6
        "MonitoringReturn": "monitoring",  # SUP-7
        "GrantApplication": "grants",  # CYC-6
    }
    assert set(owners) == set(models_with_status())
    for app in owners.values():
        assert (SOURCE / app / "lifecycle.py").is_file(), app


MODELS = frozenset({"Bid", "Membership", "CommissioningExercise"})

WRITES_ELSEWHERE = [
    ("bid.status = Bid.Status.SUBMITTED", "assigns bid.status"),
    ("bid.status, bid.submitted_at = 'submitted', now", "assigns bid.status"),
    ("Bid.objects.filter(pk=1).update(status='withdrawn')", "update(status=...)"),
    ("Bid.objects.create(lot=lot, status='submitted')", "create(status=...)"),
    ("Bid(lot=lot, status='submitted')", "Bid(status=...)"),
    (
        "Membership.objects.update_or_create(user=u, defaults={'status': 'approved'})",
        "update_or_create(defaults={'status': ...})",
    ),
    ("Bid.objects.filter(pk=1).update(**{'status': 'draft'})", "update(**{'status': ...})"),
    ("bid.save(update_fields=['status', 'updated_at'])", "save(update_fields=[..., 'status'])"),
    ("setattr(bid, 'status', 'draft')", "setattr(..., 'status', ...)"),
    ("exercise.stage = 'plan'", "assigns exercise.stage"),
    ("CommissioningExercise(title=t, stage='deliver')", "CommissioningExercise(stage=...)"),
    ("exercise.save(update_fields=['stage'])", "save(update_fields=[..., 'stage'])"),
    (
        "class Bid:\n    def submit(self):\n        self.status = 'submitted'",
        "assigns self.status",
    ),
]


@pytest.mark.parametrize(("snippet", "what"), WRITES_ELSEWHERE)
def test_a_status_written_outside_a_lifecycle_module_is_caught(snippet: str, what: str) -> None:
    assert [found for _, found in status_writes(snippet, MODELS)] == [what]


@pytest.mark.parametrize(
    "snippet",
    [
        "Bid.objects.filter(status='submitted').count()",
        "if bid.status == Bid.Status.SUBMITTED: pass",
        "return JsonResponse(body, status=404)",
        "render(request, 'page.html', context, status=400)",
        "class ApiError(Exception):\n    def __init__(self, status):\n        self.status = status",
        "Bid.objects.filter(pk=1).update(updated_at=now)",
    ],
)
def test_reading_a_status_or_an_http_status_is_not_a_write(snippet: str) -> None:
    assert status_writes(snippet, MODELS) == []


def test_a_status_write_fails_the_source_walk(tmp_path: Path) -> None:
    """The walk itself fails when a module outside a lifecycle writes a status, and passes the
    same write in a lifecycle module."""
    app = tmp_path / "bids"
    app.mkdir()
    (app / "models.py").write_text("class Bid(Model):\n    status = CharField()\n")
    (app / "views.py").write_text("def withdraw(bid):\n    bid.status = 'withdrawn'\n")
    (app / "lifecycle.py").write_text("def move(bid):\n    bid.status = 'withdrawn'\n")
    models = models_with_status(tmp_path)
    assert models == {"Bid"}
    found = {
        path.relative_to(tmp_path).as_posix(): status_writes(path.read_text(), models)
        for path in tmp_path.rglob("*.py")
        if not is_exempt(path.relative_to(tmp_path))
    }
    assert found == {"bids/models.py": [], "bids/views.py": [(2, "assigns bid.status")]}
