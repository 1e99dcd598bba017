""" "Your contracts" for the charity (issue 14; REF-1, SUP-1, SUP-2, LAW-3): each contract its
organisation is in, with the referrals waiting for it, its invoices, its bid-candy flags and the
supply-chain returns waiting for its confirmation, each with a link to act on it; nobody else's;
and as many queries for five contracts as for one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import User
from commissioning.contracts.models import ContractParty
from commissioning.directory.models import Organisation
from commissioning.invoices import services as invoice_services
from commissioning.referrals import services as referral_services
from commissioning.supply_returns import services as return_services
from commissioning.supply_returns.models import ReturnLine
from tests.factories import client_for
from tests.invoice_factories import invoice
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db
#: The contract starts 1 April 2026: two complete quarters, the bid-candy window.
TODAY = date(2026, 12, 6)
PAGE = "/your-contracts/"


@pytest.fixture(autouse=True)
def _today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _charity_setting() -> tuple[ReferralSetting, dict[str, object]]:
    """The housing charity: 2 referrals waiting and 1 accepted; paid £12,000 (over the money
    threshold) but referred 3 of the 60 promised over two quarters (under 25%): one flag, on
    referrals; its line of the July to September return submitted and awaiting its answer."""
    s = referral_setting()
    waiting = [
        refer(s, case_reference=f"W{i}00001", referred_on=date(2026, 11, 2 + i)) for i in range(2)
    ]
    accepted = refer(s, case_reference="A100001", referred_on=date(2026, 6, 1))
    referral_services.move(s.housing, accepted, "accepted", happened_on=date(2026, 6, 2))
    bill = invoice(s.housing, s.contract, "housing-charity", "H-1", date(2026, 7, 1), "12000.00")
    invoice_services.record_payment(
        s.prime, bill, amount=Decimal("12000.00"), paid_on=date(2026, 8, 1), today=TODAY
    )
    supply_return = return_services.draft(s.contract, date(2026, 7, 1), today=TODAY)
    return_services.submit(s.prime, supply_return, today=TODAY)
    line = ReturnLine.objects.get(supply_return=supply_return, party=s.housing_party)
    return s, {"waiting": waiting, "accepted": accepted, "line": line}


def test_the_charity_sees_what_waits_for_it_and_another_organisation_none_of_it() -> None:
    s, made = _charity_setting()
    page = client_for(s.housing).get(PAGE).content.decode()

    waiting, accepted, line = made["waiting"], made["accepted"], made["line"]
    assert "2 referrals waiting for a decision" in page
    for referral in waiting:
        assert f'href="{referral.get_absolute_url()}"' in page  # type: ignore[attr-defined]
    assert accepted.reference not in page  # type: ignore[attr-defined]
    assert "1 open flag" in page
    assert "Referrals: under 25% of the promise over 2 quarters" in page
    assert f'href="/contracts/{s.contract.reference}/promised-and-received/"' in page
    assert "Money: " not in page  # paid over the threshold: no flag on money
    assert "1 return to confirm" in page
    answer = f"/contracts/{s.contract.reference}/returns/2026Q3/lines/{line.pk}/"  # type: ignore[attr-defined]
    assert f'href="{answer}"' in page
    assert "July to September 2026" in page
    assert "H-1" in page and "Paid on time" in page

    other = client_for(s.outsider).get(PAGE).content.decode()
    assert s.contract.reference not in other
    assert "None of your organisations is party to a contract" in other
    for referral in waiting:
        assert referral.reference not in other  # type: ignore[attr-defined]
    womens = client_for(s.womens).get(PAGE).content.decode()
    assert "0 referrals waiting for a decision" in womens
    for referral in waiting:
        assert referral.reference not in womens  # type: ignore[attr-defined]
    assert answer not in womens
    assert "H-1" not in womens


def test_a_referral_answered_leaves_the_list() -> None:
    s, made = _charity_setting()
    first = made["waiting"][0]  # type: ignore[index]
    referral_services.move(s.housing, first, "accepted", happened_on=TODAY)
    page = client_for(s.housing).get(PAGE).content.decode()
    assert "1 referral waiting for a decision" in page
    assert first.reference not in page


def _another_contract_for(charity: Organisation, member: User) -> None:
    """One more contract with the charity as its housing sub-contractor, a referral waiting, an
    invoice paid and a submitted return: everything the page shows, once more."""
    s = referral_setting()
    ContractParty.objects.filter(pk=s.housing_party.pk).update(organisation=charity)
    s.housing_party.refresh_from_db()
    refer(s, case_reference="N100001", referred_on=date(2026, 11, 2))
    bill = invoice(member, s.contract, "housing-charity", "N-1", date(2026, 7, 1), "100.00")
    invoice_services.record_payment(
        s.prime, bill, amount=Decimal("100.00"), paid_on=date(2026, 7, 20), today=TODAY
    )
    return_services.submit(
        s.prime, return_services.draft(s.contract, date(2026, 7, 1), today=TODAY), today=TODAY
    )


def _queries(client: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_stays_flat_as_contracts_are_added() -> None:
    s, _ = _charity_setting()
    charity = s.housing_party.organisation
    assert charity is not None
    client = client_for(s.housing)
    one = _queries(client)
    for _ in range(4):
        _another_contract_for(charity, s.housing)
    page = client.get(PAGE).content.decode()
    assert (
        page.count("referrals waiting for a decision")
        + page.count("referral waiting for a decision")
        == 5
    )
    assert "N-1" in page
    five = _queries(client)
    assert five <= one
