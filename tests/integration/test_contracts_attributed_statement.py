"""Outcome and volume payments attributed to the sub-contractor whose participants earned them,
from the recorded referrals (issue 15, PBR-1, PBR-4, PBR-6, SUP-2): the statements page, the
API and ``commissioning contracts statement`` show the same attributed payments.

A hand-made contract: three monthly periods from 1 April 2026, a £250 fee per start, the
illustrative supply chain's housing outcome (£300 a person, £750 high need), a 12% management
fee on both sub-contractors, and each passed a share of what its own participants earned:

- the housing charity: 90% of volume fees and outcome payments; 3 starts in April, 1 in May;
  15 standard and 12 high-need people housed in June (£4,500 + £9,000 = £13,500);
- the women's centre: 80% of both; 2 starts in April; 10 standard people housed (£3,000).

April: 5 starts = £1,250.00; housing 90% × 88% × £750.00 = £594.00; women's 80% × 88% ×
£500.00 = £352.00. May: £250.00; housing 90% × 88% × £250.00 = £198.00. June: the housing
outcome is £16,500.00; housing 90% × 88% × £13,500.00 = £10,692.00; women's 80% × 88% ×
£3,000.00 = £2,112.00.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.cli import main
from commissioning.contracts import services
from commissioning.contracts.models import ContractParty
from commissioning.referrals import services as referral_services
from commissioning.referrals.lifecycle import Status
from commissioning_analytics.payments.loader import example_document
from tests.factories import client_for
from tests.referral_factories import ReferralSetting, refer, referral_setting

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 1)
EXPECTED = {
    (1, "housing-charity", "volume_fees.start-fee"): "594.00",
    (1, "womens-centre", "volume_fees.start-fee"): "352.00",
    (2, "housing-charity", "volume_fees.start-fee"): "198.00",
    (3, "housing-charity", "outcome_payments.housed"): "10692.00",
    (3, "womens-centre", "outcome_payments.housed"): "2112.00",
}


def _documents() -> tuple[dict[str, Any], dict[str, Any]]:
    mechanism = copy.deepcopy(example_document("illustrative-supply-chain"))
    mechanism["term_periods"] = 3
    mechanism["volume_fees"] = [
        {"id": "start-fee", "event": "start", "payer": "pcc", "tariff": "250.00"}
    ]
    mechanism["supply_chain"] = [
        {
            "subcontractor": "housing-charity",
            "service_fee_share": "0.30",
            "attributed_outcome_payment_share": "0.9",
            "attributed_volume_fee_share": "0.9",
            "management_fee": "0.12",
        },
        {
            "subcontractor": "womens-centre",
            "service_fee_share": "0.15",
            "attributed_outcome_payment_share": "0.8",
            "attributed_volume_fee_share": "0.8",
            "management_fee": "0.12",
        },
    ]
    observed = copy.deepcopy(example_document("illustrative-supply-chain.observed"))
    observed["periods"] = observed["periods"][:3]
    observed["periods"][2]["outcomes"][0]["by_party"] = {
        "housing-charity": {"cohort_size": 50, "achieved": {"standard": 15, "high-need": 12}},
        "womens-centre": {"cohort_size": 30, "achieved": {"standard": 10}},
    }
    return mechanism, observed


def _start(
    setting: ReferralSetting, party: ContractParty, n: int, referred: date, started: date
) -> None:
    actor = setting.housing if party == setting.housing_party else setting.womens
    referral = refer(setting, party=party, case_reference=f"CASE-{n}", referred_on=referred)
    for step, day in ((Status.ACCEPTED, referred), (Status.STARTED, started)):
        referral_services.move(actor, referral, step, happened_on=day, today=TODAY)


@pytest.fixture
def setting() -> ReferralSetting:
    mechanism, observed = _documents()
    setting = referral_setting(mechanism=mechanism, observed=observed)
    for n in range(1, 4):
        _start(setting, setting.housing_party, n, date(2026, 4, 2), date(2026, 4, 10 + n))
    for n in range(4, 6):
        _start(setting, setting.womens_party, n, date(2026, 4, 2), date(2026, 4, 20 + n))
    _start(setting, setting.housing_party, 6, date(2026, 4, 28), date(2026, 5, 6))
    return setting


def _attributed(lines: list[dict[str, Any]]) -> dict[tuple[int, str, str], str]:
    return {
        (line["period"], line["payee"], line["rule"]): line["amount"]
        for line in lines
        if line["kind"] == "pass_down"
        and line["rule"].startswith(("volume_fees.", "outcome_payments."))
    }


def test_recorded_referrals_give_each_subcontractor_its_participants_payments(
    setting: ReferralSetting, capsys: pytest.CaptureFixture[str]
) -> None:
    computed = services.contract_statement(setting.contract)
    assert computed is not None
    lines = [{**line._asdict(), "amount": str(line.amount)} for line in computed.statement.lines]
    assert _attributed(lines) == EXPECTED
    assert computed.statement.is_conserved()
    explanations = {
        (line["period"], line["payee"], line["rule"]): line["explanation"]
        for line in lines
        if line["kind"] == "pass_down"
    }
    womens_april = explanations[(1, "womens-centre", "volume_fees.start-fee")]
    assert womens_april == (
        "80% of the £500.00 of the £1,250.00 volume fee (volume_fees.start-fee) its own "
        "participants earned (2 of the 5 start), less 12% management fee"
    )

    reference = setting.contract.reference
    api = Client().get(f"/api/contracts/{reference}/statement").json()["statement"]
    assert _attributed(api["lines"]) == EXPECTED
    assert api["periods"][0]["volumes"] == [
        {
            "event": "start",
            "need_group": None,
            "count": 5,
            "source": "recorded",
            "delivered_by": {"housing-charity": 3, "womens-centre": 2},
        }
    ]

    assert main(["contracts", "statement", reference, "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert _attributed(cli["lines"]) == EXPECTED
    assert main(["contracts", "statement", reference]) == 0
    text = capsys.readouterr().out
    assert womens_april in text and "£10,692.00" in text

    page = Client().get(reverse("contracts:statements", args=[reference]))
    html = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 200
    assert womens_april in html
    assert (
        "Women's centre is paid its share of the outcome payments and volume fees its own "
        "participants earned"
    ) in html
    for amount in ("£594.00", "£352.00", "£198.00", "£10,692.00", "£2,112.00"):
        assert amount in html
    assert Decimal(api["totals"][0]["net"]) == -computed.statement.funders_paid()


def test_the_model_subcontract_states_the_attribution_in_plain_english(
    setting: ReferralSetting,
) -> None:
    url = reverse("contracts:subcontract", args=[setting.contract.reference, "womens-centre"])
    response = client_for(setting.womens).get(url)
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert (
        "The sub-contractor gets 80% of the outcome payments its own participants earn, less "
        "its management fee; the prime keeps the rest of them. Outcome payments earned by the "
        "prime's or other sub-contractors' participants are not shared with it."
    ) in html
    assert "80% of what your own participants earn" in html
    assert ("A payment whose records do not say whose participants earned it is not shared") in html
