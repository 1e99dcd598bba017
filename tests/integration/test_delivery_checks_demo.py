"""The demo's stories after award (issue 14 "Done when"): the named sub-contractor given no
referrals for two quarters is flagged as bid candy in the API (SUP-2), and the supply-chain
contract shows engagement and completion falling with need (PBR-3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.contracts.models import Contract
from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.referrals import bid_candy_party, load_demo_referrals
from commissioning.demo.services import load_market
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_contract() -> Iterator[Contract]:
    load_market(generate_market(2026, 0.05), replace=False)
    contracts = load_demo_contracts(seed=2026)
    load_demo_referrals(seed=2026, today=timezone.localdate())
    yield next(c for c in contracts if bid_candy_party(c))


def test_the_demo_bid_candy_case_is_flagged_in_the_api(chain_contract: Contract) -> None:
    body = Client().get(f"/api/contracts/{chain_contract.reference}/bid-candy").json()
    by_party = {s["party"]: s for s in body["subcontractors"]}
    quiet = by_party[bid_candy_party(chain_contract)]
    assert quiet["flagged"] is True
    referrals = next(f for f in quiet["flags"] if f["measure"] == "referrals")
    assert referrals["received"] == "0"
    assert referrals["window_start"] == chain_contract.start_date.isoformat()
    assert [q["referrals"] for q in quiet["quarters"][:2]] == [0, 0]
    others = [s for party, s in by_party.items() if party != bid_candy_party(chain_contract)]
    assert others and not any(f["measure"] == "referrals" for s in others for f in s["flags"])


def test_the_demo_supply_chain_contract_shows_creaming_by_need_group(
    chain_contract: Contract,
) -> None:
    body = Client().get(f"/api/contracts/{chain_contract.reference}/need-groups").json()
    assert [g["need_group"] for g in body["groups"]] == ["standard", "high-need"]
    assert body["checked"] is True and body["flagged"] is True
    page = Client().get(f"/contracts/{chain_contract.reference}/promised-and-received/")
    assert "Creaming or parking flagged" in page.content.decode()
