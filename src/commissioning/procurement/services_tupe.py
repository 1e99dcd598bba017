"""Staff expected to transfer under TUPE (PRO-10): the commissioner lists them as anonymised rows
while the opportunity is a draft, and everyone who can see the opportunity sees the estimate of
the liability worked out by :mod:`commissioning_analytics.tupe`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import created, deleted, record, snapshot
from commissioning.procurement.models import Opportunity, TransferringStaff
from commissioning.procurement.services_editing import _check_draft, _check_manage
from commissioning_analytics.tupe import (
    PensionScheme,
    StaffGroup,
    TupeEstimate,
    TupeInputError,
    estimate,
)

STAFF_FIELDS = (
    "role",
    "headcount",
    "annual_salary",
    "weekly_hours",
    "pension",
    "employer_pension_percent",
    "years_of_service",
    "age",
)


def staff_group(row: TransferringStaff) -> StaffGroup:
    """The core's view of one row: the pension rate as a fraction of salary."""
    return StaffGroup(
        role=row.role,
        headcount=row.headcount,
        annual_salary=Decimal(row.annual_salary),
        weekly_hours=Decimal(row.weekly_hours),
        pension=PensionScheme(row.pension),
        employer_pension_rate=Decimal(row.employer_pension_percent) / 100,
        years_of_service=row.years_of_service,
        age=row.age,
    )


def contract_months(opportunity: Opportunity) -> int | None:
    """The contract's length for the estimate: the longest lot's, None before any lot."""
    longest = opportunity.lots.aggregate(m=Max("duration_months"))["m"]
    return int(longest) if longest else None


def tupe_estimate(opportunity: Opportunity) -> TupeEstimate | None:
    """The liability of the opportunity's transferring staff over the contract; None when no
    staff are listed or no lot gives the contract's length yet."""
    rows = list(opportunity.transferring_staff.all())
    months = contract_months(opportunity)
    if not rows or months is None:
        return None
    return estimate([staff_group(row) for row in rows], months)


def add_staff(actor: User, opportunity: Opportunity, data: Mapping[str, Any]) -> TransferringStaff:
    """Add a row to a draft's transferring staff (a form sent twice adds one)."""
    _check_manage(actor, opportunity)
    _check_draft(opportunity)
    return idempotency.create_keyed(
        opportunity.transferring_staff.all(),
        data,
        lambda key: _write_staff(actor, opportunity, data, key),
    )


def _write_staff(
    actor: User, opportunity: Opportunity, data: Mapping[str, Any], key: str
) -> TransferringStaff:
    row = TransferringStaff(opportunity=opportunity, submission_key=key)
    for name in STAFF_FIELDS:
        setattr(row, name, data[name])
    try:
        staff_group(row)
    except TupeInputError as error:
        field, _, message = str(error).partition(": ")
        target = "employer_pension_percent" if field == "employer_pension_rate" else field
        raise ValidationError({target: _FIELD_PROBLEMS.get(target, message)}) from error
    with transaction.atomic():
        top = opportunity.transferring_staff.aggregate(m=Max("order"))["m"] or 0
        row.order = top + 1
        row.save()
        record(actor, "transferring_staff.create", row, created(snapshot(row, STAFF_FIELDS)))
    return row


_FIELD_PROBLEMS = {
    "employer_pension_percent": "Enter 0 for the employer's pension contribution when there "
    "is no pension",
    "years_of_service": "Length of service cannot start before the age of 16",
}


def remove_staff(actor: User, row: TransferringStaff) -> None:
    _check_manage(actor, row.opportunity)
    _check_draft(row.opportunity)
    with transaction.atomic():
        record(actor, "transferring_staff.delete", row, deleted(snapshot(row, STAFF_FIELDS)))
        row.delete()


def tupe_document(opportunity: Opportunity) -> dict[str, Any]:
    """The transferring staff and the estimate for the API (money as decimal strings)."""
    rows = list(opportunity.transferring_staff.all())
    result = tupe_estimate(opportunity)
    return {
        "staff": [
            {
                "role": row.role,
                "headcount": row.headcount,
                "annual_salary": str(row.annual_salary),
                "weekly_hours": str(row.weekly_hours),
                "pension": row.pension,
                "employer_pension_percent": str(row.employer_pension_percent),
                "years_of_service": row.years_of_service,
                "age": row.age,
            }
            for row in rows
        ],
        "estimate": None
        if result is None
        else {
            "contract_months": result.contract_months,
            "annual_cost": str(result.annual_cost),
            "annual_salary": str(result.annual_salary),
            "annual_employer_ni": str(result.annual_employer_ni),
            "annual_employer_pension": str(result.annual_employer_pension),
            "pension_cost_over_contract": str(result.pension_cost_over_contract),
            "redundancy_exposure": str(result.redundancy_exposure),
            "assumptions": list(result.assumptions),
        },
    }
