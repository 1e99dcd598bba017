"""Equality monitoring on a hand-made referral table (EQU-2): rates with Wilson 95% intervals
worked by hand, the disparity flag (non-overlapping intervals) and suppression below 5."""

from __future__ import annotations

import pytest

from commissioning_analytics.chain.equality import (
    CharacteristicSpec,
    MonitoredReferral,
    hidden_cells,
    monitor,
)

SPECS = [
    CharacteristicSpec("sex", ("female", "male")),
    CharacteristicSpec("race", ("asian", "black", "white")),
]


def _people(n: int, sex: str, race: str, *reached: str) -> list[MonitoredReferral]:
    return [MonitoredReferral({"sex": sex, "race": race}, frozenset(reached)) for _ in range(n)]


def _table() -> list[MonitoredReferral]:
    """60 referrals: 20 women (3 Asian, 7 Black, 10 White; 5 White women accepted and engaged)
    and 40 White men (35 accepted, 30 of them engaged, 10 completed)."""
    return [
        *_people(3, "female", "asian"),
        *_people(7, "female", "black"),
        *_people(5, "female", "white", "accepted", "engaged"),
        *_people(5, "female", "white"),
        *_people(10, "male", "white", "accepted", "engaged", "completed"),
        *_people(20, "male", "white", "accepted", "engaged"),
        *_people(5, "male", "white", "accepted"),
        *_people(5, "male", "white"),
    ]


def test_rates_intervals_and_disparity_by_hand() -> None:
    result = monitor(_table(), SPECS)
    assert (result.referred, result.held) == (60, 60)
    # Overall acceptance 40/60.
    assert result.overall["accepted"].share == pytest.approx(2 / 3)
    sex = result.tables[0]
    female, male, not_recorded = sex.groups
    assert (female.referred, male.referred, not_recorded.referred) == (20, 40, 0)
    # Women: 5 of 20 accepted. Wilson: centre (0.25 + 1.96²/40) / (1 + 1.96²/20) = 0.2903,
    # half-width 1.96 √(0.25·0.75/20 + 1.96²/1600) / 1.1921 = 0.1784.
    accepted = female.rates["accepted"]
    assert accepted.share == pytest.approx(0.25)
    assert accepted.low == pytest.approx(0.1119, abs=1e-4)
    assert accepted.high == pytest.approx(0.4687, abs=1e-4)
    # Men (everyone else): 35 of 40, interval 0.7389 to 0.9454: no overlap, so both flagged.
    assert male.rates["accepted"].low == pytest.approx(0.7389, abs=1e-4)
    assert male.rates["accepted"].high == pytest.approx(0.9454, abs=1e-4)
    assert accepted.disparity == "lower"
    assert male.rates["accepted"].disparity == "higher"
    assert sex.flagged
    # Engagement: women 5/20 (0.1119 to 0.4687), men 30/40 (0.5980 to 0.8581): flagged too.
    assert male.rates["engaged"].share == pytest.approx(0.75)
    assert male.rates["engaged"].low == pytest.approx(0.5980, abs=1e-4)
    assert female.rates["engaged"].disparity == "lower"
    # Completion: no woman completed, 10 men did; 0 of 20 is shown (zero is not suppressed),
    # 0 to 0.1611 against 0.1419 to 0.4020 overlaps: no flag.
    assert female.rates["completed"].share == 0
    assert female.rates["completed"].high == pytest.approx(0.1611, abs=1e-4)
    assert female.rates["completed"].disparity == ""
    assert not not_recorded.rates["accepted"].shown


def test_small_groups_suppressed_with_their_complement() -> None:
    race = monitor(_table(), SPECS).tables[1]
    asian, black, white, not_recorded = race.groups
    # 3 Asian referrals are fewer than 5; the next smallest (7 Black) is withheld so the 3
    # cannot be worked out from the total of 60.
    assert (asian.referred, black.referred, white.referred, not_recorded.referred) == (
        None,
        None,
        50,
        0,
    )
    # Showing the White rate would tell that none of the 10 hidden people was accepted, so
    # every acceptance rate of the characteristic is hidden, and nothing is flagged.
    assert (asian.withheld, black.withheld) == (False, True)
    assert not any(group.rates["accepted"].shown for group in race.groups)
    assert not race.flagged


def test_hidden_cells_rule() -> None:
    assert hidden_cells([12, 3, 0, 40]) == {1, 0}
    assert hidden_cells([2, 4, 9]) == {0, 1}
    assert hidden_cells([5, 0, 6]) == set()
    assert hidden_cells([5, 0, 6], forced={2}) == {2, 0}


def test_erased_answers_count_in_referrals_not_rates() -> None:
    erased = {("sex", "female"): 6, ("sex", "male"): 0, ("race", "white"): 6}
    result = monitor(_table(), SPECS, erased)
    assert (result.referred, result.held) == (66, 60)
    assert result.tables[0].groups[0].referred == 26
    assert result.tables[0].groups[0].rates["accepted"].share == pytest.approx(0.25)
