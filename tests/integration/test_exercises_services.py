"""The exercise service layer (CYC-1, CYC-4): references, history, audit, notifications, and that a
refused action writes nothing."""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.exercises import services
from commissioning.exercises.forms import ExerciseEditForm, ExerciseForm
from commissioning.exercises.lifecycle import Stage, TransitionError
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.kernel import pagecache
from tests.factories import member_of
from tests.integration.test_exercises_support import Market, market, pending_member

pytestmark = pytest.mark.django_db
__all__ = ["market"]

LONDON = ZoneInfo("Europe/London")


def _cleaned(m: Market, user: User, **overrides: Any) -> dict[str, Any]:
    form = ExerciseForm(m.form_data(**overrides), user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _commissioner(m: Market) -> User:
    user = m.users["commissioner"]
    assert user is not None
    return user


# ---------------------------------------------------------------- creating


@time_machine.travel(datetime(2025, 5, 6, 10, 0, tzinfo=LONDON), tick=False)
def test_create_numbers_references_per_year_and_starts_the_history(market: Market) -> None:
    actor = _commissioner(market)
    first = services.create_exercise(actor, _cleaned(market, actor))
    second = services.create_exercise(actor, _cleaned(market, actor, title="Second"))

    assert (first.reference, second.reference) == ("CX-2025-0001", "CX-2025-0002")
    assert first.stage == Stage.ASSESS_NEED
    assert first.created_by == actor
    assert list(first.partners.all()) == [market.partner]
    assert list(first.areas.all()) == [market.area]
    assert first.estimated_annual_value == Decimal("250000.00")
    [change] = first.stage_changes.all()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", "assess_need", actor)
    assert change.changed_at == datetime(2025, 5, 6, 10, 0, tzinfo=LONDON)
    event = AuditEvent.objects.get(action="create", target_id=str(first.pk))
    assert event.actor == actor
    assert event.changes["reference"] == {"from": None, "to": "CX-2025-0001"}
    assert event.changes["stage"] == {"from": None, "to": "assess_need"}


def test_next_reference_follows_the_highest_number_of_the_year(market: Market) -> None:
    market.exercise(reference="CX-2024-0950")
    market.exercise(reference="CX-2025-0041")
    market.exercise(reference="CX-2025-0007")
    market.exercise(reference="CX-TEST-9999")
    assert services.next_reference(2025) == "CX-2025-0042"
    assert services.next_reference(2024) == "CX-2024-0951"
    assert services.next_reference(2026) == "CX-2026-0001"
    market.exercise(reference="CX-2026-9999")
    assert services.next_reference(2026) == "CX-2026-10000"


@time_machine.travel(datetime(2025, 5, 6, 10, 0, tzinfo=LONDON), tick=False)
def test_a_reference_taken_concurrently_is_retried(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another request took CX-2025-0001 between our read and our insert: the unique constraint
    refuses ours, the savepoint rolls back, and the next number is used."""
    market.exercise(reference="CX-2025-0001")
    proposals = iter(["CX-2025-0001", "CX-2025-0002"])
    monkeypatch.setattr(services, "next_reference", lambda year: next(proposals))
    actor = _commissioner(market)

    exercise = services.create_exercise(actor, _cleaned(market, actor))

    assert exercise.reference == "CX-2025-0002"
    assert CommissioningExercise.objects.filter(reference__startswith="CX-2025-").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_references(market: Market) -> None:
    """Four commissioners creating at once (real transactions, one connection per thread) never
    collide: allocation is serialised by an advisory lock on PostgreSQL. SQLite serialises
    writers itself, but its in-memory test database cannot be shared by threads, so this runs on
    PostgreSQL (``make test-postgres``)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads (PostgreSQL)")
    actor = _commissioner(market)
    data = _cleaned(market, actor)
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def create_five() -> None:
        try:
            start.wait()
            for _ in range(5):
                services.create_exercise(actor, data)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_five) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    references = list(CommissioningExercise.objects.values_list("reference", flat=True))
    year = timezone.localdate().year
    assert sorted(references) == [f"CX-{year}-{n:04d}" for n in range(1, 21)]
    assert StageChange.objects.count() == 20


@pytest.mark.parametrize("broken", ["tier", "partners"])
def test_create_refuses_broken_rules_and_writes_nothing(market: Market, broken: str) -> None:
    """The service re-checks the CYC-1 rules the form checks (a body's tier; not its own
    partner), so a caller that skips the form cannot write a broken exercise."""
    actor = _commissioner(market)
    data = _cleaned(market, actor)
    if broken == "tier":
        data["tier"] = "national"
    else:
        data["partners"] = [market.body]
    with pytest.raises(ValidationError) as refused:
        services.create_exercise(actor, data)
    assert list(refused.value.message_dict) == [broken]
    assert not CommissioningExercise.objects.exists()
    assert not StageChange.objects.exists()
    assert not AuditEvent.objects.exists()


def test_create_for_a_body_you_do_not_commission_for_is_refused(market: Market) -> None:
    actor = market.users["other_commissioner"]
    data = _cleaned(market, _commissioner(market))
    with pytest.raises(PermissionDenied):
        services.create_exercise(actor, data)
    assert not CommissioningExercise.objects.exists()
    assert not AuditEvent.objects.exists()


# ---------------------------------------------------------------- editing


def test_update_audits_only_what_changed(market: Market) -> None:
    exercise = market.exercise(title="Old title", partners=[])
    actor = _commissioner(market)
    data = services.initial_from_exercise(exercise)
    form_data = {**data, "title": "New title", "areas": [market.area.slug, market.other_area.slug]}
    form = ExerciseEditForm(form_data, exercise=exercise)
    assert form.is_valid(), form.errors

    services.update_exercise(actor, exercise, form.cleaned_data)

    exercise.refresh_from_db()
    assert exercise.title == "New title"
    assert set(exercise.areas.all()) == {market.area, market.other_area}
    event = AuditEvent.objects.get(action="update")
    assert event.changes["title"] == {"from": "Old title", "to": "New title"}
    assert set(event.changes["areas"]["to"]) == {"Avon and Somerset", "Dyfed-Powys"}
    assert set(event.changes) == {"title", "areas"}


# ---------------------------------------------------------------- stage changes


def test_stage_history_is_dated_and_in_order(market: Market) -> None:
    actor = _commissioner(market)
    with time_machine.travel(datetime(2025, 1, 10, 9, 0, tzinfo=LONDON), tick=False) as clock:
        exercise = services.create_exercise(actor, _cleaned(market, actor))
        clock.move_to(datetime(2025, 2, 3, 14, 30, tzinfo=LONDON))
        services.change_stage(actor, exercise, Stage.PLAN)
        clock.move_to(datetime(2025, 3, 1, 11, 0, tzinfo=LONDON))
        services.change_stage(actor, exercise, Stage.PROCURE)
        clock.move_to(datetime(2025, 3, 20, 16, 0, tzinfo=LONDON))
        services.change_stage(actor, exercise, Stage.PLAN, "Lots redrawn after engagement")

    history = services.stage_history(exercise)
    assert [(h.from_stage, h.to_stage) for h in history] == [
        ("", "assess_need"),
        ("assess_need", "plan"),
        ("plan", "procure"),
        ("procure", "plan"),
    ]
    assert [h.changed_at.astimezone(LONDON).date().isoformat() for h in history] == [
        "2025-01-10",
        "2025-02-03",
        "2025-03-01",
        "2025-03-20",
    ]
    assert history[-1].reason == "Lots redrawn after engagement"
    assert exercise.stage == "plan"
    assert AuditEvent.objects.filter(action="stage_change").count() == 3
    last = AuditEvent.objects.filter(action="stage_change").order_by("-id").first()
    assert last is not None
    assert last.changes["stage"] == {"from": "procure", "to": "plan"}


def test_review_restarts_the_cycle(market: Market) -> None:
    actor = _commissioner(market)
    exercise = market.exercise(stage=Stage.REVIEW.value)
    services.change_stage(actor, exercise, Stage.ASSESS_NEED)
    exercise.refresh_from_db()
    assert exercise.stage == Stage.ASSESS_NEED


@pytest.mark.parametrize(
    ("start", "target", "reason", "field"),
    [
        ("assess_need", "deliver", "", "stage"),
        ("plan", "assess_need", "", "reason"),
        ("deliver", "procure", "Because", "stage"),
        ("review", "review", "", "stage"),
        ("plan", "not-a-stage", "", "stage"),
    ],
)
def test_a_refused_change_writes_nothing_and_sends_nothing(
    market: Market,
    django_capture_on_commit_callbacks: Any,
    start: str,
    target: str,
    reason: str,
    field: str,
) -> None:
    exercise = market.exercise(stage=start)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError) as no:
        services.change_stage(_commissioner(market), exercise, target, reason)
    assert no.value.field == field
    exercise.refresh_from_db()
    assert exercise.stage == start
    assert exercise.stage_changes.count() == 1  # only the factory's creation entry
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_only_the_bodys_commissioners_may_change_the_stage(market: Market) -> None:
    exercise = market.exercise()
    for role in ("other_commissioner", "evaluator", "provider", "reviewer", "anonymous"):
        with pytest.raises(PermissionDenied):
            services.change_stage(market.users[role], exercise, Stage.PLAN)
    exercise.refresh_from_db()
    assert exercise.stage == "assess_need"


def test_a_stage_change_emails_the_body_and_partner_members(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = market.exercise(partners=[market.partner], title="Women's accommodation")
    partner_member = member_of(market.partner, role=User.Role.COMMISSIONER)
    pending = pending_member(market.body)
    inactive = member_of(market.body, role=User.Role.COMMISSIONER, is_active=False)
    commissioner = _commissioner(market)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.change_stage(commissioner, exercise, Stage.PLAN)

    # one email task queued; the cached public pages' new key is not a task (issue 21)
    assert len([c for c in callbacks if c is not pagecache._bump_now]) == 1
    evaluator = market.users["evaluator"]
    assert evaluator is not None
    expected = {commissioner.email, evaluator.email, partner_member.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert pending.email not in {m.to[0] for m in mail.outbox}
    assert inactive.email not in {m.to[0] for m in mail.outbox}
    message = mail.outbox[0]
    assert message.subject == f"Exercise {exercise.reference} moved to Plan"
    assert "Women's accommodation" in message.body
    assert f"/exercises/{exercise.reference}/" in message.body


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_email_waits_for_the_worker(
    market: Market, settings: Any
) -> None:
    """Production set-up (ADR 0003), with real commits: the change commits, one task row is
    queued with the change's id, and the emails go out when the ``db_worker`` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    exercise = market.exercise()
    change = services.change_stage(_commissioner(market), exercise, Stage.PLAN)

    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "commissioning.exercises.tasks.notify_stage_change"
    assert queued.args_kwargs == {"args": [change.pk], "kwargs": {}}
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert len(mail.outbox) == 2
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == 2


def test_nothing_is_sent_when_the_transaction_rolls_back(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = market.exercise()

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.change_stage(_commissioner(market), exercise, Stage.PLAN)
        raise Abort
    assert callbacks == []
    assert mail.outbox == []
    exercise.refresh_from_db()
    assert exercise.stage == "assess_need"


def test_the_public_history_shows_role_and_body_and_editors_see_names(market: Market) -> None:
    exercise = market.exercise(partners=[market.partner])
    commissioner = _commissioner(market)
    services.change_stage(commissioner, exercise, Stage.PLAN)
    admin = market.users["site_admin"]
    services.change_stage(admin, exercise, Stage.PROCURE)

    public = services.stage_history(exercise)
    assert [h.who for h in public] == [
        "Not recorded",
        "Commissioner, PCC for Avon and Somerset",
        "Site administrator",
    ]
    as_editor = services.stage_history(exercise, viewer=commissioner)
    assert as_editor[1].who == (
        f"{commissioner.get_full_name()} (Commissioner, PCC for Avon and Somerset)"
    )
    as_stranger = services.stage_history(exercise, viewer=market.users["provider"])
    assert "Cara" not in " ".join(h.who for h in as_stranger)
