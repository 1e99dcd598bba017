"""The UK9 contract performance notice (LAW-1, LAW-4): section ``implementation`` (the
contract's), documentType ``implementationNotice`` (UK extension), tag ``implementationUpdate``.

Each KPI is a ``metrics`` entry (metrics extension) with one observation for the period
assessed: the result in ``measure`` and the rating in ``measureClassification`` (UK
extension), whose ids are the UK's: Good → ``met``, Approaching target → ``slightlyBelow``,
Requires improvement → ``below``, Inadequate → ``significantlyBelow``, Other → ``other``.
Breaches and performance failures are ``performanceFailures`` (performance_failures extension
with the UK's fields: requirement, description, decision date, ``penaltyType`` from the closed
codelist ``contracted`` / ``imposed`` / ``negotiated``, penalty value, the suppliers).
"""

from __future__ import annotations

from commissioning.opendata.ocds.award import award_parties, award_section
from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    iso,
    money,
    notice_document,
    ocid_for,
    org_ref,
    period,
)
from commissioning.opendata.ocds.data import Performance

#: The platform's ratings → the UK's ``measureClassification`` ids, with their words.
MEASURE_CLASSIFICATIONS: dict[str, tuple[str, str]] = {
    "good": ("met", "Good"),
    "approaching": ("slightlyBelow", "Approaching target"),
    "requires_improvement": ("below", "Requires improvement"),
    "inadequate": ("significantlyBelow", "Inadequate"),
    "other": ("other", "Other"),
}


def _description(performance: Performance) -> str:
    start, end = performance.period.start, performance.period.end
    assert start is not None and end is not None
    which = "Final assessment" if performance.final else "Assessment"
    return (
        f"{which} of the contract's key performance indicators from "
        f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}."
    )


def build_performance(performance: Performance, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK9 contract performance notice: each KPI rated over the period, and the performance
    failures recorded by then."""
    if not performance.observations:
        raise ValueError(f"assessment {performance.id} rates no KPIs")
    contract = performance.contract
    award = contract.award
    ocid = ocid_for(contract.reference, prefix)
    release = base_release(ocid, "UK9", performance.notice, ["implementationUpdate"], award.buyer)
    release["parties"] = award_parties(award)
    release["awards"] = [award_section(award, "active")]
    observed_period = period(performance.period)
    document = notice_document(
        ocid,
        "UK9",
        "implementationNotice",
        "Contract performance notice",
        performance.notice,
        _description(performance),
    )
    document["id"] = f"{ocid}-UK9-{performance.id}"
    metrics = []
    for observation in performance.observations:
        code, label = MEASURE_CLASSIFICATIONS[observation.rating]
        entry: JsonDict = {
            "id": f"{performance.id}-{observation.kpi.id}",
            "period": observed_period,
            "measure": observation.result,
            "measureClassification": {"id": code, "description": label},
        }
        if observation.comment:
            entry["notes"] = observation.comment
        metrics.append(
            {
                "id": observation.kpi.id,
                "title": observation.kpi.title,
                "description": observation.kpi.description,
                "observations": [entry],
            }
        )
    implementation: JsonDict = {"documents": [document], "metrics": metrics}
    suppliers = [org_ref(supplier) for supplier in award.suppliers]
    if performance.failures:
        implementation["performanceFailures"] = [
            {
                "id": failure.id,
                "requirement": failure.requirement,
                "description": failure.description,
                "decisionDate": iso(failure.decided),
                "penaltyType": failure.penalty_type,
                **(
                    {"penaltyValue": money(failure.penalty_value)}
                    if failure.penalty_value is not None
                    else {}
                ),
                "suppliers": suppliers,
            }
            for failure in performance.failures
        ]
    release["contracts"] = [
        {
            "id": contract.id,
            "awardID": award.id,
            "title": contract.title,
            "status": "active",
            "value": money(contract.value),
            "period": period(contract.period),
            "implementation": implementation,
        }
    ]
    return release
