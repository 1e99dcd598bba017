"""``/healthz`` for load balancers and monitoring (issue 13 item 3): 200 with JSON when the
database answers and the task queue is being worked, 503 naming what failed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commissioning.bids import keys, sealing
from commissioning.notifications.tasks import email_notifications
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The production backend: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTHZ_TASK_MAX_WAIT_SECONDS = 600


def test_the_address_is_healthz() -> None:
    assert reverse("web:healthz") == HEALTHZ


def test_fine_database_and_queue_answer_200(client: Client, database_queue: None) -> None:
    email_notifications.enqueue([])  # just enqueued: a worker has not had the time yet
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["task_queue"] == {
        "ok": True,
        "detail": "Tasks are being taken.",
        "waiting": 1,
        "oldest_wait_seconds": 0,
    }


def test_a_task_waiting_too_long_answers_503_naming_the_queue(
    client: Client, database_queue: None
) -> None:
    result = email_notifications.enqueue([])
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=30)
    )
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["task_queue"]
    assert body["checks"]["database"]["ok"] is True
    queue = body["checks"]["task_queue"]
    assert queue["ok"] is False and queue["waiting"] == 1
    assert queue["oldest_wait_seconds"] >= 1800
    assert "is a task worker running?" in queue["detail"]


def test_a_database_that_does_not_answer_gives_503_naming_it(
    client: Client, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database", "task_queue", "bid_sealing_key"]
    assert body["checks"]["database"] == {"ok": False, "detail": "The database did not answer."}
    assert "connection refused" not in response.content.decode()


def test_load_balancers_may_probe_over_plain_http(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(HEALTHZ).status_code == 200
    assert client.get(reverse("web:home")).status_code == 301


def test_a_bid_sealing_key_that_does_not_open_the_bids_answers_503_naming_it(
    client: Client, settings: Any
) -> None:
    """PRO-8: a machine left with a retired key after a rotation leaves the load balancer."""
    assert client.get(HEALTHZ).json()["checks"]["bid_sealing_key"]["detail"] == (
        "No bids are sealed yet."
    )
    settings.BID_SEALING_KEY = sealing.encode_key(sealing.generate_key())
    keys.ensure_key(open_opportunity())
    assert client.get(HEALTHZ).status_code == 200

    settings.BID_SEALING_KEY = sealing.encode_key(sealing.generate_key())
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["bid_sealing_key"]
    assert body["checks"]["bid_sealing_key"] == {
        "ok": False,
        "detail": "The configured bid-sealing key does not open the bids.",
    }
