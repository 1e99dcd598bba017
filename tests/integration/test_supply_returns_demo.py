"""The demo's supply-chain returns (SUP-1): drafted from the demo referrals and payments and
submitted for each past quarter, labelled synthetic, one sub-contractor disputing its line."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.invoices import load_demo_invoices
from commissioning.demo.referrals import load_demo_referrals
from commissioning.demo.services import load_market
from commissioning.demo.supply_returns import load_demo_returns
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


def test_the_demo_returns_are_submitted_with_one_line_disputed() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    load_demo_invoices(contracts, seed=2026, today=TODAY)
    load_demo_referrals(seed=2026, today=TODAY)
    made = load_demo_returns(today=TODAY)
    assert made["returns"] == SupplyReturn.objects.count() >= 3
    assert made["disputed"] == 1
    assert not SupplyReturn.objects.filter(is_synthetic=False).exists()
    assert set(SupplyReturn.objects.values_list("status", flat=True)) == {"submitted"}
    disputed = ReturnLine.objects.get(status=ReturnLine.Status.DISPUTED)
    assert disputed.dispute_reason.startswith("Synthetic demo dispute")
    assert ReturnLine.objects.filter(status=ReturnLine.Status.CONFIRMED).exists()
    paid = sum(line.amount_paid for line in ReturnLine.objects.all())
    assert paid > 0
    received = sum(line.referrals_received for line in ReturnLine.objects.all())
    assert received > 0
    assert load_demo_returns(today=TODAY) == made  # replaces, same again
