"""Bid candy after award (SUP-2, issue 14 item "bid candy"): hand figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commissioning_analytics.chain.bid_candy import (
    Promise,
    QuarterReceived,
    Thresholds,
    promise_record,
)

Q1, Q2, Q3, Q4 = date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)
POLICY = Thresholds(Decimal("0.25"), Decimal("0.25"), 2)


def test_no_referrals_for_two_quarters_is_flagged_at_the_second() -> None:
    # 40 a year = 10 a quarter; 20 over two quarters; 25% of 20 = 5; 0 < 5 → flagged.
    record = promise_record(
        Promise("centre", 40, Decimal("60000")),
        [
            QuarterReceived(Q1, 0, Decimal("15000")),
            QuarterReceived(Q2, 0, Decimal("15000")),
            QuarterReceived(Q3, 12, Decimal("15000")),
        ],
        POLICY,
    )
    first, second, third = record.quarters
    assert first.promised_referrals == Decimal(10) and not first.referrals_flagged
    assert second.referrals_flagged and not second.value_flagged
    # Q2+Q3: 12 of 20 received, 60% → not flagged.
    assert not third.referrals_flagged
    flag = record.referral_flag
    assert flag is not None
    assert (flag.quarter, flag.window_start) == (Q2, Q1)
    assert (flag.received, flag.promised, flag.share) == (0, Decimal(20), Decimal(0))
    assert "received 0 of the 20 referrals promised" in flag.explanation
    assert "25%" in flag.explanation
    assert record.value_flag is None


def test_just_at_the_threshold_is_not_flagged_and_just_below_is() -> None:
    promise = Promise("p", 40, Decimal("10000"))  # £2,500 a quarter; £5,000 over two
    at = promise_record(
        promise,
        [QuarterReceived(Q1, 2, Decimal("1250.00")), QuarterReceived(Q2, 3, Decimal("0"))],
        POLICY,
    )
    assert at.flags == ()  # 5 of 20 and £1,250 of £5,000 are exactly 25%
    below = promise_record(
        promise,
        [QuarterReceived(Q1, 2, Decimal("1249.99")), QuarterReceived(Q2, 2, Decimal("0"))],
        POLICY,
    )
    assert below.referral_flag is not None and below.referral_flag.received == 4
    assert below.value_flag is not None
    assert below.value_flag.promised == Decimal("5000.00")
    assert "paid £1,249.99 of the £5,000.00 promised" in below.value_flag.explanation


def test_a_part_quarter_is_promised_its_part_and_money_rounds_once() -> None:
    # £10,001 a year: a quarter is £2,500.25; half a quarter £1,250.125 → window £3,750.375
    # rounds once, half up, to £3,750.38 (not £1,250.13 + £2,500.25 = £3,750.38 either way,
    # but the referrals keep their fraction: 30 a year → 3.75 + 7.5 = 11.25).
    record = promise_record(
        Promise("p", 30, Decimal("10001")),
        [
            QuarterReceived(Q1, 0, Decimal("0"), covered=Decimal("0.5")),
            QuarterReceived(Q2, 2, Decimal("900")),
        ],
        POLICY,
    )
    assert record.quarters[0].promised_referrals == Decimal("3.75")
    assert record.quarters[0].promised_value == Decimal("1250.13")
    assert record.referral_flag is not None and record.referral_flag.promised == Decimal("11.25")
    assert record.value_flag is not None and record.value_flag.promised == Decimal("3750.38")


def test_no_promise_no_flag_and_the_first_window_is_the_one_reported() -> None:
    record = promise_record(
        Promise("p", None, None),
        [QuarterReceived(q, 0, Decimal(0)) for q in (Q1, Q2, Q3)],
        POLICY,
    )
    assert record.flags == () and record.quarters[0].promised_referrals is None
    flagged = promise_record(
        Promise("p", 8, None),
        [QuarterReceived(q, 0, Decimal(0)) for q in (Q1, Q2, Q3, Q4)],
        POLICY,
    )
    assert flagged.referral_flag is not None and flagged.referral_flag.quarter == Q2
    assert [q.referrals_flagged for q in flagged.quarters] == [False, True, True, True]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="in order"):
        promise_record(
            Promise("p", 4, None),
            [QuarterReceived(Q2, 0, Decimal(0)), QuarterReceived(Q1, 0, Decimal(0))],
            POLICY,
        )
    with pytest.raises(ValueError, match="threshold"):
        Thresholds(Decimal("0"), Decimal("0.25"), 2)
