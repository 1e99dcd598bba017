"""Editing a contract's documents (PBR-1): only commissioners of its commissioning body (and
site administrators); every problem shown next to its document by field path; nothing saved
from invalid documents."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.contracts.models import Contract
from commissioning.contracts.services import ACTION_UPDATE_DOCUMENTS
from commissioning_analytics.payments.loader import example_document
from tests.contract_factories import ContractFactory
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def edit_url(contract: Contract) -> str:
    return reverse("contracts:edit", args=[contract.reference])


def posted(mechanism: object, observed: object = None, assumptions: object = None) -> dict:
    def text(document: object) -> str:
        return "" if document is None else json.dumps(document)

    return {
        "mechanism": text(mechanism),
        "observed": text(observed),
        "assumptions": text(assumptions),
    }


def test_anonymous_people_are_sent_to_sign_in(client: Client) -> None:
    contract = ContractFactory()
    response = client.get(edit_url(contract))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


@pytest.mark.parametrize("who", ["other-commissioner", "provider-of-body", "provider"])
def test_others_are_refused(client: Client, who: str) -> None:
    contract = ContractFactory()
    if who == "other-commissioner":
        user = member_of(ContractFactory().commissioning_body, User.Role.COMMISSIONER)
    elif who == "provider-of-body":
        user = member_of(contract.commissioning_body, User.Role.PROVIDER)
    else:
        user = member_of(contract.prime, User.Role.PROVIDER)
    client.force_login(user)
    assert client.get(edit_url(contract)).status_code == 403
    response = client.post(edit_url(contract), posted(contract.mechanism))
    assert response.status_code == 403
    detail = client.get(contract.get_absolute_url()).content.decode()
    assert edit_url(contract) not in detail


def test_commissioner_of_the_body_edits_and_it_is_audited(client: Client) -> None:
    contract = ContractFactory(observed=None)
    user = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    client.force_login(user)
    assert edit_url(contract) in client.get(contract.get_absolute_url()).content.decode()
    page = client.get(edit_url(contract)).content.decode()
    assert "illustrative-supply-chain" in page  # the stored mechanism, ready to edit
    observed = example_document("illustrative-supply-chain.observed")
    assumptions = {"format_version": 1, "mechanism": "illustrative-supply-chain"}
    response = client.post(edit_url(contract), posted(contract.mechanism, observed, assumptions))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.observed == observed
    assert contract.assumptions == assumptions
    event = AuditEvent.objects.get(action=ACTION_UPDATE_DOCUMENTS)
    assert event.actor == user and set(event.changes) == {"observed", "assumptions"}


def test_site_admin_may_edit(client: Client) -> None:
    contract = ContractFactory()
    client.force_login(UserFactory(role=User.Role.ADMIN))
    assert client.get(edit_url(contract)).status_code == 200


def test_invalid_mechanism_shows_field_errors_and_saves_nothing(client: Client) -> None:
    contract = ContractFactory()
    before = copy.deepcopy(contract.mechanism)
    client.force_login(member_of(contract.commissioning_body, User.Role.COMMISSIONER))
    mechanism = copy.deepcopy(contract.mechanism)
    mechanism["outcome_payments"][0]["tariff"] = "lots"
    del mechanism["service_fee"]["frequency"]
    response = client.post(edit_url(contract), posted(mechanism, contract.observed))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert 'id="id_mechanism_1_error"' in html
    assert "outcome_payments[0].tariff: " in html
    assert "service_fee" in html and "frequency" in html
    contract.refresh_from_db()
    assert contract.mechanism == before
    assert not AuditEvent.objects.filter(action=ACTION_UPDATE_DOCUMENTS).exists()


def test_errors_in_observed_and_assumptions_go_next_to_their_fields(client: Client) -> None:
    contract = ContractFactory()
    client.force_login(member_of(contract.commissioning_body, User.Role.COMMISSIONER))
    observed = copy.deepcopy(contract.observed)
    observed["mechanism"] = "something-else"
    assumptions = {"format_version": 1, "mechanism": "illustrative-supply-chain", "outcome_rate": 2}
    html = client.post(edit_url(contract), posted(contract.mechanism, observed, assumptions))
    html = html.content.decode()
    assert 'id="id_observed_1_error"' in html
    assert 'id="id_assumptions_1_error"' in html
    assert "outcome_rate: must be between 0 and 1" in html
    assert 'id="id_mechanism_1_error"' not in html


def test_text_that_is_not_json_is_reported(client: Client) -> None:
    contract = ContractFactory()
    client.force_login(member_of(contract.commissioning_body, User.Role.COMMISSIONER))
    data = {"mechanism": "{not json", "observed": "", "assumptions": ""}
    html = client.post(edit_url(contract), data).content.decode()
    assert "This is not valid JSON" in html


def test_start_from_an_example(client: Client) -> None:
    contract = ContractFactory()
    client.force_login(member_of(contract.commissioning_body, User.Role.COMMISSIONER))
    html = client.get(edit_url(contract), {"example": "peterborough-sib"}).content.decode()
    assert "&quot;id&quot;: &quot;peterborough-sib&quot;" in html
    contract.refresh_from_db()
    assert contract.mechanism["id"] == "illustrative-supply-chain"  # nothing saved yet
    html = client.get(edit_url(contract), {"example": "nothing"}).content.decode()
    assert "Select an example from the list" in html
