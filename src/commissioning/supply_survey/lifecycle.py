"""A survey round's status as one explicit state machine (SUP-4).

    open ──close (the independent reviewer)──▶ closed
    closed ──publish (the independent reviewer)──▶ published

A round is opened by the independent reviewer for one prime and one year, and takes answers only
while open. Closing it ends the answering (and, in :mod:`.services`, rewrites its answers in a
random order under fresh keys, so not even the order they are stored in follows the order they
came in); only then does the reviewer read the free text. Publishing makes the results public on
the prime's page: the counts per answer only where five or more organisations answered, and the
free text that its writers allowed to be quoted. The table names each move's audit action, guard
and side effects; :func:`transition` is the only code that writes ``SurveyRound.status``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from commissioning.supply_survey.models import SurveyRound
from commissioning.transitions import Transition

Status = SurveyRound.Status

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.OPEN, Status.CLOSED): Transition(
        action="supply_survey.close",
        guard="The independent reviewer.",
        effects=(
            "no more answers",
            "answers rewritten in a random order under fresh keys",
            "the free text is read by the independent reviewer",
            "audit supply_survey.close, with the number of answers",
        ),
    ),
    (Status.CLOSED, Status.PUBLISHED): Transition(
        action="supply_survey.publish",
        guard="The independent reviewer.",
        effects=(
            "results public on the prime's page: counts per answer from five answers, "
            "quotes only where their writers allowed",
            "audit supply_survey.publish",
        ),
    ),
}

#: The moves by the word the forms use.
MOVES = {"close": Status.CLOSED, "publish": Status.PUBLISHED}


def is_open(survey_round: SurveyRound) -> bool:
    return Status(survey_round.status) is Status.OPEN


def is_published(survey_round: SurveyRound) -> bool:
    return Status(survey_round.status) is Status.PUBLISHED


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == current]


def problems(survey_round: SurveyRound, target: Status) -> dict[str, str]:
    """Why ``survey_round`` cannot move to ``target`` (empty when it can)."""
    current = Status(survey_round.status)
    if (current, target) in TRANSITIONS:
        return {}
    if current is Status.PUBLISHED:
        return {"__all__": "This survey's results are published: it can no longer change."}
    if target is Status.PUBLISHED:
        return {"__all__": "Close the survey before publishing its results."}
    return {"__all__": f"This survey is already {current.label.lower()}."}


def transition(locked: SurveyRound, target: Status) -> Transition:
    """Write ``target`` to a round locked by the caller whose guards have passed; returns the
    move's table entry."""
    found = TRANSITIONS.get((Status(locked.status), target))
    if found is None:
        raise ValidationError(problems(locked, target))
    locked.status = target
    return found


def seed(survey_round: SurveyRound, target: Status) -> None:
    """Set a synthetic demo round to ``target``: a history that never ran on the platform."""
    assert survey_round.is_synthetic, "only synthetic demo rounds are seeded"
    survey_round.status = target
