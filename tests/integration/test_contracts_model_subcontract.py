"""The model sub-contract (SUP-3, SUP-1, PBR-4, PBR-6; issue 15): from a hand-made contract's
sub-contractor terms, the page and the PDF show the agreed figures in plain English, say what
was not agreed, and are seen only by the prime, that sub-contractor and the commissioners.

Hand figures, for Hope Housing on a £480,000 a year service fee with 20% withheld:
service fee passed a year 480,000 × 25% × (1 − 15%) = £102,000.00; at risk a year
480,000 × 20% × (25% × 50% × (1 − 15%)) = 96,000 × 0.10625 = £10,200.00.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty, Kpi
from commissioning.contracts.subcontract import model_subcontract
from commissioning.contracts.subcontract_pdf import pdf_blocks, render_pdf
from tests.contract_factories import ContractFactory, ContractPartyFactory
from tests.factories import OrganisationFactory, client_for, member_of
from tests.integration.test_awards_feedback_pdf import _page_text

pytestmark = pytest.mark.django_db

MECHANISM: dict[str, Any] = {
    "format_version": 1,
    "id": "model-subcontract-test",
    "name": "Hand-made resettlement contract",
    "period": "quarter",
    "term_periods": 8,
    "payment_terms_days": 30,
    "parties": [
        {"id": "pcc", "name": "Police and Crime Commissioner", "role": "commissioner"},
        {"id": "prime", "name": "Prime contractor", "role": "prime"},
        {"id": "hope-housing", "name": "Hope Housing", "role": "subcontractor"},
        {"id": "bridge-project", "name": "Bridge Project", "role": "subcontractor"},
    ],
    "measures": [
        {
            "id": "settled-accommodation",
            "kind": "intermediate",
            "description": "In settled accommodation 3 months after release",
        }
    ],
    "service_fee": {
        "annual_value": "480000.00",
        "frequency": "quarterly",
        "timing": "arrears",
        "at_risk": {
            "share": "0.20",
            "mode": "withheld",
            "measure": "settled-accommodation",
            "target": "40",
        },
    },
    "outcome_payments": [
        {
            "id": "housed",
            "measure": "settled-accommodation",
            "basis": "per_person_achieving",
            "tariff": "300.00",
        }
    ],
    "supply_chain": [
        {
            "subcontractor": "hope-housing",
            "service_fee_share": "0.25",
            "outcome_payment_share": "0.40",
            "management_fee": "0.15",
            "at_risk_share": "0.5",
            "minimum_contract_value": "75000.00",
            "payment_terms_days": 21,
        },
        {
            "subcontractor": "bridge-project",
            "service_fee_value": "30000.00",
            "at_risk_share": "0",
        },
    ],
}

HOPE_FIGURES = (
    "£102,000.00",  # service fee passed a year
    "40%",  # share of outcome payments
    "15%",  # management fee
    "50%",  # share of its at-risk money it carries
    "£10,200.00",  # at risk a year
    "21 days",  # payment terms
    "£75,000.00",  # minimum contract value
    "120",  # referrals expected a year
)


def text_of(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def hand_made_contract() -> Contract:
    """The contract of :data:`MECHANISM`, its prime and two sub-contractors linked to the
    directory (Hope Housing with its bid's promises, Bridge Project with none) and one KPI."""
    contract: Contract = ContractFactory(mechanism=MECHANISM, observed=None, is_synthetic=True)
    ContractPartyFactory(
        contract=contract,
        party_id="prime",
        organisation=contract.prime,
        role=ContractParty.Role.PRIME,
    )
    ContractPartyFactory(
        contract=contract,
        party_id="hope-housing",
        organisation=OrganisationFactory(name="Hope Housing Trust"),
        services="Floating support to find and keep a tenancy",
        role_as_bid="Housing caseworkers in each prison",
        promised_referrals_per_year=120,
        promised_value_per_year=Decimal("110000.00"),
    )
    ContractPartyFactory(
        contract=contract,
        party_id="bridge-project",
        organisation=OrganisationFactory(name="Bridge Project"),
    )
    Kpi.objects.create(
        contract=contract,
        name="Settled accommodation",
        measure="People in settled accommodation 3 months after release",
        target="40% of each quarter's cohort",
        frequency=Kpi.Frequency.QUARTERLY,
        data_source=Kpi.DataSource.PROVIDER_RETURN,
    )
    return contract


@pytest.fixture
def contract() -> Contract:
    return hand_made_contract()


def _url(contract: Contract, party: str, name: str = "contracts:subcontract") -> str:
    return reverse(name, args=[contract.reference, party])


def _member(contract: Contract, party: str) -> User:
    return member_of(contract.parties.get(party_id=party).organisation)


def test_page_shows_the_agreed_figures(contract: Contract) -> None:
    response = client_for(_member(contract, "hope-housing")).get(_url(contract, "hope-housing"))
    assert response.status_code == 200
    text = text_of(response)
    for figure in HOPE_FIGURES:
        assert figure in text, figure
    assert "Model sub-contract with Hope Housing Trust" in text
    assert "Floating support to find and keep a tenancy" in text
    assert (
        "The prime passes on 25% of each service fee payment it receives, less its management "
        "fee: £102,000.00 a year."
    ) in text
    assert (
        "The sub-contractor carries 50% of its share of that risk: up to £10,200.00 a year of "
        "its service fee is paid only if the result is met."
    ) in text
    assert "The prime expects to refer 120 people a year to the sub-contractor" in text
    assert "within 21 days of the day the prime's own money falls due" in text
    assert "at least £75,000.00 over the term of 8 quarters" in text
    assert "Settled accommodation: People in settled accommodation 3 months after release." in text
    assert "Target: 40% of each quarter's cohort. Assessed quarterly" in text
    assert "The agreed terms name no mediator." in text
    assert "Synthetic" in text
    assert _url(contract, "hope-housing", "contracts:subcontract-pdf") in response.content.decode()
    assert not re.search(r"\b(SUP|PBR|PRO|LAW)-\d", text)


def test_what_was_not_agreed_is_said_plainly(contract: Contract) -> None:
    document = model_subcontract(contract, "bridge-project")
    terms = dict(document.key_terms)
    assert terms["Service fee passed to you a year"] == "£30,000.00"
    assert terms["Referrals expected a year"] == "Not agreed"
    assert terms["Services"] == "Not agreed"
    assert terms["Minimum contract value"] == "Not agreed"
    assert terms["Service fee at risk a year"] == "None"
    assert terms["You are paid within"] == "30 days of the prime's money falling due"
    said = {c.title: " ".join(c.paragraphs) for c in document.clauses}
    assert "No number of referrals was agreed" in said["Referrals expected"]
    assert said["Minimum contract value"].startswith("No minimum contract value was agreed")
    assert "The prime carries all of that risk" in said["What is at risk"]
    assert (
        "The sub-contractor gets no share of the outcome payments."
        in said["Fees and outcome payments"]
    )
    assert "The prime keeps no management fee." in said["Fees and outcome payments"]


def test_pdf_contains_the_figures(contract: Contract, tmp_path: Path) -> None:
    prime = member_of(contract.prime)
    response = client_for(prime).get(_url(contract, "hope-housing", "contracts:subcontract-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="model-subcontract-{contract.reference}-hope-housing.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")

    document = model_subcontract(contract, "hope-housing")
    blocks = pdf_blocks(document)
    table = next(b.rows for b in blocks if b.kind == "table")
    assert ("Management fee kept by the prime", "15%") in table
    assert ("Service fee at risk a year", "Up to £10,200.00") in table
    assert ("Minimum contract value", "£75,000.00 over the term") in table
    assert any(b.text == "Signed for Hope Housing Trust" for b in blocks)

    pdf = render_pdf(document, font_dir=tmp_path)  # core font: the text can be read back
    assert b"/Count 3" in pdf  # three A4 pages
    text = _page_text(pdf)
    for figure in HOPE_FIGURES:
        assert figure.replace("£", "\xa3") in text, figure
    assert "Model sub-contract between" in text


@pytest.mark.parametrize("name", ["contracts:subcontract", "contracts:subcontract-pdf"])
def test_outsiders_are_refused(contract: Contract, name: str) -> None:
    url = _url(contract, "hope-housing", name)
    outsider = member_of(OrganisationFactory())
    assert client_for(outsider).get(url).status_code == 403
    other_sub = _member(contract, "bridge-project")
    assert client_for(other_sub).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "sign-in" in anonymous["Location"]
    commissioner = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    assert client_for(commissioner).get(url).status_code == 200
    assert client_for(commissioner).get(_url(contract, "prime", name)).status_code == 404


def test_section_lists_subcontractors_with_links_for_parties_only(contract: Contract) -> None:
    index = reverse("contracts:subcontracts", args=[contract.reference])
    public = Client().get(index)
    assert public.status_code == 200
    assert "Hope Housing Trust" in text_of(public)
    assert _url(contract, "hope-housing") not in public.content.decode()
    assert index in Client().get(contract.get_absolute_url()).content.decode()

    html = client_for(_member(contract, "hope-housing")).get(index).content.decode()
    assert _url(contract, "hope-housing") in html
    assert _url(contract, "bridge-project") not in html


def test_clawback_passed_down_is_worded_as_a_repayment() -> None:
    """A clawback passed down is net of the management fee (docs/payments.md): the same £10,200
    a year, but repaid rather than held back."""
    mechanism = json.loads(json.dumps(MECHANISM))
    mechanism["service_fee"]["at_risk"]["mode"] = "clawback"
    contract: Contract = ContractFactory(mechanism=mechanism, observed=None)
    said = {
        c.title: " ".join(c.paragraphs) for c in model_subcontract(contract, "hope-housing").clauses
    }
    assert (
        "up to £10,200.00 a year of its service fee may have to be repaid to the prime. It never "
        "repays more than it was paid"
    ) in said["What is at risk"]
    assert "makes the prime repay that share of a year's fee" in said["What is at risk"]


def test_unlinked_subcontractor_of_a_shipped_example() -> None:
    """The illustrative example's women's centre, with no directory entry: its mechanism name,
    the prime carrying all the risk and its £60,000 minimum contract value."""
    contract: Contract = ContractFactory()
    document = model_subcontract(contract, "womens-centre")
    assert document.subcontractor == "Women's centre"
    terms = dict(document.key_terms)
    assert terms["Service fee passed to you a year"] == "£79,200.00"  # 600,000 × 15% × 88%
    assert terms["Minimum contract value"] == "£60,000.00 over the term"
    assert terms["Service fee at risk a year"] == "None"
    said = {c.title: " ".join(c.paragraphs) for c in document.clauses}
    assert "The prime carries all of that risk" in said["What is at risk"]
    assert "over the term of 24 months" in said["Minimum contract value"]
    assert said["Monitoring asked"].startswith(
        "No performance measures have been set on the contract yet."
    )
