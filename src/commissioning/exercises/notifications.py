"""Who hears about an exercise's stage change, and what the email says (CYC-1).

The approved members of the commissioning body and of each joint-commissioning partner get one
email each (no one sees the other recipients). Called from the background task in :mod:`.tasks`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone

from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.notifications.links import absolute_url
from commissioning.permissions import approved_members


def stage_change_recipients(exercise: CommissioningExercise) -> list[str]:
    """Email addresses of active, approved members of the body and the partners, each once."""
    organisation_ids = [
        exercise.commissioning_body_id,
        *exercise.partners.values_list("pk", flat=True),
    ]
    emails = approved_members(organisation_ids).exclude(email="").values_list("email", flat=True)
    return sorted(set(emails))


def stage_change_subject(change: StageChange) -> str:
    return f"Exercise {change.exercise.reference} moved to {change.to_stage_label}"


def stage_change_body(change: StageChange) -> str:
    exercise = change.exercise
    changed_on = timezone.localtime(change.changed_at)
    lines = [
        f"The commissioning exercise {exercise.reference}, “{exercise.title}”, "
        f"commissioned by {exercise.commissioning_body.name}, has moved "
        f"from “{change.from_stage_label or 'new'}” to “{change.to_stage_label}”.",
        "",
        f"Date: {changed_on.day} {changed_on:%B %Y}",
    ]
    if change.reason:
        lines += [f"Reason: {change.reason}"]
    lines += ["", f"See the exercise: {absolute_url(exercise.get_absolute_url())}"]
    return "\n".join(lines)


def send_stage_change_emails(stage_change_id: int) -> int:
    """Send one email per recipient; returns how many were sent (0 if the change is gone)."""
    change = (
        StageChange.objects.select_related("exercise__commissioning_body")
        .filter(pk=stage_change_id)
        .first()
    )
    if change is None:
        return 0
    recipients = stage_change_recipients(change.exercise)
    subject, body = stage_change_subject(change), stage_change_body(change)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
