"""The contract created from an award starts from the payment model its lot was tendered on
(PBR-1, PRO-9): a lot tendered as "a fixed fee with 10% paid on outcomes achieved" gives a
contract whose fee has 10% withheld until the outcome target the commissioner sets is met, not a
plain fixed fee; a lot tendered on a fixed fee stays one; a payment model that pays on outcomes
without saying what share is refused rather than dropped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.awards import services
from commissioning.awards.models import LotAward
from commissioning.awards.tendered import tendered_payment_model
from commissioning.contracts.models import Contract
from commissioning.procurement.models import Lot, Opportunity
from tests.integration.awards_setup import AwardSetup, award_setup
from tests.integration.test_awards_services import DECIDED, REASONS, STANDSTILL_ENDS

pytestmark = pytest.mark.django_db
TENDERED = "A fixed fee with 10% paid on outcomes achieved."
START = date(2027, 2, 1)


def _decided(summary: str) -> tuple[AwardSetup, LotAward]:
    s = award_setup()
    s.lot.payment_model_summary = summary
    s.lot.save(update_fields=["payment_model_summary"])
    with time_machine.travel(DECIDED, tick=False):
        award = services.decide_award(s.commissioner, s.lot, REASONS)
    return s, award


def test_the_contract_keeps_the_share_of_the_fee_tendered_on_outcomes() -> None:
    s, award = _decided(TENDERED)
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        with pytest.raises(ValidationError) as missing:
            services.create_contract(s.commissioner, award, START)
        assert "outcome_target" in missing.value.message_dict
        assert not Contract.objects.exists()
        contract = services.create_contract(
            s.commissioner, award, START, outcome_target=Decimal(60)
        )
    fee = contract.mechanism["service_fee"]
    assert fee["annual_value"] == "250000.00"
    assert fee["at_risk"] == {
        "share": "0.1",
        "mode": "withheld",
        "measure": "settled-accommodation-within-12-weeks-of-release",
        "target": "60",
    }
    assert contract.mechanism["measures"][0]["description"] == (
        "Settled accommodation within 12 weeks of release"
    )
    assert (
        "As tendered (“A fixed fee with 10% paid on outcomes achieved.”): 10% of each instalment "
        "is withheld until 60% of people achieve “Settled accommodation within 12 weeks of "
        "release”"
    ) in contract.mechanism["description"]
    client = Client()
    page = client.get(reverse("contracts:mechanism", args=[contract.reference])).content.decode()
    assert "None of the service fee is at risk" not in page
    assert (
        "10% of each instalment is withheld: it is released when the next result on "
        "“settled-accommodation-within-12-weeks-of-release” reaches 60"
    ) in page


def test_the_commissioner_sets_the_outcome_target_on_the_award_page() -> None:
    s, _ = _decided(TENDERED)
    url = reverse("awards:lot", args=[s.opportunity.reference, s.lot.number])
    client = Client()
    with time_machine.travel(STANDSTILL_ENDS, tick=True):
        client.force_login(s.commissioner)
        page = client.get(url).content.decode()
        assert "Outcome target: percentage of people achieving" in page
        assert f"The lot was tendered on “{TENDERED}”" in page
        contract_url = reverse("awards:contract", args=[s.opportunity.reference, s.lot.number])
        fields = {"start_date_0": "1", "start_date_1": "2", "start_date_2": "2027"}
        refused = client.post(contract_url, fields)
        assert refused.status_code == 400
        assert "Enter the outcome target the fee at risk depends on" in refused.content.decode()
        made = client.post(contract_url, {**fields, "outcome_target": "55"})
    assert made.status_code == 302
    contract = Contract.objects.get()
    assert contract.mechanism["service_fee"]["at_risk"]["target"] == "55"


def test_a_fixed_fee_lot_gives_a_fixed_fee_contract() -> None:
    s, award = _decided("A fixed annual fee, paid monthly.")
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        contract = services.create_contract(s.commissioner, award, START)
    assert "at_risk" not in contract.mechanism["service_fee"]
    assert "measures" not in contract.mechanism


def test_a_payment_on_outcomes_without_a_share_is_refused_not_dropped() -> None:
    s, award = _decided("A fixed fee plus a payment on outcomes achieved.")
    with (
        time_machine.travel(STANDSTILL_ENDS, tick=False),
        pytest.raises(ValidationError, match="without stating what share of the fee"),
    ):
        services.create_contract(s.commissioner, award, START, outcome_target=Decimal(60))
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("summary", "share", "mode"),
    [
        (TENDERED, "0.1", "withheld"),
        ("Fixed fee with a 10% outcome payment.", "0.1", "withheld"),
        ("Service fee; 15 per cent is clawed back if outcomes are missed.", "0.15", "clawback"),
        ("A fixed fee, with no payment on outcomes.", "0", "withheld"),
        ("", "0", "withheld"),
    ],
)
def test_tendered_payment_model_reads_the_lots_summary(summary: str, share: str, mode: str) -> None:
    opportunity = Opportunity(outcomes_sought="Settled accommodation; fewer recalls.")
    lot = Lot(opportunity=opportunity, number=1, payment_model_summary=summary)
    model = tendered_payment_model(lot)
    assert (model.share_at_risk, model.mode) == (Decimal(share), mode)
