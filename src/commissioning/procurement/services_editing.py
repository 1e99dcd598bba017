"""Writing an opportunity while it is a draft: details, lots, the tiered specification, the
criteria and weights and the timeline (PRO-1, PRO-2, PRO-3, PRO-5, EVA-1).

One transaction and one audit record per action; permission from :mod:`.access`; only drafts
are edited (:func:`.lifecycle.is_editable`) — after publication dates change only with a reason
(:func:`.services_timeline.apply_timeline_change`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.text import slugify

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import created, deleted, diff, record, snapshot
from commissioning.audit.versions import StaleEdit, check_version, lock_and_check
from commissioning.exercises.models import CommissioningExercise
from commissioning.procurement import access
from commissioning.procurement.lifecycle import Status, is_editable
from commissioning.procurement.models import Lot, Opportunity, OutcomePaymentMode, SpecSection
from commissioning.procurement.services_timeline import TIMELINE_FIELDS, timeline_errors
from commissioning_analytics.lots.conditions import AccessibilityParams
from commissioning_analytics.payments import PaymentsFormatError, parse_mechanism

TURNOVER_CAP_MULTIPLE = AccessibilityParams().turnover_cap_multiple
"""A turnover condition above this multiple of the lot's annual value must be justified (PRO-2,
Public Contracts Regulations 2015 reg. 58(9))."""
MISSING_TURNOVER_JUSTIFICATION = (
    "Explain why the turnover condition is more than twice the annual value, or lower it"
)

OUTCOME_PAYMENT_RANGE = "Enter the share of the fee paid on outcomes as a percentage from 0 to 100"
OUTCOME_PAYMENT_PLACES = "Enter the share of the fee paid on outcomes to at most 2 decimal places"
OUTCOME_PAYMENT_MODE = "Choose how the share paid on outcomes is held"

DETAIL_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "consortium_encouraged",
    "response_working_days",
    "contact_name",
    "contact_email",
    "barriers_considered",
    "not_divided_rationale",
    "sme_suitable",
    "vcse_suitable",
    "budget_total",
    "expected_service_users",
    "good_practice_cost_per_user",
    "tupe_information",
    "incumbent_details",
    "outcomes_sought",
    "cohorts",
)
DETAIL_RELATIONS: tuple[str, ...] = ("cohorts",)
"""Details held as many-to-many: set after the opportunity is saved."""
LOT_FIELDS: tuple[str, ...] = (
    "number",
    "title",
    "areas",
    "specialisms",
    "estimated_annual_value",
    "duration_months",
    "payment_model_summary",
    "outcome_payment_percent",
    "outcome_payment_mode",
    "turnover_multiple",
    "turnover_justification",
    "minimum_reserves_months",
    "sme_suitable",
    "vcse_suitable",
)
SECTION_FIELDS: tuple[str, ...] = ("title", "required", "must_have", "ideal", "order")
DEFAULT_SECTIONS: tuple[tuple[str, str, bool], ...] = (
    ("service", "Service description and scope", True),
    ("people", "People using the service and their needs", True),
    ("delivery", "Delivery model, staffing and premises", True),
    ("quality", "Quality, safeguarding and performance", True),
    ("partnership", "Partnership and supply-chain working", False),
)
"""The tiered specification's starting sections (PRO-5); required ones block publication
while blank."""


def _check_manage(actor: User, opportunity: Opportunity) -> None:
    if not access.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied("You cannot change this opportunity.")


def _check_draft(opportunity: Opportunity) -> None:
    if not is_editable(Status(opportunity.status)):
        raise ValidationError(
            "Only a draft can be changed; after publication change dates with a reason or "
            "cancel the opportunity."
        )


def next_reference(year: int) -> str:
    """The next free reference of ``year``: ``OPP-<year>-<NNNN>``."""
    prefix = f"OPP-{year}-"
    highest = (
        Opportunity.objects.filter(reference__regex=rf"^OPP-{year}-[0-9]+$")
        .annotate(number=Cast(Substr("reference", len(prefix) + 1), IntegerField()))
        .aggregate(highest=Max("number"))["highest"]
    )
    return f"{prefix}{(highest or 0) + 1:04d}"


def create_opportunity(
    actor: User, exercise: CommissioningExercise, data: Mapping[str, Any]
) -> Opportunity:
    """A draft opportunity in ``exercise`` with the default specification sections; the form
    sent twice creates one (issue 11 item 25)."""
    if not access.can_create_opportunity(actor, exercise):
        raise PermissionDenied("You cannot create opportunities in this exercise.")
    return idempotency.create_keyed(
        exercise.opportunities.all(),
        data,
        lambda key: _create_opportunity(actor, exercise, data, key),
    )


def _create_opportunity(
    actor: User, exercise: CommissioningExercise, data: Mapping[str, Any], key: str
) -> Opportunity:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x4F50505F524546])
        opportunity = Opportunity(
            exercise=exercise,
            reference=next_reference(timezone.localdate().year),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_synthetic=exercise.is_synthetic,
            submission_key=key,
        )
        _set_details(opportunity, data)
        SpecSection.objects.bulk_create(
            SpecSection(opportunity=opportunity, key=key, title=title, required=req, order=i)
            for i, (key, title, req) in enumerate(DEFAULT_SECTIONS, start=1)
        )
        record(
            actor, "opportunity.create", opportunity, created(snapshot(opportunity, DETAIL_FIELDS))
        )
    return opportunity


def _set_details(opportunity: Opportunity, data: Mapping[str, Any]) -> None:
    """Write the details given in ``data`` and save; the groups of people served too."""
    for name in DETAIL_FIELDS:
        if name in data and name not in DETAIL_RELATIONS:
            setattr(opportunity, name, data[name])
    opportunity.save()
    for name in DETAIL_RELATIONS:
        if name in data:
            getattr(opportunity, name).set(data[name] or [])


def update_details(actor: User, opportunity: Opportunity, data: Mapping[str, Any]) -> Opportunity:
    _check_manage(actor, opportunity)
    _check_draft(opportunity)
    with transaction.atomic():
        lock_and_check(opportunity, data.get("version"))
        before = snapshot(opportunity, DETAIL_FIELDS)
        _set_details(opportunity, data)
        changes = diff(before, snapshot(opportunity, DETAIL_FIELDS))
        if changes:
            record(actor, "opportunity.update", opportunity, changes)
    return opportunity


def turnover_needs_justification(multiple: Any, justification: str) -> bool:
    """True when a turnover condition above twice the annual value has no justification
    (PRO-2): it is refused on saving and blocks publication."""
    return multiple is not None and multiple > TURNOVER_CAP_MULTIPLE and not justification.strip()


def outcome_payment_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a lot's share of the fee paid on outcomes and how it is held (PBR-1):
    the same rule for every way a lot is saved. The share may be left blank on a draft; it is
    required before publication (:func:`.services.publish_problems`)."""
    errors: dict[str, list[str]] = {}
    percent = data.get("outcome_payment_percent")
    if percent is not None:
        try:
            value = Decimal(str(percent))
        except (ArithmeticError, ValueError):
            value = Decimal("NaN")
        if not value.is_finite() or not 0 <= value <= 100:
            errors["outcome_payment_percent"] = [OUTCOME_PAYMENT_RANGE]
        elif value != value.quantize(Decimal("0.01")):
            errors["outcome_payment_percent"] = [OUTCOME_PAYMENT_PLACES]
    mode = data.get("outcome_payment_mode")
    if mode not in (None, "") and mode not in OutcomePaymentMode.values:
        errors["outcome_payment_mode"] = [OUTCOME_PAYMENT_MODE]
    return errors


def save_lot(
    actor: User, opportunity: Opportunity, data: Mapping[str, Any], lot: Lot | None = None
) -> Lot:
    """Add (``lot`` None) or change a lot; lot numbers are unique within the opportunity, and a
    turnover condition above twice the annual value needs its justification (PRO-2). The add
    form sent twice adds one lot (issue 11 item 25)."""
    _check_manage(actor, opportunity)
    _check_draft(opportunity)
    if lot is None:
        return idempotency.create_keyed(
            opportunity.lots.all(),
            data,
            lambda key: _write_lot(actor, opportunity, data, None, key),
        )
    return _write_lot(actor, opportunity, data, lot)


def _write_lot(
    actor: User, opportunity: Opportunity, data: Mapping[str, Any], lot: Lot | None, key: str = ""
) -> Lot:
    if turnover_needs_justification(
        data.get("turnover_multiple"), data.get("turnover_justification") or ""
    ):
        raise ValidationError({"turnover_justification": [MISSING_TURNOVER_JUSTIFICATION]})
    payment_errors = outcome_payment_errors(data)
    if payment_errors:
        raise ValidationError(payment_errors)
    clash = opportunity.lots.filter(number=data["number"])
    if lot is not None:
        clash = clash.exclude(pk=lot.pk)
    if clash.exists():
        raise ValidationError({"number": [f"Lot {data['number']} already exists"]})
    with transaction.atomic():
        target = lot or Lot(opportunity=opportunity, submission_key=key)
        lock_and_check(target, data.get("version"))
        before = snapshot(target, LOT_FIELDS) if lot else {}
        for name in LOT_FIELDS:
            if name not in ("areas", "specialisms") and name in data:
                value = data[name]
                if name == "outcome_payment_mode" and not value:
                    value = OutcomePaymentMode.WITHHELD
                setattr(target, name, value.strip() if isinstance(value, str) else value)
        target.save()
        target.areas.set(data.get("areas") or [])
        target.specialisms.set(data.get("specialisms") or [])
        after = snapshot(target, LOT_FIELDS)
        changes = diff(before, after) if lot else created(after)
        if changes:
            record(actor, "lot.update" if lot else "lot.create", target, changes)
    return target


def delete_lot(actor: User, lot: Lot) -> None:
    _check_manage(actor, lot.opportunity)
    _check_draft(lot.opportunity)
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=lot.opportunity_id)
        if opportunity.planned_notice_at is not None and opportunity.lots.count() <= 1:
            # The published UK3 says what will be bought (issue 11 items 3 and 9).
            raise ValidationError(
                "This is the only lot, and the planned procurement notice already says what "
                "will be bought: change the lot instead of deleting it."
            )
        record(actor, "lot.delete", lot, deleted(snapshot(lot, LOT_FIELDS)))
        lot.delete()


def save_section(
    actor: User,
    opportunity: Opportunity,
    data: Mapping[str, Any],
    section: SpecSection | None = None,
) -> SpecSection:
    """Add (``section`` None; the form sent twice adds one, issue 11 item 25) or change a
    section of the specification."""
    _check_manage(actor, opportunity)
    _check_draft(opportunity)
    if section is None:
        return idempotency.create_keyed(
            opportunity.spec_sections.all(),
            data,
            lambda key: _write_section(actor, opportunity, data, None, key),
        )
    return _write_section(actor, opportunity, data, section)


def _write_section(
    actor: User,
    opportunity: Opportunity,
    data: Mapping[str, Any],
    section: SpecSection | None,
    key: str = "",
) -> SpecSection:
    with transaction.atomic():
        target = section or SpecSection(opportunity=opportunity, submission_key=key)
        if section is None:
            target.key = _free_key(opportunity, data["title"])
            target.order = (opportunity.spec_sections.aggregate(m=Max("order"))["m"] or 0) + 1
        lock_and_check(target, data.get("version"))
        before = snapshot(target, SECTION_FIELDS) if section else {}
        for name in SECTION_FIELDS:
            if name in data and data[name] is not None:
                setattr(target, name, data[name])
        target.save()
        after = snapshot(target, SECTION_FIELDS)
        changes = diff(before, after) if section else created(after)
        if changes:
            record(
                actor, "spec_section.update" if section else "spec_section.create", target, changes
            )
    return target


def _free_key(opportunity: Opportunity, title: str) -> str:
    base = slugify(title)[:40] or "section"
    key, n = base, 1
    while opportunity.spec_sections.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def delete_section(actor: User, section: SpecSection) -> None:
    _check_manage(actor, section.opportunity)
    _check_draft(section.opportunity)
    with transaction.atomic():
        record(actor, "spec_section.delete", section, deleted(snapshot(section, SECTION_FIELDS)))
        section.delete()


def set_draft_timeline(
    actor: User,
    opportunity: Opportunity,
    values: Mapping[str, datetime | None],
    consortium_encouraged: bool | None = None,
    now: datetime | None = None,
    version: str | None = None,
) -> Opportunity:
    """Set a draft's dates, checked against the policy as if it opened ``now`` (PRO-3, PRO-4);
    raises ``ValidationError`` keyed by field, ``StaleEdit`` when the opportunity changed since
    ``version`` (issue 13)."""
    _check_manage(actor, opportunity)
    _check_draft(opportunity)
    errors = timeline_errors(opportunity, values, now=now, consortium=consortium_encouraged)
    if errors:
        raise ValidationError(errors)
    fields = [*TIMELINE_FIELDS]
    if consortium_encouraged is not None:
        fields.append("consortium_encouraged")
    with transaction.atomic():
        lock_and_check(opportunity, version)
        before = snapshot(opportunity, fields)
        for name in TIMELINE_FIELDS:
            setattr(opportunity, name, values[name])
        if consortium_encouraged is not None:
            opportunity.consortium_encouraged = consortium_encouraged
        opportunity.save(update_fields=fields)
        changes = diff(before, snapshot(opportunity, fields))
        if changes:
            record(actor, "opportunity.timeline", opportunity, changes)
    return opportunity


ACTION_LOT_MECHANISM = "lot.mechanism"
MECHANISM_AFTER_PUBLICATION = (
    "The payment mechanism cannot change once the opportunity is published: bids are priced on "
    "it. Cancel the opportunity to tender a different one."
)


class StaleLotMechanism(StaleEdit):
    """The lot's mechanism was saved by someone else after this edit started; nothing was
    saved. Each save is named, not its whole document."""

    def describe(self, event: AuditEvent) -> str:
        return "the payment mechanism"


def lot_mechanism_errors(document: object) -> list[str]:
    """Every problem the core's schema and rules find in ``document`` (PBR-1), as sentences
    naming the field path; empty when it is a valid mechanism."""
    try:
        parse_mechanism(document)
    except PaymentsFormatError as error:
        return [str(problem) for problem in error.errors]
    return []


MONTHS_PER_PERIOD = {
    "month": Fraction(1),
    "four_weeks": Fraction(12, 13),
    "quarter": Fraction(3),
    "year": Fraction(12),
}
PERIOD_WORDS = {
    "month": "months",
    "four_weeks": "four-week periods",
    "quarter": "quarters",
    "year": "years",
}


def lot_term_error(lot: Lot, document: Mapping[str, Any]) -> str | None:
    """Whether the mechanism's term is the lot's duration (issue 15): a mechanism tendered for
    another length would pay for months the contract does not run, or leave some unpaid
    (13 four-week periods make 12 months)."""
    period, periods = document.get("period"), document.get("term_periods")
    if period not in MONTHS_PER_PERIOD or not isinstance(periods, int) or not lot.duration_months:
        return None
    months = MONTHS_PER_PERIOD[period] * periods
    if months == lot.duration_months:
        return None
    shown = str(months) if months.denominator == 1 else f"about {round(months)}"
    wanted = Fraction(lot.duration_months) / MONTHS_PER_PERIOD[period]
    fix = (
        f"make it {wanted} {PERIOD_WORDS[period]}"
        if wanted.denominator == 1
        else "choose periods that fit it"
    )
    return (
        f"The mechanism's term is {periods} {PERIOD_WORDS[period]} ({shown} months), but the "
        f"lot lasts {lot.duration_months} months: {fix}"
    )


def check_lot_mechanism_changeable(actor: User, lot: Lot) -> None:
    """Only the opportunity's commissioners, and only while it is a draft (the rule for every
    lot field): ``PermissionDenied`` or ``ValidationError`` keyed ``mechanism``."""
    _check_manage(actor, lot.opportunity)
    if not is_editable(Status(lot.opportunity.status)):
        raise ValidationError({"mechanism": [MECHANISM_AFTER_PUBLICATION]})


def save_lot_mechanism(
    actor: User, lot: Lot, document: dict[str, Any], version: str | None = None
) -> Lot:
    """Store the lot's tendered payment mechanism (PBR-1, PBR-2, PRO-9): validated against the
    schema like a contract's, refused after publication, one audited transaction. A mechanism
    saved by someone else after ``version`` (the one the edit started from) raises
    :class:`~commissioning.audit.versions.StaleEdit` and nothing is saved; other changes to the
    lot do not conflict with it."""
    check_lot_mechanism_changeable(actor, lot)
    problems = lot_mechanism_errors(document)
    term = lot_term_error(lot, document) if not problems else None
    if term:
        problems = [f"term_periods: {term}"]
    if problems:
        raise ValidationError({"mechanism": problems})
    with transaction.atomic():
        Opportunity.objects.select_for_update().filter(pk=lot.opportunity_id).first()
        locked = Lot.objects.select_for_update().select_related("opportunity").get(pk=lot.pk)
        if not is_editable(Status(locked.opportunity.status)):
            raise ValidationError({"mechanism": [MECHANISM_AFTER_PUBLICATION]})
        try:
            check_version(locked, version, actions=(ACTION_LOT_MECHANISM,))
        except StaleEdit as stale:
            raise StaleLotMechanism(stale.events, stale.version) from None
        before = locked.tendered_mechanism
        if before != document:
            locked.tendered_mechanism = document
            locked.save(update_fields=["tendered_mechanism"])
            record(
                actor,
                ACTION_LOT_MECHANISM,
                locked,
                {"tendered_mechanism": {"from": before, "to": document}},
            )
    lot.tendered_mechanism = document
    return lot
