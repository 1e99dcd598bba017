"""The contracts API (PBR-1 .. PBR-6, SUP-1): public reads of contracts, statements, chain risk
and stress tests; replacing a mechanism needs a session and the commissioner's permission, and an
invalid document is refused with every field path named and nothing saved."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.contracts.models import Contract, ContractParty
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.payments.loader import example_document
from tests.factories import (
    CommissioningBodyFactory,
    ExerciseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLE = "illustrative-supply-chain"
URL = "/api/contracts"


def _document(name: str) -> dict[str, Any]:
    return copy.deepcopy(example_document(name))  # type: ignore[arg-type]


def make_contract(reference: str = "PBR-T-1", *, observed: bool = True) -> Contract:
    body = CommissioningBodyFactory()
    exercise = ExerciseFactory(commissioning_body=body)
    opportunity = Opportunity.objects.create(
        exercise=exercise, reference=f"OPP-{reference}", title="Resettlement", status="awarded"
    )
    lot = Lot.objects.create(
        opportunity=opportunity,
        number=1,
        title="Lot 1",
        estimated_annual_value=Decimal("600000.00"),
        duration_months=24,
    )
    prime = OrganisationFactory(name=f"Prime {reference}", is_prime=True, annual_income=9_000_000)
    contract = Contract.objects.create(
        reference=reference,
        title=f"Contract {reference}",
        lot=lot,
        commissioning_body=body,
        prime=prime,
        start_date=date(2026, 4, 1),
        end_date=date(2028, 3, 31),
        annual_value=Decimal("600000.00"),
        mechanism=_document(EXAMPLE),
        observed=_document(f"{EXAMPLE}.observed") if observed else None,
    )
    organisations = {"pcc": body, "prime": prime}
    roles = {"pcc": "commissioner", "prime": "prime"}
    for party in ("housing-charity", "womens-centre"):
        organisations[party] = OrganisationFactory(name=f"{party} {reference}")
        roles[party] = "subcontractor"
    for party_id, organisation in organisations.items():
        ContractParty.objects.create(
            contract=contract,
            party_id=party_id,
            organisation=organisation,
            role=roles[party_id],
            promised_value_per_year=Decimal("50000.00") if party_id == "womens-centre" else None,
        )
    return contract


def commissioner_of(contract: Contract, client: Client) -> None:
    user = UserFactory(role="commissioner")
    MembershipFactory(user=user, organisation=contract.commissioning_body)
    client.force_login(user)


# ---------------------------------------------------------------- reads


def test_list_is_paginated_with_money_as_strings(client: Client) -> None:
    make_contract("PBR-T-1")
    make_contract("PBR-T-2")

    body = client.get(URL, {"page_size": 1}).json()

    assert body["count"] == 2 and body["page_size"] == 1 and len(body["results"]) == 1
    row = body["results"][0]
    assert row["annual_value"] == "600000.00"
    assert row["mechanism"] == {"id": EXAMPLE, "name": _document(EXAMPLE)["name"]}
    assert row["prime"]["name"].startswith("Prime") and row["commissioning_body"]["slug"]
    assert row["start_date"] == "2026-04-01" and row["is_synthetic"] is False
    assert client.get(URL, {"page": 9}).json()["results"] == []


def test_detail_has_the_supply_chain_and_the_mechanism(client: Client) -> None:
    contract = make_contract()

    body = client.get(f"{URL}/{contract.reference}").json()

    parties = {p["party_id"]: p for p in body["parties"]}
    assert set(parties) == {"pcc", "prime", "housing-charity", "womens-centre"}
    assert parties["womens-centre"]["role"] == "subcontractor"
    assert parties["womens-centre"]["promised_value_per_year"] == "50000.00"
    assert parties["womens-centre"]["name"] == "Women's centre"  # as named in the mechanism
    assert parties["prime"]["organisation"]["slug"] == contract.prime.slug
    assert body["mechanism_document"] == contract.mechanism
    assert body["lot"]["opportunity"] == "OPP-PBR-T-1"


def test_unknown_contract_is_404_json_everywhere(client: Client) -> None:
    for suffix in ("", "/statement", "/risk", "/stress"):
        response = client.get(f"{URL}/NOPE{suffix}")
        assert response.status_code == 404
        assert response.json()["detail"] == "No contract NOPE"


def test_statement_matches_the_core_and_is_conserved(client: Client) -> None:
    contract = make_contract()

    body = client.get(f"{URL}/{contract.reference}/statement").json()

    statement = body["statement"]
    assert body["contract"] == contract.reference and statement["mechanism"] == EXAMPLE
    assert statement["conserved"] is True
    assert statement["funders_paid"] == statement["chain_received"]
    assert [p["period"] for p in statement["periods"]] == [1, 2, 3, 4, 5, 6]
    amounts = [line["amount"] for line in statement["lines"]]
    assert amounts and all(isinstance(a, str) and Decimal(a) > 0 for a in amounts)
    assert {"payer", "payee", "kind", "rule", "explanation", "due"} <= set(statement["lines"][0])


def test_statement_explains_when_nothing_is_observed(client: Client) -> None:
    contract = make_contract(observed=False)

    response = client.get(f"{URL}/{contract.reference}/statement")

    assert response.status_code == 200
    assert response.json()["statement"] is None
    assert "Nothing has been recorded or imported" in response.json()["detail"]


def test_risk_gives_the_chain_risk_table(client: Client) -> None:
    contract = make_contract()

    body = client.get(f"{URL}/{contract.reference}/risk").json()

    assert body["mechanism"] == EXAMPLE and body["basis"] == "statement"
    assert {row["party"] for row in body["rows"]} >= {"prime", "housing-charity", "womens-centre"}
    assert isinstance(body["chain_value"], str)


def test_stress_compares_the_variant_with_the_mechanism_as_agreed(client: Client) -> None:
    contract = make_contract()

    body = client.get(
        f"{URL}/{contract.reference}/stress",
        {"payment_terms_days": 90, "member": "womens-centre"},
    ).json()

    members = {m["party"]: m for m in body["members"]}
    assert set(members) == {"prime", "housing-charity", "womens-centre"}
    for member in members.values():
        assert 0 <= member["ruin_probability"] <= 1 and 0 <= member["variant_ruin_probability"] <= 1
    centre = members["womens-centre"]
    assert centre["variant_ruin_probability"] >= centre["ruin_probability"]
    assert body["member"] == "womens-centre" and "payment terms (days) 90" in body["levers"]
    assert set(body["fan"]["baseline"]) == {"5", "25", "50", "75", "95"}
    assert len(body["fan"]["variant"]["50"]) == body["months"]


def test_stress_defaults_to_the_prime(client: Client) -> None:
    contract = make_contract()
    body = client.get(f"{URL}/{contract.reference}/stress").json()
    assert body["member"] == "prime" and body["levers"] == "as agreed"


def test_bad_levers_are_422_naming_each_field(client: Client) -> None:
    contract = make_contract()

    response = client.get(
        f"{URL}/{contract.reference}/stress",
        {"upfront_share": "1.5", "payment_terms_days": "-3", "member": "nobody"},
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"upfront_share", "payment_terms_days", "member"}
    assert "prime" in errors["member"][0]
    not_a_number = client.get(f"{URL}/{contract.reference}/stress", {"at_risk_share": "half"})
    assert not_a_number.status_code == 422 and list(not_a_number.json()["errors"]) == [
        "at_risk_share"
    ]


# ---------------------------------------------------------------- writes


def test_commissioner_replaces_the_mechanism_with_an_audit_record(client: Client) -> None:
    contract = make_contract()
    commissioner_of(contract, client)
    document = _document(EXAMPLE)
    document["service_fee"]["annual_value"] = "720000.00"

    response = client.put(
        f"{URL}/{contract.reference}/mechanism", document, content_type="application/json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["mechanism_document"]["service_fee"]["annual_value"] == "720000.00"
    contract.refresh_from_db()
    assert contract.mechanism["service_fee"]["annual_value"] == "720000.00"
    assert AuditEvent.objects.filter(target_id=str(contract.pk)).exists()


def test_invalid_mechanism_is_422_with_field_paths_and_nothing_saved(client: Client) -> None:
    contract = make_contract()
    commissioner_of(contract, client)
    document = _document(EXAMPLE)
    document["outcome_payments"][0]["tariff"] = "lots"
    document["supply_chain"][0]["management_fee"] = 0.1

    response = client.put(
        f"{URL}/{contract.reference}/mechanism", document, content_type="application/json"
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"outcome_payments[0].tariff", "supply_chain[0].management_fee"} <= set(errors)
    assert "outcome_payments[0].tariff" in response.json()["detail"]
    contract.refresh_from_db()
    assert contract.mechanism == _document(EXAMPLE)


def test_mechanism_the_observations_no_longer_fit_is_refused(client: Client) -> None:
    contract = make_contract()
    commissioner_of(contract, client)
    document = _document(EXAMPLE)
    document["id"] = "renamed"

    response = client.put(
        f"{URL}/{contract.reference}/mechanism", document, content_type="application/json"
    )

    assert response.status_code == 422
    assert any(key.startswith("observed.") for key in response.json()["errors"])
    contract.refresh_from_db()
    assert contract.mechanism["id"] == EXAMPLE


def test_body_that_is_not_an_object_is_422(client: Client) -> None:
    contract = make_contract()
    commissioner_of(contract, client)
    response = client.put(
        f"{URL}/{contract.reference}/mechanism", [1, 2], content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"]


def test_writes_need_a_session_and_the_commissioners_permission(client: Client) -> None:
    contract = make_contract()
    document = _document(EXAMPLE)
    url = f"{URL}/{contract.reference}/mechanism"

    anonymous = client.put(url, document, content_type="application/json")
    assert anonymous.status_code == 401

    provider = UserFactory(role="provider")
    MembershipFactory(user=provider, organisation=contract.prime)
    client.force_login(provider)
    assert client.put(url, document, content_type="application/json").status_code == 403

    outsider = UserFactory(role="commissioner")
    MembershipFactory(user=outsider, organisation=CommissioningBodyFactory())
    client.force_login(outsider)
    forbidden = client.put(url, document, content_type="application/json")
    assert forbidden.status_code == 403 and forbidden.json()["detail"]

    assert (
        client.put(f"{URL}/NOPE/mechanism", document, content_type="application/json").status_code
        == 404
    )


def test_openapi_documents_the_contract_endpoints(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/contracts",
        "/api/contracts/{reference}",
        "/api/contracts/{reference}/statement",
        "/api/contracts/{reference}/risk",
        "/api/contracts/{reference}/stress",
    } <= set(paths)
    assert "put" in paths["/api/contracts/{reference}/mechanism"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"upfront_share": "1"}, "upfront_share"),
        ({"upfront_share": "0.01", "at_risk_share": "1"}, "at_risk_share"),
        ({"upfront_share": "0.6", "at_risk_share": "0.6"}, "at_risk_share"),
    ],
)
def test_levers_adding_up_to_more_than_everything_are_422_as_on_the_form(
    client: Client, params: dict[str, str], field: str
) -> None:
    """PBR-5, issue 11 item 13: these answered 500 with an HTML page; the form refused them."""
    contract = make_contract()

    response = client.get(f"{URL}/{contract.reference}/stress", params)

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"} and list(body["errors"]) == [field]
    (message,) = body["errors"][field]
    assert "must be 100% or less" in message
    page = client.get(
        f"/contracts/{contract.reference}/stress/",
        {**{k: str(float(v) * 100) for k, v in params.items()}, "member": "prime"},
    )
    assert message in page.content.decode()
