"""JSON API for supply-chain returns (SUP-1).

* ``GET /api/contracts/{reference}/returns``: the contract's returns; public once submitted (the
  prime and the contract's commissioners also see drafts). Why a line is disputed is given to
  the prime, the commissioners, independent reviewers and that sub-contractor only.
* ``POST .../returns/{quarter}/submit`` (the prime): drafts the quarter from the records if it
  was not yet, then submits it with an optional note per line (``notes``: line id → text).
* ``POST .../returns/{quarter}/lines/{line_id}/answer`` (the line's sub-contractor):
  ``answer`` is ``confirm`` or ``dispute``; a dispute needs a ``reason``.

The same services as the web pages, so the same rules and messages: 403 who, 400 what (by
field, nothing written), 404 a contract or a return you may not see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.permissions import Visitor, signed_in_user
from commissioning.supply_returns import access, presentation, services
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import label_of, parse_quarter

router = Router(tags=["Supply-chain returns"])


class LineOut(Schema):
    id: int
    sub_contractor: str
    sub_contractor_slug: str
    services: str
    referrals_received: int
    referrals_started: int
    referrals_completed: int
    paid_in_quarter: str = Field(description="Pounds, a decimal string.")
    prime_note: str
    status: str = Field(description="draft, awaiting_confirmation, confirmed or disputed")
    answered_on: str = Field(description="ISO date of the sub-contractor's answer, or empty.")
    dispute_reason: str | None = Field(
        description="Given to the prime, the commissioners, independent reviewers and the "
        "sub-contractor itself; null to anyone else."
    )


class ReturnOut(Schema):
    quarter: str = Field(description="Like 2026Q3.")
    label: str
    first_day: date
    last_day: date
    status: str = Field(description="draft or submitted")
    submitted_at: str | None
    is_synthetic: bool
    csv_url: str
    lines: list[LineOut]


class ReturnListOut(Page):
    contract: str
    results: list[ReturnOut]


class SubmitIn(Schema):
    notes: dict[int, str] = Field(
        default_factory=dict, description="The prime's note per line id (each optional)."
    )


class AnswerIn(Schema):
    answer: str = Field(description="confirm or dispute")
    reason: str = Field(default="", description="Why you dispute your line (for a dispute).")


def return_out(user: Visitor, supply_return: SupplyReturn) -> dict[str, Any]:
    return {
        "quarter": supply_return.quarter_code,
        "label": label_of(supply_return.quarter_start),
        "first_day": supply_return.quarter_start,
        "last_day": supply_return.quarter_end,
        "status": supply_return.status,
        "submitted_at": supply_return.submitted_at.isoformat()
        if supply_return.submitted_at
        else None,
        "is_synthetic": supply_return.is_synthetic,
        "csv_url": supply_return.get_absolute_url() + "return.csv",
        "lines": [
            {
                "id": row.pk,
                "sub_contractor": row.organisation,
                "sub_contractor_slug": row.organisation_slug,
                "services": row.services,
                "referrals_received": row.received,
                "referrals_started": row.started,
                "referrals_completed": row.completed,
                "paid_in_quarter": str(row.paid),
                "prime_note": row.note,
                "status": row.status,
                "answered_on": row.answered_on,
                "dispute_reason": row.reason,
            }
            for row in presentation.line_rows(user, supply_return)
        ],
    }


def _contract(reference: str) -> Contract:
    try:
        return contract_services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404(f"No contract {reference}") from None


@router.get(
    "/{reference}/returns",
    response={200: ReturnListOut, 404: ErrorOut, 422: ErrorOut},
    summary="A contract's supply-chain returns",
)
def list_returns(request: HttpRequest, reference: str, pages: Query[PageQuery]) -> Any:
    """Public once submitted, each line with its state; newest quarter first."""
    contract = _contract(reference)
    page = page_of(access.visible_returns(request.user, contract), pages)
    page["results"] = [return_out(request.user, r) for r in page["results"]]
    return Status(200, {"contract": contract.reference, **page})


@router.post(
    "/{reference}/returns/{quarter}/submit",
    auth=django_auth,
    response={200: ReturnOut, **WRITE_ERRORS},
    summary="Submit a quarter's supply-chain return",
)
def submit_return(request: HttpRequest, reference: str, quarter: str, payload: SubmitIn) -> Any:
    """For the prime's members, once the quarter has ended."""
    contract = _contract(reference)
    user = signed_in_user(request)
    if not access.can_submit(user, contract):
        if not access.sees_drafts(user, contract):
            raise Http404("No return for that quarter")
        raise PermissionDenied("Only the prime contractor submits the contract's returns.")
    try:
        start, _ = parse_quarter(quarter)
    except ValueError:
        raise ValidationError({"quarter": "Give the quarter like 2026Q3"}) from None
    drafted = services.draft(contract, start)
    submitted = services.submit(user, drafted, payload.notes)
    return Status(200, return_out(user, submitted))


@router.post(
    "/{reference}/returns/{quarter}/lines/{line_id}/answer",
    auth=django_auth,
    response={200: ReturnOut, **WRITE_ERRORS},
    summary="Confirm or dispute your line of a supply-chain return",
)
def answer_line(
    request: HttpRequest, reference: str, quarter: str, line_id: int, payload: AnswerIn
) -> Any:
    """For the line's sub-contractor's members; a dispute needs the reason."""
    contract = _contract(reference)
    user = signed_in_user(request)
    supply_return = access.return_or_404(user, contract, quarter)
    try:
        line = supply_return.lines.select_related("supply_return__contract").get(pk=line_id)
    except ReturnLine.DoesNotExist:
        raise Http404("No such line in this return") from None
    services.answer(user, line, payload.answer, payload.reason)
    return Status(200, return_out(user, supply_return))
