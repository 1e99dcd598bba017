"""What a funder sees of the organisations it funds under one contract or one grant (SUP-7): for
each organisation, what the relationship needs and the parts of each submitted return for the
quarters it funds. Read by the contract's and the grant's monitoring pages and by the grant
agreement page (grants' hook)."""

from __future__ import annotations

from dataclasses import dataclass

from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantAgreement
from commissioning.monitoring import access
from commissioning.monitoring.models import Entitlement, MonitoringReturn, Part
from commissioning.monitoring.presentation import Shown, shown
from commissioning.permissions import Visitor


@dataclass(frozen=True)
class Funded:
    organisation: Organisation
    entitlement: Entitlement | None
    returns: list[Shown]

    @property
    def part_labels(self) -> list[str]:
        return [Part(p).label for p in self.entitlement.parts] if self.entitlement else []


def _funded(organisation: Organisation, entitlement: Entitlement | None) -> Funded:
    if entitlement is None:
        return Funded(organisation, None, [])
    found = (
        MonitoringReturn.objects.filter(organisation=organisation, status__in=access.SUBMITTED)
        .prefetch_related("case_studies", "corrections")
        .order_by("-quarter_start")
    )
    rows = []
    for monitoring_return in found:
        parts = access.parts_for(monitoring_return, [entitlement])
        if parts:
            rows.append(shown(monitoring_return, parts, owner=False))
    return Funded(organisation, entitlement, rows)


def for_contract(user: Visitor, contract: Contract) -> list[Funded]:
    """Each organisation ``user`` funds under ``contract`` (none for anyone else)."""
    providers = [
        organisation
        for organisation in access.contract_providers(contract)
        if access.funds_under_contract(user, contract, organisation.pk)
    ]
    declared = {
        e.organisation_id: e
        for e in Entitlement.objects.filter(contract=contract).select_related("contract")
    }
    return [_funded(organisation, declared.get(organisation.pk)) for organisation in providers]


def for_grant(user: Visitor, agreement: GrantAgreement) -> Funded | None:
    """The grant holder's returns as its funder sees them; None for anyone else."""
    if not access.funds_grant(user, agreement):
        return None
    organisation = agreement.application.organisation
    entitlement = (
        Entitlement.objects.filter(grant_agreement=agreement, organisation=organisation)
        .select_related("grant_agreement")
        .first()
    )
    return _funded(organisation, entitlement)


@dataclass(frozen=True)
class GrantMonitoring:
    """What the grant agreement page shows of the holder's returns (grants' hook)."""

    funded: Funded | None  # for the funder: the parts it needs, per quarter
    needs_declared: bool  # the funder takes the quarterly return instead of a separate report


def grant_monitoring(user: Visitor, agreement: GrantAgreement) -> GrantMonitoring:
    funded = for_grant(user, agreement)
    declared = Entitlement.objects.filter(grant_agreement=agreement).exists()
    return GrantMonitoring(funded, declared)
