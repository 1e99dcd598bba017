"""The market map, a contract's footprint and specialist organisations' health on a hand-made
area (MKT-1, MKT-2, EQU-3), with the figures worked by hand.

Cumbria's market: local providers L1 (no lead), L2 (women-led) and L3 (BAME-led, stopped
operating), and a national prime P.
- 2024: OLD pays L1 £300; SMALL pays L2 £300, of which L2 pays £100 on to L3 → L1 300, L2 200,
  L3 100; £600 in all. Shares 50%, 33.3%, 16.7%: HHI = 2500 + 1111.1 + 277.8 = 3888.9.
- 2025: BIG (prime P, from 1 April 2025) pays P £900, of which P pays £100 on to L2 → P 800,
  L2 100; £900. HHI = 88.89² + 11.11² = 7901.2 + 123.5 = 8024.7.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.invoices.models import Invoice, Payment
from commissioning.stewardship import queries, services
from tests.contract_factories import ContractFactory
from tests.factories import AreaFactory, CommissioningBodyFactory, OrganisationFactory, client_for

pytestmark = pytest.mark.django_db


class Market:
    def __init__(self) -> None:
        self.area = AreaFactory(name="Cumbria", slug="cumbria")
        self.body = CommissioningBodyFactory()
        area = [self.area]
        self.l1 = OrganisationFactory(
            name="Lakes Housing", areas=area, annual_income=Decimal(100_000)
        )
        self.l2 = OrganisationFactory(
            name="Fells Women", areas=area, women_led=True, annual_income=Decimal(200_000)
        )
        self.l3 = OrganisationFactory(
            name="Eden Voices",
            areas=area,
            bame_led=True,
            annual_income=Decimal(50_000),
            stopped_operating_on=date(2025, 9, 30),
        )
        self.prime = OrganisationFactory(
            name="National Prime", is_prime=True, annual_income=Decimal(20_000_000)
        )
        self.old = self._contract("OLD", self.l1, date(2024, 1, 1), date(2024, 12, 31))
        self.small = self._contract("SMALL", self.l2, date(2024, 1, 1), date(2024, 12, 31))
        self.big = self._contract("BIG", self.prime, date(2025, 4, 1), date(2027, 3, 31))
        self.pay(self.old, self.l1, self.body, "300", date(2024, 6, 1))
        self.pay(self.small, self.l2, self.body, "300", date(2024, 6, 1))
        self.pay(self.small, self.l3, self.l2, "100", date(2024, 7, 1))
        self.pay(self.big, self.prime, self.body, "900", date(2025, 6, 1))
        self.pay(self.big, self.l2, self.prime, "100", date(2025, 7, 1))

    def _contract(self, reference: str, prime: Organisation, start: date, end: date) -> Contract:
        contract = ContractFactory(
            reference=reference,
            prime=prime,
            commissioning_body=self.body,
            start_date=start,
            end_date=end,
            annual_value=Decimal("5000.00"),
        )
        contract.lot.areas.set([self.area])
        return contract

    def pay(
        self, contract: Contract, issuer: Organisation, payer: Organisation, amount: str, on: date
    ) -> Payment:
        tier = Invoice.Tier.PRIME if payer == self.body else Invoice.Tier.SUBCONTRACTOR
        invoice = Invoice.objects.create(
            contract=contract,
            tier=tier,
            issuer_party=issuer.slug[:60],
            issuer=issuer,
            payer=payer,
            reference=f"INV-{Invoice.objects.count() + 1}",
            period=1,
            amount=Decimal(amount),
            received_on=on,
            terms_days=30,
            due_on=on,
        )
        return Payment.objects.create(invoice=invoice, paid_on=on, amount=Decimal(amount))


@pytest.fixture
def cumbria() -> Market:
    return Market()


def _get(url: str) -> str:
    response = client_for(None).get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_market_map_shows_money_and_concentration_by_year(cumbria: Market) -> None:
    page = _get(reverse("stewardship:market") + "?place=area:cumbria&measure=hhi&year=2024")
    assert "Market map: Cumbria" in page
    assert "3,888.9" in page and "8,024.7" in page
    assert "Highly concentrated" in page
    figures = _get(
        reverse("stewardship:market_csv", args=["concentration"]) + "?place=area:cumbria"
    )
    assert figures.splitlines() == [
        "year,money,providers_funded,hhi,band,four_firm_share_percent,source",
        "2024,600.00,3,3888.9,Highly concentrated,100.0,Recorded payments",
        "2025,900.00,2,8024.7,Highly concentrated,100.0,Recorded payments",
    ]
    tiles = _get(
        reverse("stewardship:market_csv", args=["tiles"])
        + "?place=area:cumbria&measure=hhi&year=2024"
    )
    assert tiles.splitlines()[0] == "police_force_area,hhi"
    assert "Cumbria,3888.9" in tiles.splitlines()
    providers = _get(
        reverse("stewardship:market_csv", args=["providers"]) + "?place=area:cumbria&year=2025"
    )
    lines = providers.splitlines()
    assert lines[0].endswith("money_2024,money_2025")
    # Those that got most in 2025 come first: the prime kept 800, the women-led charity 100.
    assert lines[1].startswith("National Prime,") and lines[1].endswith(",0,800.00")
    assert lines[2].startswith("Fells Women,") and lines[2].endswith(",200.00,100.00")


def test_a_contract_with_no_payment_counts_at_its_value_and_says_so(cumbria: Market) -> None:
    Payment.objects.filter(invoice__contract=cumbria.old).delete()
    figures = _get(
        reverse("stewardship:market_csv", args=["concentration"]) + "?place=area:cumbria"
    )
    # OLD ran all of 2024 at £5,000 a year and nothing is recorded paid: its prime L1 counts it.
    # Shares 5000, 200, 100 of 5300: 94.340² + 3.774² + 1.887² = 8900.0 + 14.2 + 3.6 = 8917.8.
    assert figures.splitlines()[1] == (
        "2024,5300.00,3,8917.8,Highly concentrated,100.0,"
        "Recorded payments; Contract values (no payment recorded yet)"
    )


def test_a_new_payment_changes_the_cached_page(cumbria: Market) -> None:
    url = reverse("stewardship:market") + "?place=area:cumbria&measure=hhi&year=2025"
    assert "8,024.7" in _get(url)
    assert "8,024.7" in _get(url)  # served from the cache
    cumbria.pay(cumbria.old, cumbria.l1, cumbria.body, "100", date(2025, 2, 1))
    # 2025: P 800, L2 100, L1 100 of 1000 → 6400 + 100 + 100 = 6600.
    page = _get(url)
    assert "6,600.0" in page and "8,024.7" not in page


def test_footprint_before_and_after_the_large_contract(cumbria: Market) -> None:
    records = queries.records(date(2026, 12, 31))
    areas, rows = services.footprint_rows(cumbria.big, records, date(2026, 12, 31))
    assert areas == ["Cumbria"]
    got = [
        (
            r.year,
            r.is_before,
            r.local_providers_funded,
            r.total,
            r.to_local,
            r.local_share,
            r.specialists_funded,
        )
        for r in rows
    ]
    assert got == [
        (2024, True, 3, Decimal(600), Decimal(600), Decimal(1), 2),
        (2025, False, 1, Decimal(900), Decimal(100), Decimal("0.1111"), 1),
        (2026, False, 0, Decimal(0), Decimal(0), None, 0),
    ]
    page = _get(reverse("stewardship:footprint", args=["BIG"]))
    assert "Local market footprint" in page
    assert "2024 (before the contract)" in page and "11.1%" in page
    lines = _get(reverse("stewardship:footprint_csv", args=["BIG"])).splitlines()
    assert lines[1] == "2024,yes,3,600.00,600.00,100.0,2"
    assert lines[2] == "2025,no,1,900.00,100.00,11.1,1"


def test_the_contract_pages_link_to_the_footprint(cumbria: Market) -> None:
    page = _get(reverse("contracts:detail", args=["BIG"]))
    assert reverse("stewardship:footprint", args=["BIG"]) in page


def test_specialist_organisations_health(cumbria: Market) -> None:
    lines = _get(reverse("stewardship:specialists_csv")).splitlines()
    assert lines[0] == (
        "group,organisations,median_income,median_reserves_months,stopped_operating,"
        "stopped_operating_percent,money_share_2024_percent,money_share_2025_percent"
    )
    # 2024: L3 (BAME-led) 100 of 600, L2 (women-led) 200, the others (L1) 300.
    # 2025: L2 100 of 900, the others (the prime) 800.
    assert lines[1] == "BAME-led,1,50000.00,14.0,1,100.0,16.7,0.0"
    assert lines[2] == "Women-led,1,200000.00,14.0,0,0.0,33.3,11.1"
    assert lines[3] == "Lived-experience-led,0,,,0,,0.0,0.0"
    others = lines[4].split(",")
    # The others are L1, the prime and the factories' own providers of each contract's lot.
    assert others[0] == "All other organisations" and others[-2:] == ["50.0", "88.9"]
    page = _get(reverse("stewardship:specialists"))
    assert "Specialist organisations’ health" in page and "16.7%" in page


def test_a_new_deployment_with_no_areas_shows_an_empty_market() -> None:
    """The menu links the market map on every page: before any area or provider is loaded it
    answers with the empty national market, not an error (MKT-1)."""
    response = client_for(None).get(reverse("stewardship:market"))
    assert response.status_code == 200
    assert "Market map: England and Wales" in response.content.decode()


def test_a_new_payment_changes_a_signed_in_visitors_page(cumbria: Market) -> None:
    """Signed-in visitors are not served the page cache's copy: their figures come from the
    stewardship cache, keyed by the page cache's data version, which a payment changes."""
    from tests.factories import UserFactory

    client = client_for(UserFactory())
    url = reverse("stewardship:market") + "?place=area:cumbria&measure=hhi&year=2025"
    assert "8,024.7" in client.get(url).content.decode()
    assert "8,024.7" in client.get(url).content.decode()  # the figures from their cache
    cumbria.pay(cumbria.old, cumbria.l1, cumbria.body, "100", date(2025, 2, 1))
    page = client.get(url).content.decode()
    assert "6,600.0" in page and "8,024.7" not in page
