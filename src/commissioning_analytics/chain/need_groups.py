"""Acceptance, engagement and completion by need group, and the creaming check fed from them
(PBR-3).

A contract's referrals are counted per need group (``standard`` and each group the mechanism's
outcome payments tariff differently). The groups are ordered by complexity the way the tariff
orders them: the least paid first (``standard`` when it is paid least), so that a rising tariff
means more complex needs. :func:`creaming.detect_creaming` is then run on the groups with
referrals, with each group's tariff, to say whether the rates fall with complexity and whether
the differential tariff pays for the harder cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from commissioning_analytics.chain.creaming import CreamingResult, Referral, detect_creaming


@dataclass(frozen=True, slots=True)
class ReferralSteps:
    """One referral: its need group and whether it was ever accepted, engaged, completed."""

    need_group: str
    accepted: bool
    engaged: bool
    completed: bool


@dataclass(frozen=True, slots=True)
class NeedGroupCounts:
    need_group: str
    complexity: int  # 0 = least complex
    tariff: Decimal | None
    referred: int
    accepted: int
    engaged: int
    completed: int


@dataclass(frozen=True)
class NeedGroupReport:
    groups: tuple[NeedGroupCounts, ...]
    creaming: CreamingResult | None  # None when fewer than two groups have referrals
    tariffed: bool


def complexity_order(groups: Sequence[str], tariffs: Mapping[str, Decimal] | None) -> list[str]:
    """The groups least complex first: by tariff when there is one (a stable sort keeps the
    given order between equal tariffs), else as given."""
    if not tariffs:
        return list(groups)
    return sorted(groups, key=lambda g: tariffs.get(g, Decimal(0)))


def need_group_report(
    referrals: Iterable[ReferralSteps],
    groups: Sequence[str],
    tariffs: Mapping[str, Decimal] | None = None,
) -> NeedGroupReport:
    """Counts per group of ``groups`` (every group shown, zeros included; a referral in a group
    not named is refused) and the creaming check over the groups with referrals."""
    order = complexity_order(groups, tariffs)
    tally = {g: [0, 0, 0, 0] for g in order}
    people: list[tuple[str, bool, bool]] = []
    for r in referrals:
        if r.need_group not in tally:
            raise ValueError(f"need group {r.need_group!r} is not one of {list(order)}")
        counts = tally[r.need_group]
        engaged = r.engaged or r.completed
        for i, flag in enumerate((True, r.accepted, engaged, r.completed)):
            counts[i] += int(flag)
        people.append((r.need_group, engaged, r.completed))
    rows = tuple(
        NeedGroupCounts(g, i, None if not tariffs else tariffs.get(g), *tally[g])
        for i, g in enumerate(order)
    )
    rank = {g: i for i, g in enumerate(order)}
    with_referrals = [row for row in rows if row.referred]
    creaming = None
    if len(with_referrals) >= 2:
        creaming = detect_creaming(
            (Referral(rank[g], e, c) for g, e, c in people),
            {row.complexity: row.tariff for row in with_referrals if row.tariff is not None}
            if tariffs
            else None,
        )
    return NeedGroupReport(rows, creaming, bool(tariffs))
