"""Outcome and volume payments attributed to the sub-contractor whose participants earned them
(issue 15, PBR-1, PBR-4, PBR-6), with a hand-figured statement.

Two sub-contractors, each passed a share of what its own participants earned:

- ``sub-a``: 90% of its participants' volume fees and outcome payments, no management fee;
- ``sub-b``: 85% of its participants' volume fees and 80% of their outcome payments, less a
  5% management fee.

Period 1: 10 starts at £250 (sub-a 4, sub-b 5, the prime 1) = £2,500.00; the outcome, paid
£500 a person (£800 for high need), is achieved by 3 standard and 2 high-need people =
£3,100.00 (sub-a 2 standard + 1 high = £1,800; sub-b 1 + 1 = £1,300; the prime none).

- sub-a: starts 90% × £1,000.00 = £900.00; outcome 90% × £1,800.00 = £1,620.00.
- sub-b: starts 85% × 95% × £1,250.00 = £1,009.375 → £1,009.38;
  outcome 80% × 95% × £1,300.00 = £988.00.
- the prime keeps £2,500.00 + £3,100.00 − £900.00 − £1,620.00 − £1,009.38 − £988.00 = £1,082.62.

Period 2 has no breakdown: 2 starts (£500.00) and 1 person achieving (£500.00) go to the prime,
and the statement says, for each sub-contractor, that nothing was attributed.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.payments import (
    PaymentsFormatError,
    calculate,
    parse_mechanism,
    parse_observed,
)

MECHANISM: dict[str, Any] = {
    "format_version": 1,
    "id": "attributed",
    "name": "Attributed supply chain",
    "period": "quarter",
    "term_periods": 4,
    "parties": [
        {"id": "pcc", "name": "Police and crime commissioner", "role": "commissioner"},
        {"id": "prime", "name": "Prime", "role": "prime"},
        {"id": "sub-a", "name": "Housing charity", "role": "subcontractor"},
        {"id": "sub-b", "name": "Mentoring charity", "role": "subcontractor"},
    ],
    "measures": [{"id": "housed", "kind": "intermediate"}],
    "outcome_payments": [
        {
            "id": "housing",
            "measure": "housed",
            "basis": "per_person_achieving",
            "tariff": "500.00",
            "need_group_tariffs": {"high": "800.00"},
        }
    ],
    "volume_fees": [{"id": "starts", "event": "start", "tariff": "250.00"}],
    "supply_chain": [
        {
            "subcontractor": "sub-a",
            "attributed_volume_fee_share": "0.9",
            "attributed_outcome_payment_share": "0.9",
        },
        {
            "subcontractor": "sub-b",
            "attributed_volume_fee_share": "0.85",
            "attributed_outcome_payment_share": "0.8",
            "management_fee": "0.05",
        },
    ],
}

OBSERVED: dict[str, Any] = {
    "format_version": 1,
    "mechanism": "attributed",
    "periods": [
        {
            "period": 1,
            "start": "2026-04-01",
            "end": "2026-06-30",
            "volumes": [
                {
                    "event": "start",
                    "count": 10,
                    "delivered_by": {"sub-a": 4, "sub-b": 5, "prime": 1},
                }
            ],
            "outcomes": [
                {
                    "measure": "housed",
                    "cohort": "q1",
                    "cohort_size": 10,
                    "achieved": {"standard": 3, "high": 2},
                    "by_party": {
                        "sub-a": {"cohort_size": 4, "achieved": {"standard": 2, "high": 1}},
                        "sub-b": {"cohort_size": 5, "achieved": {"standard": 1, "high": 1}},
                        "prime": {"cohort_size": 1, "achieved": {}},
                    },
                }
            ],
        },
        {
            "period": 2,
            "start": "2026-07-01",
            "end": "2026-09-30",
            "volumes": [{"event": "start", "count": 2}],
            "outcomes": [
                {"measure": "housed", "cohort": "q2", "cohort_size": 4, "achieved": {"standard": 1}}
            ],
        },
    ],
}


def _statement() -> Any:
    mechanism = parse_mechanism(MECHANISM)
    return calculate(mechanism, parse_observed(OBSERVED, mechanism))


def test_each_subcontractor_is_passed_its_share_of_what_its_own_participants_earned() -> None:
    statement = _statement()
    passed = {
        (line.period, line.payee, line.rule): line.amount
        for line in statement.lines
        if line.kind == "pass_down"
    }
    assert passed == {
        (1, "sub-a", "volume_fees.starts"): Decimal("900.00"),
        (1, "sub-a", "outcome_payments.housing"): Decimal("1620.00"),
        (1, "sub-b", "volume_fees.starts"): Decimal("1009.38"),
        (1, "sub-b", "outcome_payments.housing"): Decimal("988.00"),
    }
    assert statement.retained_margin(1) == Decimal("1082.62")
    assert statement.totals()["sub-a"].net == Decimal("2520.00")
    assert statement.totals()["sub-b"].net == Decimal("1997.38")
    assert statement.is_conserved()
    why = next(
        line.explanation
        for line in statement.lines
        if line.payee == "sub-b" and line.rule == "outcome_payments.housing"
    )
    assert why == (
        "80% of the £1,300.00 of the £3,100.00 outcome payment (outcome_payments.housing) its "
        "own participants earned (2 of the 5 people achieving it, £1,300.00), less 5% "
        "management fee"
    )


def test_a_payment_without_a_breakdown_is_not_attributed_and_the_statement_says_so() -> None:
    statement = _statement()
    assert statement.retained_margin(2) == Decimal("1000.00")
    notes = [n for n in statement.notes if n.rule == "supply_chain.attribution"]
    assert [(n.period, n.party) for n in notes] == [
        (2, "sub-a"),
        (2, "sub-b"),
        (2, "sub-a"),
        (2, "sub-b"),
    ]
    assert notes[0].explanation == (
        "the £500.00 outcome payment (outcome_payments.housing) has no breakdown by the "
        "organisation that delivered it, so no part of it is attributed to sub-a's "
        "participants and nothing of it is passed down"
    )


def test_a_share_of_everything_is_unchanged_beside_an_attributed_one() -> None:
    """Sub-a on a fixed 40% of every volume fee; sub-b on 50% of its own participants':
    period 1 passes sub-a 40% × £2,500.00 and sub-b 50% × 95% × £1,250.00 = £593.75."""
    document = copy.deepcopy(MECHANISM)
    document["supply_chain"][0] = {"subcontractor": "sub-a", "volume_fee_share": "0.4"}
    document["supply_chain"][1]["attributed_volume_fee_share"] = "0.5"
    mechanism = parse_mechanism(document)
    statement = calculate(mechanism, parse_observed(OBSERVED, mechanism))
    volume = {
        line.payee: line.amount
        for line in statement.lines
        if line.kind == "pass_down" and line.rule == "volume_fees.starts" and line.period == 1
    }
    assert volume == {"sub-a": Decimal("1000.00"), "sub-b": Decimal("593.75")}


def _mechanism_errors(change: dict[str, Any]) -> list[str]:
    document = copy.deepcopy(MECHANISM)
    document["supply_chain"][0].update(change)
    with pytest.raises(PaymentsFormatError) as raised:
        parse_mechanism(document)
    return [str(e) for e in raised.value.errors]


def test_an_attributed_share_replaces_the_share_of_everything_not_both() -> None:
    assert _mechanism_errors({"volume_fee_share": "0.1"}) == [
        "supply_chain[0].attributed_volume_fee_share: give either volume_fee_share (a share of "
        "every volume payment the prime receives) or attributed_volume_fee_share (a share of "
        "those its own participants earned), not both"
    ]


def test_an_attributed_share_with_shares_of_everything_cannot_pass_down_more_than_all() -> None:
    document = copy.deepcopy(MECHANISM)
    document["supply_chain"][0] = {"subcontractor": "sub-a", "outcome_payment_share": "0.3"}
    with pytest.raises(PaymentsFormatError) as raised:
        parse_mechanism(document)
    assert [str(e) for e in raised.value.errors] == [
        "supply_chain[1].attributed_outcome_payment_share: with the other sub-contractors' "
        "shares of every outcome payment (0.3) passes down 1.1 of what its participants "
        "earn, more than 1"
    ]


def test_an_attributed_share_needs_payments_of_its_kind() -> None:
    document = copy.deepcopy(MECHANISM)
    del document["volume_fees"]
    with pytest.raises(PaymentsFormatError) as raised:
        parse_mechanism(document)
    assert [str(e) for e in raised.value.errors] == [
        "supply_chain[0].attributed_volume_fee_share: has no volume_fees to share: the "
        "mechanism has none",
        "supply_chain[1].attributed_volume_fee_share: has no volume_fees to share: the "
        "mechanism has none",
    ]


def test_breakdowns_must_add_up_and_name_the_delivering_parties() -> None:
    mechanism = parse_mechanism(MECHANISM)
    document = copy.deepcopy(OBSERVED)
    period = document["periods"][0]
    period["volumes"][0]["delivered_by"] = {"sub-a": 4, "pcc": 5}
    period["outcomes"][0]["by_party"]["sub-b"] = {"cohort_size": 4, "achieved": {"high": 1}}
    with pytest.raises(PaymentsFormatError) as raised:
        parse_observed(document, mechanism)
    assert [str(e) for e in raised.value.errors] == [
        "periods[0].outcomes[0].by_party: cohort sizes add up to 9, not the cohort_size 10",
        "periods[0].outcomes[0].by_party: people achieving add up to high 2, standard 2 by "
        "need group, not achieved's high 2, standard 3",
        "periods[0].volumes[0].delivered_by: add up to 9, not the count 10",
        "periods[0].volumes[0].delivered_by.pcc: names no prime or sub-contractor of "
        "'attributed': the parts are by the party that delivered them",
    ]


def test_the_terms_say_the_share_is_of_what_its_own_participants_earn() -> None:
    from commissioning.contracts.describe import share_words, subcontract_sentence

    mechanism = parse_mechanism(MECHANISM)
    terms = mechanism.supply_chain[1]
    assert share_words(terms, "outcome") == "80% of what its own participants earn"
    assert subcontract_sentence(mechanism, terms) == (
        "Mentoring charity gets 80% of the outcome payments its own participants earn, 85% of "
        "the volume fees its own participants earn, less a management fee of 5% kept by the "
        "prime; it carries 100% of its share of the money at risk; no minimum contract value "
        "is guaranteed; it is paid 30 days after the prime."
    )
