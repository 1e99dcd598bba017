"""Award services (PRO-9, EVA-4, EVA-5) with hand-computed numbers: totals and ranking from the
moderated scores, the public-sector price adjustment, weight sensitivity, the decision with its
frozen snapshot and standstill over bank holidays, and the contract created from the winning bid.

Criteria throughout (``awards_setup``): price 30%, quality 50%, social value 20%, price scored
relative to the lowest: quality points = 50 × Q/100 + 20 × SV/100; price points =
30 × lowest ÷ price.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.awards import services
from commissioning.awards.models import LotAward, PriceAdjustment
from commissioning.awards.results import EvaluationInputs
from commissioning.contracts.models import Contract, ContractParty
from commissioning.contracts.services import validate_documents
from commissioning.evaluation import services as evaluation
from commissioning.notifications.models import Notification
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.integration.awards_setup import (
    RATIONALE,
    SUBCONTRACT_TERMS,
    AwardSetup,
    award_commissioner,
    award_setup,
)
from tests.procurement_factories import commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db
TARGET = Decimal(60)
"""The outcome target for the 10% of the fee the factory's lots put at risk on outcomes."""
REASONS = "Highest total on the published criteria; the price is sustainable for the term."
# Tuesday 22 December 2026, 10:00 London: 8 working days later skips Christmas (Fri 25),
# Boxing Day's substitute (Mon 28) and New Year's Day (Fri 1 Jan): the 8th is Wed 6 Jan 2027.
DECIDED = datetime(2026, 12, 22, 10, 0, tzinfo=LONDON)
STANDSTILL_ENDS = datetime(2027, 1, 6, 0, 0, tzinfo=LONDON)
"""8 working days beginning with Tuesday 22 December 2026: 22, 23, 24 December (Christmas Day,
the weekend and the Boxing Day substitute on Monday 28 are not working days), 29, 30, 31
December (1 January is a bank holiday), 4 and 5 January; the standstill ends at midnight."""


@pytest.fixture
def s() -> AwardSetup:
    return award_setup()


def _decide(s: AwardSetup, when: datetime = DECIDED) -> LotAward:
    with time_machine.travel(when, tick=False):
        return services.decide_award(s.commissioner, s.lot, REASONS)


def _outsiders(s: AwardSetup) -> list[object]:
    return [
        AnonymousUser(),
        s.evaluator,
        s.bidder_users[0],
        s.subcontractor_user,
        commissioner_of(open_opportunity()),
    ]


def test_totals_and_ranking_from_the_moderated_scores(s: AwardSetup) -> None:
    results = services.lot_results(s.commissioner, s.lot)
    assert results.ready and not results.frozen
    assert results.evaluation is not None and results.inputs is not None
    by_name = {results.inputs.bidder(o.bid_id): o for o in results.evaluation.outcomes}
    northshire = by_name["Northshire Resettlement Trust"]
    # 50 × 0.75 + 20 × 0.50 = 47.50; 30 × 250k/250k = 30.00
    assert (northshire.quality_points, northshire.price_points) == (Decimal("47.50"), 30)
    assert (northshire.total, northshire.rank) == (Decimal("77.50"), 1)
    public = by_name["Northshire Probation Delivery Unit"]
    # 50 × 0.75 + 20 × 0.25 = 42.50; 30 × 250k/280k = 26.79 (26.785…)
    assert (public.price_points, public.total, public.rank) == (
        Decimal("26.79"),
        Decimal("69.29"),
        2,
    )
    women = by_name["Women Onward CIC"]
    # 50 × 0.50 + 20 × 0.75 = 40.00; 30 × 250k/300k = 25.00
    assert (women.total, women.rank) == (Decimal("65.00"), 3)
    assert results.winner_name == "Northshire Resettlement Trust"
    # A and the others: better on quality and price, so no weighting in the grid changes it.
    assert results.price_sensitivity is not None and results.price_sensitivity.stable
    assert results.social_value_sensitivity is not None
    assert results.social_value_sensitivity.stable


def test_public_sector_adjustment_changes_the_price_points_and_the_winner() -> None:
    # The public body bids lowest (200k) with the same scores as Northshire.
    s = award_setup(
        prices=("250000", "300000", "200000"), quality=(75, 50, 75), social_value=(50, 75, 50)
    )
    before = services.lot_results(s.commissioner, s.lot)
    assert before.winner_name == "Northshire Probation Delivery Unit"
    assert before.evaluation is not None and before.evaluation.price is not None
    public_line = before.evaluation.price.line(str(s.public_bid.pk))
    # 200k < 80% of the others' mean (275k → 220k) and > 20% below the 300k estimate.
    assert len(public_line.abnormally_low_reasons) == 2
    # 47.50 + 30.00 = 77.50 against Northshire's 47.50 + 30 × 200/250 = 71.50
    assert before.winner is not None and before.winner.total == Decimal("77.50")

    services.record_price_adjustment(
        s.commissioner, s.public_bid, "60000", "Premises and pension costs carried by HMPPS."
    )
    after = services.lot_results(s.commissioner, s.lot)
    assert after.evaluation is not None and after.evaluation.price is not None
    line = after.evaluation.price.line(str(s.public_bid.pk))
    assert (line.declared, line.hidden_subsidy, line.adjusted) == (
        Decimal("200000"),
        Decimal("60000.00"),
        Decimal("260000.00"),
    )
    # Lowest is now Northshire's 250k: 30 × 250/260 = 28.846… → 28.85; 47.50 + 28.85 = 76.35.
    assert line.points == Decimal("28.85") and not line.abnormally_low
    assert after.winner_name == "Northshire Resettlement Trust"
    assert after.evaluation.outcome(str(s.public_bid.pk)).total == Decimal("76.35")
    event = AuditEvent.objects.get(action="award.price_adjustment")
    assert event.changes["hidden_subsidy"] == {"from": None, "to": "60000.00"}


def test_adjustment_refused_for_others_bad_input_and_after_the_award(s: AwardSetup) -> None:
    charity = s.bids[0]
    with pytest.raises(ValidationError) as refused:
        services.record_price_adjustment(s.commissioner, charity, "1000", RATIONALE)
    assert "hidden_subsidy" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.record_price_adjustment(s.commissioner, s.public_bid, "-5", "short")
    assert set(refused.value.message_dict) == {"hidden_subsidy", "reason"}
    for outsider in _outsiders(s):
        with pytest.raises(PermissionDenied):
            services.record_price_adjustment(outsider, s.public_bid, "1000", RATIONALE)
    assert not PriceAdjustment.objects.exists()
    _decide(s)
    with pytest.raises(ValidationError, match="decided"):
        services.record_price_adjustment(s.commissioner, s.public_bid, "1000", RATIONALE)
    assert not PriceAdjustment.objects.exists()


def test_sensitivity_finds_where_the_winner_changes() -> None:
    # Northshire 250k, Q50 SV50 → quality 35.00; Women Onward 300k, Q75 SV50 → quality 47.50.
    # At price weight P: Women Onward − Northshire = 47.5(100−P)/70 + 25P/30 − 35(100−P)/70 − P
    # = 0 at P = 7500/145 = 51.72%.
    s = award_setup(
        prices=("250000", "300000"), quality=(50, 75), social_value=(50, 50), public_index=None
    )
    results = services.lot_results(s.commissioner, s.lot)
    assert results.winner_name == "Women Onward CIC"  # 72.50 against 65.00 at 30%
    sweep = results.price_sensitivity
    assert sweep is not None and not sweep.stable
    names = [results.inputs.bidder(w) for w in sweep.winners] if results.inputs else []
    assert names == ["Women Onward CIC"] * 7 + ["Northshire Resettlement Trust"] * 2
    (change,) = sweep.changes
    assert change.at == Decimal("51.72") and change.exact


def test_decision_freezes_results_starts_standstill_and_tells_every_bidder(
    s: AwardSetup,
) -> None:
    award = _decide(s)
    assert award.outcome == LotAward.Outcome.AWARDED
    assert award.winning_bid == s.bids[0]
    assert award.standstill_ends_at == STANDSTILL_ENDS
    assert services.standstill_end(DECIDED) == STANDSTILL_ENDS
    frozen = EvaluationInputs.from_json(award.results)
    assert frozen.evaluate().winner is not None
    assert frozen.evaluate().winner.total == Decimal("77.50")  # type: ignore[union-attr]
    s.opportunity.refresh_from_db()
    assert s.opportunity.status == Opportunity.Status.AWARDED
    assert AuditEvent.objects.filter(action="award.decide").count() == 1
    assert AuditEvent.objects.filter(action="opportunity.award").count() == 1
    for bid, user in zip(s.bids, s.bidder_users, strict=True):
        note = Notification.objects.get(user=user, kind="award.decided")
        assert note.url == reverse("feedback:bid", args=[bid.pk])
        assert ("Successful" if bid == s.bids[0] else "Unsuccessful") in note.subject
        assert "5 January 2027" in note.body
    # Results are now read from the snapshot, even if a price adjustment row changed later.
    assert services.lot_results(s.commissioner, s.lot).frozen
    # Moderation is closed for the lot, and there is one decision only.
    with pytest.raises(ValidationError, match="decided"):
        evaluation.moderate(s.commissioner, s.bids[1], s.quality, 100, RATIONALE)
    with pytest.raises(ValidationError, match="already been decided"):
        _decide(s)


def test_decision_refused_without_reasons_complete_moderation_or_permission() -> None:
    s = award_setup(moderate=False)
    with pytest.raises(ValidationError) as refused:
        services.decide_award(s.commissioner, s.lot, "Too short")
    assert "reasons" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.decide_award(s.commissioner, s.lot, REASONS)
    assert any("no agreed score" in m for m in refused.value.messages)
    for outsider in _outsiders(s):
        with pytest.raises(PermissionDenied):
            services.decide_award(outsider, s.lot, REASONS)
        with pytest.raises(PermissionDenied):
            services.lot_results(outsider, s.lot)
    assert not LotAward.objects.exists()
    assert not Notification.objects.filter(kind="award.decided").exists()


def test_no_bid_qualifies_no_award_and_the_opportunity_is_unsuccessful() -> None:
    s = award_setup(
        prices=("250000", "300000"), quality=(25, 25), social_value=(50, 50), public_index=None
    )
    quality = s.quality
    quality.minimum = 50  # declared in advance: below "Acceptable" disqualifies
    quality.save(update_fields=["minimum"])
    award = _decide(s)
    assert award.outcome == LotAward.Outcome.NO_AWARD
    assert award.winning_bid is None and award.standstill_ends_at is None
    s.opportunity.refresh_from_db()
    assert s.opportunity.status == Opportunity.Status.UNSUCCESSFUL
    subjects = set(
        Notification.objects.filter(kind="award.decided").values_list("subject", flat=True)
    )
    assert all(subject.startswith("No award") for subject in subjects)
    with pytest.raises(ValidationError, match="No bid was awarded"):
        services.create_contract(s.commissioner, award, date(2027, 2, 1), outcome_target=TARGET)


def test_the_opportunity_waits_for_every_lot() -> None:
    s = award_setup(lots=2)
    _decide(s)
    s.opportunity.refresh_from_db()
    assert s.opportunity.status == Opportunity.Status.EVALUATION
    empty = s.opportunity.lots.exclude(pk=s.lot.pk).get()
    with time_machine.travel(DECIDED, tick=False):
        second = services.decide_award(s.commissioner, empty, "No bids were received for lot 2.")
    assert second.outcome == LotAward.Outcome.NO_AWARD and second.results == {}
    s.opportunity.refresh_from_db()
    assert s.opportunity.status == Opportunity.Status.AWARDED


def test_contract_refused_in_standstill_then_created_with_the_supply_chain_as_bid(
    s: AwardSetup,
) -> None:
    award = _decide(s)
    just_before = datetime(2027, 1, 5, 23, 59, tzinfo=LONDON)
    with (
        time_machine.travel(just_before, tick=False),
        pytest.raises(ValidationError, match="standstill"),
    ):
        services.create_contract(s.commissioner, award, date(2027, 2, 1), outcome_target=TARGET)
    assert not Contract.objects.exists()
    with time_machine.travel(STANDSTILL_ENDS, tick=False):
        for outsider in _outsiders(s):
            with pytest.raises(PermissionDenied):
                services.create_contract(outsider, award, date(2027, 2, 1), outcome_target=TARGET)
        with pytest.raises(ValidationError) as refused:
            services.create_contract(s.commissioner, award, date(2027, 1, 5), outcome_target=TARGET)
        assert "start_date" in refused.value.message_dict
        contract = services.create_contract(
            award_commissioner(s.opportunity), award, date(2027, 2, 1), outcome_target=TARGET
        )
        with pytest.raises(ValidationError, match="already been created"):
            services.create_contract(s.commissioner, award, date(2027, 2, 1), outcome_target=TARGET)
    award.refresh_from_db()
    assert award.contract == contract
    assert contract.reference == f"{s.opportunity.reference}-L{s.lot.number}"
    assert (contract.start_date, contract.end_date) == (date(2027, 2, 1), date(2030, 1, 31))
    assert contract.annual_value == Decimal("250000.00")
    assert contract.prime == s.bidders[0] and contract.lot == s.lot
    assert contract.commissioning_body == s.opportunity.exercise.commissioning_body
    sub = ContractParty.objects.get(contract=contract, role=ContractParty.Role.SUBCONTRACTOR)
    assert sub.organisation == s.subcontractor
    assert sub.services == SUBCONTRACT_TERMS.services
    assert sub.role_as_bid == SUBCONTRACT_TERMS.role
    assert sub.promised_referrals_per_year == 40
    assert sub.promised_value_per_year == Decimal("60000.00")
    assert (
        ContractParty.objects.filter(contract=contract, role="prime").get().organisation
        == (s.bidders[0])
    )
    parsed = validate_documents(contract.mechanism, None, None).mechanism
    assert contract.mechanism["service_fee"]["annual_value"] == "250000.00"
    # 60,000 of 250,000 a year, stored as money (its 0.24 share is derived): PBR-4, issue 11
    # item 11.
    assert contract.mechanism["supply_chain"] == [
        {"subcontractor": sub.party_id, "service_fee_value": "60000.00"}
    ]
    assert parsed is not None
    assert AuditEvent.objects.filter(action="award.contract").count() == 1
    told = Notification.objects.filter(kind="award.contract")
    assert {n.user for n in told} == {s.bidder_users[0], s.subcontractor_user}
    assert {n.url for n in told} == {reverse("contracts:detail", args=[contract.reference])}


def test_contract_creation_is_all_or_nothing(s: AwardSetup) -> None:
    award = _decide(s)
    with (
        time_machine.travel(STANDSTILL_ENDS, tick=False),
        mock.patch(
            "commissioning.awards.contract_creation.notify", side_effect=RuntimeError("mail down")
        ),
        pytest.raises(RuntimeError),
    ):
        services.create_contract(s.commissioner, award, date(2027, 2, 1), outcome_target=TARGET)
    award.refresh_from_db()
    assert award.contract is None
    assert not Contract.objects.exists() and not ContractParty.objects.exists()
    assert not AuditEvent.objects.filter(action="award.contract").exists()


def test_decision_is_all_or_nothing(s: AwardSetup) -> None:
    failing = mock.patch("commissioning.awards.decision.notify", side_effect=RuntimeError("down"))
    with failing, pytest.raises(RuntimeError):
        _decide(s)
    assert not LotAward.objects.exists()
    assert not AuditEvent.objects.filter(action="award.decide").exists()
    s.opportunity.refresh_from_db()
    assert s.opportunity.status == Opportunity.Status.EVALUATION
