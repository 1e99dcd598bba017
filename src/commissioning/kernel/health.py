"""What ``/healthz`` checks: the database answers and the task queue is being worked, then what
the feature apps register (bids: the configured sealing key opens the bids).

A load balancer takes a web worker out of rotation on a 503; the body names what failed so that
whoever is on call knows where to look. Details of an error go to the log, never to the response
(the endpoint is public).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

log = logging.getLogger(__name__)

DATABASE_BACKEND_PATH = "django_tasks_db.DatabaseBackend"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    figures: dict[str, Any] = field(default_factory=dict)


def check_database() -> Check:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("Health check: the database did not answer")
        return Check("database", False, "The database did not answer.")
    return Check("database", True, "The database answers.")


def check_task_queue() -> Check:
    """The queue is readable, and no task ready to run has waited longer than
    ``HEALTHZ_TASK_MAX_WAIT_SECONDS`` (a longer wait means no worker is taking tasks)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != DATABASE_BACKEND_PATH:
        # Another backend runs tasks where they are enqueued (the tests' immediate backend).
        return Check("task_queue", True, f"Tasks run by {backend.rsplit('.', 1)[-1]}.")
    from django_tasks_db.models import DBTaskResult

    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError:
        log.exception("Health check: the task queue could not be read")
        return Check("task_queue", False, "The task queue could not be read.")
    waited = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    figures = {"waiting": waiting, "oldest_wait_seconds": waited}
    limit = settings.HEALTHZ_TASK_MAX_WAIT_SECONDS
    if waited > limit:
        return Check(
            "task_queue",
            False,
            f"{waiting} tasks are waiting, the oldest for {waited} seconds (more than {limit}): "
            "is a task worker running?",
            figures,
        )
    return Check("task_queue", True, "Tasks are being taken.", figures)


#: Checks the feature apps add (their AppConfig.ready), run after the kernel's own.
_registered: list[Callable[[], Check]] = []


def register(check: Callable[[], Check]) -> Callable[[], Check]:
    if check not in _registered:
        _registered.append(check)
    return check


def health() -> list[Check]:
    return [check_database(), check_task_queue(), *(check() for check in _registered)]
