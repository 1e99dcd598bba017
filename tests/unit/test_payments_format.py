"""The payment mechanism and observed-data formats: schema, packaging, clear errors (PBR-1)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from commissioning_analytics.payments import (
    PaymentsFormatError,
    example_names,
    load_example,
    load_mechanism,
    mechanism_schema,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.loader import example_document
from commissioning_analytics.payments.schema_check import load_schema

EXAMPLES = ["hmp-doncaster", "peterborough-sib", "work-programme-jsa-18-24"]


def doncaster() -> dict[str, Any]:
    document = example_document("hmp-doncaster")
    assert isinstance(document, dict)
    return copy.deepcopy(document)


def supply_chain() -> dict[str, Any]:
    document = example_document("illustrative-supply-chain")
    assert isinstance(document, dict)
    return copy.deepcopy(document)


def problems(document: object) -> list[str]:
    with pytest.raises(PaymentsFormatError) as caught:
        parse_mechanism(document)
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize("name", ["mechanism", "observed"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schemas_and_examples_are_package_data() -> None:
    package = resources.files("commissioning_analytics.payments")
    assert package.joinpath("schema", "mechanism.schema.json").is_file()
    assert package.joinpath("schema", "observed.schema.json").is_file()
    assert set(EXAMPLES) <= set(example_names())
    assert mechanism_schema()["properties"]["format_version"]["const"] == 1


@pytest.mark.parametrize("name", [*EXAMPLES, "illustrative-supply-chain"])
def test_every_example_and_its_observations_load(name: str) -> None:
    mechanism = load_example(name)
    observed = parse_observed(example_document(f"{name}.observed"), mechanism)
    assert mechanism.format_version == 1
    assert observed.mechanism == mechanism.id


def test_load_mechanism_from_file(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doncaster()))
    mechanism = load_mechanism(path)
    assert mechanism.service_fee is not None
    assert mechanism.service_fee.annual_value == Decimal("1000000.00")
    assert mechanism.measures["binary-reconviction"].baseline == Decimal("58.0")


def test_file_that_is_not_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format_version": 1,\n  oops}')
    with pytest.raises(PaymentsFormatError, match="is not JSON: line 2"):
        load_mechanism(path)


def test_bad_tariff_names_its_path() -> None:
    document = supply_chain()
    document["outcome_payments"][0]["tariff"] = 1200
    assert problems(document) == [
        'outcome_payments[0].tariff: must be a decimal amount in pounds like "1200.00"'
    ]


def test_every_problem_is_reported_at_once() -> None:
    document = supply_chain()
    document["outcome_payments"][1]["tariff"] = "12.345"
    document["supply_chain"][0]["management_fee"] = "1.5"
    del document["period"]
    document["service_fee"]["timing"] = "later"
    document["surprise"] = True
    assert problems(document) == [
        "(document): has unknown field(s) surprise; see docs/payments.md",
        "period: is required",
        'outcome_payments[1].tariff: must be a decimal amount in pounds like "1200.00"',
        'service_fee.timing: must be "advance" or "arrears"',
        "supply_chain[0].management_fee: must be a share between 0 and 1 written as text, "
        'like "0.10"',
    ]


def test_wrong_format_version_is_refused() -> None:
    document = doncaster()
    document["format_version"] = 2
    assert problems(document) == [
        "format_version: must be 1 (the only format version this platform reads)"
    ]


def test_not_an_object_is_refused() -> None:
    assert problems([]) == ["(document): must be of type object"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["service_fee"]["at_risk"].update(measure="nothing"),
            "service_fee.at_risk.measure: names no measure in 'measures': 'nothing'",
        ),
        (
            lambda d: d["outcome_payments"][0].update(basis="per_unit_improvement"),
            "outcome_payments[0].measure: must name a binary, frequency or quantity measure; "
            "'settled-accommodation' is intermediate",
        ),
        (
            lambda d: d["supply_chain"][1].update(subcontractor="pcc"),
            "supply_chain[1].subcontractor: must name a party with role 'subcontractor'",
        ),
        (
            lambda d: d["supply_chain"][1].update(service_fee_share="0.80"),
            "supply_chain.service_fee_share: shares add up to 1.10, more than 1",
        ),
        (
            lambda d: d["outcome_payments"][0].update(floor="50000.00"),
            "outcome_payments[0].floor: must not be more than the cap",
        ),
        (
            lambda d: d["service_fee"].update(frequency="monthly", payer="prime"),
            "service_fee.payer: must name a party with role 'commissioner' or 'outcome_payer', "
            "not 'prime'",
        ),
        (
            lambda d: d["parties"].append({"id": "pcc", "name": "Again", "role": "commissioner"}),
            "parties[4].id: repeats the party id 'pcc'",
        ),
        (
            lambda d: d["measures"][1].pop("comparison"),
            "measures[1].comparison: is required for a binary measure",
        ),
        (
            lambda d: d["measures"][1].update(improvement="events_per_100"),
            "measures[1].improvement: must be 'percentage_points' or 'relative_percent' here",
        ),
    ],
)
def test_cross_reference_errors(change: Any, expected: str) -> None:
    document = supply_chain()
    change(document)
    assert expected in problems(document)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["parties"].pop(1),
            "parties: must have exactly one party with role 'prime'",
        ),
        (
            lambda d: d["measures"].append(dict(d["measures"][0])),
            "measures[2].id: repeats the measure id 'settled-accommodation'",
        ),
        (
            lambda d: d["measures"][0].update(comparison="baseline"),
            "measures[0].comparison: does not apply to an intermediate measure",
        ),
        (
            lambda d: d["measures"][1].update(baseline="45.0"),
            "measures[1].baseline: is only for comparison 'baseline'",
        ),
        (
            lambda d: d["outcome_payments"].append(dict(d["outcome_payments"][0])),
            "outcome_payments[2].id: repeats the payment id 'housed'",
        ),
        (
            lambda d: d.update(volume_fees=[{"id": "housed", "event": "start", "tariff": "1.00"}]),
            "volume_fees[0].id: repeats the payment id 'housed'",
        ),
        (
            lambda d: d["supply_chain"].append({"subcontractor": "womens-centre"}),
            "supply_chain[2].subcontractor: repeats the sub-contractor 'womens-centre'",
        ),
        (
            lambda d: d["outcome_payments"][0].update(need_group_tariffs={"high need": "1.00"}),
            "outcome_payments[0].need_group_tariffs: has a key 'high need' that must be an "
            "identifier of letters, digits, '-', '_' or '.' (at most 64 characters)",
        ),
        (
            lambda d: d["parties"].clear(),
            "parties: must have at least 2 item(s)",
        ),
        (
            lambda d: d.update(term_periods=0),
            "term_periods: must be a whole number of at least 1",
        ),
    ],
)
def test_more_problems_named_by_path(change: Any, expected: str) -> None:
    document = supply_chain()
    change(document)
    assert expected in problems(document)


def test_sib_capital_after_the_term_is_refused() -> None:
    document = example_document("peterborough-sib")
    assert isinstance(document, dict)
    document["social_impact_bond"]["capital"][3]["period"] = 9
    assert problems(document) == [
        "social_impact_bond.capital[3].period: is after the last period of the term"
    ]


def test_parsed_mechanism_helpers() -> None:
    mechanism = load_example("illustrative-supply-chain")
    assert mechanism.party("womens-centre").name == "Women's centre"
    housed = mechanism.outcome_payments[0]
    assert housed.tariff_for(None) == housed.tariff_for("standard") == Decimal("300.00")
    assert housed.tariff_for("high-need") == Decimal("750.00")


def test_fee_frequency_must_fit_the_period() -> None:
    document = doncaster()
    document["service_fee"]["frequency"] = "monthly"
    assert problems(document) == ["service_fee.frequency: cannot be paid monthly with year periods"]


def test_social_impact_bond_needs_a_trigger_and_an_investor() -> None:
    document = example_document("peterborough-sib")
    assert isinstance(document, dict)
    del document["social_impact_bond"]["single_cohort_threshold"]
    del document["social_impact_bond"]["all_cohorts_threshold"]
    document["social_impact_bond"]["investor"] = "moj"
    document["social_impact_bond"]["final_period"] = 9
    assert problems(document) == [
        "social_impact_bond.investor: must name a party with role 'investor'",
        "social_impact_bond: needs a single_cohort_threshold or all_cohorts_threshold",
        "social_impact_bond.final_period: is after the last period of the term",
    ]


def test_volume_limit_needs_both_fields() -> None:
    document = example_document("work-programme-jsa-18-24")
    assert isinstance(document, dict)
    del document["volume_fees"][2]["per_person_event"]
    assert problems(document) == [
        "volume_fees[2]: needs both max_units_per_person and per_person_event, or neither"
    ]


def observed_problems(document: object, mechanism_name: str = "hmp-doncaster") -> list[str]:
    with pytest.raises(PaymentsFormatError) as caught:
        parse_observed(document, load_example(mechanism_name))
    return [str(error) for error in caught.value.errors]


def test_observed_schema_errors_name_the_field() -> None:
    document = example_document("hmp-doncaster.observed")
    assert isinstance(document, dict)
    document["periods"][0]["outcomes"][0]["observed"] = 52.3
    document["periods"][1]["start"] = "1 October 2012"
    assert observed_problems(document) == [
        'periods[0].outcomes[0].observed: must be a decimal number written as text, like "52.3"',
        'periods[1].start: must be a date like "2011-10-01"',
    ]


def test_observed_must_match_its_mechanism() -> None:
    document = example_document("hmp-doncaster.observed")
    assert isinstance(document, dict)
    document["mechanism"] = "other"
    document["periods"][1]["period"] = 1
    document["periods"][0]["outcomes"][0]["measure"] = "employment"
    document["periods"][1]["end"] = "2012-01-01"
    document["periods"][1]["volumes"] = [{"event": "attachment", "count": 3}]
    assert observed_problems(document) == [
        "mechanism: is 'other', not 'hmp-doncaster'",
        "periods[0].outcomes[0].measure: names no measure of 'hmp-doncaster'",
        "periods[1].period: must be after the previous period",
        "periods[1].end: must not be before start",
        "periods[1].volumes[0].event: is 'attachment', which no volume fee pays for or counts",
    ]


def test_observed_needs_a_reference_without_a_baseline() -> None:
    document = example_document("peterborough-sib.observed")
    assert isinstance(document, dict)
    del document["periods"][4]["outcomes"][0]["reference"]
    assert observed_problems(document, "peterborough-sib") == [
        "periods[4].outcomes[0].reference: is required: the measure has no baseline in the "
        "mechanism"
    ]


def test_intermediate_counts_cannot_exceed_the_cohort() -> None:
    document = example_document("illustrative-supply-chain.observed")
    assert isinstance(document, dict)
    document["periods"][2]["outcomes"][0]["achieved"]["standard"] = 79
    assert observed_problems(document, "illustrative-supply-chain") == [
        "periods[2].outcomes[0].achieved: counts more people than the cohort"
    ]
