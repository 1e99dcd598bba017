"""A quarter's referral events from a CSV file (REF-1), for the referring or the receiving
organisation: every row is checked by the same rules as the forms, in file order (so a file may
accept and then start the same referral), and an error names its row and column. Nothing is
stored from a file with any error: the rows run in one transaction that is rolled back.

Columns (a header row first): ``referral`` (its reference), ``action`` (accept, decline, start,
engage, complete, withdraw, disengage), ``happened_on`` (YYYY-MM-DD) and ``reason`` (needed to
decline, withdraw or record disengagement; the column may be left out otherwise).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from commissioning.audit.services import record
from commissioning.directory.models import Organisation
from commissioning.permissions import Visitor
from commissioning.referrals import services
from commissioning.referrals.lifecycle import ACTIONS
from commissioning.referrals.models import Referral, ReferralEvent

COLUMNS = ("referral", "action", "happened_on", "reason")
REQUIRED = ("referral", "action", "happened_on")
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    stored: int = 0
    errors: list[RowError] = field(default_factory=list)


class _Rollback(Exception):
    pass


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise ValueError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file must be CSV text in UTF-8") from None


def import_events(
    actor: Visitor | None,
    organisation: Organisation,
    data: bytes | str,
    *,
    today: date | None = None,
) -> ImportResult:
    """Apply the file's events for ``organisation`` (whose membership the caller has checked, or
    the command line's operator), all or nothing."""
    result = ImportResult()
    try:
        text = _text(data)
    except ValueError as error:
        result.errors.append(RowError(1, "", str(error)))
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unknown:
            parts.append("unknown " + ", ".join(unknown))
        result.errors.append(
            RowError(
                1, "", f"The header must name the columns {', '.join(COLUMNS)}: " + "; ".join(parts)
            )
        )
        return result
    reader.fieldnames = header
    try:
        with transaction.atomic():
            for number, row in enumerate(reader, start=2):
                if number - 1 > MAX_ROWS:
                    result.errors.append(RowError(number, "", f"More than {MAX_ROWS} rows"))
                    break
                _apply(actor, organisation, number, row, result, today)
            if result.errors or not result.stored:
                raise _Rollback
            record(
                actor,
                "referral.import",
                organisation,
                {"events": {"from": None, "to": result.stored}},
            )
    except _Rollback:
        if not result.errors:
            result.errors.append(RowError(2, "", "The file has no events"))
        result.stored = 0
    return result


def _apply(
    actor: Visitor | None,
    organisation: Organisation,
    number: int,
    row: dict[str, Any],
    result: ImportResult,
    today: date | None,
) -> None:
    if None in row:
        result.errors.append(RowError(number, "", "The row has more values than the header"))
        return
    values = {name: (row.get(name) or "").strip() for name in COLUMNS}
    reference = values["referral"]
    referral = (
        Referral.objects.filter(reference=reference)
        .filter(_involves(organisation))
        .select_related("referrer", "provider", "contract")
        .first()
    )
    errors_before = len(result.errors)
    if not reference:
        result.errors.append(RowError(number, "referral", "Enter the referral's reference"))
    elif referral is None:
        result.errors.append(
            RowError(number, "referral", f"{organisation.name} has no referral {reference}")
        )
    target = ACTIONS.get(values["action"].lower())
    if target is None:
        result.errors.append(RowError(number, "action", "Enter one of " + ", ".join(ACTIONS)))
    happened_on = None
    if not values["happened_on"]:
        result.errors.append(RowError(number, "happened_on", "Enter the date it happened"))
    else:
        try:
            happened_on = date.fromisoformat(values["happened_on"])
        except ValueError:
            result.errors.append(
                RowError(number, "happened_on", "Enter the date as YYYY-MM-DD, like 2026-07-01")
            )
    if len(result.errors) > errors_before or referral is None or target is None:
        return
    try:
        services.move(
            actor,
            referral,
            target,
            happened_on=happened_on,
            reason=values["reason"],
            source=ReferralEvent.Source.IMPORT,
            acting_for=organisation,
            today=today,
        )
    except PermissionDenied as refused:
        result.errors.append(RowError(number, "action", str(refused)))
    except ValidationError as refused:
        for column, messages in refused.message_dict.items():
            for message in messages:
                result.errors.append(RowError(number, column, message))
    else:
        result.stored += 1


def _involves(organisation: Organisation) -> Q:
    return Q(referrer=organisation) | Q(provider=organisation)


def import_file(slug: str, data: bytes) -> tuple[int, list[RowError | str]]:
    """The command line's import, run by the operator for the organisation ``slug`` (the audit
    trail records it as the system): how many events were stored, or every error."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return 0, [f"No organisation with the slug {slug!r}"]
    result = import_events(None, organisation, data)
    return result.stored, list(result.errors)
