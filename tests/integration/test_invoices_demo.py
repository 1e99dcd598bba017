"""The demo's invoices and payments (LAW-3, UK17): synthetic, twelve months or more for each
demo contract that invoices, and the seeds' story — a prime paid in about 25 days that pays its
sub-contractors in 60 or more, flagged on its contract page."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from commissioning.contracts.models import Contract
from commissioning.demo.contracts import delete_demo_contracts, load_demo_contracts
from commissioning.demo.invoices import load_demo_invoices
from commissioning.demo.services import load_market
from commissioning.invoices import compliance
from commissioning.invoices.models import Invoice, PaymentNotice
from commissioning.opendata.ocds.validate import validate_package
from commissioning_analytics.cashflow.prompt_payment import ReportingPeriod
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)
SUMMER = ReportingPeriod(date(2026, 4, 1), date(2026, 9, 30))


def test_the_demo_prime_is_paid_in_25_days_and_pays_its_subs_in_60_or_more() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    made = load_demo_invoices(contracts, seed=2026, today=TODAY)
    assert made == Invoice.objects.count() > 30
    assert not Invoice.objects.filter(is_synthetic=False).exists()
    for contract in contracts:
        days = Invoice.objects.filter(contract=contract).values_list("received_on", flat=True)
        if days:
            assert (max(days) - min(days)).days >= 270  # twelve months of periods invoiced
    chain = next(c for c in contracts if c.mechanism.get("supply_chain"))
    summer = next(p for p in compliance.chain_compliance(chain, TODAY) if p.period == SUMMER)
    assert summer.figures is not None and summer.figures.average_days_to_pay is not None
    assert summer.figures.average_days_to_pay >= 60
    assert summer.against_terms and all(t.later_than_terms for t in summer.against_terms)
    body = next(
        p for p in compliance.body_compliance(chain.commissioning_body, TODAY) if p.period == SUMMER
    )
    assert body.figures is not None and body.figures.average_days_to_pay is not None
    assert 21 <= body.figures.average_days_to_pay <= 29

    page = Client().get(f"/contracts/{chain.reference}/invoices/").content.decode()
    assert "Paid later than its terms" in page and "Synthetic" in page

    delete_demo_contracts()
    assert not Contract.objects.filter(is_synthetic=True).exists()
    assert not Invoice.objects.exists()


def test_the_demo_publishes_uk8_notices_and_the_pccs_uk17_validly() -> None:
    """Issue 14 items 1 and 2 (LAW-1, LAW-3): the demo's payments over £30,000 are published in
    contract payment notices, and its PCC's ended half-year in a payments compliance notice."""
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    load_demo_invoices(contracts, seed=2026, today=TODAY)
    notice = PaymentNotice.objects.first()
    assert notice is not None and notice.payments.filter(amount__gt=30000).exists()
    assert not PaymentNotice.objects.filter(payments__amount__lte=30000).exists()
    client = Client()
    contract_package = client.get(f"/api/contracts/{notice.contract.reference}/ocds").json()
    assert any("-UK8-" in r["id"] for r in contract_package["releases"])
    assert validate_package(contract_package).error_count == 0
    pcc = next(
        c.commissioning_body for c in contracts if c.commissioning_body.public_body_kind == "pcc"
    )
    uk17 = client.get(f"/api/payments-compliance/{pcc.slug}/ocds")
    assert uk17.status_code == 200, uk17.json()
    assert validate_package(uk17.json()).error_count == 0
