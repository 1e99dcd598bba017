"""An outcome study's status as one explicit state machine (OUT-1, OUT-4; issue 12).

    queued ──start──▶ running ──finish──▶ done | failed

A study is queued when uploaded; one worker starts it, and the run ends done (with its result)
or failed (with the error in words). Each move is one conditional update, so two workers given
the same study cannot both run it and a finished study is never run again. The table names each
move's guard and side effects; :func:`start` and :func:`finish` are the only code that writes
``OutcomeStudy.status``.

Publication is a second, independent switch on a done study, kept here too so that every change
of what a study is (and who may see it) has one home:

    done, unpublished ──publish──▶ published ──unpublish (with a reason)──▶ unpublished

:func:`publish` and :func:`unpublish` are conditional updates like the moves above, so a study
published twice (two tabs, a double click) is published once (issue 17 item 8).

A version of the data steward's national extract is current until retired (:func:`retire_extract`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
from commissioning.transitions import Transition

if TYPE_CHECKING:
    from commissioning.accounts.models import User

Status = OutcomeStudy.Status


_FINISH_GUARD = "The study is running (the worker that started it finishes it)."

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.QUEUED, Status.RUNNING): Transition(
        action="",
        guard="The study is still queued: no other worker has started it.",
        effects=("the matched comparison runs (outcomes_web.services.run_study)",),
    ),
    (Status.RUNNING, Status.DONE): Transition(
        action="",
        guard=_FINISH_GUARD,
        effects=("the result is stored; the owner may publish it",),  # OUT-4
    ),
    (Status.RUNNING, Status.FAILED): Transition(
        action="",
        guard=_FINISH_GUARD,
        effects=("the error is stored in words for the owner",),
    ),
}


def _move(study_id: int, source: Status, target: Status, **fields: Any) -> bool:
    assert (source, target) in TRANSITIONS
    moved = OutcomeStudy.objects.filter(pk=study_id, status=source).update(status=target, **fields)
    return moved == 1


def start(study_id: int) -> bool:
    """Mark a queued study running; ``False`` (nothing written) when it is not queued."""
    return _move(study_id, Status.QUEUED, Status.RUNNING)


def finish(study_id: int, target: Status, result: dict[str, Any] | None, error: str) -> bool:
    """Store a running study's result or error and mark it done or failed; ``False`` (nothing
    written) when it is not running."""
    return _move(study_id, Status.RUNNING, target, result=result, error=error)


def publish(study_id: int, actor: User, when: datetime) -> bool:
    """Publish a done, unpublished study; ``False`` (nothing written) otherwise (OUT-4)."""
    moved = OutcomeStudy.objects.filter(
        pk=study_id, status=Status.DONE, published_at__isnull=True
    ).update(published_at=when, published_by=actor)
    return moved == 1


def unpublish(study_id: int) -> bool:
    """Withdraw a published study's summary from the public; ``False`` (nothing written) when it
    is not published. The reason is kept in the audit trail by the caller (OUT-4)."""
    moved = OutcomeStudy.objects.filter(pk=study_id, published_at__isnull=False).update(
        published_at=None, published_by=None
    )
    return moved == 1


def retire_extract(extract_id: int, actor: User, when: datetime) -> bool:
    """Retire a version of the national extract, so no new study uses it; ``False`` (nothing
    written) when it is already retired. Studies that used it keep it (OUT-1)."""
    moved = NationalExtract.objects.filter(pk=extract_id, retired_at__isnull=True).update(
        retired_at=when, retired_by=actor
    )
    return moved == 1
