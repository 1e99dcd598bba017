"""Contract pages (PBR-1 .. PBR-6, SUP-1, SUP-3): public reading of every section, the
numbers on the pages are the core's, and the list's filters."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.contracts import services
from commissioning_analytics.payments import calculate, load_example, parse_observed
from commissioning_analytics.payments.money import pounds
from tests.contract_factories import ContractFactory, contract_with_parties

pytestmark = pytest.mark.django_db

SECTIONS = ("detail", "mechanism", "statements", "risk", "stress")


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("section", SECTIONS)
def test_anonymous_people_read_every_section(client: Client, section: str) -> None:
    contract = contract_with_parties(is_synthetic=True)
    response = client.get(reverse(f"contracts:{section}", args=[contract.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Synthetic" in html
    for other in SECTIONS:  # every section links to every other
        assert reverse(f"contracts:{other}", args=[contract.reference]) in html
    assert reverse("contracts:edit", args=[contract.reference]) not in html


def test_unknown_contract_is_404(client: Client) -> None:
    assert client.get(reverse("contracts:detail", args=["CT-NOPE"])).status_code == 404


def test_list_shows_value_dates_prime_and_mechanism_kind(client: Client) -> None:
    contract = ContractFactory(title="Housing contract")
    text = text_of(client.get(reverse("contracts:list")))
    assert "Housing contract" in text
    assert contract.prime.name in text
    assert "£600,000.00" in text
    assert "1 April 2026 to 31 March 2028" in text
    assert "Service fee (10% at risk), outcome payments" in text


def test_list_filters(client: Client) -> None:
    first = ContractFactory(title="Housing in the north")
    second = ContractFactory(title="Employment support")
    text = text_of(client.get(reverse("contracts:list"), {"q": "north"}))
    assert first.title in text and second.title not in text
    text = text_of(client.get(reverse("contracts:list"), {"prime": second.prime.slug}))
    assert second.title in text and first.title not in text
    body = second.commissioning_body.slug
    text = text_of(client.get(reverse("contracts:list"), {"body": body}))
    assert second.title in text and first.title not in text
    response = client.get(reverse("contracts:list"), {"body": "nowhere"})
    assert "Select a commissioning body from the list" in response.content.decode()


def test_summary_shows_the_supply_chain_as_bid(client: Client) -> None:
    contract = contract_with_parties()
    text = text_of(client.get(contract.get_absolute_url()))
    assert "Local housing charity" in text
    assert "Services of Local housing charity" in text
    assert "Management fee kept by the prime 12%" in text
    assert "Minimum contract value £60,000.00" in text
    assert "Paid after the prime 14 days" in text
    assert "Promised value a year £90,000.00" in text


def test_mechanism_in_plain_english_and_as_json(client: Client) -> None:
    contract = ContractFactory()
    text = text_of(client.get(reverse("contracts:mechanism", args=[contract.reference])))
    assert "pays a service fee of £600,000.00 a year, quarterly, in arrears" in text
    assert "10% of each instalment is withheld" in text
    assert "£300.00 (£750.00 for the high-need group)" in text
    assert "at least 2.0 percentage points" in text
    response = client.get(reverse("contracts:mechanism-json", args=[contract.reference]))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response.json() == contract.mechanism


@pytest.mark.parametrize("example", ["illustrative-supply-chain", "hmp-doncaster"])
def test_statement_numbers_on_the_page_are_the_cores(client: Client, example: str) -> None:
    contract = ContractFactory(example=example)
    mechanism = load_example(example)
    statement = calculate(mechanism, parse_observed(contract.observed, mechanism))
    text = text_of(client.get(reverse("contracts:statements", args=[contract.reference])))
    for line in statement.lines:
        assert pounds(line.amount) in text
        assert line.explanation in text
    for totals in statement.totals().values():
        assert pounds(totals.received) in text
    assert f"what the funders paid ({pounds(statement.funders_paid())})" in text
    assert "Money is conserved" in text


def test_statements_without_observations(client: Client) -> None:
    contract = ContractFactory(observed=None)
    text = text_of(client.get(reverse("contracts:statements", args=[contract.reference])))
    assert "Nothing has been recorded or imported yet" in text


def test_risk_table_shows_each_organisation_and_its_flags(client: Client) -> None:
    contract = contract_with_parties()
    risk = services.risk_for(contract)
    text = text_of(client.get(reverse("contracts:risk", args=[contract.reference])))
    for row in risk.rows:
        assert row.name in text
        assert pounds(row.expected_receipts) in text
    for flag in risk.flags:
        assert flag.message in text


def test_stress_page_shows_the_fan_chart_and_a_lever_changes_the_result(client: Client) -> None:
    contract = contract_with_parties()
    url = reverse("contracts:stress", args=[contract.reference])
    html = client.get(url).content.decode()
    assert 'role="img"' in html and "Fan chart of Prime contractor" in html
    assert "What if:" not in html
    response = client.get(
        url, {"member": "housing-charity", "payment_terms_days": "120", "only": "on"}
    )
    text = text_of(response)
    assert "What if: payment terms (days) 120 (for housing-charity)" in text
    assert "Fan chart of Local housing charity" in text
    assert "percentage points" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"upfront_share": "150"}, "Up-front share must be 100 or less"),
        ({"payment_terms_days": "-1"}, "Payment terms must be 0 days or more"),
        ({"upfront_share": "70", "at_risk_share": "40"}, "must be 100% or less"),
        ({"member": "nobody"}, "Select an organisation from the list"),
    ],
)
def test_invalid_levers_are_reported_next_to_the_field(
    client: Client, params: dict[str, str], message: str
) -> None:
    contract = contract_with_parties()
    response = client.get(reverse("contracts:stress", args=[contract.reference]), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert message in unescape(html)
    assert "govuk-error-message" in html


@pytest.mark.parametrize("example", ["peterborough-sib", "work-programme-jsa-18-24"])
@pytest.mark.parametrize("section", SECTIONS)
def test_every_example_renders_every_section(client: Client, example: str, section: str) -> None:
    """Contracts without linked directory parties still show every section (figures without
    finances are "Not known")."""
    contract = ContractFactory(example=example)
    response = client.get(reverse(f"contracts:{section}", args=[contract.reference]))
    assert response.status_code == 200
