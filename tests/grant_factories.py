"""Set-ups for grant and ring-fence tests (CYC-5, CYC-6): a round run to its decision through
the grants service, with a panel of one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from commissioning.accounts.models import User
from commissioning.directory.models import Organisation
from commissioning.grants import services
from commissioning.grants.models import GrantApplication, GrantRound
from tests.factories import member_of

SHORT = {
    "title": "Drop-in for women on release",
    "activity": "A weekly drop-in with a hot meal and a caseworker.",
    "beneficiaries": "Women leaving prison in the first month.",
    "difference": "Fewer missed probation appointments and more women housed.",
}


def open_round(
    manager: User, assessor: User, exercise: Any, *, contract: Any = None, amount: str = "20000"
) -> GrantRound:
    grant_round = services.create_round(
        manager,
        exercise,
        contract=contract,
        title="Small local grants",
        purpose="Local pieces of work with people on probation.",
        eligibility="Community groups in the area.",
        amount_available=amount,
        minimum_grant="500",
        maximum_grant="5000",
        short_form_limit="5000",
        opens_on=date(2026, 5, 1),
        closes_on=date(2026, 6, 1),
        decision_by=date(2026, 6, 30),
        criteria=[("Need", "Who it helps and why")],
    )
    services.assign_assessor(manager, grant_round, assessor)
    services.open_round(manager, grant_round)
    return grant_round


def decide(
    manager: User,
    assessor: User,
    grant_round: GrantRound,
    awards: Sequence[tuple[Organisation, str]],
) -> list[GrantApplication]:
    """Each organisation applies for its amount; the panel scores and the round awards it all."""
    applications = [
        services.save_application(
            member_of(organisation),
            grant_round,
            organisation,
            {**SHORT, "amount_requested": amount},
            submit=True,
        )
        for organisation, amount in awards
    ]
    services.close_round(manager, grant_round)
    criterion = grant_round.criteria.get()
    for application in applications:
        services.declare_interest(assessor, application, has_conflict=False)
        services.score(assessor, application, criterion, value=3, comment="Clear need")
        services.moderate(manager, application, criterion, value=3, note="Agreed")
    services.decide_round(
        manager,
        grant_round,
        {
            a.pk: services.Decision(True, "Well planned.", str(a.amount_requested))
            for a in applications
        },
    )
    for application in applications:
        application.refresh_from_db()
    return applications
