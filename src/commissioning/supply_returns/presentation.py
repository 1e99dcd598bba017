"""What the return pages, the CSV file and the API show of a return (SUP-1): plain rows;
the templates only lay them out. Why a line is disputed is shown only to those
:func:`.access.sees_reason_of` lets see it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from commissioning.permissions import Visitor
from commissioning.supply_returns import access
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import label_of

CSV_HEADER = (
    "quarter",
    "sub_contractor",
    "services",
    "referrals_received",
    "referrals_started",
    "referrals_completed",
    "paid_in_quarter_gbp",
    "prime_note",
    "state",
    "answered_on",
)


@dataclass(frozen=True)
class LineRow:
    pk: int
    organisation: str
    organisation_slug: str
    services: str
    received: int
    started: int
    completed: int
    paid: Decimal
    note: str
    state: str
    status: str
    answered_on: str
    reason: str | None
    can_answer: bool


def _day(line: ReturnLine) -> str:
    if line.responded_at is None:
        return ""
    return line.responded_at.date().isoformat()


def line_rows(user: Visitor, supply_return: SupplyReturn) -> list[LineRow]:
    lines = supply_return.lines.select_related("organisation", "supply_return__contract")
    rows = []
    for line in lines:
        shows_reason = line.status == ReturnLine.Status.DISPUTED and access.sees_reason_of(
            user, line
        )
        rows.append(
            LineRow(
                pk=line.pk,
                organisation=line.organisation.name,
                organisation_slug=line.organisation.slug,
                services=line.services,
                received=line.referrals_received,
                started=line.referrals_started,
                completed=line.referrals_completed,
                paid=line.amount_paid,
                note=line.prime_note,
                state=ReturnLine.Status(line.status).label,
                status=line.status,
                answered_on=_day(line),
                reason=line.dispute_reason if shows_reason else None,
                can_answer=line.status == ReturnLine.Status.AWAITING
                and access.can_answer(user, line),
            )
        )
    return rows


def as_csv(supply_return: SupplyReturn) -> str:
    """The return as published: every line with its state; no dispute reason."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    quarter = label_of(supply_return.quarter_start)
    for line in supply_return.lines.select_related("organisation"):
        writer.writerow(
            [
                quarter,
                line.organisation.name,
                line.services,
                line.referrals_received,
                line.referrals_started,
                line.referrals_completed,
                f"{line.amount_paid:.2f}",
                line.prime_note,
                ReturnLine.Status(line.status).label,
                _day(line),
            ]
        )
    return out.getvalue()
