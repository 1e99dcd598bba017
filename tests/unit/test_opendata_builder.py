"""OCDS release builders: notice codes, UK fields, ids, dates (LAW-1, LAW-2, LAW-4, PRO-9)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from decimal import Decimal

import pytest

from commissioning.opendata.ocds import examples as ex
from commissioning.opendata.ocds.award import build_award
from commissioning.opendata.ocds.contract import build_contract
from commissioning.opendata.ocds.data import Notice
from commissioning.opendata.ocds.engagement import build_planning
from commissioning.opendata.ocds.tender import build_cancellation, build_tender


def _notices(section: dict) -> list[tuple[str, str]]:
    return [(doc["noticeType"], doc["documentType"]) for doc in section["documents"]]


def test_planning_is_a_uk2_market_engagement_notice() -> None:
    release = build_planning(ex.planning())
    assert release["tag"] == ["planning"]
    assert release["initiationType"] == "tender"
    assert _notices(release["planning"]) == [("UK2", "marketEngagementNotice")]
    assert release["planning"]["milestones"][0]["type"] == "engagement"
    assert release["planning"]["milestones"][0]["dueDate"] == "2026-02-27T17:00:00+00:00"
    assert release["planning"]["budget"]["amount"] == {"amount": 7000000, "currency": "GBP"}
    assert release["tender"]["status"] == "planning"
    assert release["parties"][0]["roles"] == ["buyer"]


def test_tender_is_uk4_with_sme_and_vcse_suitability_on_tender_and_each_lot() -> None:
    release = build_tender(ex.tender())
    tender = release["tender"]
    assert release["tag"] == ["tender"]
    assert _notices({"documents": tender["documents"][:1]}) == [("UK4", "tenderNotice")]
    assert tender["suitability"] == {"sme": True, "vcse": True}
    assert [lot["suitability"] for lot in tender["lots"]] == [
        {"sme": True, "vcse": True},
        {"sme": True, "vcse": False},
    ]
    assert tender["lots"][1]["value"] == {"amount": 950000.5, "currency": "GBP"}
    assert [item["relatedLot"] for item in tender["items"]] == ["1", "2"]
    assert tender["tenderPeriod"] == {
        "startDate": "2026-03-02T09:00:00+00:00",
        "endDate": "2026-05-25T12:00:00+01:00",  # British Summer Time offset kept
    }
    assert tender["enquiryPeriod"]["endDate"] == "2026-05-04T17:00:00+01:00"
    assert tender["submissionMethod"] == ["electronicSubmission"]
    assert tender["awardCriteria"] == "ratedCriteria"
    weights = [c["numbers"][0]["number"] for c in tender["lots"][0]["awardCriteria"]["criteria"]]
    assert weights == [30, 55, 15]
    assert tender["subcontractingTerms"]["description"].startswith("Named sub-contractors")
    assert "lotDetails" not in tender
    assert {"buyer", "procuringEntity"} <= set(release["parties"][0]["roles"])


def test_tender_without_lots_publishes_the_rationale_and_refuses_without_one() -> None:
    undivided = dataclasses.replace(ex.tender(), lots=(), items=())
    with pytest.raises(ValueError, match="no_lots_rationale"):
        build_tender(undivided)
    reason = "One integrated service: splitting would break continuity of care."
    release = build_tender(dataclasses.replace(undivided, no_lots_rationale=reason))
    assert release["tender"]["lotDetails"] == {"noLotsDivisionRationale": reason}
    assert "lots" not in release["tender"]


def test_cancellation_is_uk12_with_a_coded_reason() -> None:
    release = build_cancellation(ex.cancellation())
    tender = release["tender"]
    assert release["tag"] == ["tenderCancellation"]
    assert tender["status"] == "cancelled"
    assert {lot["status"] for lot in tender["lots"]} == {"cancelled"}
    assert tender["finalStatusDate"] == "2026-06-01T10:00:00+01:00"
    uk12 = [doc for doc in tender["documents"] if doc.get("noticeType") == "UK12"]
    assert len(uk12) == 1
    assert uk12[0]["documentType"] == "tenderCancellationNotice"
    assert uk12[0]["description"].startswith("Reason noCompliantBids (")
    assert "financial standing" in uk12[0]["description"]


def test_cancellation_refuses_an_unknown_reason_code() -> None:
    with pytest.raises(ValueError, match="reason code"):
        build_cancellation(dataclasses.replace(ex.cancellation(), reason_code="whim"))


def test_award_is_uk6_with_final_stage_sme_and_vcse_bid_statistics() -> None:
    release = build_award(ex.award())
    award = release["awards"][0]
    assert release["tag"] == ["award"]
    assert _notices(award) == [("UK6", "awardNotice")]
    assert award["status"] == "pending"
    assert award["standstillPeriod"]["endDate"] == "2026-07-13T23:00:00+01:00"
    stats = {s["measure"]: s["value"] for s in release["bids"]["statistics"]}
    assert stats == {
        "bids": 5,
        "finalStageBids": 4,
        "smeFinalStageBids": 3,
        "vcseFinalStageBids": 2,
    }
    assert {s["relatedLot"] for s in release["bids"]["statistics"]} == {"1"}
    assert award["hasSubcontracting"] is True
    sub = award["subcontracting"]["subcontracts"][0]
    assert sub["subcontractor"]["id"] == ex.SUB.id
    assert sub["mainContractors"] == [{"id": ex.PRIME.id, "name": ex.PRIME.name}]
    assert award["subcontracting"]["value"] == {"amount": 90000, "currency": "GBP"}
    roles = {p["id"]: p["roles"] for p in release["parties"]}
    assert roles == {
        ex.BUYER.id: ["buyer"],
        ex.PRIME.id: ["supplier"],
        ex.SUB.id: ["subcontractor"],
    }


def test_contract_is_uk7_with_supplier_status_and_kpis() -> None:
    release = build_contract(ex.contract())
    contract = release["contracts"][0]
    assert release["tag"] == ["awardUpdate", "contract"]
    assert _notices(contract) == [("UK7", "contractNotice")]
    assert contract["awardID"] == release["awards"][0]["id"] == "award-1"
    assert release["awards"][0]["status"] == "active"
    assert [kpi["id"] for kpi in contract["agreedMetrics"]] == ["kpi-1", "kpi-2", "kpi-3"]
    supplier = next(p for p in release["parties"] if p["id"] == ex.PRIME.id)
    assert supplier["details"] == {"scale": "sme", "vcse": True}
    assert supplier["identifier"] == {
        "scheme": "GB-CHC",
        "id": "1100001",
        "legalName": "Pathways Trust",
    }


@pytest.mark.parametrize("kpi_count", [0, 1, 2])
def test_contract_over_5m_needs_at_least_three_kpis(kpi_count: int) -> None:
    """LAW-4: a rationale cannot stand in for KPIs above £5m."""
    contract = dataclasses.replace(
        ex.contract(ex.KPIS[:kpi_count]), no_kpis_rationale="Not agreed yet"
    )
    with pytest.raises(ValueError, match="at least 3"):
        build_contract(contract)


def test_contract_at_or_under_5m_may_publish_a_no_kpi_rationale() -> None:
    contract = dataclasses.replace(
        ex.contract(()), value=Decimal("5000000"), no_kpis_rationale="Below the KPI threshold"
    )
    section = build_contract(contract)["contracts"][0]
    assert "agreedMetrics" not in section
    assert section["noAgreedMetricsRationale"] == "Below the KPI threshold"


def _all_releases(prefix: str = "ocds-commissioning-") -> list[dict]:
    return [
        build_planning(ex.planning(), prefix=prefix),
        build_tender(ex.tender(), prefix=prefix),
        build_cancellation(ex.cancellation(), prefix=prefix),
        build_award(ex.award(), prefix=prefix),
        build_contract(ex.contract(), prefix=prefix),
    ]


def test_ids_are_deterministic_unique_and_carry_the_configured_prefix() -> None:
    first, second = _all_releases(), _all_releases()
    assert first == second
    assert [r["id"] for r in first] == [
        "ocds-commissioning-CE-2026-0001-UK2-20260105T090000Z",
        "ocds-commissioning-CE-2026-0001-UK4-20260302T090000Z",
        "ocds-commissioning-CE-2026-0001-UK12-20260601T090000Z",
        "ocds-commissioning-CE-2026-0001-UK6-20260701T090000Z",
        "ocds-commissioning-CE-2026-0001-UK7-20260821T080000Z",
    ]
    other = _all_releases(prefix="ocds-abc123-")
    assert {r["ocid"] for r in other} == {"ocds-abc123-CE-2026-0001"}


def test_releases_are_json_serialisable_and_round_trip() -> None:
    for release in _all_releases():
        assert json.loads(json.dumps(release)) == release


def test_naive_datetimes_are_refused() -> None:
    naive = Notice(published=datetime(2026, 1, 5, 9, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        build_planning(dataclasses.replace(ex.planning(), notice=naive))


def test_tender_publishes_its_answered_enquiries_without_who_asked() -> None:
    tender = build_tender(ex.tender())["tender"]
    assert tender["hasEnquiries"] is True
    assert tender["enquiries"] == [
        {
            "id": "question-1",
            "date": "2026-03-09T10:00:00+00:00",
            "description": "Will staff transfer under TUPE for lot 1?",
            "answer": "Yes: six staff may transfer; anonymised data is in the annex.",
            "dateAnswered": "2026-03-12T16:00:00+00:00",
            "relatedLot": "1",
        }
    ]
    none = build_tender(dataclasses.replace(ex.tender(), enquiries=(), has_enquiries=False))
    assert none["tender"]["hasEnquiries"] is False and "enquiries" not in none["tender"]


def test_planning_lists_each_engagement_activity_as_a_milestone() -> None:
    release = build_planning(ex.planning())
    milestones = release["planning"]["milestones"]
    assert [(m["id"].rsplit("-", 2)[-2:], m["status"]) for m in milestones[1:]] == [
        (["consultation", "1"], "met"),
        (["event", "1"], "scheduled"),
    ]
    assert {m["type"] for m in milestones} == {"engagement"}
    assert release["planning"]["budget"]["description"] == "Estimated value over three years"


def test_award_publishes_the_criteria_it_applied_on_its_lots() -> None:
    release = build_award(ex.award())
    assert release["tender"]["id"] == ex.REF
    lots = release["tender"]["lots"]
    assert [lot["id"] for lot in lots] == ["1"]
    weights = [c["numbers"][0]["number"] for c in lots[0]["awardCriteria"]["criteria"]]
    assert weights == [30, 55, 15]
    undivided = build_award(dataclasses.replace(ex.award(), related_lots=()))
    assert undivided["tender"] == {
        "id": ex.REF,
        "awardCriteriaDetails": "Price 30%, Service model 55%, Social value 15%",
    }
    bare = build_award(dataclasses.replace(ex.award(), criteria=()))
    assert "tender" not in bare
