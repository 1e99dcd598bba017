"""The grant round service (CYC-6): what views, the API and the demo call. Each function is one
user action: checked, written and audited in one transaction, raising ``PermissionDenied`` or a
``ValidationError`` by field with nothing written.

    create_round → add_criterion / assign_assessor → open_round → save_application /
    submit_application → close_round → declare_interest → score → moderate → decide_round →
    make_agreement → report_monitoring
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.grants import access, lifecycle
from commissioning.grants.models import (
    AssessorScore,
    GrantAgreement,
    GrantApplication,
    GrantCriterion,
    GrantRound,
    Instalment,
    InterestDeclaration,
    ModeratedGrantScore,
    MonitoringReport,
)
from commissioning.notifications.services import notify
from commissioning.supplier_information import services as supplier_information

PENNY = Decimal("0.01")
RoundStatus = GrantRound.Status
AppStatus = GrantApplication.Status
SHORT_FIELDS = ("title", "activity", "beneficiaries", "amount_requested", "difference")
LONG_FIELDS = ("budget_breakdown", "delivery_plan", "risks")


def money(value: Any, field: str) -> Decimal:
    """Pounds and pence from what was typed or sent, quantised once (half up)."""
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Enter an amount in pounds, like 4500 or 4500.50"}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: "Enter an amount greater than £0"})
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _locked_round(grant_round: GrantRound) -> GrantRound:
    return GrantRound.objects.select_for_update().select_related("exercise").get(pk=grant_round.pk)


def _require_manager(actor: User, grant_round: GrantRound) -> None:
    if not access.can_manage_round(actor, grant_round):
        raise PermissionDenied("Only the round's commissioners can do this.")


# --- The call --------------------------------------------------------------------------------


def next_reference(exercise: CommissioningExercise, contract: Any = None) -> str:
    if contract is not None:
        count = GrantRound.objects.filter(contract=contract).count()
        return f"{contract.reference}-SG{count + 1}"
    count = GrantRound.objects.filter(exercise=exercise, contract__isnull=True).count()
    return f"{exercise.reference}-G{count + 1}"


def round_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Why the call's figures and dates do not fit together (empty when they do)."""
    refused: dict[str, str] = {}
    for field in ("title", "purpose", "eligibility"):
        if not str(values.get(field, "")).strip():
            refused[field] = {
                "title": "Enter the round's title",
                "purpose": "Enter what the grants are for",
                "eligibility": "Enter who can apply",
            }[field]
    low, high = values.get("minimum_grant"), values.get("maximum_grant")
    available, short = values.get("amount_available"), values.get("short_form_limit")
    if low is not None and high is not None and low > high:
        refused["maximum_grant"] = "The largest grant must be at least the smallest grant"
    if high is not None and available is not None and high > available:
        refused["maximum_grant"] = "The largest grant cannot be more than the amount available"
    if short is not None and low is not None and short < low:
        refused["short_form_limit"] = "The short-form limit must be at least the smallest grant"
    opens, closes, decision = (
        values.get("opens_on"),
        values.get("closes_on"),
        values.get("decision_by"),
    )
    if opens and closes and closes <= opens:
        refused["closes_on"] = "The closing date must be after the opening date"
    if closes and decision and decision < closes:
        refused["decision_by"] = "The decision date must be on or after the closing date"
    return refused


def create_round(
    actor: User,
    exercise: CommissioningExercise,
    *,
    title: str,
    purpose: str,
    eligibility: str,
    amount_available: Any,
    minimum_grant: Any,
    maximum_grant: Any,
    short_form_limit: Any,
    opens_on: date,
    closes_on: date,
    decision_by: date,
    criteria: Sequence[tuple[str, str]] = (),
    is_synthetic: bool = False,
    contract: Any = None,
) -> GrantRound:
    """A draft grant round under ``exercise`` with its published criteria (title, what it
    looks for). With ``contract``, the prime's small-grants pot inside that contract (the
    exercise is the contract's): run by the prime, reference ``<contract ref>-SG<n>``."""
    if contract is not None:
        if not access.can_run_pot(actor, contract.prime_id):
            raise PermissionDenied("Only the prime's members can run a small-grants pot.")
    elif not access.can_create_round(actor, exercise):
        raise PermissionDenied("Only the exercise's commissioners can run a grant round.")
    errors: dict[str, str] = {}
    amounts: dict[str, Decimal] = {}
    for field, value in (
        ("amount_available", amount_available),
        ("minimum_grant", minimum_grant),
        ("maximum_grant", maximum_grant),
        ("short_form_limit", short_form_limit),
    ):
        try:
            amounts[field] = money(value, field)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    values = {
        "title": title,
        "purpose": purpose,
        "eligibility": eligibility,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "decision_by": decision_by,
        **amounts,
    }
    errors = {**round_problems(values), **errors}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant_round = GrantRound.objects.create(
            reference=next_reference(exercise, contract),
            exercise=exercise,
            contract=contract,
            title=title.strip(),
            purpose=purpose.strip(),
            eligibility=eligibility.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            decision_by=decision_by,
            created_by=actor,
            is_synthetic=is_synthetic,
            **amounts,
        )
        for order, (criterion_title, description) in enumerate(criteria, start=1):
            GrantCriterion.objects.create(
                grant_round=grant_round, order=order, title=criterion_title, description=description
            )
        record(actor, "grant_round.create", grant_round, {"reference": grant_round.reference})
    return grant_round


def add_criterion(
    actor: User, grant_round: GrantRound, title: str, description: str = "", max_score: int = 4
) -> GrantCriterion:
    _require_manager(actor, grant_round)
    if grant_round.status != RoundStatus.DRAFT:
        raise ValidationError({"title": "The criteria are fixed once the call is published"})
    if not title.strip():
        raise ValidationError({"title": "Enter the criterion"})
    with transaction.atomic():
        order = grant_round.criteria.count() + 1
        criterion = GrantCriterion.objects.create(
            grant_round=grant_round,
            order=order,
            title=title.strip(),
            description=description.strip(),
            max_score=max_score,
        )
        record(actor, "grant_round.add_criterion", grant_round, {"criterion": criterion.title})
    return criterion


def assignable_assessors(grant_round: GrantRound) -> QuerySet[User]:
    if grant_round.contract is not None:
        return permissions.approved_members([grant_round.contract.prime_id])
    return permissions.approved_members([grant_round.exercise.commissioning_body_id]).filter(
        role__in=access.ASSESSOR_ROLES
    )


def assign_assessor(actor: User, grant_round: GrantRound, assessor: User) -> None:
    """Put ``assessor`` (a commissioner or evaluator of the body) on the round's panel."""
    _require_manager(actor, grant_round)
    if not access.may_be_assessor(assessor, grant_round):
        raise ValidationError(
            {"assessor": "Choose a commissioner or evaluator of the commissioning body"}
        )
    if grant_round.status == RoundStatus.DECIDED:
        raise ValidationError({"assessor": "The round is decided: its panel is fixed"})
    with transaction.atomic():
        grant_round.assessors.add(assessor)
        record(actor, "grant_round.assign_assessor", grant_round, {"assessor": assessor.pk})


def open_round(actor: User, grant_round: GrantRound) -> GrantRound:
    """Publish the call: it needs criteria to be scored against and a panel to score."""
    _require_manager(actor, grant_round)
    with transaction.atomic():
        locked = _locked_round(grant_round)
        if locked.status == RoundStatus.DRAFT:
            if not locked.criteria.exists():
                raise ValidationError({"status": "Add the criteria applications are scored on"})
            if not locked.assessors.exists():
                raise ValidationError({"status": "Choose at least one assessor for the panel"})
        move = lifecycle.move_round(locked, RoundStatus.OPEN)
        record(actor, move.action, locked, {"status": {"from": "draft", "to": "open"}})
    grant_round.refresh_from_db(fields=["status"])
    return grant_round


def close_round(actor: User, grant_round: GrantRound) -> GrantRound:
    _require_manager(actor, grant_round)
    with transaction.atomic():
        locked = _locked_round(grant_round)
        move = lifecycle.move_round(locked, RoundStatus.CLOSED)
        record(actor, move.action, locked, {"status": {"from": "open", "to": "closed"}})
    grant_round.refresh_from_db(fields=["status"])
    return grant_round


def open_rounds() -> QuerySet[GrantRound]:
    return GrantRound.objects.exclude(status=RoundStatus.DRAFT).select_related(
        "exercise", "exercise__commissioning_body", "contract__prime"
    )


# --- Applying --------------------------------------------------------------------------------


def needs_long_form(grant_round: GrantRound, amount: Decimal | None) -> bool:
    """Only applications for more than the round's short-form limit answer the longer form."""
    return amount is not None and amount > grant_round.short_form_limit


def application_problems(
    grant_round: GrantRound, values: Mapping[str, Any], *, submitting: bool
) -> dict[str, str]:
    refused: dict[str, str] = {}
    amount = values.get("amount_requested")
    if not str(values.get("title", "")).strip():
        refused["title"] = "Give your project a short name"
    if amount is not None:
        if amount < grant_round.minimum_grant:
            refused["amount_requested"] = (
                f"The smallest grant in this round is £{grant_round.minimum_grant:,}"
            )
        elif amount > grant_round.maximum_grant:
            refused["amount_requested"] = (
                f"The largest grant in this round is £{grant_round.maximum_grant:,}"
            )
    if not submitting:
        return refused
    messages = {
        "activity": "Tell us what you will do with the grant",
        "beneficiaries": "Tell us who the grant will help",
        "amount_requested": "Enter how much you are asking for",
        "difference": "Tell us what difference the grant will make",
        "budget_breakdown": "Tell us what the money will be spent on",
        "delivery_plan": "Tell us how and when you will do the work",
        "risks": "Tell us what could go wrong and what you would do",
    }
    wanted = list(SHORT_FIELDS[1:])
    if needs_long_form(grant_round, amount):
        wanted += list(LONG_FIELDS)
    for field in wanted:
        if field not in refused and (
            values.get(field) in (None, "") or not str(values[field]).strip()
        ):
            refused[field] = messages[field]
    return refused


def save_application(
    actor: User,
    grant_round: GrantRound,
    organisation: Organisation,
    values: Mapping[str, Any],
    *,
    submit: bool = False,
) -> GrantApplication:
    """Save (and with ``submit``, send) ``organisation``'s application to an open round.
    ``values`` holds the short form's answers (title, activity, beneficiaries, amount_requested,
    difference) and, above the short-form limit, the longer form's (budget_breakdown,
    delivery_plan, risks)."""
    if not access.can_apply_for(actor, organisation):
        raise PermissionDenied("Only approved members of the organisation can apply for it.")
    cleaned: dict[str, Any] = {
        field: str(values.get(field, "") or "").strip() for field in SHORT_FIELDS + LONG_FIELDS
    }
    errors: dict[str, str] = {}
    raw_amount = values.get("amount_requested")
    cleaned["amount_requested"] = None
    if raw_amount not in (None, ""):
        try:
            cleaned["amount_requested"] = money(raw_amount, "amount_requested")
        except ValidationError as error:
            errors["amount_requested"] = error.message_dict["amount_requested"][0]
    with transaction.atomic():
        locked = _locked_round(grant_round)
        if locked.status != RoundStatus.OPEN:
            raise ValidationError({"__all__": "This round is not open for applications"})
        errors = {**application_problems(locked, cleaned, submitting=submit), **errors}
        if errors:
            raise ValidationError(errors)
        if not needs_long_form(locked, cleaned["amount_requested"]):
            for field in LONG_FIELDS:
                cleaned[field] = ""
        application = (
            GrantApplication.objects.select_for_update()
            .filter(grant_round=locked, organisation=organisation)
            .first()
        )
        if locked.contract is not None and organisation.pk == locked.contract.prime_id:
            raise ValidationError(
                {"organisation": "The prime runs this pot: it cannot apply to it"}
            )
        if application is not None and application.status != AppStatus.DRAFT:
            raise ValidationError(
                {"__all__": "Your organisation has already sent an application to this round"}
            )
        if application is None:
            application = GrantApplication(
                grant_round=locked, organisation=organisation, created_by=actor
            )
        for field, value in cleaned.items():
            setattr(application, field, value if value is not None else None)
        if application.amount_requested is None:
            application.amount_requested = Decimal("0.00")
        application.save()
        record(actor, "grant_application.save", application, {"round": locked.reference})
        if submit:
            move = lifecycle.move_application(application, AppStatus.SUBMITTED)
            # Grant applications reuse the organisation's core supplier information (LAW-5), as
            # bids do: the version current now is the one the funder reads.
            version = supplier_information.record_on_submission(application, organisation)
            application.save(update_fields=["supplier_information"])
            record(
                actor,
                move.action,
                application,
                {
                    "status": {"from": "draft", "to": "submitted"},
                    "supplier_information_version": version.number if version else None,
                },
            )
            notify(
                permissions.approved_members([organisation.pk]),
                subject=f"Application sent: {locked.title}",
                body=f"We have received {organisation.name}'s application "
                f"for £{application.amount_requested:,}. You will hear the decision "
                f"by {locked.decision_by:%-d %B %Y}.",
                url=application.get_absolute_url(),
                kind="grants",
            )
    return application


def withdraw_application(actor: User, application: GrantApplication) -> GrantApplication:
    if not access.can_edit_application(actor, application):
        raise PermissionDenied("Only approved members of the organisation can withdraw it.")
    with transaction.atomic():
        locked = GrantApplication.objects.select_for_update().get(pk=application.pk)
        move = lifecycle.move_application(locked, AppStatus.WITHDRAWN)
        record(actor, move.action, locked, {"status": {"to": "withdrawn"}})
    application.refresh_from_db(fields=["status"])
    return application


def applications_of(user: User) -> QuerySet[GrantApplication]:
    """The applications of every organisation ``user`` is an approved member of."""
    return GrantApplication.objects.filter(
        organisation__in=permissions.member_organisations(user)
    ).select_related("grant_round", "organisation")


def submitted_applications(grant_round: GrantRound) -> QuerySet[GrantApplication]:
    return grant_round.applications.exclude(
        status__in=(AppStatus.DRAFT, AppStatus.WITHDRAWN)
    ).select_related("organisation")


# --- Assessing -------------------------------------------------------------------------------


def _require_closed(grant_round: GrantRound) -> None:
    """Read from the database: the round an application carries may be an older copy."""
    grant_round.refresh_from_db(fields=["status"])
    if grant_round.status != RoundStatus.CLOSED:
        raise ValidationError({"__all__": "Applications are assessed once the round has closed"})


def declare_interest(
    actor: User, application: GrantApplication, *, has_conflict: bool, details: str = ""
) -> InterestDeclaration:
    """An assessor's declaration about one application, before scoring it (final once made)."""
    if not access.is_assessor(actor, application.grant_round):
        raise PermissionDenied("Only the round's assessors declare interests.")
    _require_closed(application.grant_round)
    if has_conflict and len(details.strip()) < 10:
        raise ValidationError({"details": "Say what the conflict is, in a sentence"})
    with transaction.atomic():
        if InterestDeclaration.objects.filter(application=application, assessor=actor).exists():
            raise ValidationError({"has_conflict": "You have already declared your interests"})
        declaration = InterestDeclaration.objects.create(
            application=application,
            assessor=actor,
            has_conflict=has_conflict,
            details=details.strip(),
        )
        record(actor, "grant_application.declare", application, {"conflict": has_conflict})
    return declaration


def score(
    actor: User,
    application: GrantApplication,
    criterion: GrantCriterion,
    *,
    value: Any,
    comment: str,
) -> AssessorScore:
    """An assessor's score for one criterion of one application, with the reason for it."""
    if criterion.grant_round_id != application.grant_round_id:
        raise ValidationError({"criterion": "That criterion is not one of this round's"})
    if not access.can_score(actor, application):
        raise PermissionDenied(
            "Only the round's assessors who declared no conflict can score this application."
        )
    _require_closed(application.grant_round)
    errors: dict[str, str] = {}
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= criterion.max_score:
        errors["score"] = f"Choose a score from 0 to {criterion.max_score}"
    if not comment.strip():
        errors["comment"] = "Say why you gave this score"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _ = AssessorScore.objects.update_or_create(
            application=application,
            criterion=criterion,
            assessor=actor,
            defaults={"score": number, "comment": comment.strip()},
        )
        record(actor, "grant_application.score", application, {"criterion": criterion.pk})
    return row


def moderate(
    actor: User,
    application: GrantApplication,
    criterion: GrantCriterion,
    *,
    value: Any,
    note: str,
) -> ModeratedGrantScore:
    """The panel's agreed score for one criterion, with a note saying how it was agreed; only
    after at least one assessor has scored it."""
    _require_manager(actor, application.grant_round)
    _require_closed(application.grant_round)
    if criterion.grant_round_id != application.grant_round_id:
        raise ValidationError({"criterion": "That criterion is not one of this round's"})
    errors: dict[str, str] = {}
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= criterion.max_score:
        errors["score"] = f"Choose a score from 0 to {criterion.max_score}"
    if not note.strip():
        errors["note"] = "Say how the panel agreed this score"
    if not AssessorScore.objects.filter(application=application, criterion=criterion).exists():
        errors["score"] = "No assessor has scored this yet"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _ = ModeratedGrantScore.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={"score": number, "note": note.strip(), "moderated_by": actor},
        )
        record(actor, "grant_application.moderate", application, {"criterion": criterion.pk})
    return row


@dataclass(frozen=True)
class ScoreRow:
    """One application's scores on one criterion: each assessor's, and the agreed one."""

    criterion: GrantCriterion
    scores: list[AssessorScore]
    moderated: ModeratedGrantScore | None


def score_rows(application: GrantApplication) -> list[ScoreRow]:
    scores = list(application.scores.select_related("assessor"))
    agreed = {m.criterion_id: m for m in application.moderated_scores.all()}
    return [
        ScoreRow(
            criterion=criterion,
            scores=[s for s in scores if s.criterion_id == criterion.pk],
            moderated=agreed.get(criterion.pk),
        )
        for criterion in application.grant_round.criteria.all()
    ]


def moderated_total(application: GrantApplication) -> int | None:
    """The application's agreed total, or None while any criterion is unmoderated."""
    rows = list(application.moderated_scores.all())
    if len(rows) != application.grant_round.criteria.count():
        return None
    return sum(row.score for row in rows)


# --- Deciding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What the panel decided for one application: awarded with an amount, or not, and the
    feedback the applicant reads either way."""

    awarded: bool
    feedback: str
    amount: Any = None


def decide_round(
    actor: User, grant_round: GrantRound, decisions: Mapping[int, Decision]
) -> GrantRound:
    """Decide every submitted application at once (keyed by application id), within the amount
    available, and tell every applicant with their feedback."""
    _require_manager(actor, grant_round)
    with transaction.atomic():
        locked = _locked_round(grant_round)
        _require_closed(locked)
        applications = list(
            GrantApplication.objects.select_for_update().filter(
                grant_round=locked, status=AppStatus.SUBMITTED
            )
        )
        errors: dict[str, str] = {}
        amounts: dict[int, Decimal] = {}
        for application in applications:
            key = f"application_{application.pk}"
            decision = decisions.get(application.pk)
            if decision is None:
                errors[key] = f"Decide {application.organisation.name}'s application"
                continue
            if moderated_total(application) is None:
                errors[key] = (
                    f"Moderate every score of {application.organisation.name}'s application first"
                )
            if not decision.feedback.strip():
                errors[f"{key}_feedback"] = f"Write feedback for {application.organisation.name}"
            if decision.awarded:
                try:
                    amount = money(decision.amount, f"{key}_amount")
                except ValidationError as error:
                    errors.update({k: v[0] for k, v in error.message_dict.items()})
                    continue
                if amount > application.amount_requested:
                    errors[f"{key}_amount"] = (
                        f"{application.organisation.name} asked for "
                        f"£{application.amount_requested:,}: award no more than that"
                    )
                amounts[application.pk] = amount
        total = sum(amounts.values(), Decimal("0.00"))
        if total > locked.amount_available:
            errors["__all__"] = (
                f"The awards add up to £{total:,}, more than the £{locked.amount_available:,} "
                "available"
            )
        if errors:
            raise ValidationError(errors)
        for application in applications:
            decision = decisions[application.pk]
            application.feedback = decision.feedback.strip()
            if decision.awarded:
                application.amount_awarded = amounts[application.pk]
                move = lifecycle.move_application(application, AppStatus.AWARDED)
                subject = f"Your grant application was successful: {locked.title}"
                body = (
                    f"{application.organisation.name} has been awarded "
                    f"£{application.amount_awarded:,}. Feedback from the panel: "
                    f"{application.feedback}"
                )
            else:
                move = lifecycle.move_application(application, AppStatus.NOT_AWARDED)
                subject = f"Your grant application was not successful: {locked.title}"
                body = (
                    f"{application.organisation.name}'s application was not funded. "
                    f"The panel's reasons: {application.feedback}"
                )
            record(actor, move.action, application, {"amount": str(application.amount_awarded)})
            notify(
                permissions.approved_members([application.organisation_id]),
                subject=subject,
                body=body,
                url=reverse("grants:application", args=[application.pk]),
                kind="grants",
            )
        move = lifecycle.move_round(locked, RoundStatus.DECIDED)
        record(actor, move.action, locked, {"awarded": str(total)})
    grant_round.refresh_from_db(fields=["status"])
    return grant_round


def awarded_total(grant_round: GrantRound) -> Decimal:
    return sum(
        (a.amount_awarded or Decimal("0.00"))
        for a in grant_round.applications.filter(status=AppStatus.AWARDED)
    ) or Decimal("0.00")


# --- Agreements and monitoring ---------------------------------------------------------------


def make_agreement(
    actor: User,
    application: GrantApplication,
    *,
    starts_on: date,
    ends_on: date,
    instalments: Sequence[tuple[date, Any]],
    monitoring_note: str,
) -> GrantAgreement:
    """The grant agreement for an awarded application, with its payment schedule: the
    instalments (due date, amount) add up to exactly the amount awarded."""
    _require_manager(actor, application.grant_round)
    application.refresh_from_db(fields=["status", "amount_awarded"])
    if application.status != AppStatus.AWARDED or application.amount_awarded is None:
        raise ValidationError({"__all__": "Only an awarded application has a grant agreement"})
    errors: dict[str, str] = {}
    if ends_on <= starts_on:
        errors["ends_on"] = "The agreement must end after it starts"
    if not instalments:
        errors["instalments"] = "Add at least one payment"
    schedule: list[tuple[date, Decimal]] = []
    for number, (due_on, amount) in enumerate(instalments, start=1):
        try:
            schedule.append((due_on, money(amount, "instalments")))
        except ValidationError:
            errors["instalments"] = f"Payment {number}: enter an amount greater than £0"
    total = sum((amount for _, amount in schedule), Decimal("0.00"))
    if schedule and "instalments" not in errors and total != application.amount_awarded:
        errors["instalments"] = (
            f"The payments add up to £{total:,}: they must add up to the "
            f"£{application.amount_awarded:,} awarded"
        )
    if not monitoring_note.strip():
        errors["monitoring_note"] = "Say what the organisation will report, and when"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if GrantAgreement.objects.filter(application=application).exists():
            raise ValidationError({"__all__": "This grant already has an agreement"})
        agreement = GrantAgreement.objects.create(
            application=application,
            amount=application.amount_awarded,
            starts_on=starts_on,
            ends_on=ends_on,
            monitoring_note=monitoring_note.strip(),
            made_by=actor,
        )
        Instalment.objects.bulk_create(
            Instalment(agreement=agreement, due_on=due_on, amount=amount)
            for due_on, amount in schedule
        )
        record(actor, "grant_agreement.make", application, {"amount": str(agreement.amount)})
        notify(
            permissions.approved_members([application.organisation_id]),
            subject=f"Your grant agreement: {application.grant_round.title}",
            body=f"The agreement for £{agreement.amount:,} is ready, paid in "
            f"{len(schedule)} instalments.",
            url=application.get_absolute_url(),
            kind="grants",
        )
    return agreement


def report_monitoring(
    actor: User,
    agreement: GrantAgreement,
    *,
    period_end: date,
    people_helped: Any,
    summary: str,
) -> MonitoringReport:
    """The grant holder's short report: how many people it helped and what happened."""
    if not access.can_edit_application(actor, agreement.application):
        raise PermissionDenied("Only the grant holder's approved members report on it.")
    errors: dict[str, str] = {}
    try:
        people = int(people_helped)
        if people < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["people_helped"] = "Enter how many people the grant helped, as a number"
        people = 0
    if not summary.strip():
        errors["summary"] = "Tell us in a few sentences what the grant paid for"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = MonitoringReport.objects.create(
            agreement=agreement,
            period_end=period_end,
            people_helped=people,
            summary=summary.strip(),
            submitted_by=actor,
        )
        record(actor, "grant_agreement.report", agreement.application, {"people": people})
    return report
