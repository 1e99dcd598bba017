"""Synthetic supply-chain returns for the demo contracts (SUP-1), labelled synthetic.

For every quarter of each demo contract with sub-contractors that ended at least three weeks
ago, the return is drafted from the demo referrals and payments (the same service as the
quarterly command) and submitted by the prime twenty days after the quarter's end. The
sub-contractors confirmed every earlier quarter's line; in the latest quarter their lines await
confirmation, except one sub-contractor that disputes its line (the seeds' story of a supply
chain's figures not agreed). Run after the demo referrals and invoices.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.contracts.models import Contract
from commissioning.supply_returns import lifecycle, services
from commissioning.supply_returns.models import SupplyReturn
from commissioning.supply_returns.quarters import ended_quarters, quarter_end

SUBMITTED_AFTER = timedelta(days=20)
ANSWERED_AFTER = timedelta(days=9)
DISPUTE = (
    "Synthetic demo dispute: our records show more paid to us this quarter than the return "
    "does; one of our invoices was paid in part and the rest is missing."
)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def load_demo_returns(*, today: date | None = None) -> dict[str, int]:
    """Draft and submit the demo contracts' past returns, replacing earlier ones."""
    today = today or timezone.localdate()
    made = {"returns": 0, "disputed": 0}
    with transaction.atomic():
        SupplyReturn.objects.filter(contract__is_synthetic=True).delete()
        for contract in Contract.objects.filter(is_synthetic=True).order_by("reference"):
            if not services.subcontractors(contract).exists():
                continue
            starts = [
                start
                for start in ended_quarters(contract.start_date, contract.end_date, today)
                if quarter_end(start) + SUBMITTED_AFTER < today
            ]
            for start in starts:
                drafted = services.draft(contract, start, today=today, synthetic=True)
                lines = list(drafted.lines.order_by("-amount_paid", "pk"))
                latest = start == starts[-1]
                answers = {} if latest else {line.pk: "confirm" for line in lines}
                if latest and not made["disputed"] and lines:
                    answers[lines[0].pk] = "dispute"
                lifecycle.seed(drafted, lines, answers)
                submitted = _moment(quarter_end(start) + SUBMITTED_AFTER)
                drafted.submitted_at = submitted
                drafted.save()
                for line in lines:
                    if line.pk in answers:
                        line.responded_at = submitted + ANSWERED_AFTER
                        if answers[line.pk] == "dispute":
                            line.dispute_reason = DISPUTE
                            made["disputed"] += 1
                    line.save()
                made["returns"] += 1
    return made
