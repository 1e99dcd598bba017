"""Responding to a consultation (CYC-2, USR-1): all answers saved together or none, refused by
the server's clock outside the consultation's open period. An anonymous response keeps no
name, email or account, and its audit record names no one."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import idempotency
from commissioning.audit.services import record
from commissioning.engagement import rules
from commissioning.engagement.models import Answer, Consultation, Response
from commissioning.engagement.services import EngagementError
from commissioning.permissions import Visitor, is_signed_in


class ConsultationNotOpen(EngagementError):
    """The consultation is not taking responses (not yet open, or closed)."""


def refusal(state: rules.State) -> str:
    if state is rules.State.CLOSED:
        return "This consultation has closed. Responses are no longer accepted."
    return "This consultation is not open for responses."


def submit_response(
    actor: Visitor,
    consultation: Consultation,
    *,
    respondent_type: str,
    organisation: Any,
    anonymous: bool,
    answers: dict[int, str],
    submission_key: str = "",
) -> Response:
    """Save one response with every answer, in one transaction, or raise
    :class:`ConsultationNotOpen`. ``answers`` maps question ids to the choice or text. Sent
    again with the same ``submission_key`` (the form's), it returns the response already
    stored instead of storing it twice (issue 11 item 25)."""
    signed_in = bool(getattr(actor, "is_authenticated", False))
    if organisation is not None and (anonymous or not signed_in):
        raise EngagementError("A response on behalf of an organisation cannot be anonymous")
    key = idempotency.clean_key(submission_key)

    def stored_before() -> Response | None:
        if not key:
            return None
        return Response.objects.filter(consultation=consultation, submission_key=key).first()

    def save() -> Response:
        return _save(actor, consultation, respondent_type, organisation, anonymous, answers, key)

    for _ in range(5):  # a reference clash is astronomically rare; try again if it happens
        try:
            response, _ = idempotency.create_once(stored_before, save)
            return response
        except IntegrityError:
            continue
    raise EngagementError("Your response could not be saved. Try again.")


def _save(
    actor: Visitor,
    consultation: Consultation,
    respondent_type: str,
    organisation: Any,
    anonymous: bool,
    answers: dict[int, str],
    key: str,
) -> Response:
    person = actor if is_signed_in(actor) else None
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        state = consultation.state(now)
        if state is not rules.State.OPEN:
            raise ConsultationNotOpen(refusal(state))
        questions = {q.pk: q for q in consultation.questions.all()}
        if set(answers) != set(questions):
            raise EngagementError("Answer every question of this consultation")
        for pk, value in answers.items():
            if questions[pk].choices and value not in questions[pk].choices:
                raise EngagementError(f"Choose one of the answers to: {questions[pk].text}")
        response = Response.objects.create(
            consultation=consultation,
            reference=rules.new_reference(),
            respondent_type=respondent_type,
            is_anonymous=anonymous,
            user=person if not anonymous else None,
            organisation=organisation,
            submitted_at=now,
            submission_key=key,
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=questions[pk],
                choice=value if questions[pk].choices else "",
                text="" if questions[pk].choices else value,
            )
            for pk, value in answers.items()
        )
        record(
            None if anonymous else actor,
            "consultation.respond",
            response,
            {"reference": response.reference, "respondent_type": respondent_type},
        )
    return response
