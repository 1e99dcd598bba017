"""What the rest of the platform calls to publish and serve OCDS (LAW-1, LAW-2, LAW-4, PRO-9).

The one public surface of :mod:`commissioning.opendata`: feature apps store a notice when they
publish it (an exercise's UK1, an opportunity's UK3) and show a contract's notice status through
these functions, never by building releases themselves; the OCDS API (:mod:`.api`) and the bulk
files (:mod:`.views`) serve the collections below. The releases come from
:mod:`commissioning.opendata.sources` (records → dataclasses) and
:mod:`commissioning.opendata.ocds` (dataclasses → OCDS).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.opendata.ocds.common import JsonDict
from commissioning.opendata.sources import award as award_source
from commissioning.opendata.sources import compliance as compliance_source
from commissioning.opendata.sources import contract as contract_source
from commissioning.opendata.sources import exercise as exercise_source
from commissioning.opendata.sources import opportunity as opportunity_source
from commissioning.opendata.sources import social_value as social_value_source
from commissioning.opendata.sources import supply_chain as supply_chain_source
from commissioning.opendata.sources.contract import (
    ContractOcdsError,
    NoticeStatus,
    notice_status,
)
from commissioning.opendata.sources.exercise import publish_pipeline, stored_pipeline
from commissioning.opendata.sources.opportunity import publish_planned_release
from commissioning.procurement.models import Opportunity
from commissioning.social_value.models import QuarterlyReport
from commissioning.supply_returns.models import SupplyReturn

__all__ = [
    "PUBLISHER",
    "ContractOcdsError",
    "NoticeStatus",
    "all_releases",
    "award_releases",
    "contract_releases",
    "exercise_releases",
    "notice_status",
    "opportunity_with_releases",
    "payments_compliance_releases",
    "process_releases",
    "publish_pipeline",
    "publish_planned_release",
    "stored_pipeline",
]

#: The publisher named in every package (the API's and the bulk files').
PUBLISHER = "Commissioning platform"


def opportunity_with_releases(queryset: QuerySet[Opportunity]) -> Opportunity | None:
    """The first opportunity of ``queryset`` with everything its releases read, prefetched."""
    return opportunity_source.with_ocds_relations(queryset).first()


def _decided_releases(awards: Any, site: str) -> list[JsonDict]:
    """UK6 releases of ``awards`` and the UK7 (and UK11) releases of their contracts that can be
    published (an award without its standstill cannot be noticed as UK6 and is left out)."""
    out = []
    for award in awards:
        try:
            out.append(award_source.award_release(award, site))
        except ValueError:
            continue
        if award.contract is not None:
            try:
                out.extend(contract_source.notices_of(award.contract, site, award))
            except ContractOcdsError:
                continue
    return out


def award_releases(opportunity: Opportunity, site: str) -> list[JsonDict]:
    """UK6 releases of the opportunity's awarded lots and UK7 (and UK11) releases of their
    contracts; plus those of any contract of its lots not made through an award decision."""
    awards = award_source.published_awards().filter(lot__opportunity=opportunity)
    others = contract_source.published_contracts().filter(
        lot__opportunity=opportunity, award__isnull=True
    )
    return _decided_releases(awards, site) + contract_source.releases_of(others, site)


def process_releases(opportunity: Opportunity, site: str) -> list[JsonDict]:
    """Every release of the opportunity's contracting process (one ocid), oldest first: UK1
    and UK2 planning, UK3, UK4 tender (with its enquiries), amendments, UK12, UK6 awards, UK7
    contracts. Empty when nothing of it was published."""
    releases = opportunity_source.releases_for(opportunity, site)
    if not releases:
        return []
    releases = (
        exercise_source.releases_for_opportunity(opportunity, site)
        + releases
        + award_releases(opportunity, site)
    )
    return sorted(releases, key=lambda r: (r["date"], r["id"]))


def exercise_releases(reference: str, site: str) -> list[JsonDict] | None:
    """The UK1 and UK2 releases of the exercise ``reference`` by ocid and date, or ``None``
    when there is no such exercise."""
    queryset = CommissioningExercise.objects.filter(reference=reference)
    exercise = exercise_source.with_engagement(queryset).first()
    if exercise is None:
        return None
    releases = exercise_source.releases_for_exercise(exercise, site)
    return sorted(releases, key=lambda r: (r["ocid"], r["date"], r["id"]))


def contract_releases(reference: str, site: str) -> list[JsonDict] | None:
    """The UK7 release of the contract ``reference`` (repeating the award decision it came
    from, if any), once it has ended or been terminated its UK11, and an implementation update
    per submitted supply-chain return (SUP-1) and per quarter of social value reported (EVA-3);
    ``None`` when there is no such published
    contract. Raises :class:`ContractOcdsError` when it cannot be published."""
    contract: Contract | None = (
        contract_source.published_contracts().filter(reference=reference).first()
    )
    if contract is None:
        return None
    award = award_source.published_awards().filter(contract=contract).first()
    return [
        *contract_source.notices_of(contract, site, award),
        *supply_chain_source.releases_of(contract, site, award),
        *social_value_source.releases_of(contract, site, award),
    ]


def _updates_of(
    contracts: QuerySet[Contract],
    site: str,
    releases_of: Callable[[Contract, str, Any], list[JsonDict]],
) -> list[JsonDict]:
    """``releases_of`` each of ``contracts`` that can be published, by reference."""
    out: list[JsonDict] = []
    for contract in contracts.order_by("reference"):
        award = award_source.published_awards().filter(contract=contract).first()
        try:
            out.extend(releases_of(contract, site, award))
        except ContractOcdsError:
            continue
    return out


def _supply_chain_releases(site: str) -> list[JsonDict]:
    """An implementation update per submitted supply-chain return of each contract that can be
    published (SUP-1)."""
    with_returns = contract_source.published_contracts().filter(
        supply_returns__status=SupplyReturn.Status.SUBMITTED
    )
    return _updates_of(with_returns.distinct(), site, supply_chain_source.releases_of)


def _social_value_releases(site: str) -> list[JsonDict]:
    """An implementation update per quarter of social value reported under each contract that
    can be published (EVA-3)."""
    reported = QuarterlyReport.objects.values("commitment__contract")
    with_reports = contract_source.published_contracts().filter(pk__in=reported)
    return _updates_of(with_reports, site, social_value_source.releases_of)


def payments_compliance_releases(slug: str, site: str) -> list[JsonDict] | None:
    """The UK17 payments compliance release of each ended six-month period of the commissioning
    body ``slug``, oldest first; ``None`` when there is no such body."""
    body = Organisation.objects.filter(slug=slug, is_commissioning_body=True).first()
    if body is None:
        return None
    return compliance_source.compliance_releases(body, site, timezone.localdate())


def all_releases(site: str) -> list[JsonDict]:
    """Every published release: UK1 pipeline and UK2 engagement, each opportunity's UK3 planned
    procurement notice (also while it is prepared) and each published opportunity's tender releases
    (with enquiries), the UK6 release of every awarded lot and the UK7 release of every contract
    that can be published (from its award where it has one), with its UK8 contract payment
    notices and the UK11 of each contract that has come to a close; and each commissioning
    body's UK17 payments compliance notices."""
    releases = exercise_source.all_planning_releases(site)
    published = Q(published_at__isnull=False) & ~Q(status=Opportunity.Status.DRAFT)
    opportunities = opportunity_source.with_ocds_relations(
        Opportunity.objects.filter(published | Q(planned_notice_at__isnull=False))
    ).order_by("reference")
    releases += [r for o in opportunities for r in opportunity_source.releases_for(o, site)]
    releases += _decided_releases(award_source.published_awards(), site)
    contracts = contract_source.published_contracts().filter(award__isnull=True)
    releases += contract_source.releases_of(contracts.order_by("reference"), site)
    today = timezone.localdate()
    for body in compliance_source.bodies():
        releases += compliance_source.compliance_releases(body, site, today)
    releases += _supply_chain_releases(site)
    releases += _social_value_releases(site)
    return sorted(releases, key=lambda r: (r["ocid"], r["date"], r["id"]))
