"""Equality monitoring of referrals (EQU-2).

For each protected characteristic and each of its answers ("groups"): how many people were
referred, and the share of them accepted, engaged and completed, each with its Wilson 95%
interval. A group's rate is flagged as a disparity when its interval and the interval of
everyone else's rate (all the other referrals, "not recorded" included) do not overlap: a test
that is easy to say in plain words and that uses the intervals the page shows.

Small numbers are suppressed so that nobody can be picked out: a count of 1 to 4 is never
shown, and where exactly one cell of a column would be hidden the next smallest is withheld too,
so it cannot be worked out from the total (:func:`hidden_cells`). A rate is shown only where
neither the people who reached the step nor those who did not are 1 to 4, and where its group's
referral count is shown. Formulas in ``docs/equality-monitoring.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from commissioning_analytics.chain.creaming import wilson_interval
from commissioning_analytics.outcomes.safeguards import SUPPRESS_BELOW

#: The steps whose rates are monitored, each as a share of the people referred.
STAGES = ("accepted", "engaged", "completed")
NOT_RECORDED = ""


@dataclass(frozen=True, slots=True)
class MonitoredReferral:
    """One referral whose answers are still held: each characteristic's answer (missing or
    blank for not recorded) and the steps it ever reached (a referral that disengaged after
    engaging still engaged)."""

    answers: Mapping[str, str]
    reached: frozenset[str]


@dataclass(frozen=True, slots=True)
class CharacteristicSpec:
    """A characteristic and its answers in the order they are shown ("not recorded" is added
    last)."""

    name: str
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rate:
    """A step's rate in one group, or ``None`` fields where it may not be shown. ``disparity``
    is "higher" or "lower" when the group's interval lies wholly above or below everyone
    else's, else ""."""

    share: float | None
    low: float | None
    high: float | None
    disparity: str = ""

    @property
    def shown(self) -> bool:
        return self.share is not None


HIDDEN_RATE = Rate(None, None, None)


@dataclass(frozen=True, slots=True)
class GroupRow:
    answer: str
    referred: int | None  # None: suppressed (1 to 4) or withheld (its complement)
    rates: dict[str, Rate]
    withheld: bool = False  # hidden only so that a suppressed count cannot be recovered


@dataclass(frozen=True, slots=True)
class CharacteristicTable:
    name: str
    groups: list[GroupRow]
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Monitoring:
    referred: int  # every referral, erased answers included
    held: int  # the referrals whose answers are held: the rates' base
    overall: dict[str, Rate]
    tables: list[CharacteristicTable] = field(default_factory=list)


def hidden_cells(counts: Sequence[int], forced: Collection[int] = ()) -> set[int]:
    """Which cells of a column of counts may not be shown: those of 1 to 4, those ``forced``
    hidden for another reason, and, where that hides exactly one cell, the smallest other
    non-zero cell too, so the hidden one cannot be recovered from the total."""
    hidden = {i for i, count in enumerate(counts) if 0 < count < SUPPRESS_BELOW} | set(forced)
    if len(hidden) == 1:
        others = [(count, i) for i, count in enumerate(counts) if i not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    return hidden


def _small(count: int) -> bool:
    return 0 < count < SUPPRESS_BELOW


def rate(reached: int, base: int) -> Rate:
    """``reached / base`` with its Wilson 95% interval (no disparity judged)."""
    if base <= 0:
        return HIDDEN_RATE
    low, high = wilson_interval(reached, base)
    return Rate(reached / base, low, high)


def disparity(group: Rate, rest: Rate) -> str:
    """ "higher" or "lower" when the two intervals do not overlap, else ""."""
    if group.low is None or group.high is None or rest.low is None or rest.high is None:
        return ""
    if group.low > rest.high:
        return "higher"
    if group.high < rest.low:
        return "lower"
    return ""


def monitor(
    referrals: Iterable[MonitoredReferral],
    characteristics: Sequence[CharacteristicSpec],
    erased: Mapping[tuple[str, str], int] | None = None,
) -> Monitoring:
    """The equality tables of a set of referrals. ``erased`` holds, by (characteristic,
    answer), how many referrals whose answers were erased gave that answer: they count in the
    referral numbers but not in the rates, whose steps are no longer tied to an answer."""
    records = list(referrals)
    erased = erased or {}
    held = len(records)
    reached_all = {stage: sum(stage in r.reached for r in records) for stage in STAGES}
    erased_total = max(
        (
            sum(n for (name, _), n in erased.items() if name == spec.name)
            for spec in characteristics
        ),
        default=0,
    )
    overall = {stage: rate(reached_all[stage], held) for stage in STAGES}
    tables = [_table(spec, records, erased, reached_all) for spec in characteristics]
    return Monitoring(held + erased_total, held, overall, tables)


def _unrecoverable(reached: list[int], bases: list[int], hidden: set[int]) -> set[int]:
    """Widen ``hidden`` until the hidden groups together have at least 5 who reached the step
    and 5 who did not: otherwise the rest's figures (overall less the shown groups) would say
    what happened to everyone in a suppressed group (all 3 of them declined). Nothing to widen
    when the whole table says the same (nobody, or everybody, reached the step)."""
    total_reached, total = sum(reached), sum(bases)
    if total_reached == 0 or total_reached == total:
        return hidden
    hidden = set(hidden)
    while hidden:
        k = sum(reached[i] for i in hidden)
        n = sum(bases[i] for i in hidden)
        if n == 0 or (k >= SUPPRESS_BELOW and n - k >= SUPPRESS_BELOW):
            break
        shown = [(bases[i], i) for i in range(len(bases)) if i not in hidden and bases[i] > 0]
        if not shown:
            break
        hidden.add(min(shown)[1])
    return hidden


def _table(
    spec: CharacteristicSpec,
    records: list[MonitoredReferral],
    erased: Mapping[tuple[str, str], int],
    reached_all: dict[str, int],
) -> CharacteristicTable:
    answers = [*spec.answers, NOT_RECORDED]
    held_in: dict[str, list[MonitoredReferral]] = {a: [] for a in answers}
    for record in records:  # one pass: a body's page reads every referral of its contracts
        bucket = held_in.get(record.answers.get(spec.name) or NOT_RECORDED)
        if bucket is not None:
            bucket.append(record)
    bases = [len(held_in[a]) for a in answers]
    referred = [bases[i] + erased.get((spec.name, a), 0) for i, a in enumerate(answers)]
    referred_hidden = hidden_cells(referred)
    total_held = len(records)
    rates: list[dict[str, Rate]] = [{} for _ in answers]
    for stage in STAGES:
        reached = [sum(stage in r.reached for r in held_in[a]) for a in answers]
        forced = referred_hidden | {
            i for i, (k, n) in enumerate(zip(reached, bases, strict=True)) if _small(n - k)
        }
        hidden = _unrecoverable(reached, bases, hidden_cells(reached, forced))
        for i, (k, n) in enumerate(zip(reached, bases, strict=True)):
            if i in hidden or n == 0:
                rates[i][stage] = HIDDEN_RATE
                continue
            mine = rate(k, n)
            rest = rate(reached_all[stage] - k, total_held - n)
            rates[i][stage] = Rate(mine.share, mine.low, mine.high, disparity(mine, rest))
    groups = [
        GroupRow(
            a,
            None if i in referred_hidden else referred[i],
            rates[i],
            withheld=i in referred_hidden and not _small(referred[i]),
        )
        for i, a in enumerate(answers)
    ]
    flagged = any(r.disparity for g in groups for r in g.rates.values())
    return CharacteristicTable(spec.name, groups, flagged)
