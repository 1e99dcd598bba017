"""Synthetic escalations for the demo contracts (REF-2): a year of providers telling probation
of escalating risk or breaches, most answered within target, one answered late (a same-day
escalation responded to the next afternoon), and one raised an hour ago still waiting.

Run after the demo contracts are loaded; they are replaced with them (an escalation goes with
its contract). The escalations are seeded in their final state by the lifecycle
(:func:`commissioning.escalations.lifecycle.seeded`): they record answers never given on the
platform, so they name no person, only the organisations. Every one is labelled synthetic.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.contracts.models import Contract
from commissioning.contracts.probation import contracts_served_by
from commissioning.demo.users import demo_organisations
from commissioning.escalations import lifecycle, targets
from commissioning.escalations.models import Escalation
from commissioning_analytics.timelines.working_days import LONDON, add_working_days

Status = Escalation.Status
U = Escalation.Urgency
C = Escalation.Category

SITUATIONS: tuple[tuple[str, str, str], ...] = (
    (
        C.LICENCE_BREACH,
        U.SAME_DAY,
        "Case {ref} did not return to the approved premises by the curfew and was not "
        "answering the phone this morning.",
    ),
    (
        C.DISENGAGEMENT,
        U.THREE_DAYS,
        "Case {ref} has missed three appointments in a row and has not replied to letters"
        " or texts.",
    ),
    (
        C.RISK_OF_SERIOUS_HARM,
        U.IMMEDIATE,
        "Case {ref} made threats against a former partner during a group session; staff "
        "followed the safety plan.",
    ),
    (
        C.ACCOMMODATION_LOSS,
        U.THREE_DAYS,
        "Case {ref} has been given notice to leave supported housing at the end of the week.",
    ),
    (
        C.RISK_TO_SELF,
        U.IMMEDIATE,
        "Case {ref} spoke about ending their life at a drop-in; the duty worker stayed "
        "with them and called the crisis team.",
    ),
    (
        C.ORDER_BREACH,
        U.SAME_DAY,
        "Case {ref} did not attend the unpaid work placement and told the supervisor they"
        " would not be coming back.",
    ),
    (
        C.DOMESTIC_ABUSE,
        U.SAME_DAY,
        "Case {ref} disclosed that a new partner has children living at the address.",
    ),
    (
        C.FURTHER_OFFENDING,
        U.SAME_DAY,
        "Case {ref} told a key worker they had been arrested at the weekend and released "
        "under investigation.",
    ),
)
PER_CONTRACT = 6
RESPONSES = (
    "Offender manager informed and will see the person this week; thank you for raising it.",
    "Risk assessment reviewed and shared with the police; please continue to report contact.",
    "Warning letter issued; a three-way meeting is booked for next week.",
)


def _working_moment(rng: random.Random, day: datetime) -> datetime:
    working_day = add_working_days(day.date(), 0)
    return datetime.combine(
        working_day, time(rng.randint(9, 15), rng.choice((0, 15, 30, 45))), tzinfo=LONDON
    )


def _seed(
    contract: Contract,
    organisation: object,
    situation: tuple[str, str, str],
    ref: str,
    raised_at: datetime,
    *,
    late: bool,
    answered: bool,
    rng: random.Random,
) -> Escalation:
    category, urgency, text = situation
    acknowledge_by, respond_by = targets.deadlines(urgency, raised_at)
    fields: dict[str, object] = {
        "contract": contract,
        "organisation": organisation,
        "category": category,
        "urgency": urgency,
        "what_happened": "Synthetic example. " + text.format(ref=ref),
        "occurred_at": raised_at - timedelta(hours=rng.randint(1, 5)),
        "raised_at": raised_at,
        "acknowledge_by": acknowledge_by,
        "respond_by": respond_by,
    }
    status = Status.RAISED
    if answered:
        fraction = rng.uniform(0.2, 0.8)
        acknowledged_at = raised_at + (acknowledge_by - raised_at) * fraction * 0.5
        if late:
            # Answered the next afternoon: the same-day response due at the close was late.
            responded_at = respond_by + timedelta(hours=21, minutes=40)
        else:
            responded_at = acknowledged_at + (respond_by - acknowledged_at) * fraction
        fields |= {
            "acknowledged_at": acknowledged_at,
            "responded_at": responded_at,
            "response": "Synthetic example. " + rng.choice(RESPONSES),
        }
        status = Status.RESPONDED
    escalation = lifecycle.seeded(status, **fields)
    escalation.save()
    return escalation


def load_demo_escalations(*, seed: int = 2026, now: datetime | None = None) -> list[Escalation]:
    """Seed the synthetic escalations of every demo contract (replacing earlier ones)."""
    now = now or timezone.now()
    made: list[Escalation] = []
    with transaction.atomic():
        contracts = list(Contract.objects.filter(is_synthetic=True).order_by("reference"))
        # The contracts the demo probation service serves first: its record holds the late
        # answer, so the demo probation practitioner (a member of that service) sees it.
        served = set(
            contracts_served_by(demo_organisations()["probation"]).values_list("pk", flat=True)
        )
        contracts.sort(key=lambda contract: contract.pk not in served)
        Escalation.objects.filter(contract__in=contracts, is_synthetic=True).delete()
        for number, contract in enumerate(contracts):
            rng = random.Random(f"{seed}:escalations:{contract.reference}")
            delivering = [contract.prime] + [
                p.organisation
                for p in contract.parties.filter(role="subcontractor", organisation__isnull=False)
            ]
            for index in range(PER_CONTRACT):
                situation = SITUATIONS[(index + number) % len(SITUATIONS)]
                if number == 0 and index == 0:
                    situation = SITUATIONS[0]  # same working day: the one answered late
                day = now - timedelta(days=30 + 55 * index + rng.randint(0, 20))
                made.append(
                    _seed(
                        contract,
                        delivering[index % len(delivering)],
                        situation,
                        f"NS-{rng.randint(1000, 9999)}",
                        _working_moment(rng, day),
                        late=number == 0 and index == 0,
                        answered=True,
                        rng=rng,
                    )
                )
        if contracts:
            waiting = SITUATIONS[1]  # within 3 working days: not yet due when loaded
            made.append(
                _seed(
                    contracts[0],
                    contracts[0].prime,
                    waiting,
                    "NS-2207",
                    now - timedelta(hours=1),
                    late=False,
                    answered=False,
                    rng=random.Random(seed),
                )
            )
    return made
