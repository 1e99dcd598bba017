"""Reference cases from the public record (issue 5; PBR-1, PBR-2): the shipped example
mechanisms must reproduce what happened at HMP Doncaster, Peterborough and in the Work Programme.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from commissioning_analytics.payments import calculate, load_example, parse_observed
from commissioning_analytics.payments.loader import example_document
from commissioning_analytics.payments.measures import improvement


def observed_document(name: str) -> dict[str, Any]:
    document = example_document(f"{name}.observed")
    assert isinstance(document, dict)
    return copy.deepcopy(document)


def test_doncaster_cohort_1_cut_5_7_points_and_repays_nothing() -> None:
    mechanism = load_example("hmp-doncaster")
    observed = parse_observed(observed_document("hmp-doncaster"), mechanism)
    result = observed.periods[0].outcomes[0]
    assert improvement(mechanism.measures["binary-reconviction"], result) == Decimal("5.7")

    statement = calculate(mechanism, observed)

    assert not [line for line in statement.lines if line.period == 1 and line.kind == "clawback"]
    (note,) = [n for n in statement.notes if n.period == 1]
    assert "improvement 5.7 percentage points; target 5.0 met: nothing repaid" in note.explanation


def test_doncaster_cohort_2_cut_3_3_points_and_repays_10_percent_of_the_year() -> None:
    mechanism = load_example("hmp-doncaster")
    observed = parse_observed(observed_document("hmp-doncaster"), mechanism)
    assert mechanism.service_fee is not None
    annual_value = mechanism.service_fee.annual_value

    statement = calculate(mechanism, observed)

    (clawback,) = [line for line in statement.lines if line.kind == "clawback"]
    assert clawback.period == 2
    assert (clawback.payer, clawback.payee) == ("serco-catch22", "moj")
    assert clawback.amount == annual_value * Decimal("0.10") == Decimal("100000.00")
    assert "improvement 3.3 percentage points; target 5.0 missed" in clawback.explanation
    assert statement.totals(2)["moj"].net == -(annual_value - clawback.amount)
    assert statement.is_conserved()


def test_peterborough_cohort_1_improved_8_4_percent_so_no_early_payment() -> None:
    mechanism = load_example("peterborough-sib")
    observed = parse_observed(observed_document("peterborough-sib"), mechanism)
    result = observed.periods[-1].outcomes[0]
    assert result.cohort_size == 1000
    value = improvement(mechanism.measures["reconviction-frequency"], result)
    assert value.quantize(Decimal("0.1")) == Decimal("8.4")  # (155 - 142) / 155

    statement = calculate(mechanism, observed)

    assert not [line for line in statement.lines if line.kind == "sib_outcome_payment"]
    (note,) = statement.notes
    assert "142 events per 100 vs matched comparison 155 events per 100" in note.explanation
    assert "improvement 8.4%; single-cohort threshold 10.0: no payment" in note.explanation
    # Investors funded the service up front; the outcome payer has paid nothing yet.
    assert statement.totals()["investors"].paid == Decimal("5000000.00")
    assert statement.funders_paid() == Decimal("0.00")


def test_peterborough_all_cohorts_together_beat_7_5_percent_at_the_final_evaluation() -> None:
    mechanism = load_example("peterborough-sib")
    document = observed_document("peterborough-sib")
    cohort_2 = {
        "measure": "reconviction-frequency",
        "cohort": "2",
        "cohort_size": 1000,
        "observed": "143",
        "reference": "155",
    }
    document["periods"].append(
        {"period": 8, "start": "2017-09-09", "end": "2018-09-08", "outcomes": [cohort_2]}
    )
    statement = calculate(mechanism, parse_observed(document, mechanism))

    # Cohort 2 alone (7.7%) is below 10%, but both cohorts pooled (141 vs 155: 9.0%) beat 7.5%:
    # the outcome payer pays for the 130 + 120 reconviction events prevented.
    (payment,) = [line for line in statement.lines if line.kind == "sib_outcome_payment"]
    assert (payment.payer, payment.payee, payment.period) == ("moj", "investors", 8)
    assert payment.amount == Decimal(250) * Decimal("5000.00")
    assert "final evaluation" in payment.explanation
    assert statement.is_conserved()


def test_work_programme_jsa_18_24_pays_up_to_3810_per_person() -> None:
    mechanism = load_example("work-programme-jsa-18-24")
    tariffs = {fee.id: fee.tariff for fee in mechanism.volume_fees}
    assert tariffs["attachment"] == Decimal("400.00")
    assert tariffs["job-outcome"] == Decimal("1200.00")
    assert tariffs["sustainment"] * 13 == Decimal("2210.00")
    assert mechanism.max_volume_payment_per_person() == Decimal("3810.00")


def test_work_programme_one_person_journey_totals_3810_and_no_more() -> None:
    mechanism = load_example("work-programme-jsa-18-24")

    def period(number: int, event: str) -> dict[str, Any]:
        return {
            "period": number,
            "start": "2011-06-01",
            "end": "2011-06-28",
            "volumes": [{"event": event, "count": 1}],
        }

    # Attached, in work after 24 weeks, then 15 four-week periods in work: only 13 are paid.
    periods = [period(1, "attachment"), period(7, "job_outcome")]
    periods += [period(n, "sustainment") for n in range(8, 23)]
    document = {"format_version": 1, "mechanism": mechanism.id, "periods": periods}

    statement = calculate(mechanism, parse_observed(document, mechanism))

    assert statement.totals()["prime-provider"].received == Decimal("3810.00")
    sustainment = [line for line in statement.lines if line.rule == "volume_fees.sustainment"]
    assert len(sustainment) == 13
    assert all(line.amount == Decimal("170.00") for line in sustainment)
    unpaid = [n for n in statement.notes if n.rule == "volume_fees.sustainment"]
    assert [n.period for n in unpaid] == [21, 22]
    assert "at most 13 per job_outcome to date" in unpaid[0].explanation


def test_work_programme_example_observations() -> None:
    mechanism = load_example("work-programme-jsa-18-24")
    statement = calculate(
        mechanism, parse_observed(observed_document("work-programme-jsa-18-24"), mechanism)
    )
    amounts = [(line.period, line.amount) for line in statement.lines]
    assert amounts == [
        (1, Decimal("40000.00")),  # 100 attachments × £400
        (8, Decimal("24000.00")),  # 20 job outcomes × £1,200
        (9, Decimal("3060.00")),  # 18 sustainment periods × £170
    ]
