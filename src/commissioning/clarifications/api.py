"""JSON API for clarification questions (PRO-4), at /api/opportunities/{reference}/questions.

* ``GET`` is public: the summary (guaranteed response time, point of contact, counts, overdue)
  and every question as the public sees it — the published wording and answer once answered,
  otherwise only the dates, the overdue flag and, for closed questions, the reason. Who asked
  and the original wording are never in the API (the commissioners see them on the pages).
* ``POST`` asks a question (an approved member of a provider organisation); ``POST .../answer``
  publishes an answer (the opportunity's commissioners). Both need a signed-in session (401) and
  go through :mod:`commissioning.clarifications.services`, which checks
  :mod:`commissioning.clarifications.access` (403) and validates (400 naming the field).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning import idempotency
from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.clarifications import queries, services
from commissioning.clarifications.models import Question
from commissioning.clarifications.timing import is_overdue
from commissioning.directory.models import Organisation
from commissioning.permissions import signed_in_user
from commissioning.procurement import access as procurement_access
from commissioning.procurement.models import Lot, Opportunity

router = Router(tags=["Clarification questions"])


class QuestionOut(Schema):
    number: int
    lot: int | None = Field(description="The lot's number, when the question is about one lot.")
    status: str = Field(description="awaiting, answered, withdrawn or duplicate")
    asked_at: datetime
    due_on: date = Field(description="The answer is due by this date (UK), PRO-4.")
    overdue: bool = Field(description="Unanswered after its due date, or answered late.")
    text: str | None = Field(description="The published (anonymised) wording, once answered.")
    answer: str | None
    answered_at: datetime | None
    closed_reason: str | None = Field(description="Why a withdrawn or duplicate one was closed.")
    duplicate_of: int | None


class SummaryOut(Schema):
    response_working_days: int = Field(description="The guaranteed response time.")
    contact_name: str = Field(description="The named point of contact.")
    total: int
    answered: int
    awaiting: int
    overdue: int


class QuestionListOut(Page):
    opportunity: str
    summary: SummaryOut
    results: list[QuestionOut]


class AskIn(Schema):
    text: str = Field(description="The question. It is published without your name.")
    organisation: str | None = Field(
        None, description="Slug of the organisation you ask for (needed if you have several)."
    )
    lot: int | None = Field(None, description="The lot's number, if the question is about one.")


class AnswerIn(Schema):
    answer: str
    text: str | None = Field(
        None,
        description="The question as it will be published, in your own words: required; the "
        "wording as asked is never published for you.",
    )
    names_confirmed: bool = Field(
        False,
        description="Wording that names an organisation or person registered on the platform "
        "is refused (400, errors.text lists the names) unless this is true: set it only when "
        "the asker chose to be named or the names do not give the asker away.",
    )


def _opportunity(request: HttpRequest, reference: str) -> Opportunity:
    return procurement_access.visible_opportunity(request.user, reference)


def question_out(question: Question, now: datetime) -> dict[str, Any]:
    """A question as the public sees it."""
    published = question.is_published
    closed = question.status in services.CLOSING
    late = question.status in (Question.Status.AWAITING, Question.Status.ANSWERED) and is_overdue(
        question.due_on, now, question.answered_at
    )
    return {
        "number": question.number,
        "lot": question.lot.number if question.lot else None,
        "status": question.status,
        "asked_at": question.asked_at,
        "due_on": question.due_on,
        "overdue": late,
        "text": question.text if published else None,
        "answer": question.answer if published else None,
        "answered_at": question.answered_at if published else None,
        "closed_reason": question.closed_reason if closed else None,
        "duplicate_of": question.duplicate_of.number if question.duplicate_of else None,
    }


@router.get(
    "/{reference}/questions",
    response={200: QuestionListOut, 404: ErrorOut, 422: ErrorOut},
    summary="Clarification questions and published answers of an opportunity",
    url_name="opportunity_questions",
)
def list_questions(request: HttpRequest, reference: str, pages: Query[PageQuery]) -> Any:
    """Public (a draft only for its commissioners). Newest first, a page at a time; the
    summary counts every question."""
    opportunity = _opportunity(request, reference)
    now = timezone.now()
    summary = queries.summary(opportunity, now)
    page = page_of(queries.questions_of(opportunity), pages)  # never with the asker loaded
    page["results"] = [question_out(q, now) for q in page["results"]]
    return Status(200, {"opportunity": opportunity.reference, "summary": summary.__dict__, **page})


@router.post(
    "/{reference}/questions",
    auth=django_auth,
    response={201: QuestionOut, **WRITE_ERRORS},
    summary="Ask a clarification question",
)
def ask_question(request: HttpRequest, reference: str, payload: AskIn) -> Any:
    """For approved members of a provider organisation while the opportunity is open for bids
    and before its question deadline. The answer is due after the guaranteed response time.
    Send an `Idempotency-Key` header to retry safely: a repeat answers with the question
    already asked."""
    opportunity = _opportunity(request, reference)
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            return error(400, "No such organisation.", {"organisation": ["No such organisation"]})
    lot = None
    if payload.lot is not None:
        lot = Lot.objects.filter(opportunity=opportunity, number=payload.lot).first()
        if lot is None:
            return error(400, "No such lot.", {"lot": ["Select a lot of this opportunity"]})
    question = services.ask_question(
        signed_in_user(request),
        opportunity,
        text=payload.text,
        organisation=organisation,
        lot=lot,
        submission_key=idempotency.header_key(request),
    )
    return Status(201, question_out(question, timezone.now()))


@router.post(
    "/{reference}/questions/{number}/answer",
    auth=django_auth,
    response={200: QuestionOut, **WRITE_ERRORS},
    summary="Publish the answer to a question",
)
def answer_question(request: HttpRequest, reference: str, number: int, payload: AnswerIn) -> Any:
    """For the opportunity's commissioners: publishes the question (in the wording given) and
    its answer to everyone and notifies every interested organisation. A late answer moves the
    bid deadline (PRO-3). The asker is never identified unless they chose to be (PRO-4)."""
    opportunity = _opportunity(request, reference)
    question = (
        Question.objects.select_related("opportunity", "lot")
        .filter(opportunity=opportunity, number=number)
        .first()
    )
    if question is None:
        raise Http404(f"No question {number} on {reference}")
    published = services.publish_answer(
        signed_in_user(request),
        question,
        answer=payload.answer,
        text=payload.text,
        names_confirmed=payload.names_confirmed,
    )
    return Status(200, question_out(published.question, timezone.now()))
