"""Per-person limits kept for each person, not only in total (PBR-1; issue 15).

The DWP Work Programme pays at most 13 sustainment payments (£170 each) per job outcome. Counted
in total, one person's extra sustainments are paid out of another's unused allowance; when the
observed volumes say whose events they are (``people``), each person is held to their own 13.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.payments import (
    PaymentsFormatError,
    Statement,
    calculate,
    load_example,
    parse_observed,
)

MECHANISM = load_example("work-programme-jsa-18-24")


def period(number: int, event: str, count: int, people: dict[str, int] | None) -> dict[str, Any]:
    volume: dict[str, Any] = {"event": event, "count": count}
    if people is not None:
        volume["people"] = people
    return {"period": number, "start": "2011-06-01", "end": "2011-06-28", "volumes": [volume]}


def journeys(per_person: bool) -> list[dict[str, Any]]:
    """Two people attached and in work; person a stays in work 16 four-week periods, person b
    leaves at once."""

    def whose(people: dict[str, int]) -> dict[str, int] | None:
        return people if per_person else None

    periods = [
        period(1, "attachment", 2, None),
        period(2, "job_outcome", 2, whose({"a": 1, "b": 1})),
    ]
    periods += [period(n, "sustainment", 1, whose({"a": 1})) for n in range(3, 19)]
    return periods


def statement_for(periods: list[dict[str, Any]]) -> Statement:
    document = {"format_version": 1, "mechanism": MECHANISM.id, "periods": periods}
    return calculate(MECHANISM, parse_observed(document, MECHANISM))


def sustainment_paid(statement: Statement) -> Decimal:
    lines = [line for line in statement.lines if line.rule == "volume_fees.sustainment"]
    return sum((line.amount for line in lines), Decimal(0))


def test_counted_in_total_one_persons_sixteen_sustainments_are_all_paid() -> None:
    # Without people: 2 job outcomes allow 26 in total, so all 16 × £170 = £2,720.00 are paid.
    statement = statement_for(journeys(per_person=False))
    assert sustainment_paid(statement) == Decimal("2720.00")
    # £800.00 attachments + £2,400.00 job outcomes + £2,720.00.
    assert statement.totals()["prime-provider"].received == Decimal("5920.00")


def test_with_people_each_person_is_held_to_thirteen_per_job_outcome() -> None:
    # Person a: 13 × £170 = £2,210.00 paid; the sustainments of periods 16–18 are not.
    statement = statement_for(journeys(per_person=True))
    assert sustainment_paid(statement) == Decimal("2210.00")
    # £800.00 + £2,400.00 + £2,210.00: exactly the £3,810 most for a, and b's £1,600.00.
    assert statement.totals()["prime-provider"].received == Decimal("5410.00")
    unpaid = [n for n in statement.notes if n.rule == "volume_fees.sustainment"]
    assert [n.period for n in unpaid] == [16, 17, 18]
    assert unpaid[0].explanation == (
        "0 sustainment × £170.00 (1 of 1 not paid: at most 13 per job_outcome for each person "
        "to date; over the limit: a 1)"
    )


def test_several_people_in_one_period_are_each_limited() -> None:
    # Both in work (1 job outcome each), then 20 sustainments in one period: a 14, b 6.
    # a is paid 13, b 6: 19 × £170 = £3,230.00 (in total all 20, £3,400.00, would be paid).
    periods = [
        period(1, "job_outcome", 2, {"a": 1, "b": 1}),
        period(2, "sustainment", 20, {"a": 14, "b": 6}),
    ]
    statement = statement_for(periods)
    (line,) = [line for line in statement.lines if line.rule == "volume_fees.sustainment"]
    assert line.amount == Decimal("3230.00")
    assert line.explanation == (
        "19 sustainment × £170.00 (1 of 20 not paid: at most 13 per job_outcome for each person "
        "to date; over the limit: a 1)"
    )


def test_a_second_job_outcome_gives_that_person_thirteen_more() -> None:
    # a: 2 job outcomes → 26; 27 sustainments → 26 × £170 = £4,420.00.
    periods = [
        period(1, "job_outcome", 2, {"a": 2}),
        period(2, "sustainment", 27, {"a": 27}),
    ]
    assert sustainment_paid(statement_for(periods)) == Decimal("4420.00")


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        (
            [period(1, "job_outcome", 2, {"a": 1})],
            "periods[0].volumes[0].people: add up to 1, not the count 2",
        ),
        (
            [period(1, "job_outcome", 1, {"a": 1}), period(2, "sustainment", 1, None)],
            "periods[1].volumes[0].people: is required: other volumes of job_outcome and "
            "sustainment list people, and the limit of 13 per job_outcome is then kept per person",
        ),
        (
            [period(1, "job_outcome", 1, {"a": 0})],
            "periods[0].volumes[0].people.a: must be a whole number of at least 1",
        ),
    ],
)
def test_people_that_do_not_fit_are_refused(periods: list[dict[str, Any]], expected: str) -> None:
    document = {"format_version": 1, "mechanism": MECHANISM.id, "periods": periods}
    with pytest.raises(PaymentsFormatError) as caught:
        parse_observed(document, MECHANISM)
    assert [str(e) for e in caught.value.errors] == [expected]
