"""A contract's KPIs, assessments, performance failures and changes, and their notices (issue
15; LAW-1 UK9, UK10, UK11; LAW-4): KPIs are records, a contract over £5m publishes its contract
details notice only with 3 of them unless it is light-touch and says why, an assessment is a UK9,
a change a UK10, a termination a UK11, all valid OCDS; only the contract's commissioners write."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils.html import strip_tags

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.awards import services as awards_services
from commissioning.contracts import lifecycle, performance
from commissioning.contracts.models import Contract, ContractChange, Kpi, KpiAssessment
from commissioning.opendata.ocds.validate import validate_package
from commissioning_analytics.timelines.working_days import LONDON
from tests.contract_factories import contract_with_parties
from tests.factories import client_for, member_of
from tests.integration.awards_setup import award_setup

pytestmark = pytest.mark.django_db

REASONS = "Highest total on the published criteria; the price is sustainable for the term."

RATINGS = ["good", "approaching", "requires_improvement", "inadequate", "other"]


def _text(response: object) -> str:
    return " ".join(strip_tags(response.content.decode()).split())  # type: ignore[attr-defined]


def _large(**kwargs: object) -> tuple[Contract, User]:
    """£3m a year for 2 years: £6,000,000, over the £5m line."""
    contract = contract_with_parties(
        example="hmp-doncaster", annual_value=Decimal("3000000.00"), **kwargs
    )
    commissioner = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    return contract, commissioner


def _add_kpis(contract: Contract, actor: User, count: int) -> list[Kpi]:
    return [
        performance.save_kpi(
            actor,
            contract,
            name=f"KPI {n}",
            measure=f"Share of referrals seen within 5 working days ({n})",
            target="90%",
            frequency=Kpi.Frequency.QUARTERLY,
            data_source=Kpi.DataSource.REFERRALS_COMPLETED,
        )
        for n in range(1, count + 1)
    ]


def _valid(package: dict[str, object]) -> None:
    result = validate_package(package)
    assert result.error_count == 0, result.summary()


def test_over_five_million_with_two_kpi_records_cannot_publish_and_the_page_says_why(
    client: Client,
) -> None:
    contract, commissioner = _large()
    _add_kpis(contract, commissioner, 2)
    response = client.get(f"/api/contracts/{contract.reference}/ocds")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "Add 1 more KPI before the contract details notice can be published"
    )
    assert "and this contract has 2 so far" in _text(client.get(contract.get_absolute_url()))

    _add_kpis(contract, commissioner, 1)
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    metrics = package["releases"][0]["contracts"][0]["agreedMetrics"]
    assert [m["title"] for m in metrics] == ["KPI 1", "KPI 2", "KPI 1"]
    assert metrics[0]["observations"] == [{"id": metrics[0]["id"] + "-target", "measure": "90%"}]
    _valid(package)


def test_over_five_million_the_mechanisms_outcome_measures_never_count_as_kpis(
    client: Client,
) -> None:
    """Issue 15 item 3 (LAW-4, UK7): £6,000,000 with no KPI records and the example's one
    outcome measure needs all 3 KPIs; once they are recorded they alone are the agreed metrics."""
    contract, commissioner = _large()
    response = client.get(f"/api/contracts/{contract.reference}/ocds")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("Add 3 more KPIs before the contract details notice can be published")
    assert f"{contract.reference} has 0." in detail
    assert "outcome measures of its payment mechanism do not count as KPIs" in detail

    _add_kpis(contract, commissioner, 3)
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    metrics = package["releases"][0]["contracts"][0]["agreedMetrics"]
    assert [m["title"] for m in metrics] == ["KPI 1", "KPI 2", "KPI 3"]
    assert "binary-reconviction" not in {m["id"] for m in metrics}
    _valid(package)


def test_five_million_or_less_with_no_kpi_records_publishes_the_outcome_measures(
    client: Client,
) -> None:
    """Issue 15 item 3 (LAW-4, UK7): £600,000 a year for 2 years with no KPI records publishes
    the mechanism's outcome measure as its agreed metric; its first KPI record replaces it."""
    contract = contract_with_parties(example="hmp-doncaster")
    commissioner = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    metrics = package["releases"][0]["contracts"][0]["agreedMetrics"]
    assert [(m["id"], m["title"], m["description"]) for m in metrics] == [
        (
            "binary-reconviction",
            "Binary reconviction",
            "Share of the annual cohort of releases reconvicted within one year (%)",
        )
    ]
    _valid(package)

    _add_kpis(contract, commissioner, 1)
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    metrics = package["releases"][0]["contracts"][0]["agreedMetrics"]
    assert [m["title"] for m in metrics] == ["KPI 1"]
    _valid(package)


def test_a_light_touch_contract_publishes_with_its_rationale(client: Client) -> None:
    contract, _ = _large(
        is_light_touch=True,
        no_kpis_rationale="Outcomes are measured by the evaluation instead of KPIs.",
    )
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    section = package["releases"][0]["contracts"][0]
    assert section["noAgreedMetricsRationale"] == (
        "Outcomes are measured by the evaluation instead of KPIs."
    )
    assert "agreedMetrics" not in section
    _valid(package)


def test_an_assessment_publishes_a_uk9_with_each_rating_and_a_failure(client: Client) -> None:
    contract, commissioner = _large()
    kpis = _add_kpis(contract, commissioner, 5)
    performance.record_failure(
        commissioner,
        contract,
        requirement="Every referral is contacted within 5 working days",
        description="40 referrals waited more than 10 working days in March 2027.",
        decided_on=date(2027, 4, 10),
        penalty_type="contracted",
        penalty_value=Decimal("12500.00"),
        today=date(2027, 4, 20),
    )
    performance.record_assessment(
        commissioner,
        contract,
        period_start=date(2026, 4, 1),
        period_end=date(2027, 3, 31),
        ratings=[
            performance.RatingInput(kpi.pk, rating, f"{80 + n}%")
            for n, (kpi, rating) in enumerate(zip(kpis, RATINGS, strict=True))
        ],
        today=date(2027, 4, 20),
    )
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    uk9 = [r for r in package["releases"] if r["tag"] == ["implementationUpdate"]]
    assert len(uk9) == 1
    implementation = uk9[0]["contracts"][0]["implementation"]
    assert implementation["documents"][0]["noticeType"] == "UK9"
    assert implementation["documents"][0]["documentType"] == "implementationNotice"
    classes = [
        m["observations"][0]["measureClassification"]["id"] for m in implementation["metrics"]
    ]
    assert classes == ["met", "slightlyBelow", "below", "significantlyBelow", "other"]
    assert [m["observations"][0]["measure"] for m in implementation["metrics"]] == [
        "80%",
        "81%",
        "82%",
        "83%",
        "84%",
    ]
    failure = implementation["performanceFailures"][0]
    assert failure["penaltyType"] == "contracted"
    assert failure["penaltyValue"] == {"amount": 12500, "currency": "GBP"}
    assert failure["suppliers"][0]["name"] == contract.prime.name
    _valid(package)
    assert AuditEvent.objects.filter(action="contract.kpi_assessment").count() == 1


def test_an_assessment_must_rate_every_kpi_within_twelve_months() -> None:
    contract, commissioner = _large()
    kpis = _add_kpis(contract, commissioner, 3)
    with pytest.raises(ValidationError) as error:
        performance.record_assessment(
            commissioner,
            contract,
            period_start=date(2026, 4, 1),
            period_end=date(2027, 6, 30),
            ratings=[performance.RatingInput(kpis[0].pk, "good", "91%")],
            today=date(2027, 7, 1),
        )
    assert error.value.message_dict == {
        "period_end": ["A period assessed can be at most 12 months"],
        f"rating_{kpis[1].pk}": ["Select a rating for KPI 2"],
        f"rating_{kpis[2].pk}": ["Select a rating for KPI 3"],
    }
    assert not KpiAssessment.objects.exists()


def test_a_change_publishes_a_uk10_and_changes_the_contract(client: Client) -> None:
    contract, commissioner = _large()
    _add_kpis(contract, commissioner, 3)
    lifecycle.record_change(
        commissioner,
        contract,
        ContractChange.Kind.TERM,
        description="Extended by 12 months to 31 March 2029.",
        reason="The re-procurement was delayed by the probation reforms.",
        new_end_date=date(2029, 3, 31),
    )
    contract.refresh_from_db()
    assert contract.end_date == date(2029, 3, 31)
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    uk10 = [r for r in package["releases"] if r["tag"] == ["contractAmendment"]]
    assert len(uk10) == 1
    section = uk10[0]["contracts"][0]
    assert section["documents"][0]["noticeType"] == "UK10"
    assert section["amendments"][0]["rationale"] == (
        "The re-procurement was delayed by the probation reforms."
    )
    assert section["value"] == {"amount": 9000000, "currency": "GBP"}  # £3m a year for 3 years
    assert section["period"]["endDate"].startswith("2029-03-31")
    _valid(package)


def test_a_change_needs_its_reason_and_writes_nothing_without() -> None:
    contract, commissioner = _large()
    with pytest.raises(ValidationError) as error:
        lifecycle.record_change(
            commissioner,
            contract,
            ContractChange.Kind.VALUE,
            description="More places",
            reason=" ",
            new_annual_value=Decimal("3000000.00"),
        )
    assert error.value.message_dict == {
        "reason": ["Enter why the contract is changing"],
        "new_annual_value": ["The new annual value is the same as the current one"],
    }
    assert not ContractChange.objects.exists()


def test_a_termination_publishes_a_uk11(client: Client) -> None:
    contract, commissioner = _large()
    _add_kpis(contract, commissioner, 3)
    lifecycle.transition(
        commissioner,
        contract,
        Contract.Status.TERMINATED,
        reason="The prime went into administration.",
        today=date(2027, 1, 15),
    )
    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    assert [r["tag"] for r in package["releases"]][-1] == ["contractTermination"]
    _valid(package)


def test_only_the_contracts_commissioners_manage_its_performance() -> None:
    contract, _ = _large()
    outsider = member_of(contract_with_parties().commissioning_body, User.Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        _add_kpis(contract, outsider, 1)
    with pytest.raises(PermissionDenied):
        lifecycle.record_change(outsider, contract, "scope", description="x", reason="y")
    assert not Kpi.objects.exists()


def test_a_mobilising_contract_becomes_active_by_its_commissioners() -> None:
    contract, commissioner = _large()
    lifecycle.start_mobilising(contract)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.MOBILISING
    lifecycle.transition(commissioner, contract, Contract.Status.ACTIVE)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert AuditEvent.objects.filter(action="contract.activate").count() == 1


def test_commissioners_use_the_pages_and_outsiders_are_refused() -> None:
    contract, commissioner = _large()
    client = client_for(commissioner)
    response = client.post(
        f"/contracts/{contract.reference}/kpis/add/",
        {
            "name": "Seen within 5 working days",
            "measure": "Share of referrals first seen within 5 working days",
            "target": "90%",
            "frequency": "quarterly",
            "data_source": "referrals_completed",
        },
    )
    assert response.status_code == 302
    kpi = Kpi.objects.get(contract=contract)
    response = client.post(
        f"/contracts/{contract.reference}/assessments/add/",
        {
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2026",
            "period_end_0": "30",
            "period_end_1": "9",
            "period_end_2": "2026",
            f"rating_{kpi.pk}": "approaching",
            f"result_{kpi.pk}": "86%",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = _text(client_for(None).get(f"/contracts/{contract.reference}/performance/"))
    assert "Seen within 5 working days 86% Approaching target" in page

    outsider = member_of(contract_with_parties().commissioning_body, User.Role.COMMISSIONER)
    other = client_for(outsider)
    for url in ("kpis/add/", "assessments/add/", "failures/add/", "changes/add/"):
        assert other.get(f"/contracts/{contract.reference}/{url}").status_code == 403
    assert other.post(f"/contracts/{contract.reference}/changes/add/", {}).status_code == 403
    assert KpiAssessment.objects.count() == 1


def test_the_api_has_the_same_rules_and_refuses_outsiders() -> None:
    contract, commissioner = _large()
    kpi = _add_kpis(contract, commissioner, 1)[0]
    api = client_for(commissioner)
    url = f"/api/contracts/{contract.reference}"
    body = {
        "period_start": "2026-04-01",
        "period_end": "2026-09-30",
        "ratings": [{"kpi": kpi.pk, "rating": "excellent", "result": "95%"}],
    }
    response = api.post(f"{url}/assessments", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Select a rating for KPI 1",
        "errors": {f"rating_{kpi.pk}": ["Select a rating for KPI 1"]},
    }
    body["ratings"][0]["rating"] = "good"  # type: ignore[index]
    response = api.post(f"{url}/assessments", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["assessments"][0]["ratings"][0]["rating"] == "good"

    outsider = member_of(contract_with_parties().commissioning_body, User.Role.COMMISSIONER)
    change = {"kind": "scope", "description": "Adds women's services", "reason": "Need grew"}
    response = client_for(outsider).post(f"{url}/changes", change, content_type="application/json")
    assert response.status_code == 403
    assert (
        client_for(None).post(f"{url}/changes", change, content_type="application/json").status_code
        == 401
    )
    response = api.post(f"{url}/changes", change, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["changes"][0]["reason"] == "Need grew"


def test_a_contract_made_from_an_award_starts_mobilising() -> None:
    """Issue 15 item 1: the award services' contract is mobilising until marked active."""
    s = award_setup()
    award = awards_services.decide_award(s.commissioner, s.lot, REASONS)
    assert award.standstill_ends_at is not None
    with time_machine.travel(award.standstill_ends_at, tick=False):
        start = award.standstill_ends_at.astimezone(LONDON).date() + timedelta(days=7)
        contract = awards_services.create_contract(
            s.commissioner, award, start, outcome_target=Decimal(60)
        )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.MOBILISING
    lifecycle.transition(s.commissioner, contract, Contract.Status.ACTIVE)
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.ACTIVE
