"""Background work for exercises, run by django-tasks (the database queue in production, the
immediate backend in tests). Services enqueue with ``transaction.on_commit`` so nothing is sent
for a change that rolled back."""

from __future__ import annotations

from django_tasks import task

from commissioning.exercises import notifications


@task()
def notify_stage_change(stage_change_id: int) -> int:
    """Email the body's and partners' members about a stage change (CYC-1); returns the count."""
    return notifications.send_stage_change_emails(stage_change_id)
