"""Background work for outcome studies, run by django-tasks (the database queue in production,
the immediate backend in tests); enqueued with ``transaction.on_commit``."""

from __future__ import annotations

from django_tasks import task

from commissioning.outcomes_web import services


@task()
def evaluate_study(study_id: int) -> str:
    """Run the matched comparison for one study (OUT-1); returns its final status."""
    return services.run_study(study_id)
