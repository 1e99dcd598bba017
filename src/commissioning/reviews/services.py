"""The review of a commissioning cycle (CYC-4): assembled from the records when the exercise
reaches its review stage, completed and published by its commissioners, and carried into the
next cycle. Each user action is one transaction with its audit record; status is written only by
:mod:`.lifecycle`."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.exercises import services as exercises
from commissioning.exercises.lifecycle import Stage, TransitionError, cycle_number
from commissioning.exercises.models import CommissioningExercise
from commissioning.reviews import access, assembly, lifecycle
from commissioning.reviews.models import ExerciseReview

NEXT_CYCLE_CHOICES = (
    ("restart", "Start the next cycle of this exercise at assess need"),
    ("new", "Open a new exercise for the next cycle"),
)


def current_cycle(exercise: CommissioningExercise) -> int:
    """The cycle ``exercise`` is in: 1, plus one for each restart from review."""
    history = exercise.stage_changes.values_list("from_stage", "to_stage")
    return cycle_number(list(history))


def assemble(
    actor: User, exercise: CommissioningExercise, today: date | None = None
) -> ExerciseReview:
    """Draw (or draw again) the draft review of the exercise's present cycle from the records.
    Refused unless ``actor`` commissions for the body and the exercise is at its review stage;
    a published review is never assembled again."""
    if not access.can_write_review(actor, exercise):
        raise PermissionDenied("Only the exercise's commissioners assemble its review.")
    if exercise.current_stage is not Stage.REVIEW:
        raise ValidationError(
            {"__all__": "The review is assembled when the exercise reaches its review stage."}
        )
    cycle = current_cycle(exercise)
    now = timezone.now()
    sections = assembly.assemble(exercise, today)
    with transaction.atomic():
        review, made = ExerciseReview.objects.select_for_update().get_or_create(
            exercise=exercise,
            cycle=cycle,
            defaults={"sections": sections, "assembled_at": now, "created_by": actor},
        )
        if not made:
            if review.is_published:
                raise ValidationError({"__all__": "A published review is not assembled again."})
            review.sections = sections
            review.assembled_at = now
            review.save(update_fields=["sections", "assembled_at", "updated_at"])
        record(actor, "review.assemble", review, {"cycle": cycle})
    return review


def write(actor: User, review: ExerciseReview, conclusions: str, changes: str) -> ExerciseReview:
    """Save the commissioner's conclusions and what will change on a draft."""
    if not access.can_write_review(actor, review.exercise):
        raise PermissionDenied("Only the exercise's commissioners write its review.")
    with transaction.atomic():
        locked = ExerciseReview.objects.select_for_update().get(pk=review.pk)
        if locked.is_published:
            raise ValidationError({"__all__": "A published review is not changed."})
        locked.conclusions = conclusions.strip()
        locked.changes = changes.strip()
        locked.save(update_fields=["conclusions", "changes", "updated_at"])
        record(actor, "review.write", locked, {"cycle": locked.cycle})
    return locked


def publish(actor: User, review: ExerciseReview, now: datetime | None = None) -> ExerciseReview:
    """Publish the draft; refused with every problem by field, nothing written."""
    if not access.can_write_review(actor, review.exercise):
        raise PermissionDenied("Only the exercise's commissioners publish its review.")
    with transaction.atomic():
        locked = ExerciseReview.objects.select_for_update().get(pk=review.pk)
        move = lifecycle.publish(locked, actor, now or timezone.now())
        record(actor, move.action, locked, {"cycle": locked.cycle})
    return locked


def open_next_cycle(actor: User, review: ExerciseReview, how: str) -> CommissioningExercise:
    """Open the next cycle from a published review, attached to it: either the same exercise
    moves from review back to assess need, or a new exercise is created like it. Both happen in
    one transaction with the attachment, and a review is carried over once."""
    exercise = review.exercise
    if not access.can_write_review(actor, exercise):
        raise PermissionDenied("Only the exercise's commissioners open its next cycle.")
    if how not in dict(NEXT_CYCLE_CHOICES):
        raise ValidationError({"how": "Select how the next cycle opens"})
    with transaction.atomic():
        # Locked first, so two clicks cannot both open a next cycle.
        locked = ExerciseReview.objects.select_for_update().get(pk=review.pk)
        if not locked.is_published:
            raise ValidationError({"__all__": "Publish the review before opening the next cycle."})
        if locked.next_exercise_id is not None:
            raise ValidationError({"__all__": "The next cycle has already been opened."})
        if how == "restart":
            try:
                exercises.change_stage(
                    actor, exercise, Stage.ASSESS_NEED, reason="Next cycle, after the review"
                )
            except TransitionError as problem:
                raise ValidationError({"how": problem.message}) from None
            next_exercise = exercise
        else:
            next_exercise = exercises.create_exercise(actor, like(exercise))
        locked.next_exercise = next_exercise
        locked.carried_over_at = timezone.now()
        locked.save(update_fields=["next_exercise", "carried_over_at", "updated_at"])
        record(
            actor,
            "review.carry_over",
            locked,
            {"cycle": locked.cycle, "next_exercise": next_exercise.reference},
        )
    review.next_exercise = next_exercise
    review.carried_over_at = locked.carried_over_at
    return next_exercise


def like(exercise: CommissioningExercise) -> dict[str, object]:
    """The values of a new exercise for the next cycle of ``exercise``."""
    return {
        "commissioning_body": exercise.commissioning_body,
        "title": exercise.title,
        "tier": exercise.tier,
        "partners": list(exercise.partners.all()),
        "service_area": exercise.service_area,
        "areas": list(exercise.areas.all()),
        "summary": exercise.summary,
        "estimated_annual_value": exercise.estimated_annual_value,
    }
