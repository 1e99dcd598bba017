"""Synthetic mediation requests and social value for the demo (SUP-3, EVA-2, EVA-3; issue 15),
labelled synthetic, on the local supply-chain contract (the one with sub-contractors).

* A mediation request in each state the independent reviewer moves it through: waiting for the
  reviewer, in mediation with a named mediator, resolved with its outcome recorded, and
  declined with the reason, each from a different sub-contractor (one may have one open request
  per contract), so the code-of-conduct evidence lists them with their outcomes.
* The winning bid's social value commitments (people with convictions employed, spend with
  VCSE organisations) with the contract's first two quarters reported: the first accepted by
  the commissioner, the second waiting for review, so the pledged-against-delivered table and
  the open data have figures.

Recorded as a history that never ran on the platform: the rows the services would write, with
every status written by its app's lifecycle. Run after the demo contracts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.db import transaction

from commissioning.contracts.models import Contract, ContractParty
from commissioning.kernel.quarters import quarters
from commissioning.mediation import lifecycle as mediation_lifecycle
from commissioning.mediation.models import MediationRequest
from commissioning.social_value import lifecycle as social_value_lifecycle
from commissioning.social_value.models import Commitment, Measure, QuarterlyReport

SYNTHETIC = "Synthetic demo data."
#: Per state, in the sub-contractors' order: (status, category, what happened, what the
#: reviewer recorded).
MEDIATIONS: tuple[tuple[MediationRequest.Status, str, str, dict[str, str]], ...] = (
    (
        MediationRequest.Status.RESOLVED,
        MediationRequest.Category.PAYMENT,
        "Our invoices for the first quarter were paid 60 days after they arrived.",
        {
            "mediator": "Synthetic demo mediator: Alex Morgan",
            "outcome": f"{SYNTHETIC} The prime agreed to pay within 30 days and to pay the "
            "late invoices at once.",
        },
    ),
    (
        MediationRequest.Status.ACCEPTED,
        MediationRequest.Category.MONITORING,
        "The prime asks for a weekly return on every participant, beyond the sub-contract.",
        {"mediator": "Synthetic demo mediator: Sam Patel"},
    ),
    (
        MediationRequest.Status.DECLINED,
        MediationRequest.Category.TERMS,
        "We want the management fee lowered from 8% to 5%.",
        {
            "decline_reason": f"{SYNTHETIC} The fee is the one agreed in the bid and the "
            "sub-contract; it is not a dispute about how the prime has acted."
        },
    ),
    (
        MediationRequest.Status.REQUESTED,
        MediationRequest.Category.REFERRALS,
        "We received no referrals for two quarters although the bid promised us referrals "
        "from the start.",
        {},
    ),
)
#: (measure, what was promised, target each quarter, delivered in the first two quarters).
COMMITMENTS: tuple[tuple[Measure, str, Decimal, tuple[Decimal, Decimal]], ...] = (
    (
        Measure.PEOPLE_WITH_CONVICTIONS,
        "People with convictions employed by the prime and its supply chain.",
        Decimal("2"),
        (Decimal("2"), Decimal("1")),
    ),
    (
        Measure.VCSE_SPEND,
        "Spend with local voluntary, community and social enterprise organisations.",
        Decimal("15000.00"),
        (Decimal("16250.00"), Decimal("12400.00")),
    ),
)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def _supply_chain_contract() -> Contract | None:
    return (
        Contract.objects.filter(is_synthetic=True, parties__role=ContractParty.Role.SUBCONTRACTOR)
        .distinct()
        .order_by("reference")
        .first()
    )


def load_demo_contract_management() -> dict[str, int]:
    """Replace the demo's mediation requests and social value with those above; returns how
    many of each were made (none without a demo contract with sub-contractors)."""
    made = {"mediations": 0, "commitments": 0, "reports": 0}
    with transaction.atomic():
        MediationRequest.objects.filter(is_synthetic=True).delete()
        Commitment.objects.filter(contract__is_synthetic=True).delete()
        contract = _supply_chain_contract()
        if contract is None:
            return made
        subs = [
            party.organisation
            for party in contract.parties.filter(
                role=ContractParty.Role.SUBCONTRACTOR, organisation__isnull=False
            ).order_by("pk")
        ]
        # The last request is the sub-contractor's the referrals demo leaves without referrals
        # for two quarters (the last named).
        askers = [*subs[: len(MEDIATIONS) - 1], subs[-1]] if len(subs) > len(MEDIATIONS) else subs
        start = contract.start_date
        for n, ((status, category, happened, decided), organisation) in enumerate(
            zip(MEDIATIONS, askers, strict=False)
        ):
            asked = _moment(date(start.year + 1, 1 + 2 * n, 5))
            concluded = status in (MediationRequest.Status.RESOLVED,)
            mediation_lifecycle.seeded(
                status,
                contract=contract,
                subcontractor=organisation,
                prime=contract.prime,
                category=category,
                what_happened=f"{SYNTHETIC} {happened}",
                outcome_sought=f"{SYNTHETIC} The prime keeps to the sub-contract.",
                requested_at=asked,
                decided_at=None if status is MediationRequest.Status.REQUESTED else asked,
                concluded_at=asked if concluded else None,
                **decided,
            ).save()
            made["mediations"] += 1
        first_two = quarters(start, contract.end_date)[:2]
        for measure, promised, target, delivered in COMMITMENTS:
            commitment = Commitment.objects.create(
                contract=contract,
                measure=measure,
                description=f"{SYNTHETIC} {promised}",
                unit="£" if measure is Measure.VCSE_SPEND else "people",
                target_per_quarter=target,
            )
            made["commitments"] += 1
            for n, (quarter, figure) in enumerate(zip(first_two, delivered, strict=True)):
                report = QuarterlyReport(
                    commitment=commitment,
                    quarter=quarter,
                    delivered=figure,
                    reported_at=_moment(quarter.replace(day=20)),
                )
                if n == 0:
                    social_value_lifecycle.transition(report, QuarterlyReport.Status.ACCEPTED)
                report.save()
                made["reports"] += 1
    return made
