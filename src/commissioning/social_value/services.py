"""Recording social value commitments, reporting and reviewing each quarter's delivery, and the
pledged-against-delivered table (EVA-2, EVA-3, LAW-1): each action one transaction with its
audit record, checked by :mod:`.access` and the guards of :mod:`.lifecycle`. The pages call
these functions, so they refuse what the forms refuse.

The commitments are what the winning bid promised under the social value criterion; the bid's
answers are sealed, so the commissioner records them on the contract (citing the winning bid)
rather than the platform reading them out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.awards.models import LotAward
from commissioning.bids.models import Bid
from commissioning.contracts.models import Contract
from commissioning.evaluation.social_value_history import PastCommitment
from commissioning.kernel.quarters import quarter_label, quarter_start, quarters
from commissioning.social_value import access, lifecycle
from commissioning.social_value.models import UNITS, Commitment, Measure, QuarterlyReport

CENT = Decimal("0.01")
NOTE_LIMIT = 2000


def _amount(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def add_commitment(
    actor: User,
    contract: Contract,
    *,
    measure: str,
    description: str,
    target_per_quarter: Decimal,
    unit: str = "",
    from_winning_bid: bool = False,
) -> Commitment:
    """A commissioner of the contract records one of the winning bid's social value promises."""
    if not access.can_manage(actor, contract):
        raise PermissionDenied("Only the contract's commissioners record its social value.")
    errors: dict[str, str] = {}
    if measure not in Measure.values:
        errors["measure"] = "Choose what the commitment measures"
    if not description.strip():
        errors["description"] = "Enter what was promised"
    if target_per_quarter <= 0:
        errors["target_per_quarter"] = "Enter a target each quarter greater than 0"
    unit = UNITS.get(Measure(measure), unit.strip()) if measure in Measure.values else unit
    if measure == Measure.OTHER and not unit:
        errors["unit"] = "Enter what the target counts, for example people or hours"
    if errors:
        raise ValidationError(errors)
    bid_id = None
    if from_winning_bid:
        bid_id = (
            LotAward.objects.filter(contract=contract).values_list("winning_bid", flat=True).first()
        )
        if bid_id is None:
            raise ValidationError(
                {"from_winning_bid": "This contract has no winning bid on the platform to cite"}
            )
    with transaction.atomic():
        commitment = Commitment.objects.create(
            contract=contract,
            measure=measure,
            description=description.strip(),
            unit=unit,
            target_per_quarter=_amount(target_per_quarter),
            bid_id=bid_id,
            created_by=actor,
        )
        record(
            actor,
            "social_value.commit",
            commitment,
            {
                "measure": measure,
                "unit": unit,
                "target_per_quarter": str(commitment.target_per_quarter),
                "bid": bid_id,
            },
        )
    return commitment


def begun_quarters(contract: Contract, today: date | None = None) -> list[date]:
    """The first days of the contract's quarters that have begun by ``today``: those that can be
    reported and that the table shows."""
    today = today or timezone.localdate()
    last = min(contract.end_date, contract.ended_on or contract.end_date, today)
    if last < contract.start_date:
        return []
    return quarters(contract.start_date, last)


def report(
    actor: User,
    commitment: Commitment,
    quarter: date,
    delivered: Decimal,
    note: str = "",
    *,
    today: date | None = None,
) -> QuarterlyReport:
    """An approved member of the prime reports what was delivered against ``commitment`` in the
    quarter beginning ``quarter``; reporting a queried quarter again replaces its figure."""
    contract = commitment.contract
    if not access.can_report(actor, contract):
        raise PermissionDenied("Only the prime contractor reports its social value.")
    errors: dict[str, str] = {}
    if quarter_start(quarter) != quarter or quarter not in contract_quarters(contract):
        errors["quarter"] = "Choose a quarter of the contract"
    elif quarter not in begun_quarters(contract, today):
        errors["quarter"] = f"{quarter_label(quarter)} has not begun yet: report it once it has"
    if delivered < 0:
        errors["delivered"] = "Enter what was delivered as 0 or more"
    if len(note) > NOTE_LIMIT:
        errors["note"] = f"The note must be {NOTE_LIMIT} characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = (
            QuarterlyReport.objects.select_for_update()
            .filter(commitment=commitment, quarter=quarter)
            .first()
        )
        if existing is None:
            saved = QuarterlyReport.objects.create(
                commitment=commitment,
                quarter=quarter,
                delivered=_amount(delivered),
                note=note.strip(),
                reported_by=actor,
                reported_at=timezone.now(),
            )
            before = None
        else:
            if lifecycle.is_final(existing):
                accepted = f"{quarter_label(quarter)} has been accepted: it can no longer change"
                raise ValidationError({"quarter": accepted})
            before = str(existing.delivered)
            if lifecycle.is_queried(existing):
                lifecycle.transition(existing, QuarterlyReport.Status.SUBMITTED)
            existing.delivered = _amount(delivered)
            existing.note = note.strip()
            existing.reported_by = actor
            existing.reported_at = timezone.now()
            existing.save()
            saved = existing
        record(
            actor,
            "social_value.report",
            saved,
            {
                "quarter": quarter.isoformat(),
                "delivered": {"from": before, "to": str(saved.delivered)},
            },
        )
    return saved


def review(
    actor: User, report_: QuarterlyReport, decision: str, question: str = ""
) -> QuarterlyReport:
    """A commissioner of the contract accepts a reported figure or queries it with a question."""
    if not access.can_manage(actor, report_.commitment.contract):
        raise PermissionDenied("Only the contract's commissioners review its social value.")
    if decision not in lifecycle.DECISIONS:
        raise ValidationError({"decision": "Choose whether to accept or query the figure"})
    target = lifecycle.DECISIONS[decision]
    if target is QuarterlyReport.Status.QUERIED and not question.strip():
        raise ValidationError({"question": "Enter your question about the figure"})
    with transaction.atomic():
        locked = QuarterlyReport.objects.select_for_update().get(pk=report_.pk)
        problems = lifecycle.problems(locked, target)
        if problems:
            raise ValidationError(problems)
        before = locked.status
        move = lifecycle.transition(locked, target)
        locked.question = question.strip() if target is QuarterlyReport.Status.QUERIED else ""
        locked.save()
        changes: dict[str, object] = {"status": {"from": before, "to": locked.status}}
        if locked.question:
            changes["question"] = locked.question
        record(actor, move.action, locked, changes)
    return locked


def contract_quarters(contract: Contract) -> list[date]:
    return quarters(contract.start_date, contract.ended_on or contract.end_date)


def figure(value: Decimal, unit: str) -> str:
    """A target or a figure as the table shows it: money in pounds and pence, counts without
    trailing zeros."""
    if unit == "£":
        return f"£{value:,.2f}"
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text.rstrip("0")


@dataclass(frozen=True)
class QuarterRow:
    quarter: date
    label: str
    target: Decimal
    delivered: Decimal | None
    """None where the quarter was not reported."""
    status: str
    delivered_so_far: Decimal
    target_so_far: Decimal
    report: QuarterlyReport | None
    unit: str

    @property
    def shortfall_so_far(self) -> Decimal:
        return max(self.target_so_far - self.delivered_so_far, Decimal(0))

    @property
    def target_text(self) -> str:
        return figure(self.target, self.unit)

    @property
    def delivered_text(self) -> str:
        return "Not reported" if self.delivered is None else figure(self.delivered, self.unit)

    @property
    def delivered_so_far_text(self) -> str:
        return figure(self.delivered_so_far, self.unit)

    @property
    def target_so_far_text(self) -> str:
        return figure(self.target_so_far, self.unit)

    @property
    def shortfall_text(self) -> str:
        return figure(self.shortfall_so_far, self.unit) if self.shortfall_so_far else "None"


@dataclass(frozen=True)
class CommitmentTable:
    commitment: Commitment
    rows: tuple[QuarterRow, ...]

    @property
    def target_text(self) -> str:
        return figure(self.commitment.target_per_quarter, self.commitment.unit)

    @property
    def reported(self) -> int:
        return sum(1 for row in self.rows if row.delivered is not None)


def pledged_against_delivered(
    contract: Contract, today: date | None = None
) -> list[CommitmentTable]:
    """Per commitment, each begun quarter's target against what was delivered, with the running
    totals: a quarter not reported counts as nothing delivered."""
    shown = begun_quarters(contract, today)
    tables = []
    for commitment in contract.social_value_commitments.prefetch_related("reports"):
        by_quarter = {r.quarter: r for r in commitment.reports.all()}
        rows = []
        delivered_so_far = target_so_far = Decimal("0.00")
        for start in shown:
            found = by_quarter.get(start)
            target_so_far += commitment.target_per_quarter
            if found is not None:
                delivered_so_far += found.delivered
            rows.append(
                QuarterRow(
                    quarter=start,
                    label=quarter_label(start),
                    target=commitment.target_per_quarter,
                    delivered=found.delivered if found else None,
                    status=found.get_status_display() if found else "",
                    delivered_so_far=delivered_so_far,
                    target_so_far=target_so_far,
                    report=found,
                    unit=commitment.unit,
                )
            )
        tables.append(CommitmentTable(commitment, tuple(rows)))
    return tables


def past_commitments(bid: Bid, today: date | None = None) -> list[PastCommitment]:
    """The commitments of the contracts ``bid``'s organisation held as prime under other
    opportunities, pledged against delivered to date: what the next tender's evaluators read
    beside the social value criterion (EVA-3)."""
    contracts = (
        Contract.objects.filter(prime_id=bid.organisation_id)
        .exclude(lot__opportunity_id=bid.lot.opportunity_id)
        .filter(social_value_commitments__isnull=False)
        .distinct()
        .order_by("start_date", "reference")
    )
    out = []
    for contract in contracts:
        for table in pledged_against_delivered(contract, today):
            commitment = table.commitment
            last = table.rows[-1] if table.rows else None
            zero = Decimal("0.00")
            pledged = last.target_so_far if last else zero
            delivered = last.delivered_so_far if last else zero
            shortfall = max(pledged - delivered, zero)
            out.append(
                PastCommitment(
                    contract_reference=contract.reference,
                    contract_title=contract.title,
                    measure=commitment.get_measure_display(),
                    promised=commitment.description,
                    pledged_to_date=figure(pledged, commitment.unit),
                    delivered_to_date=figure(delivered, commitment.unit),
                    shortfall_to_date=figure(shortfall, commitment.unit) if shortfall else "None",
                    quarters_reported=table.reported,
                    quarters_due=len(table.rows),
                )
            )
    return out
