"""Consultations, their questions and their "you said, we did" summary (CYC-2, USR-1).

Each function is one user action: one transaction with its audit record. Callers check
:mod:`.access` first; these functions enforce the lifecycle rules (drafts are edited, published
consultations are not; a summary is published once the consultation has closed).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import created, diff, record, snapshot
from commissioning.audit.versions import check_version
from commissioning.engagement import rules, signals
from commissioning.engagement.models import Consultation, MarketEvent, Question, SummaryTheme
from commissioning.exercises.models import CommissioningExercise

CONSULTATION_FIELDS = ("title", "purpose", "opens_at", "closes_at", "cohorts")


class EngagementError(Exception):
    """An action the lifecycle does not allow; ``problems`` says why, for the page."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def _dates(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "purpose": data["purpose"],
        "opens_at": rules.opening_moment(data["opens_on"]),
        "closes_at": rules.closing_moment(data["closes_on"]),
    }


def create_consultation(
    actor: User, exercise: CommissioningExercise, data: dict[str, Any]
) -> Consultation:
    """A draft consultation; the form sent twice creates one (issue 11 item 25)."""

    def create(key: str) -> Consultation:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                exercise=exercise, created_by=actor, submission_key=key, **_dates(data)
            )
            set_people_served(consultation, data)
            record(
                actor,
                "consultation.create",
                consultation,
                created(snapshot(consultation, CONSULTATION_FIELDS)),
            )
        return consultation

    return idempotency.create_keyed(exercise.consultations.all(), data, create)


def set_people_served(item: Consultation | MarketEvent, data: dict[str, Any]) -> None:
    """The groups of people a consultation or event is about, when the form gave them: alerts
    for a group match on these (PRO-6)."""
    if "cohorts" in data:
        item.cohorts.set(data["cohorts"] or [])


def _require_draft(consultation: Consultation) -> None:
    if not consultation.is_draft:
        raise EngagementError("A published consultation cannot be changed")


def update_consultation(actor: User, consultation: Consultation, data: dict[str, Any]) -> None:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_draft(consultation)
        check_version(consultation, data.get("version"))
        before = snapshot(consultation, CONSULTATION_FIELDS)
        for field, value in _dates(data).items():
            setattr(consultation, field, value)
        consultation.save()
        set_people_served(consultation, data)
        record(
            actor,
            "consultation.update",
            consultation,
            diff(before, snapshot(consultation, CONSULTATION_FIELDS)),
        )


def add_question(actor: User, consultation: Consultation, data: dict[str, Any]) -> Question:
    """The question goes last; the form sent twice adds it once (issue 11 item 25)."""

    def add(key: str) -> Question:
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            _require_draft(locked)
            last = locked.questions.aggregate(last=Max("position"))["last"] or 0
            question = locked.questions.create(
                position=last + 1,
                text=data["text"],
                hint=data["hint"],
                choices=data["choices"],
                submission_key=key,
            )
            record(
                actor,
                "consultation.question.add",
                locked,
                {"question": question.text, "choices": question.choices},
            )
        return question

    return idempotency.create_keyed(consultation.questions.all(), data, add)


def remove_question(actor: User, consultation: Consultation, question_id: int) -> None:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_draft(consultation)
        question = consultation.questions.get(pk=question_id)
        text = question.text
        question.delete()
        record(actor, "consultation.question.remove", consultation, {"question": text})


def publish_consultation(actor: User, consultation: Consultation) -> None:
    """Publish a draft: it then opens and closes by its dates (CYC-2)."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_draft(consultation)
        now = timezone.now()
        problems = rules.publish_problems(
            consultation.questions.count(), consultation.closes_at, now
        )
        if problems:
            raise EngagementError(*problems)
        consultation.published_at = now
        consultation.save(update_fields=["published_at"])
        record(actor, "consultation.publish", consultation, {"published_at": now.isoformat()})
        signals.consultation_published.send(sender=Consultation, consultation=consultation)


def _require_summary_editable(consultation: Consultation) -> None:
    if consultation.is_draft:
        raise EngagementError("Publish the consultation before writing its summary")
    if consultation.summary_published_at is not None:
        raise EngagementError("The summary has been published and cannot be changed")


def add_theme(actor: User, consultation: Consultation, data: dict[str, Any]) -> SummaryTheme:
    """The theme goes last; the form sent twice adds it once (issue 11 item 25)."""

    def add(key: str) -> SummaryTheme:
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            _require_summary_editable(locked)
            last = locked.themes.aggregate(last=Max("position"))["last"] or 0
            theme = locked.themes.create(
                position=last + 1,
                you_said=data["you_said"],
                we_did=data["we_did"],
                submission_key=key,
            )
            record(
                actor,
                "consultation.summary.theme.add",
                locked,
                {"you_said": theme.you_said, "we_did": theme.we_did},
            )
        return theme

    return idempotency.create_keyed(consultation.themes.all(), data, add)


def remove_theme(actor: User, consultation: Consultation, theme_id: int) -> None:
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_summary_editable(consultation)
        theme = consultation.themes.get(pk=theme_id)
        said = theme.you_said
        theme.delete()
        record(actor, "consultation.summary.theme.remove", consultation, {"you_said": said})


def summary_problems(consultation: Consultation) -> list[str]:
    problems = []
    if consultation.state() is not rules.State.CLOSED:
        problems.append("The consultation must close before its summary is published")
    if not consultation.themes.exists():
        problems.append("Add at least one “you said, we did” theme")
    return problems


def publish_summary(actor: User, consultation: Consultation, intro: str) -> None:
    """Publish the "you said, we did" summary to everyone at once (CYC-2)."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_summary_editable(consultation)
        problems = summary_problems(consultation)
        if problems:
            raise EngagementError(*problems)
        now = timezone.now()
        consultation.summary_intro = intro
        consultation.summary_published_at = now
        consultation.save(update_fields=["summary_intro", "summary_published_at"])
        record(
            actor,
            "consultation.summary.publish",
            consultation,
            {"themes": consultation.themes.count(), "published_at": now.isoformat()},
        )


def close_early(actor: User, consultation: Consultation, note: str) -> None:
    """Close a published consultation now, with a public note saying why: the commissioner's
    way to end the engagement before the tender is published (CYC-3). The closing moment becomes
    now, so every page and the market engagement notice end the engagement here."""
    note = (note or "").strip()
    if not note:
        raise EngagementError("Explain why the consultation is closing early; it is published")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        if consultation.is_draft:
            raise EngagementError("A draft consultation has not opened: there is nothing to close")
        if consultation.state(now) is rules.State.CLOSED:
            raise EngagementError("This consultation has already closed")
        before = {"opens_at": consultation.opens_at, "closes_at": consultation.closes_at}
        consultation.opens_at = min(consultation.opens_at, now)
        consultation.closes_at = now
        consultation.closed_early_at = now
        consultation.closed_early_note = note
        consultation.save()
        record(
            actor,
            "consultation.close_early",
            consultation,
            {
                "closes_at": {
                    "from": before["closes_at"].isoformat(),
                    "to": now.isoformat(),
                },
                "closed_early_note": {"from": "", "to": note},
            },
        )
