"""The contract created from an award starts from the payment model its lot was tendered on
(PBR-1, PRO-9; issue 11 item 5): the lot's structured share of the fee paid on outcomes, not its
free-text summary. A lot tendered with 10% paid on outcomes gives a contract whose fee has 10%
withheld until the outcome target the commissioner sets is met; 0% stays a plain fixed fee;
100% puts the whole fee at risk; a lot that never stated its share is refused, not guessed."""

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
from commissioning.procurement.models import Lot, Opportunity, OutcomePaymentMode
from tests.integration.awards_setup import AwardSetup, award_setup
from tests.integration.test_awards_services import DECIDED, REASONS, STANDSTILL_ENDS

pytestmark = pytest.mark.django_db
TENDERED = "A fixed fee with 10% paid on outcomes achieved."
START = date(2027, 2, 1)


def _decided(
    summary: str,
    percent: Decimal | None = Decimal(10),
    mode: str = OutcomePaymentMode.WITHHELD,
) -> tuple[AwardSetup, LotAward]:
    s = award_setup()
    s.lot.payment_model_summary = summary
    s.lot.outcome_payment_percent = percent
    s.lot.outcome_payment_mode = mode
    s.lot.save()
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
        assert f"As tendered (“{TENDERED}”): 10% of each instalment is withheld" in page
        contract_url = reverse("awards:contract", args=[s.opportunity.reference, s.lot.number])
        fields = {"start_date_0": "1", "start_date_1": "2", "start_date_2": "2027"}
        refused = client.post(contract_url, fields)
        assert refused.status_code == 400
        assert "Enter the outcome target the fee at risk depends on" in refused.content.decode()
        made = client.post(contract_url, {**fields, "outcome_target": "55"})
    assert made.status_code == 302
    contract = Contract.objects.get()
    assert contract.mechanism["service_fee"]["at_risk"]["target"] == "55"


def test_a_lot_tendered_with_none_of_the_fee_on_outcomes_gives_a_fixed_fee_contract() -> None:
    """0% is a fixed fee whatever the summary says: "results reported quarterly" once read as
    an outcome element and was refused."""
    s, award = _decided("Fixed fee; results reported quarterly.", Decimal(0))
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        contract = services.create_contract(s.commissioner, award, START)
    assert "at_risk" not in contract.mechanism["service_fee"]
    assert "measures" not in contract.mechanism


def test_the_share_on_outcomes_is_read_from_the_lot_not_its_summary() -> None:
    """ "90% fixed fee, 10% paid on outcomes" once put 90% at risk: the field says 10."""
    s, award = _decided("90% fixed fee, 10% paid on outcomes.", Decimal(10))
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        contract = services.create_contract(
            s.commissioner, award, START, outcome_target=Decimal(60)
        )
    assert contract.mechanism["service_fee"]["at_risk"]["share"] == "0.1"


def test_a_lot_tendered_wholly_on_outcomes_puts_the_whole_fee_at_risk_by_clawback() -> None:
    s, award = _decided("Paid entirely on outcomes.", Decimal(100), OutcomePaymentMode.CLAWBACK)
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        contract = services.create_contract(
            s.commissioner, award, START, outcome_target=Decimal("62.5")
        )
    assert contract.mechanism["service_fee"]["at_risk"] == {
        "share": "1",
        "mode": "clawback",
        "measure": "settled-accommodation-within-12-weeks-of-release",
        "target": "62.5",
    }
    assert (
        "As tendered (“Paid entirely on outcomes.”): 100% of the fee is repaid unless 62.5% of "
        "people achieve “Settled accommodation within 12 weeks of release”"
    ) in contract.mechanism["description"]


def test_a_lot_that_never_stated_its_share_on_outcomes_is_refused_not_guessed() -> None:
    s, award = _decided(TENDERED, None)
    with (
        time_machine.travel(STANDSTILL_ENDS, tick=False),
        pytest.raises(ValidationError, match="does not state what share of the fee"),
    ):
        services.create_contract(s.commissioner, award, START, outcome_target=Decimal(60))
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("percent", "mode", "share"),
    [
        (Decimal("10.00"), OutcomePaymentMode.WITHHELD, "0.1"),
        (Decimal("12.50"), OutcomePaymentMode.CLAWBACK, "0.125"),
        (Decimal("100.00"), OutcomePaymentMode.WITHHELD, "1"),
        (Decimal("0.00"), OutcomePaymentMode.CLAWBACK, "0"),
    ],
)
def test_tendered_payment_model_reads_the_lots_share(
    percent: Decimal, mode: str, share: str
) -> None:
    opportunity = Opportunity(outcomes_sought="Settled accommodation; fewer recalls.")
    lot = Lot(
        opportunity=opportunity,
        number=1,
        payment_model_summary="Whatever the words say.",
        outcome_payment_percent=percent,
        outcome_payment_mode=mode,
    )
    model = tendered_payment_model(lot)
    assert f"{model.share_at_risk:f}" == share
    assert model.mode == (mode if model.has_risk else OutcomePaymentMode.WITHHELD)
