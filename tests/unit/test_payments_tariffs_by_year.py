"""Tariffs that change by contract year (PBR-1, PBR-3; issue 15): an outcome payment's and a
volume fee's tariffs, need-group tariffs included, are those of the contract year the period
falls in. Every figure is worked out by hand in the test's comment.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.payments import (
    PaymentsFormatError,
    Statement,
    calculate,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.model import contract_year


def resettlement(**changes: Any) -> dict[str, Any]:
    """Two years of quarters. Year 1: £1,000 for each person housed (£2,000 in the high-need
    group) and £400 an attachment (£600 high-need). From year 2: £1,100 (£2,500 high-need)
    and £450 an attachment (£700 high-need)."""
    document: dict[str, Any] = {
        "format_version": 1,
        "id": "resettlement",
        "name": "Resettlement with a year-2 tariff rise",
        "period": "quarter",
        "term_periods": 8,
        "parties": [
            {"id": "c", "name": "Commissioner", "role": "commissioner"},
            {"id": "p", "name": "Prime", "role": "prime"},
        ],
        "measures": [{"id": "housed", "kind": "intermediate"}],
        "outcome_payments": [
            {
                "id": "housing",
                "measure": "housed",
                "basis": "per_person_achieving",
                "tariff": "1000.00",
                "need_group_tariffs": {"high": "2000.00"},
                "tariffs_by_year": [
                    {"from_year": 2, "tariff": "1100.00", "need_group_tariffs": {"high": "2500.00"}}
                ],
            }
        ],
        "volume_fees": [
            {
                "id": "attach",
                "event": "attachment",
                "tariff": "400.00",
                "need_group_tariffs": {"high": "600.00"},
                "tariffs_by_year": [
                    {"from_year": 2, "tariff": "450.00", "need_group_tariffs": {"high": "700.00"}}
                ],
            }
        ],
    }
    document.update(copy.deepcopy(changes))
    return document


def quarter(n: int) -> dict[str, Any]:
    year, month = 2026 + (n - 1) // 4, 1 + 3 * ((n - 1) % 4)
    outcome = {"measure": "housed", "cohort": f"q{n}", "cohort_size": 20}
    return {
        "period": n,
        "start": f"{year}-{month:02d}-01",
        "end": f"{year}-{month + 2:02d}-28",
        "outcomes": [{**outcome, "achieved": {"standard": 3, "high": 2}}],
        "volumes": [
            {"event": "attachment", "count": 5},
            {"event": "attachment", "need_group": "high", "count": 2},
        ],
    }


def run(document: dict[str, Any], periods: list[int]) -> Statement:
    mechanism = parse_mechanism(document)
    observed = {
        "format_version": 1,
        "mechanism": mechanism.id,
        "periods": [quarter(n) for n in periods],
    }
    return calculate(mechanism, parse_observed(observed, mechanism))


def paid(statement: Statement) -> list[tuple[int, str, Decimal]]:
    return [(line.period, line.kind, line.amount) for line in statement.lines]


def test_periods_fall_in_contract_years_by_the_number_of_periods_a_year() -> None:
    assert [contract_year("quarter", n) for n in (1, 4, 5, 8, 9)] == [1, 1, 2, 2, 3]
    assert [contract_year("four_weeks", n) for n in (13, 14)] == [1, 2]
    assert [contract_year("year", n) for n in (1, 2)] == [1, 2]


def test_a_period_in_year_one_pays_the_old_tariffs_and_one_in_year_two_the_new() -> None:
    # Quarter 4 (year 1): housed 3 × £1,000 + 2 × £2,000 = £7,000.00;
    #   attachments 5 × £400 = £2,000.00 and 2 high-need × £600 = £1,200.00.
    # Quarter 5 (year 2): housed 3 × £1,100 + 2 × £2,500 = £8,300.00;
    #   attachments 5 × £450 = £2,250.00 and 2 high-need × £700 = £1,400.00.
    statement = run(resettlement(), [4, 5])
    assert paid(statement) == [
        (4, "outcome_payment", Decimal("7000.00")),
        (4, "volume_fee", Decimal("2000.00")),
        (4, "volume_fee", Decimal("1200.00")),
        (5, "outcome_payment", Decimal("8300.00")),
        (5, "volume_fee", Decimal("2250.00")),
        (5, "volume_fee", Decimal("1400.00")),
    ]
    year_two = [line.explanation for line in statement.lines if line.period == 5]
    assert year_two[0].endswith(
        "2 × £2,500.00 (high) + 3 × £1,100.00 (standard) (contract year 2 tariffs)"
    )
    assert year_two[2] == "2 attachment (high) at the contract year 2 tariff × £700.00"
    assert statement.is_conserved()


def test_without_tariffs_by_year_every_year_pays_the_same_tariffs() -> None:
    document = resettlement()
    for rule in (*document["outcome_payments"], *document["volume_fees"]):
        del rule["tariffs_by_year"]
    amounts = [amount for _, _, amount in paid(run(document, [4, 5]))]
    assert amounts == [Decimal("7000.00"), Decimal("2000.00"), Decimal("1200.00")] * 2


def test_a_later_entry_replaces_an_earlier_one_from_its_year() -> None:
    # Year 2 £1,100, year 3 onwards £1,200 (high £3,000) in a 3-year term: quarter 9 is in
    # year 3: 3 × £1,200 + 2 × £3,000 = £9,600.00.
    document = resettlement(term_periods=12)
    document["outcome_payments"][0]["tariffs_by_year"].append(
        {"from_year": 3, "tariff": "1200.00", "need_group_tariffs": {"high": "3000.00"}}
    )
    statement = run(document, [9])
    assert statement.lines[0].amount == Decimal("9600.00")


def refused(document: dict[str, Any]) -> list[str]:
    with pytest.raises(PaymentsFormatError) as caught:
        parse_mechanism(document)
    return [f"{e.path}: {e.message}" for e in caught.value.errors]


def with_years(*entries: dict[str, Any]) -> dict[str, Any]:
    document = resettlement()
    document["outcome_payments"][0]["tariffs_by_year"] = list(entries)
    return document


def test_malformed_tariffs_by_year_are_refused_with_the_field_path() -> None:
    high = {"need_group_tariffs": {"high": "2500.00"}}
    assert refused(with_years({"from_year": 1, "tariff": "1100.00", **high})) == [
        "outcome_payments[0].tariffs_by_year[0].from_year: must be a whole number of at "
        "least 2 (year 1 pays the rule's own tariff)"
    ]
    assert refused(with_years({"from_year": 2, "tariff": "11.5p", **high})) == [
        "outcome_payments[0].tariffs_by_year[0].tariff: must be a decimal amount in pounds "
        'like "1200.00"'
    ]
    assert refused(with_years({"from_year": 3, "tariff": "1100.00", **high})) == [
        "outcome_payments[0].tariffs_by_year[0].from_year: is after the last contract year "
        "of the term (2)"
    ]
    document = resettlement(term_periods=16)
    document["outcome_payments"][0]["tariffs_by_year"] = [
        {"from_year": 3, "tariff": "1100.00", **high},
        {"from_year": 3, "tariff": "1200.00", **high},
    ]
    assert refused(document) == [
        "outcome_payments[0].tariffs_by_year[1].from_year: must be later than year 3, "
        "the year before it"
    ]
    document = resettlement()
    del document["volume_fees"][0]["tariffs_by_year"][0]["need_group_tariffs"]
    assert refused(document) == [
        "volume_fees[0].tariffs_by_year[0].need_group_tariffs: must name the same need "
        "groups as the rule's need_group_tariffs (high)"
    ]
    assert refused(with_years()) == [
        "outcome_payments[0].tariffs_by_year: must have at least 1 item(s)"
    ]
