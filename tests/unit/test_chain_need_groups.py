"""Acceptance, engagement and completion by need group feeding the creaming check (PBR-3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.chain.need_groups import ReferralSteps, need_group_report


def _people(group: str, n: int, accepted: int, engaged: int, completed: int) -> list:
    return [ReferralSteps(group, i < accepted, i < engaged, i < completed) for i in range(n)]


def test_counts_by_group_and_creaming_flagged_with_a_tariff_too_shallow() -> None:
    # standard: 100 referred, 90 accepted, 80 engaged, 60 completed;
    # high-need: 100 referred, 70 accepted, 40 engaged, 20 completed.
    referrals = _people("standard", 100, 90, 80, 60) + _people("high-need", 100, 70, 40, 20)
    report = need_group_report(
        referrals,
        ["standard", "high-need"],
        {"standard": Decimal("1000"), "high-need": Decimal("1500")},
    )
    standard, high = report.groups
    assert (standard.need_group, standard.complexity, standard.tariff) == (
        "standard", 0, Decimal("1000"),
    )  # fmt: skip
    assert (standard.referred, standard.accepted, standard.engaged, standard.completed) == (
        100, 90, 80, 60,
    )  # fmt: skip
    assert (high.referred, high.accepted, high.engaged, high.completed) == (100, 70, 40, 20)
    result = report.creaming
    assert result is not None and result.flagged
    assert result.engagement_decline == pytest.approx(0.40)
    assert result.outcome_decline == pytest.approx(0.40)
    # Expected payment per referral: 1000 × 0.6 = £600 against 1500 × 0.2 = £300; a tariff of
    # 600 / 0.2 = £3,000 would match.
    assert [g.expected_payment for g in result.groups] == [Decimal("600.00"), Decimal("300.00")]
    assert result.groups[1].equalising_tariff == Decimal("3000.00")
    assert result.tariff_offsets is False


def test_groups_ordered_by_tariff_and_engaged_counts_completed() -> None:
    # A completed referral counts as engaged even without its engaged step.
    referrals = [ReferralSteps("complex", True, False, True), *_people("standard", 3, 3, 3, 3)]
    report = need_group_report(
        referrals,
        ["complex", "standard"],
        {"standard": Decimal("500"), "complex": Decimal("900")},
    )
    assert [g.need_group for g in report.groups] == ["standard", "complex"]
    assert report.groups[1].engaged == 1
    assert report.creaming is not None and not report.creaming.flagged


def test_one_group_with_referrals_gives_no_check_and_unknown_group_is_refused() -> None:
    report = need_group_report(_people("standard", 5, 5, 4, 3), ["standard", "high-need"])
    assert report.creaming is None
    assert [g.referred for g in report.groups] == [5, 0]
    with pytest.raises(ValueError, match="not one of"):
        need_group_report([ReferralSteps("other", True, True, True)], ["standard"])
