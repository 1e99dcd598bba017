"""Reading clarification questions for pages (PRO-4): the public list, the overdue count and
the context of the questions section on the opportunity page (:func:`clarifications_for`).

What the public may see is decided here once: the published wording and answer of answered
questions; for the rest, the date asked, the date due, the overdue flag and, for closed ones,
the reason. The asker and the original wording go only to the body's commissioners.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from commissioning.clarifications import access
from commissioning.clarifications.models import Question
from commissioning.clarifications.services import asking_problem
from commissioning.clarifications.timing import is_overdue, long_date, overdue_label
from commissioning.permissions import Visitor
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import london_date

SECTION_LIMIT = 3
"""How many published answers the opportunity page shows before linking to the full list."""


@dataclass(frozen=True)
class QuestionRow:
    """One question as a given viewer may see it."""

    question: Question
    overdue: bool
    due_label: str
    overdue_label: str
    show_asker: bool
    can_manage: bool

    @property
    def awaiting(self) -> bool:
        return self.question.status == Question.Status.AWAITING

    @property
    def answered_late(self) -> bool:
        return self.overdue and self.question.status == Question.Status.ANSWERED


def questions_of(
    opportunity: Opportunity, user: Visitor | None = None, status: str | None = None
) -> QuerySet[Question]:
    """The questions, newest first; with the asker loaded only for those who may see it."""
    queryset = Question.objects.filter(opportunity=opportunity)
    if status:
        queryset = queryset.filter(status=status)
    related = ["lot", "duplicate_of"]
    if user is not None and access.can_see_asker(user, opportunity):
        related += ["asked_by", "asker_organisation"]
    return queryset.select_related(*related).order_by("-asked_at", "-number")


def overdue_count(opportunity: Opportunity, now: datetime | None = None) -> int:
    """Questions still unanswered after their due date (London time)."""
    today = london_date(now or timezone.now())
    return Question.objects.filter(
        opportunity=opportunity, status=Question.Status.AWAITING, due_on__lt=today
    ).count()


def rows(
    questions: Iterable[Question],
    user: Visitor,
    opportunity: Opportunity,
    now: datetime | None = None,
) -> list[QuestionRow]:
    now = now or timezone.now()
    show_asker = access.can_see_asker(user, opportunity)
    can_manage = access.can_answer(user, opportunity)
    result = []
    for question in questions:
        late = question.status in (
            Question.Status.AWAITING,
            Question.Status.ANSWERED,
        ) and is_overdue(question.due_on, now, question.answered_at)
        result.append(
            QuestionRow(
                question=question,
                overdue=late,
                due_label=long_date(question.due_on),
                overdue_label=overdue_label(question.due_on),
                show_asker=show_asker,
                can_manage=can_manage,
            )
        )
    return result


@dataclass(frozen=True)
class Summary:
    total: int
    answered: int
    awaiting: int
    overdue: int
    response_working_days: int
    contact_name: str


def summary(opportunity: Opportunity, now: datetime | None = None) -> Summary:
    statuses = list(
        Question.objects.filter(opportunity=opportunity).values_list("status", flat=True)
    )
    return Summary(
        total=len(statuses),
        answered=statuses.count(Question.Status.ANSWERED),
        awaiting=statuses.count(Question.Status.AWAITING),
        overdue=overdue_count(opportunity, now),
        response_working_days=opportunity.response_working_days,
        contact_name=opportunity.contact_name,
    )


def ask_state(
    user: Visitor, opportunity: Opportunity, now: datetime | None = None
) -> dict[str, Any]:
    """Whether to offer the "Ask a question" button, and why not when questions are closed."""
    problem = asking_problem(opportunity, now)
    return {
        "can_ask": problem is None and access.can_ask(user, opportunity),
        "asking_closed": problem,
        "question_deadline": opportunity.question_deadline,
    }


def clarifications_for(
    user: Visitor, opportunity: Opportunity, now: datetime | None = None
) -> dict[str, Any]:
    """Context for ``clarifications/opportunity_section.html`` on the opportunity page:
    ``{"clarifications": {...}}`` with the summary (counts, overdue, contact, response time),
    the latest published answers, whether the viewer may ask, and the links."""
    now = now or timezone.now()
    latest = questions_of(opportunity, user, Question.Status.ANSWERED)[:SECTION_LIMIT]
    return {
        "clarifications": {
            "summary": summary(opportunity, now),
            "latest": rows(latest, user, opportunity, now),
            "list_url": reverse("clarifications:list", args=[opportunity.reference]),
            "ask_url": reverse("clarifications:ask", args=[opportunity.reference]),
            "is_draft": opportunity.status == Opportunity.Status.DRAFT,
            **ask_state(user, opportunity, now),
        }
    }
