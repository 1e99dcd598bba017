"""Opening, answering, closing and publishing supply-chain surveys, and their results (SUP-4):
each action one transaction with its audit record, checked by :mod:`.access` and the guards of
:mod:`.lifecycle`. The pages call these functions, so they refuse what the forms refuse.

An answer is written as two rows that share nothing but the round (ADR 0011): a
:class:`SurveyRespondent` (this organisation has answered) and a :class:`SurveyAnswer` (these
answers were given), the latter under a random key with no time. The audit trail records that
the organisation answered, never what.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.directory.models import Organisation
from commissioning.permissions import Visitor, speaks_for
from commissioning.supply_survey import access, lifecycle, notifications
from commissioning.supply_survey.models import (
    QUESTIONS,
    Agreement,
    SurveyAnswer,
    SurveyRespondent,
    SurveyRound,
)

COMMENTS_LIMIT = 2000
FIRST_YEAR = 2020
_shuffler = random.SystemRandom()


def open_round(actor: User, prime: Organisation, year: int) -> SurveyRound:
    """The independent reviewer opens the prime's survey for ``year``: its sub-contractors in that
    year may then answer."""
    if not access.can_manage(actor):
        raise PermissionDenied("Only the independent reviewer opens a supply-chain survey.")
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError({"year": f"Enter a year from {FIRST_YEAR} to {this_year}"})
    already = ValidationError({"year": f"{prime.name} already has a survey for {year}"})
    try:
        with transaction.atomic():
            survey_round = SurveyRound(
                prime=prime, year=year, opened_by=actor, opened_at=timezone.now()
            )
            if not access.eligible_organisations(survey_round).exists():
                raise ValidationError(
                    {"prime": f"{prime.name} had no sub-contractors under its contracts in {year}"}
                )
            if SurveyRound.objects.filter(prime=prime, year=year).exists():
                raise already
            survey_round.save()
            record(actor, "supply_survey.open", survey_round, {"prime": prime.name, "year": year})
            notifications.opened(survey_round)
    except IntegrityError:  # opened at the same moment by someone else
        raise already from None
    return survey_round


def _clean_answers(ratings: Mapping[str, object]) -> dict[str, int]:
    valid = {choice.value for choice in Agreement}
    cleaned: dict[str, int] = {}
    problems: dict[str, str] = {}
    for field, question in QUESTIONS:
        value = ratings.get(field)
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if number not in valid:
            problems[field] = f"Choose how far you agree: {question.lower()}"
        cleaned[field] = number
    if problems:
        raise ValidationError(problems)
    return cleaned


def answer(
    actor: User,
    survey_round: SurveyRound,
    organisation: Organisation,
    ratings: Mapping[str, object],
    comments: str = "",
    *,
    may_quote: bool = False,
) -> None:
    """``organisation`` answers the round, once; nothing returned or recorded ties the answers
    to it."""
    if organisation not in access.answers_for(actor, survey_round):
        raise PermissionDenied("Only a sub-contractor of this prime answers its survey.")
    cleaned = _clean_answers(ratings)
    comments = (comments or "").strip()
    if len(comments) > COMMENTS_LIMIT:
        raise ValidationError(
            {"comments": f"Your comments must be {COMMENTS_LIMIT} characters or fewer"}
        )
    already = f"{organisation.name} has already answered this survey"
    try:
        with transaction.atomic():
            locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
            if not lifecycle.is_open(locked):
                raise ValidationError(
                    {"__all__": "This survey is closed: it takes no more answers."}
                )
            if SurveyRespondent.objects.filter(
                survey_round=locked, organisation=organisation
            ).exists():
                raise ValidationError({"__all__": already})
            respondent = SurveyRespondent.objects.create(
                survey_round=locked, organisation=organisation
            )
            SurveyAnswer.objects.create(
                survey_round=locked,
                comments=comments,
                may_quote=bool(may_quote and comments),
                **cleaned,
            )
            record(actor, "supply_survey.answer", respondent, {"organisation": organisation.name})
    except IntegrityError:
        raise ValidationError({"__all__": already}) from None


def _reshuffle(locked: SurveyRound) -> int:
    """Write the round's answers again in a random order under fresh random keys, so neither
    their keys nor where the database stored them follow the order they came in."""
    answers = list(SurveyAnswer.objects.filter(survey_round=locked))
    _shuffler.shuffle(answers)
    SurveyAnswer.objects.filter(survey_round=locked).delete()
    for item in answers:
        item.id = uuid.uuid4()
    SurveyAnswer.objects.bulk_create(answers)
    return len(answers)


def move(actor: User, survey_round: SurveyRound, target: str) -> SurveyRound:
    """The reviewer closes an open round (no more answers) or publishes a closed one."""
    if not access.can_manage(actor):
        raise PermissionDenied("Only the independent reviewer closes or publishes a survey.")
    if target not in lifecycle.MOVES:
        raise ValidationError({"__all__": "Choose whether to close or publish the survey"})
    status = lifecycle.MOVES[target]
    with transaction.atomic():
        locked = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        problems = lifecycle.problems(locked, status)
        if problems:
            raise ValidationError(problems)
        before = locked.status
        transition = lifecycle.transition(locked, status)
        changes: dict[str, object] = {"status": {"from": before, "to": locked.status}}
        if status is SurveyRound.Status.CLOSED:
            changes["answers"] = _reshuffle(locked)
            locked.closed_at = timezone.now()
        else:
            locked.published_at = timezone.now()
        locked.save()
        record(actor, transition.action, locked, changes)
    return locked


@dataclass(frozen=True)
class QuestionResult:
    question: str
    counts: tuple[int, ...]
    """How many answered each option, strongly disagree first."""

    @property
    def agreeing(self) -> int:
        return self.counts[3] + self.counts[4]


@dataclass(frozen=True)
class Results:
    respondents: int
    asked: int
    shown: bool
    """Whether the counts and quotes are shown: published, from five answers."""
    questions: tuple[QuestionResult, ...]
    quotes: tuple[str, ...]
    free_text: tuple[str, ...]
    """Every answer's comments: only for the independent reviewer, once closed."""


def results(user: Visitor, survey_round: SurveyRound) -> Results:
    """What ``user`` may see of the round's answers."""
    answers = list(SurveyAnswer.objects.filter(survey_round=survey_round).order_by("id"))
    shown = access.shows_results(survey_round, len(answers))
    questions: tuple[QuestionResult, ...] = ()
    quotes: tuple[str, ...] = ()
    if shown:
        questions = tuple(
            QuestionResult(
                question,
                tuple(
                    sum(1 for a in answers if getattr(a, field) == choice.value)
                    for choice in Agreement
                ),
            )
            for field, question in QUESTIONS
        )
        quotes = tuple(a.comments for a in answers if a.may_quote and a.comments)
    free_text: tuple[str, ...] = ()
    if access.sees_free_text(user, survey_round):
        free_text = tuple(a.comments for a in answers if a.comments)
    return Results(
        respondents=len(answers),
        asked=access.eligible_organisations(survey_round).count(),
        shown=shown,
        questions=questions,
        quotes=quotes,
        free_text=free_text,
    )


def to_answer(user: Visitor) -> list[tuple[SurveyRound, Organisation]]:
    """The open rounds ``user`` may still answer, each with the organisation it would answer for
    (one row per organisation that has not answered yet)."""
    rows: list[tuple[SurveyRound, Organisation]] = []
    if not speaks_for(user):
        return rows
    for survey_round in SurveyRound.objects.filter(status=SurveyRound.Status.OPEN).select_related(
        "prime"
    ):
        for organisation in access.answers_for(user, survey_round):
            if not has_answered(survey_round, organisation):
                rows.append((survey_round, organisation))
    return rows


def has_answered(survey_round: SurveyRound, organisation: Organisation) -> bool:
    return SurveyRespondent.objects.filter(
        survey_round=survey_round, organisation=organisation
    ).exists()
