"""A grant round's and a grant application's status as explicit state machines (CYC-6).

    round:        draft ──open──▶ open ──close──▶ closed ──decide──▶ decided
    application:  draft ──submit──▶ submitted ──award──▶ awarded
                                              └─decline─▶ not awarded
                  draft | submitted ──withdraw──▶ withdrawn

The services check who may act and what the move needs; this module alone writes
``GrantRound.status`` and ``GrantApplication.status`` (tests/unit/test_status_writes.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.grants.models import GrantApplication, GrantRound
from commissioning.transitions import Transition

RoundStatus = GrantRound.Status
AppStatus = GrantApplication.Status

ROUND_TRANSITIONS: dict[tuple[RoundStatus, RoundStatus], Transition] = {
    (RoundStatus.DRAFT, RoundStatus.OPEN): Transition(
        action="grant_round.open",
        guard="The round's commissioners, with at least one criterion and one assessor.",
        effects=("audit grant_round.open", "the call is public"),
    ),
    (RoundStatus.OPEN, RoundStatus.CLOSED): Transition(
        action="grant_round.close",
        guard="The round's commissioners.",
        effects=("audit grant_round.close", "drafts can no longer be submitted"),
    ),
    (RoundStatus.CLOSED, RoundStatus.DECIDED): Transition(
        action="grant_round.decide",
        guard="The round's commissioners, every submitted application moderated and decided.",
        effects=("audit grant_round.decide", "every applicant notified with feedback"),
    ),
}

APPLICATION_TRANSITIONS: dict[tuple[AppStatus, AppStatus], Transition] = {
    (AppStatus.DRAFT, AppStatus.SUBMITTED): Transition(
        action="grant_application.submit",
        guard="An approved member of the applicant, while the round is open.",
        effects=("audit grant_application.submit",),
    ),
    (AppStatus.SUBMITTED, AppStatus.AWARDED): Transition(
        action="grant_application.award",
        guard="Part of the round's decision.",
        effects=("applicant notified with the amount and feedback",),
    ),
    (AppStatus.SUBMITTED, AppStatus.NOT_AWARDED): Transition(
        action="grant_application.decline",
        guard="Part of the round's decision.",
        effects=("applicant notified with the reasons",),
    ),
    (AppStatus.DRAFT, AppStatus.WITHDRAWN): Transition(
        action="grant_application.withdraw",
        guard="An approved member of the applicant.",
    ),
    (AppStatus.SUBMITTED, AppStatus.WITHDRAWN): Transition(
        action="grant_application.withdraw",
        guard="An approved member of the applicant, before the decision.",
    ),
}


def move_round(grant_round: GrantRound, target: RoundStatus) -> Transition:
    """Write the round's new status (the caller holds the row lock and has checked the guard)."""
    move = ROUND_TRANSITIONS.get((RoundStatus(grant_round.status), target))
    if move is None:
        raise ValidationError(
            {
                "status": f"A round that is {grant_round.get_status_display().lower()} "
                f"cannot become {target.label.lower()}."
            }
        )
    grant_round.status = target
    grant_round.save(update_fields=["status", "updated_at"])
    return move


def move_application(application: GrantApplication, target: AppStatus) -> Transition:
    """Write the application's new status, with the time it was submitted or decided."""
    move = APPLICATION_TRANSITIONS.get((AppStatus(application.status), target))
    if move is None:
        raise ValidationError(
            {
                "status": f"An application that is {application.get_status_display().lower()} "
                f"cannot become {target.label.lower()}."
            }
        )
    application.status = target
    fields = ["status", "updated_at"]
    if target is AppStatus.SUBMITTED:
        application.submitted_at = timezone.now()
        fields.append("submitted_at")
    elif target in (AppStatus.AWARDED, AppStatus.NOT_AWARDED):
        application.decided_at = timezone.now()
        fields += ["decided_at", "amount_awarded", "feedback"]
    application.save(update_fields=fields)
    return move


def seed_round_status(grant_round: GrantRound, status: RoundStatus) -> GrantRound:
    """Demo data only: put a synthetic round straight into ``status``."""
    if not grant_round.is_synthetic:
        raise ValueError("Only synthetic demo rounds are seeded into a state")
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)
    grant_round.status = status
    return grant_round
