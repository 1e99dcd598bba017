"""The supply-chain survey round's state machine (SUP-4), without a database: the transition
table, the guards' messages, and that a refused move writes nothing."""

from __future__ import annotations

import pytest

from commissioning.supply_survey import access, lifecycle
from commissioning.supply_survey.models import SurveyRound

Status = SurveyRound.Status


def test_the_table_names_every_move_and_its_audit_action() -> None:
    assert {k: t.action for k, t in lifecycle.TRANSITIONS.items()} == {
        (Status.OPEN, Status.CLOSED): "supply_survey.close",
        (Status.CLOSED, Status.PUBLISHED): "supply_survey.publish",
    }
    assert lifecycle.allowed_next(Status.OPEN) == [Status.CLOSED]
    assert lifecycle.allowed_next(Status.PUBLISHED) == []


def test_a_round_closes_then_publishes_and_then_never_changes() -> None:
    survey_round = SurveyRound(status=Status.OPEN)
    assert lifecycle.problems(survey_round, Status.PUBLISHED) == {
        "__all__": "Close the survey before publishing its results."
    }
    with pytest.raises(Exception, match="Close the survey"):
        lifecycle.transition(survey_round, Status.PUBLISHED)
    assert survey_round.status == Status.OPEN  # refused: nothing written
    assert lifecycle.transition(survey_round, Status.CLOSED).action == "supply_survey.close"
    assert lifecycle.problems(survey_round, Status.CLOSED) == {
        "__all__": "This survey is already closed."
    }
    lifecycle.transition(survey_round, Status.PUBLISHED)
    assert lifecycle.is_published(survey_round)
    assert lifecycle.problems(survey_round, Status.CLOSED) == {
        "__all__": "This survey's results are published: it can no longer change."
    }


def test_results_are_shown_only_when_published_and_from_five_answers() -> None:
    assert access.MIN_RESPONDENTS == 5
    published = SurveyRound(status=Status.PUBLISHED)
    assert not access.shows_results(published, 4)
    assert access.shows_results(published, 5)
    assert not access.shows_results(SurveyRound(status=Status.CLOSED), 12)
