"""The share of delivery money reaching voluntary and community organisations (SUP-6; issue 14
item 3): a hand table of payments recorded through the services gives the hand figures by
police force area and nationally, on the public page, in the CSV and in the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from commissioning.directory.models import Area, Organisation
from commissioning.invoices import services
from tests.invoice_factories import cast, invoice

pytestmark = pytest.mark.django_db
TODAY = date(2027, 6, 30)


def _paid(
    payer: object, issuer: object, contract: object, party: str, ref: str, amount: str
) -> None:
    sent = invoice(issuer, contract, party, ref, date(2026, 4, 2), amount=amount)  # type: ignore[arg-type]
    services.record_payment(payer, sent, amount=amount, paid_on=date(2026, 5, 1), today=TODAY)  # type: ignore[arg-type]


@pytest.fixture
def hand_table() -> None:
    kent = Area.objects.create(slug="kent", name="Kent", kind=Area.Kind.POLICE_FORCE_AREA)
    essex = Area.objects.create(slug="essex", name="Essex", kind=Area.Kind.POLICE_FORCE_AREA)
    region = Area.objects.create(slug="se", name="South East", kind=Area.Kind.PROBATION_REGION)
    # Contract A (Kent and Essex): a private prime paid £100,000 passes £30,000 to a charity and
    # £10,000 to a private company.
    a = cast()
    a.contract.lot.areas.set([kent, essex, region])
    orgs = {p.party_id: p.organisation for p in a.contract.parties.select_related("organisation")}
    Organisation.objects.filter(pk=a.contract.prime_id).update(org_type="private")
    Organisation.objects.filter(pk=orgs["housing-charity"].pk).update(org_type="vcs_charity")
    Organisation.objects.filter(pk=orgs["womens-centre"].pk).update(org_type="private")
    _paid(a.body_finance, a.prime, a.contract, "prime", "A-1", "100000.00")
    _paid(a.prime, a.housing, a.contract, "housing-charity", "H-1", "30000.00")
    _paid(a.prime, a.womens, a.contract, "womens-centre", "W-1", "10000.00")
    # Contract B (Kent): a social-enterprise prime paid £50,000 passes £20,000 to a charity.
    b = cast()
    b.contract.lot.areas.set([kent])
    orgs = {p.party_id: p.organisation for p in b.contract.parties.select_related("organisation")}
    Organisation.objects.filter(pk=b.contract.prime_id).update(org_type="social_enterprise")
    Organisation.objects.filter(pk=orgs["housing-charity"].pk).update(org_type="vcs_charity")
    _paid(b.body_finance, b.prime, b.contract, "prime", "B-1", "50000.00")
    _paid(b.prime, b.housing, b.contract, "housing-charity", "H-1", "20000.00")


@pytest.mark.usefixtures("hand_table")
def test_the_api_gives_the_hand_figures_by_area_and_nationally(client: Client) -> None:
    rows = {row["area"]: row for row in client.get("/api/vcs-share").json()}
    assert set(rows) == {"England and Wales", "Essex", "Kent"}  # not the probation region
    national = rows["England and Wales"]
    assert national["quarter_start"] == "2026-04-01"
    assert (national["delivery_money"], national["vcs_money"]) == ("150000.00", "80000.00")
    assert national["vcs_share_percent"] == "53.3"
    assert (national["organisations_paid"], national["vcs_organisations_paid"]) == (5, 3)
    assert (rows["Kent"]["vcs_money"], rows["Kent"]["vcs_share_percent"]) == ("80000.00", "53.3")
    assert (rows["Essex"]["delivery_money"], rows["Essex"]["vcs_share_percent"]) == (
        "100000.00",
        "30.0",
    )


@pytest.mark.usefixtures("hand_table")
def test_the_public_page_and_the_csv(client: Client) -> None:
    page = client.get("/vcs-share/").content.decode()
    assert "£80,000.00" in page and "53.3%" in page and "30.0%" in page
    csv = client.get("/vcs-share.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("quarter_start,area,delivery_money,vcs_money,vcs_share_percent")
    assert "2026-04-01,England and Wales,150000.00,80000.00,53.3,5,3" in lines
    assert "2026-04-01,Essex,100000.00,30000.00,30.0,3,1" in lines


def test_with_no_payments_the_page_says_so(client: Client) -> None:
    assert "No payment has been recorded yet" in client.get("/vcs-share/").content.decode()
    assert client.get("/api/vcs-share").json() == []
