"""Asking, answering and closing clarification questions (PRO-4), with the automatic deadline
extension when an answer is published late (PRO-3).

Each function is one user action: one transaction, with its audit record
(:func:`commissioning.audit.services.record`) and notifications inside it. The asker's identity
never goes into anything public: audit entries name a question by its number, notifications to
interest holders carry the published wording only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.audit.versions import check_version
from commissioning.clarifications import access, lifecycle, naming
from commissioning.clarifications.models import Question
from commissioning.clarifications.timing import due_date, long_date
from commissioning.directory.models import Organisation
from commissioning.notifications.services import notify
from commissioning.permissions import approved_members
from commissioning.procurement import services as procurement
from commissioning.procurement.models import DateChange, Lot, Opportunity

MAX_TEXT = 5000


def _label(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{long_date(local.date())} at {local:%H:%M}"


def _required(value: str | None, field: str, noun: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: missing})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: f"{noun} must be {MAX_TEXT} characters or fewer"})
    return value


def asking_problem(opportunity: Opportunity, now: datetime | None = None) -> str | None:
    """Why questions cannot be asked now (by the server's clock), or None when they can."""
    now = now or timezone.now()
    if not procurement.is_open_for_bids(opportunity, now):
        return "Questions can only be asked while the opportunity is open for bids."
    deadline = opportunity.question_deadline
    if deadline is not None and now >= deadline:
        return f"The deadline for questions was {_label(deadline)}."
    return None


def ask_question(
    actor: User,
    opportunity: Opportunity,
    *,
    text: str,
    organisation: Organisation | None = None,
    lot: Lot | None = None,
    now: datetime | None = None,
    submission_key: str = "",
) -> Question:
    """A provider asks a question (optionally about one lot); the answer is due
    ``response_working_days`` working days later (England & Wales bank holidays excluded).
    Sent again with the same ``submission_key`` (a double submit, two tabs, an API retry), it
    returns the question already asked instead of asking it twice (issue 11 item 25)."""
    now = now or timezone.now()
    organisations = access.asking_organisations(actor)
    if not access.can_ask(actor, opportunity):
        raise PermissionDenied("Only approved members of a provider organisation can ask.")
    if organisation is None and len(organisations) == 1:
        organisation = organisations[0]
    if organisation is None or organisation not in organisations:
        raise ValidationError({"organisation": "Select the organisation you are asking for"})
    if lot is not None and lot.opportunity_id != opportunity.pk:
        raise ValidationError({"lot": "Select a lot of this opportunity"})
    text = _required(text, "text", "Your question", "Enter your question")
    key = idempotency.clean_key(submission_key)

    def asked_before() -> Question | None:
        if not key:
            return None
        return Question.objects.filter(asked_by=actor, submission_key=key).first()

    question, _ = idempotency.create_once(
        asked_before, lambda: _ask(actor, opportunity, organisation, lot, text, now, key)
    )
    return question


def _ask(
    actor: User,
    opportunity: Opportunity,
    organisation: Organisation,
    lot: Lot | None,
    text: str,
    now: datetime,
    key: str,
) -> Question:
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        problem = asking_problem(locked, now)
        if problem:
            raise ValidationError({"text": problem})
        last = locked.questions.aggregate(last=Max("number"))["last"] or 0
        days = locked.response_working_days
        question = Question.objects.create(
            opportunity=locked,
            number=last + 1,
            lot=lot,
            asked_by=actor,
            asker_organisation=organisation,
            original_text=text,
            text=text,
            asked_at=now,
            response_working_days=days,
            due_on=due_date(now, days),
            submission_key=key,
        )
        record(
            actor,
            "clarification.ask",
            question,
            {
                "lot": {"from": None, "to": str(lot) if lot else None},
                "due_on": {"from": None, "to": question.due_on.isoformat()},
            },
        )
        notify(
            _commissioners(locked),
            subject=f"New question on {locked.reference}: answer due by "
            f"{long_date(question.due_on)}",
            body=f"{organisation.name} asked question {question.number} on "
            f"{locked.reference}, “{locked.title}”:\n\n{text}\n\n"
            f"The guaranteed response time is {days} working days: answer by "
            f"{long_date(question.due_on)}.",
            url=question_url(question),
            kind="clarifications.asked",
        )
    return question


def _commissioners(opportunity: Opportunity) -> list[User]:
    body_members = approved_members([opportunity.exercise.commissioning_body_id])
    return list(body_members.filter(role=User.Role.COMMISSIONER))


def question_url(question: Question) -> str:
    from django.urls import reverse

    base = reverse("clarifications:list", args=[question.opportunity.reference])
    return f"{base}#question-{question.number}"


def _check_manager(actor: User, question: Question) -> None:
    if not access.can_answer(actor, question.opportunity):
        raise PermissionDenied("Only the commissioners of this opportunity can do that.")


@dataclass(frozen=True)
class Published:
    question: Question
    date_changes: list[DateChange]


def publish_answer(
    actor: User,
    question: Question,
    *,
    answer: str,
    text: str | None,
    names_confirmed: bool = False,
    now: datetime | None = None,
) -> Published:
    """Publish the question in the wording the commissioner wrote (``text``: never taken from
    the original as asked) with its answer to everyone, notify every interest holder and the
    asker, and let the timeline policy move the bid deadline when the answer came late (PRO-3):
    the DateChange joins the public change log. Wording that names a registered organisation or
    person goes out only with ``names_confirmed`` (PRO-4: the asker is never identified unless
    they chose to be)."""
    now = now or timezone.now()
    _check_manager(actor, question)
    answer = _required(answer, "answer", "The answer", "Enter the answer")
    wording, names = _published_wording(question, text, names_confirmed)
    with transaction.atomic():
        locked = (
            Question.objects.select_for_update().select_related("opportunity").get(pk=question.pk)
        )
        before = {"text": locked.text, "status": locked.status}
        transition = lifecycle.move(
            locked,
            Question.Status.ANSWERED,
            field="answer",
            text=wording,
            answer=answer,
            answered_at=now,
            answered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        changes = {
            key: {"from": before[key], "to": getattr(locked, key)}
            for key in before
            if before[key] != getattr(locked, key)
        }
        changes["answer"] = {"from": "", "to": answer}
        if names:
            changes["names_confirmed"] = {"from": None, "to": names}
        record(actor, transition.action, locked, changes)
        opportunity = locked.opportunity
        recipients = [*procurement.interest_holders(opportunity), locked.asked_by]
        lot = f" (about {locked.lot})" if locked.lot_id else ""
        notify(
            recipients,
            subject=f"Question answered: {opportunity.reference} {opportunity.title}",
            body=f"Question {locked.number}{lot}:\n{wording}\n\nAnswer:\n{answer}",
            url=question_url(locked),
            kind="clarifications.answered",
        )
        date_changes = procurement.answer_published(opportunity, now, now=now)
    _copy(question, locked)
    return Published(question, date_changes)


def _published_wording(
    question: Question, text: str | None, names_confirmed: bool
) -> tuple[str, list[str]]:
    """The wording as the commissioner wrote it and the registered names it contains; refused
    while those names are not confirmed (PRO-4)."""
    wording = _required(text, "text", "The question", "Write the question as it will be published")
    names = naming.registered_names(question, wording)
    if names and not names_confirmed:
        raise ValidationError({"text": unconfirmed_names_message(names)})
    return wording, names


def unconfirmed_names_message(names: list[str]) -> str:
    listed = ", ".join(names)
    return (
        f"The question names {listed}, registered on this platform. Take "
        f"{'the name' if len(names) == 1 else 'the names'} out, or confirm that the asker "
        "chose to be named"
    )


def edit_published_text(
    actor: User,
    question: Question,
    *,
    text: str,
    names_confirmed: bool = False,
    now: datetime | None = None,
    version: str | None = None,
) -> Question:
    """Change the published wording (to anonymise it); the original stays for commissioners.
    The same naming check as publishing applies (PRO-4). A change saved since ``version``
    raises ``StaleEdit`` (issue 13)."""
    _check_manager(actor, question)
    text, names = _published_wording(question, text, names_confirmed)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        check_version(locked, version)
        if locked.text == text:
            return locked
        changes: dict[str, Any] = {"text": {"from": locked.text, "to": text}}
        if names:
            changes["names_confirmed"] = {"from": None, "to": names}
        record(actor, "clarification.edit", locked, changes)
        locked.text = text
        locked.save(update_fields=["text"])
    _copy(question, locked)
    return question


CLOSING = lifecycle.CLOSING


def close_question(
    actor: User,
    question: Question,
    *,
    outcome: str,
    reason: str,
    duplicate_of: Question | None = None,
    now: datetime | None = None,
) -> Question:
    """Mark an unanswered question withdrawn or a duplicate (of another question), with a
    reason that is published in place of an answer."""
    now = now or timezone.now()
    _check_manager(actor, question)
    if outcome not in CLOSING:
        raise ValidationError({"outcome": "Select withdrawn or duplicate"})
    reason = _required(reason, "reason", "The reason", "Enter the reason")
    if outcome == Question.Status.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": "Select the question this one duplicates"})
        if duplicate_of.opportunity_id != question.opportunity_id or duplicate_of.pk == question.pk:
            raise ValidationError({"duplicate_of": "Select another question on this opportunity"})
    else:
        duplicate_of = None
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        transition = lifecycle.move(
            locked,
            outcome,
            field="outcome",
            closed_reason=reason,
            duplicate_of=duplicate_of,
            closed_at=now,
        )
        record(
            actor,
            transition.action,
            locked,
            {
                "status": {"from": Question.Status.AWAITING, "to": outcome},
                "reason": {"from": "", "to": reason},
                **(
                    {"duplicate_of": {"from": None, "to": duplicate_of.number}}
                    if duplicate_of
                    else {}
                ),
            },
        )
    _copy(question, locked)
    return question


def _copy(target: Question, source: Question) -> None:
    if target is source:
        return
    for field in Question._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
