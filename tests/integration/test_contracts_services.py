"""The contracts service layer (PBR-1 .. PBR-6, SUP-1, SUP-3): documents validated as a whole,
figures computed by the analytics core from the stored documents, edits audited."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.contracts import services
from commissioning.contracts.models import Contract
from commissioning_analytics.cashflow.stress_inputs import Levers
from commissioning_analytics.payments import calculate, load_example, parse_observed
from commissioning_analytics.payments.loader import example_document
from tests.contract_factories import ContractFactory, contract_with_parties
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db

EXAMPLE = "illustrative-supply-chain"


def bad_mechanism() -> dict:
    document = copy.deepcopy(example_document(EXAMPLE))
    assert isinstance(document, dict)
    document["outcome_payments"][0]["tariff"] = "lots"
    return document


def test_validate_documents_parses_every_document_with_the_core() -> None:
    parsed = services.validate_documents(
        example_document(EXAMPLE),
        example_document(f"{EXAMPLE}.observed"),
        {"format_version": 1, "mechanism": EXAMPLE, "referrals_per_month": 40},
    )
    assert parsed.mechanism == load_example(EXAMPLE)
    assert parsed.observed is not None and len(parsed.observed.periods) > 0
    assert parsed.assumptions is not None
    assert parsed.assumptions.values["referrals_per_month"] == 40


def test_invalid_mechanism_is_reported_by_field_path() -> None:
    with pytest.raises(services.ContractDataError) as caught:
        services.validate_documents(bad_mechanism(), None, None)
    assert list(caught.value.errors) == ["mechanism"]
    assert any(
        m.startswith("outcome_payments[0].tariff: ") for m in caught.value.errors["mechanism"]
    )


def test_observed_and_assumptions_are_checked_against_the_mechanism() -> None:
    observed = copy.deepcopy(example_document(f"{EXAMPLE}.observed"))
    assert isinstance(observed, dict)
    observed["mechanism"] = "another-mechanism"
    assumptions = {"format_version": 1, "mechanism": EXAMPLE, "outcome_rate": 3}
    with pytest.raises(services.ContractDataError) as caught:
        services.validate_documents(example_document(EXAMPLE), observed, assumptions)
    assert set(caught.value.errors) == {"observed", "assumptions"}
    assert "outcome_rate: must be between 0 and 1" in caught.value.errors["assumptions"]


def test_statement_is_the_cores_statement_for_the_stored_documents() -> None:
    contract = ContractFactory()
    mechanism = load_example(EXAMPLE)
    expected = calculate(mechanism, parse_observed(contract.observed, mechanism))
    assert services.statement_for(contract) == expected


def test_no_statement_when_nothing_is_observed() -> None:
    assert services.statement_for(ContractFactory(observed=None)) is None


def test_finances_come_from_directory_organisations_with_an_income() -> None:
    contract = contract_with_parties()
    finances = services.finances_for(contract)
    # the commissioning body has no income, so it is left out
    assert set(finances) == {"prime", "housing-charity", "womens-centre"}
    charity = contract.parties.get(party_id="housing-charity").organisation
    assert finances["housing-charity"].annual_income == charity.annual_income
    assert finances["housing-charity"].reserves_months == charity.reserves_months


def test_risk_is_from_the_statement_when_observed_and_flags_small_charities() -> None:
    contract = contract_with_parties()
    risk = services.risk_for(contract)
    assert risk.basis == "statement"
    assert {row.party for row in risk.rows} == {"prime", "housing-charity", "womens-centre"}
    assert risk.row("housing-charity").annual_income == Decimal("250000.00")
    codes = {(f.party, f.code) for f in risk.flags}
    assert ("housing-charity", "minimum_value_missing_or_low") in codes

    contract.observed = None
    contract.save()
    assert services.risk_for(contract).basis == "assumptions"


def test_stress_uses_directory_reserves_and_levers_change_the_result() -> None:
    contract = contract_with_parties()
    result = services.stress_for(contract, Levers(payment_terms_days=120), paths=300)
    charity = contract.parties.get(party_id="housing-charity").organisation
    reserves = float(charity.annual_income * charity.reserves_months / 12)
    assert result.baseline.member("housing-charity").reserves == pytest.approx(reserves)
    change = result.ruin_probability_change()
    assert set(change) == {"prime", "housing-charity", "womens-centre"}
    assert any(value > 0 for value in change.values())


def test_update_documents_saves_and_audits() -> None:
    contract = ContractFactory(observed=None)
    user = UserFactory(role=User.Role.COMMISSIONER)
    observed = example_document(f"{EXAMPLE}.observed")
    services.update_documents(
        user, contract, mechanism=contract.mechanism, observed=observed, assumptions=None
    )
    contract.refresh_from_db()
    assert contract.observed == observed
    event = AuditEvent.objects.get(action=services.ACTION_UPDATE_DOCUMENTS)
    assert event.actor == user
    assert set(event.changes) == {"observed"}


def test_update_documents_refuses_invalid_documents_and_saves_nothing() -> None:
    contract = ContractFactory()
    before = Contract.objects.get(pk=contract.pk).mechanism
    with pytest.raises(services.ContractDataError):
        services.update_documents(
            None, contract, mechanism=bad_mechanism(), observed=None, assumptions=None
        )
    assert Contract.objects.get(pk=contract.pk).mechanism == before
    assert not AuditEvent.objects.filter(action=services.ACTION_UPDATE_DOCUMENTS).exists()


def test_filters_by_body_prime_and_text() -> None:
    first = ContractFactory(title="Housing in the north")
    second = ContractFactory(title="Employment support")
    assert list(services.filter_contracts({"q": "housing"})) == [first]
    assert list(services.filter_contracts({"body": second.commissioning_body})) == [second]
    assert list(services.filter_contracts({"prime": first.prime})) == [first]


def test_only_the_bodys_commissioners_and_site_admins_edit() -> None:
    contract = ContractFactory()
    body = contract.commissioning_body
    assert permissions.can_edit_contract(member_of(body, User.Role.COMMISSIONER), contract)
    assert permissions.can_edit_contract(UserFactory(role=User.Role.ADMIN), contract)
    assert not permissions.can_edit_contract(member_of(body, User.Role.PROVIDER), contract)
    other = ContractFactory().commissioning_body
    assert not permissions.can_edit_contract(member_of(other, User.Role.COMMISSIONER), contract)
