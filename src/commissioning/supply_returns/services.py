"""Drafting, submitting and answering supply-chain returns (SUP-1): each action one transaction
with its audit record, checked by :mod:`.access` and the guards of :mod:`.lifecycle`.

The figures come from the records: referrals received, started and completed in the quarter
from the referral events (:func:`commissioning.referrals.queries.steps_by_party`) and the money
paid to each sub-contractor from the prime's payments
(:func:`commissioning.invoices.queries.paid_to_subcontractors`). The pages and the API call these
same functions, so they refuse the same input with the same messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract, ContractParty
from commissioning.invoices.queries import paid_to_subcontractors
from commissioning.referrals.lifecycle import Status as ReferralStatus
from commissioning.referrals.queries import steps_by_party
from commissioning.supply_returns import access, lifecycle, notifications
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import quarter_end

NOTE_LIMIT = 1000
REASON_LIMIT = 2000
_STEPS = (ReferralStatus.REFERRED, ReferralStatus.STARTED, ReferralStatus.COMPLETED)


def subcontractors(contract: Contract) -> QuerySet[ContractParty]:
    return (
        contract.parties.filter(role=ContractParty.Role.SUBCONTRACTOR, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def contracts_in(start: date) -> QuerySet[Contract]:
    """The contracts running in the quarter from ``start`` that have a named sub-contractor."""
    end = quarter_end(start)
    running = Q(start_date__lte=end, end_date__gte=start) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    return (
        Contract.objects.filter(running)
        .filter(parties__role=ContractParty.Role.SUBCONTRACTOR, parties__organisation__isnull=False)
        .distinct()
        .order_by("reference")
    )


def _figures(contract: Contract, start: date, end: date) -> dict[int, dict[str, object]]:
    steps = steps_by_party(contract, start, end, _STEPS)
    paid = paid_to_subcontractors(contract, start, end)
    figures: dict[int, dict[str, object]] = {}
    for party in subcontractors(contract):
        counts = steps.get(party.pk, {})
        figures[party.pk] = {
            "organisation": party.organisation,
            "services": party.services,
            "referrals_received": counts.get(ReferralStatus.REFERRED, 0),
            "referrals_started": counts.get(ReferralStatus.STARTED, 0),
            "referrals_completed": counts.get(ReferralStatus.COMPLETED, 0),
            "amount_paid": paid.get(party.party_id, Decimal("0.00")),
        }
    return figures


def draft(
    contract: Contract, start: date, *, today: date | None = None, synthetic: bool = False
) -> SupplyReturn:
    """The contract's return for the quarter from ``start``, drafted from the records: created if
    missing, its figures drawn again while it is a draft (the prime's notes kept), left as it is
    once submitted. Idempotent. Only a quarter that has ended is drafted."""
    today = today or timezone.localdate()
    end = quarter_end(start)
    if end >= today:
        raise ValidationError({"quarter": "A return is drafted once its quarter has ended."})
    if start > contract.end_date or end < contract.start_date:
        raise ValidationError({"quarter": "The contract did not run in that quarter."})
    with transaction.atomic():
        supply_return, created = SupplyReturn.objects.select_for_update().get_or_create(
            contract=contract,
            quarter_start=start,
            defaults={"quarter_end": end, "drafted_at": timezone.now(), "is_synthetic": synthetic},
        )
        if not lifecycle.is_draft(supply_return):
            return supply_return
        figures = _figures(contract, start, end)
        existing = {line.party_id: line for line in supply_return.lines.all()}
        changed: dict[str, object] = {}
        for party_pk, values in figures.items():
            line = existing.pop(party_pk, None) or ReturnLine(
                supply_return=supply_return, party_id=party_pk
            )
            before = {k: getattr(line, k, None) for k in values if k != "organisation"}
            for name, value in values.items():
                setattr(line, name, value)
            if line.pk is None or any(before[k] != getattr(line, k) for k in before):
                changed[str(values["organisation"])] = {
                    k: str(getattr(line, k)) for k in before if k != "services"
                }
                line.save()
        for stale in existing.values():
            stale.delete()
        if created or changed:
            supply_return.drafted_at = timezone.now()
            supply_return.save(update_fields=["drafted_at"])
            record(None, "supply_return.draft", supply_return, {"lines": changed})
    return supply_return


def draft_quarter(start: date, *, today: date | None = None) -> list[SupplyReturn]:
    """Draft every running contract's return for the quarter from ``start`` (idempotent): what
    the quarterly command runs."""
    today = today or timezone.localdate()
    if quarter_end(start) >= today:
        raise ValidationError({"quarter": "A return is drafted once its quarter has ended."})
    return [draft(contract, start, today=today) for contract in contracts_in(start)]


def _clean_notes(supply_return: SupplyReturn, notes: Mapping[int, str]) -> dict[int, str]:
    lines = {line.pk for line in supply_return.lines.all()}
    problems: dict[str, str] = {}
    cleaned: dict[int, str] = {}
    for pk, note in notes.items():
        if pk not in lines:
            problems["notes"] = "A note is for a line of this return"
            continue
        note = (note or "").strip()
        if len(note) > NOTE_LIMIT:
            problems[f"note-{pk}"] = f"A note must be {NOTE_LIMIT} characters or fewer"
        cleaned[pk] = note
    if problems:
        raise ValidationError(problems)
    return cleaned


def submit(
    actor: User,
    supply_return: SupplyReturn,
    notes: Mapping[int, str] | None = None,
    *,
    today: date | None = None,
) -> SupplyReturn:
    """The prime submits its return with a note per line where it adds one: the figures as
    drafted, each line then awaiting its sub-contractor's confirmation."""
    contract = supply_return.contract
    if not access.can_submit(actor, contract):
        raise PermissionDenied("Only the prime contractor submits the contract's returns.")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = SupplyReturn.objects.select_for_update().get(pk=supply_return.pk)
        problems = lifecycle.submit_problems(locked, today)
        if problems:
            raise ValidationError(problems)
        cleaned = _clean_notes(locked, notes or {})
        lines = list(locked.lines.select_related("organisation"))
        transition = lifecycle.submit(locked, lines)
        for line in lines:
            if line.pk in cleaned:
                line.prime_note = cleaned[line.pk]
            line.save()
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.save()
        record(
            actor,
            transition.action,
            locked,
            {
                "status": {"from": "draft", "to": "submitted"},
                "notes": {
                    line.organisation.name: line.prime_note for line in lines if line.prime_note
                },
            },
        )
        notifications.submitted(locked, lines)
    return locked


def answer(actor: User, line: ReturnLine, answer: str, reason: str = "") -> ReturnLine:
    """The sub-contractor confirms its line, or disputes it with the reason."""
    if not access.can_answer(actor, line):
        raise PermissionDenied("Only the sub-contractor confirms or disputes its own line.")
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = ReturnLine.objects.select_for_update().get(pk=line.pk)
        problems = lifecycle.answer_problems(locked, answer, reason)
        if not problems and len(reason) > REASON_LIMIT:
            problems["reason"] = f"The reason must be {REASON_LIMIT} characters or fewer"
        if problems:
            raise ValidationError(problems)
        before = locked.status
        transition = lifecycle.respond(locked, answer)
        locked.responded_at = timezone.now()
        locked.responded_by = actor
        locked.dispute_reason = reason if locked.status == ReturnLine.Status.DISPUTED else ""
        locked.save()
        changes: dict[str, object] = {"status": {"from": before, "to": locked.status}}
        if locked.dispute_reason:
            changes["reason"] = locked.dispute_reason
        record(actor, transition.action, locked, changes)
        if locked.status == ReturnLine.Status.DISPUTED:
            notifications.disputed(locked)
    return locked
