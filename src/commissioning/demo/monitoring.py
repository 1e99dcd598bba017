"""Synthetic monitoring returns for the demo (report once, SUP-7), all labelled synthetic: the
two demo charities' returns for the last two ended quarters, what each contract they work under
and the demo grant need of them, and one correction with its reason. Run after the demo users,
contracts and grants exist."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.demo.users import demo_organisations
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantAgreement
from commissioning.kernel.quarters import quarter_end, quarter_start
from commissioning.monitoring import lifecycle
from commissioning.monitoring.models import (
    CaseStudy,
    Correction,
    Entitlement,
    MonitoringReturn,
    Part,
)

LABEL = "Synthetic demo: "
CONTRACT_NEEDS = [Part.PEOPLE, Part.BREAKDOWN, Part.OUTPUTS]
GRANT_NEEDS = [Part.PEOPLE, Part.OUTCOMES, Part.CASE_STUDIES]


def delete_synthetic_returns() -> dict[str, int]:
    """The synthetic returns (a return protects its organisation): before the synthetic
    organisations go."""
    _, by_model = MonitoringReturn.objects.filter(is_synthetic=True).delete()
    return dict(by_model)


def _ended_quarters(today: date, count: int) -> list[date]:
    current = quarter_start(today)
    found: list[date] = []
    while len(found) < count:
        current = quarter_start(current - timedelta(days=1))
        found.append(current)
    return found


def _return(
    organisation: Organisation, start: date, author: User, people: int, when: date
) -> MonitoringReturn:
    made = MonitoringReturn(
        organisation=organisation,
        quarter_start=start,
        quarter_end=quarter_end(start),
        people_served=people,
        breakdown={
            "age": {"18_24": people // 5, "25_34": people // 3, "35_49": people // 4},
            "sex": {"female": people - 3, "male": 3},
        },
        outputs=f"{LABEL}{people * 2} one-to-one sessions and 6 group workshops.",
        outcomes=f"{LABEL}{people // 4} people moved into settled housing; "
        f"{people // 6} started work or training.",
        submitted_by=author,
        submitted_at=timezone.make_aware(datetime.combine(when, time(10, 0))),
        is_synthetic=True,
        created_by=author,
    )
    lifecycle.seed(made, MonitoringReturn.Status.SUBMITTED)
    CaseStudy.objects.create(
        monitoring_return=made,
        title=f"{LABEL}settled after six moves",
        story="A woman in her 30s, released with nowhere to go, now has her own tenancy and "
        "volunteers at the drop-in.",
        consent_confirmed=True,
    )
    return made


def load_demo_monitoring(today: date | None = None) -> dict[str, int]:
    """Replace the demo's monitoring returns; returns how many returns and funders' needs were
    made (none without the demo users)."""
    today = today or timezone.localdate()
    try:
        commissioner = User.objects.get(username="commissioner")
        authors = {
            "charity": User.objects.get(username="provider"),
            "charity2": User.objects.get(username="provider2"),
        }
    except User.DoesNotExist:
        return {"returns": 0, "needs": 0}
    organisations = demo_organisations()
    returns = needs = 0
    with transaction.atomic():
        delete_synthetic_returns()
        for key, author in authors.items():
            organisation = organisations[key]
            for number, start in enumerate(_ended_quarters(today, 2)):
                _return(
                    organisation,
                    start,
                    author,
                    24 + 7 * number,
                    quarter_end(start) + timedelta(days=12),
                )
                returns += 1
            contracts = Contract.objects.filter(
                parties__organisation=organisation,
                parties__role=ContractParty.Role.SUBCONTRACTOR,
            ).distinct()[:2]
            for contract in contracts:
                Entitlement.objects.update_or_create(
                    organisation=organisation,
                    contract=contract,
                    defaults={
                        "parts": [p.value for p in CONTRACT_NEEDS],
                        "declared_by": commissioner,
                    },
                )
                needs += 1
            for agreement in GrantAgreement.objects.filter(application__organisation=organisation):
                Entitlement.objects.update_or_create(
                    organisation=organisation,
                    grant_agreement=agreement,
                    defaults={"parts": [p.value for p in GRANT_NEEDS], "declared_by": commissioner},
                )
                needs += 1
        latest = (
            MonitoringReturn.objects.filter(
                organisation=organisations["charity"], is_synthetic=True
            )
            .order_by("-quarter_start")
            .first()
        )
        if latest is not None:
            Correction.objects.create(
                monitoring_return=latest,
                reason=f"{LABEL}two late sign-ups added to the count.",
                previous={"people_served": (latest.people_served or 0) - 2},
                corrected_by=authors["charity"],
            )
            lifecycle.seed(latest, MonitoringReturn.Status.CORRECTED)
    return {"returns": returns, "needs": needs}
