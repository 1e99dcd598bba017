"""Volumes counted from recorded referral steps and merged with the imported observed data
(PBR-1, PBR-3, REF-1; issue 14): periods from the contract's first day, need groups where a fee
tariffs them, the import kept for what the records cannot supply."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.loader import example_document
from commissioning_analytics.payments.observed import Volume
from commissioning_analytics.payments.recorded import (
    RecordedStep,
    merge_recorded,
    period_of,
    period_span,
)


def _work_programme(need_groups: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    document = copy.deepcopy(example_document("work-programme-jsa-18-24"))
    if need_groups:
        document["volume_fees"][0]["need_group_tariffs"] = need_groups
    mechanism = parse_mechanism(document)
    observed = parse_observed(example_document("work-programme-jsa-18-24.observed"), mechanism)
    return mechanism, observed


def test_periods_follow_the_mechanisms_length_from_the_first_day() -> None:
    mechanism = parse_mechanism(example_document("illustrative-supply-chain"))  # monthly, 24
    start = date(2026, 1, 31)
    assert period_span(mechanism, start, 1) == (date(2026, 1, 31), date(2026, 2, 27))
    assert period_span(mechanism, start, 2) == (date(2026, 2, 28), date(2026, 3, 30))
    assert period_of(mechanism, start, date(2026, 2, 27)) == 1
    assert period_of(mechanism, start, date(2026, 2, 28)) == 2
    assert period_of(mechanism, start, date(2026, 1, 30)) is None
    assert period_of(mechanism, start, date(2028, 1, 31)) is None  # after period 24
    four_weekly, _ = _work_programme()
    assert period_of(four_weekly, date(2025, 6, 2), date(2025, 6, 29)) == 1
    assert period_of(four_weekly, date(2025, 6, 2), date(2025, 6, 30)) == 2


def test_recorded_attachments_replace_the_imported_ones_and_the_rest_stays() -> None:
    mechanism, observed = _work_programme()
    start = observed.periods[0].start
    steps = [
        RecordedStep("accepted", start, count=4),
        RecordedStep("started", start),  # no fee on starts in this mechanism
        RecordedStep("accepted", start.replace(day=start.day + 28), count=2),
        RecordedStep("referred", start, count=50),
    ]
    merged = merge_recorded(mechanism, start, observed, steps)
    assert merged.recorded == ("attachment",)
    first, second = merged.observed.periods[:2]
    assert [v for v in first.volumes if v.event == "attachment"] == [Volume("attachment", 4)]
    assert [v for v in second.volumes if v.event == "attachment"] == [Volume("attachment", 2)]
    imported = {v.event: v.count for v in observed.periods[0].volumes}
    assert {v.event: v.count for v in first.volumes if v.event != "attachment"} == {
        e: n for e, n in imported.items() if e != "attachment"
    }
    # The import has periods 1, 8 and 9; period 2 now has recorded attachments.
    assert [p.period for p in merged.observed.periods] == [1, 2, 8, 9]
    assert first.label == observed.periods[0].label
    statement = calculate(mechanism, merged.observed)
    paid = [line.amount for line in statement.lines if line.rule == "volume_fees.attachment"]
    assert paid[:2] == [Decimal("1600.00"), Decimal("800.00")]


def test_need_groups_are_kept_only_where_a_fee_tariffs_them() -> None:
    mechanism, _ = _work_programme({"high-need": "900.00"})
    start = date(2025, 6, 2)
    steps = [
        RecordedStep("accepted", start, "high-need", 2),
        RecordedStep("accepted", start, "standard", 3),
        RecordedStep("accepted", start, "", 1),
    ]
    merged = merge_recorded(mechanism, start, None, steps)
    (period,) = merged.observed.periods
    assert (period.period, period.label, period.start, period.end) == (
        1,
        "Period 1",
        date(2025, 6, 2),
        date(2025, 6, 29),
    )
    assert sorted(period.volumes, key=lambda v: v.need_group or "") == [
        Volume("attachment", 4, None),
        Volume("attachment", 2, "high-need"),
    ]
    statement = calculate(mechanism, merged.observed)
    assert sum(line.amount for line in statement.lines) == 4 * Decimal(400) + 2 * Decimal(900)


def test_periods_run_to_the_last_recorded_one_and_steps_outside_the_term_are_counted() -> None:
    mechanism, _ = _work_programme()
    start = date(2025, 6, 2)
    steps = [
        RecordedStep("accepted", date(2025, 8, 1)),  # period 3
        RecordedStep("accepted", date(2025, 5, 1), count=2),  # before the term
        RecordedStep("accepted", date(2035, 1, 1)),  # after the term
    ]
    merged = merge_recorded(mechanism, start, None, steps)
    assert [p.period for p in merged.observed.periods] == [1, 2, 3]
    assert merged.outside_term == 3
    assert merged.source_of("attachment") == "recorded"
    assert merged.source_of("job_outcome") == "imported"


def test_steps_after_the_contracts_last_day_are_outside_the_term() -> None:
    mechanism, _ = _work_programme()
    start = date(2025, 6, 2)
    steps = [
        RecordedStep("accepted", date(2025, 6, 10)),
        RecordedStep("accepted", date(2025, 7, 1)),
    ]
    merged = merge_recorded(mechanism, start, None, steps, term_end=date(2025, 6, 29))
    assert [(p.period, p.volumes) for p in merged.observed.periods] == [
        (1, (Volume("attachment", 1),))
    ]
    assert merged.outside_term == 1
