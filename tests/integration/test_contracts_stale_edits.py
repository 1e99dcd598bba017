"""No lost updates on a contract (issue 13; PBR-1, LAW-4): two commissioners start from the same
version of the payment mechanism (the documents page, the builder, the API) or of a KPI; the
first saves, and the second's save — made from the version before — is refused, naming the
first and what they changed, with nothing overwritten; saving again from the new version works.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.contracts import performance
from commissioning.contracts.models import Contract, Kpi
from tests.contract_factories import ContractFactory
from tests.factories import client_for, member_of
from tests.integration.stale_edits import REFUSAL, assert_stale_edit_refused, shown_form

pytestmark = pytest.mark.django_db


def _commissioners(contract: Contract) -> tuple[User, User]:
    body = contract.commissioning_body
    return (
        member_of(body, User.Role.COMMISSIONER, username="alice-first"),
        member_of(body, User.Role.COMMISSIONER, username="bob-second"),
    )


def _renamed(form: dict[str, list[str]], name: str) -> dict[str, Any]:
    """The documents form as shown, with the mechanism's name changed to ``name``."""
    mechanism = json.loads(form["mechanism"][0])
    mechanism["name"] = name
    return {**form, "mechanism": json.dumps(mechanism, indent=2)}


def _stored_name(contract: Contract) -> str:
    return str(Contract.objects.get(pk=contract.pk).mechanism["name"])


def test_a_stale_save_of_the_documents_is_refused_naming_who_changed_them() -> None:
    contract = ContractFactory()
    alice, bob = _commissioners(contract)
    first, second = client_for(alice), client_for(bob)
    url = reverse("contracts:edit", args=[contract.reference])
    opened_by_alice, opened_by_bob = shown_form(first, url), shown_form(second, url)

    saved = first.post(url, _renamed(opened_by_alice, "Resettlement (Alice's terms)"))
    assert saved.status_code == 302
    refused = second.post(url, _renamed(opened_by_bob, "Resettlement (Bob's terms)"))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSAL in page
    assert "alice-first changed it on" in page
    assert "payment mechanism: name: " in page and "Resettlement (Alice&#x27;s terms)" in page
    assert "Bob&#x27;s terms" in page, "the form keeps what Bob typed"
    assert _stored_name(contract) == "Resettlement (Alice's terms)"

    again = second.post(url, _renamed(shown_form(second, url), "Resettlement (Bob's terms)"))
    assert again.status_code == 302
    assert _stored_name(contract) == "Resettlement (Bob's terms)"


def _check_url(contract: Contract) -> str:
    return reverse("contracts:build-check", args=[contract.reference])


def _rename_in_builder(client: Client, contract: Contract, name: str) -> dict[str, list[str]]:
    """Change the mechanism's name on the builder's first step; the check page's form."""
    url = reverse("contracts:build-step", args=[contract.reference, "term"])
    page = client.get(url)
    assert page.status_code == 200
    answers = page.context["form"].initial
    posted = {key: "" if value is None else str(value) for key, value in answers.items()}
    posted.update({"name": name, "scenario-referrals_per_year": "200"})
    posted["scenario-outcome_rate"] = "40"
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return shown_form(client, _check_url(contract))


def test_a_stale_save_from_the_builder_is_refused_naming_who_changed_it() -> None:
    contract = ContractFactory(observed=None)
    alice, bob = _commissioners(contract)
    first, second = client_for(alice), client_for(bob)
    checked_by_alice = _rename_in_builder(first, contract, "Built by Alice")
    checked_by_bob = _rename_in_builder(second, contract, "Built by Bob")

    assert first.post(_check_url(contract), checked_by_alice).status_code == 302
    refused = second.post(_check_url(contract), checked_by_bob)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSAL in page
    assert "alice-first changed it on" in page and "Built by Alice" in page
    assert _stored_name(contract) == "Built by Alice"

    again = second.post(_check_url(contract), shown_form(second, _check_url(contract)))
    assert again.status_code == 302
    assert _stored_name(contract) == "Built by Bob"


def test_a_stale_put_of_the_mechanism_is_409_naming_who_changed_it() -> None:
    contract = ContractFactory()
    alice, bob = _commissioners(contract)
    first, second = client_for(alice), client_for(bob)
    url = f"/api/contracts/{contract.reference}"
    read = first.get(url).json()
    version = read["version"]
    assert second.get(url).json()["version"] == version

    def put(client: Client, name: str, version: str) -> Any:
        document = {**read["mechanism_document"], "name": name}
        return client.put(
            f"{url}/mechanism?version={version}", document, content_type="application/json"
        )

    assert put(first, "Alice's terms", version).status_code == 200
    refused = put(second, "Bob's terms", version)

    assert refused.status_code == 409
    body = refused.json()
    assert body["detail"].startswith(REFUSAL)
    assert "alice-first changed it on" in body["detail"] and "Alice's terms" in body["detail"]
    assert list(body["errors"]) == ["version"]
    assert _stored_name(contract) == "Alice's terms"

    fresh = second.get(url).json()["version"]
    assert fresh != version
    saved = put(second, "Bob's terms", fresh)
    assert saved.status_code == 200 and saved.json()["version"] != fresh
    assert _stored_name(contract) == "Bob's terms"


def test_a_stale_kpi_edit_is_refused_naming_who_changed_it() -> None:
    contract = ContractFactory()
    alice, bob = _commissioners(contract)
    kpi = performance.save_kpi(
        alice,
        contract,
        name="Seen within 5 working days",
        measure="Share of referrals first seen within 5 working days",
        target="90%",
        frequency=Kpi.Frequency.QUARTERLY,
        data_source=Kpi.DataSource.REFERRALS_COMPLETED,
    )
    url = reverse("contracts:kpi-edit", args=[contract.reference, kpi.pk])

    page = assert_stale_edit_refused(
        url,
        client_for(bob),  # refused: saves second, from the version both opened
        client_for(alice),  # saves first
        typed_first={"target": "80%"},
        typed_second={"target": "95%"},
        saved=lambda: Kpi.objects.get(pk=kpi.pk).target,
        shows="95%",
    )

    assert "alice-first changed it on" in page and "target: 90% → 95%" in page
    assert Kpi.objects.get(pk=kpi.pk).target == "95%"
    form = shown_form(client_for(bob), url)
    assert client_for(bob).post(url, {**form, "target": "80%"}).status_code == 302
    assert Kpi.objects.get(pk=kpi.pk).target == "80%"


def test_editing_one_kpi_does_not_make_another_stale() -> None:
    contract = ContractFactory()
    alice, bob = _commissioners(contract)
    kpis = [
        performance.save_kpi(
            alice,
            contract,
            name=f"KPI {n}",
            measure="Share of referrals first seen within 5 working days",
            target="90%",
            frequency=Kpi.Frequency.QUARTERLY,
            data_source=Kpi.DataSource.REFERRALS_COMPLETED,
        )
        for n in (1, 2)
    ]
    urls = [reverse("contracts:kpi-edit", args=[contract.reference, k.pk]) for k in kpis]
    opened_by_bob = shown_form(client_for(bob), urls[1])
    form = shown_form(client_for(alice), urls[0])
    assert client_for(alice).post(urls[0], {**form, "target": "70%"}).status_code == 302

    assert client_for(bob).post(urls[1], {**opened_by_bob, "target": "60%"}).status_code == 302
    assert [k.target for k in Kpi.objects.filter(contract=contract)] == ["70%", "60%"]
