"""Volumes from recorded referrals, merged with the imported observed data (PBR-1, PBR-3, REF-1).

A volume fee pays per event ("start", "completion" …). When a contract's referrals are recorded
as they happen, the count of each event a referral step supplies is taken from those records
rather than typed in: every step is put in the contract period its date falls in (periods follow
one another from the contract's first day, each as long as the mechanism's ``period``), and
counted per need group where a fee on that event tariffs need groups differently, and split by
the contract party delivering each referral (``Volume.delivered_by``), from which volume fees
are attributed to the sub-contractor whose participants earned them. What the records cannot
supply (job outcomes, sustainment payments, outcome results) stays as imported.

Framework-free: the caller reads the steps from its records; :func:`merge_recorded` builds the
:class:`~.observed.Observed` the calculation takes. The mapping is documented in
``docs/payments.md`` ("Volumes from recorded referrals").
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from commissioning_analytics.payments.model import Mechanism
from commissioning_analytics.payments.observed import Observed, PeriodObservation, Volume

#: A volume fee's ``event`` → the referral step that is one such event: a referral made
#: (referred), a person taken on by the provider (accepted: the Work Programme's "attachment"),
#: a start and a completion. Job outcomes and sustainment are not referral steps, so they stay
#: from the import.
RECORDED_STEPS: dict[str, str] = {
    "referral": "referred",
    "attachment": "accepted",
    "start": "started",
    "completion": "completed",
}

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}
DAYS_PER_FOUR_WEEKS = 28


@dataclass(frozen=True, slots=True)
class RecordedStep:
    """``count`` referrals (of ``need_group``) moved to ``step`` on ``happened_on``; ``party``
    is the mechanism party id of the organisation that delivers them ("" when not known)."""

    step: str
    happened_on: date
    need_group: str = ""
    count: int = 1
    party: str = ""


@dataclass(frozen=True, slots=True)
class MergedObserved:
    """The observed data the statement is computed from, and where each part came from:
    ``recorded`` names the fee events counted from the referral records (the rest of the
    volumes and every outcome result are the import's); ``outside_term`` counts recorded steps
    of those events dated before the first period or after the last, which no period pays for."""

    observed: Observed
    recorded: tuple[str, ...] = ()
    outside_term: int = 0

    def source_of(self, event: str) -> str:
        return "recorded" if event in self.recorded else "imported"

    def imported_events(self, mechanism: Mechanism) -> tuple[str, ...]:
        """The mechanism's volume-fee events still counted from the import, in fee order."""
        events = dict.fromkeys(fee.event for fee in mechanism.volume_fees)
        return tuple(e for e in events if e not in self.recorded)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_span(mechanism: Mechanism, term_start: date, number: int) -> tuple[date, date]:
    """The first and last day of contract period ``number`` (1-based) of a term that starts on
    ``term_start``: four-week periods are 28 days; months, quarters and years are calendar
    lengths from the same day of the month."""
    if mechanism.period == "four_weeks":
        first = term_start + timedelta(days=DAYS_PER_FOUR_WEEKS * (number - 1))
        return first, first + timedelta(days=DAYS_PER_FOUR_WEEKS - 1)
    months = MONTHS_PER_PERIOD[mechanism.period]
    first = _add_months(term_start, months * (number - 1))
    return first, _add_months(term_start, months * number) - timedelta(days=1)


def period_of(mechanism: Mechanism, term_start: date, day: date) -> int | None:
    """The contract period ``day`` falls in, or ``None`` outside the term."""
    if day < term_start:
        return None
    if mechanism.period == "four_weeks":
        number = (day - term_start).days // DAYS_PER_FOUR_WEEKS + 1
    else:
        months = MONTHS_PER_PERIOD[mechanism.period]
        elapsed = (day.year - term_start.year) * 12 + day.month - term_start.month
        number = elapsed // months + 1
        if day < period_span(mechanism, term_start, number)[0]:
            number -= 1
    return number if number <= mechanism.term_periods else None


def recorded_events(mechanism: Mechanism) -> tuple[str, ...]:
    """The mechanism's volume-fee events that referral records supply, in fee order."""
    found: list[str] = []
    for fee in mechanism.volume_fees:
        if fee.event in RECORDED_STEPS and fee.event not in found:
            found.append(fee.event)
    return tuple(found)


def _tariffed_groups(mechanism: Mechanism, event: str) -> set[str]:
    return {
        g for fee in mechanism.volume_fees if fee.event == event for g in fee.need_group_tariffs
    }


def _volume_order(item: tuple[tuple[int, str, str | None], int]) -> tuple[int, str, str]:
    (number, event, group), _count = item
    return number, event, group or ""


def _delivered_by(parties: Counter[str]) -> dict[str, int]:
    """The events by the party that delivered them (PBR-4): none unless every step says whose
    it is, so attributed payments are never worked out from part of a count."""
    return {} if "" in parties else dict(sorted(parties.items()))


def merge_recorded(
    mechanism: Mechanism,
    term_start: date,
    imported: Observed | None,
    steps: Iterable[RecordedStep],
    term_end: date | None = None,
) -> MergedObserved:
    """The imported observed data with the volumes of every recorded event replaced by the
    counts of ``steps`` per period (and per need group where a fee on the event tariffs it).

    The periods are the import's and every period up to the last one a recorded step falls in
    (a period with nothing recorded still carries its service fee). A period the import has
    keeps its label, dates and outcome results. A step after ``term_end`` (the contract's last
    day, when it ended before the mechanism's last period) is outside the term."""
    events = recorded_events(mechanism)
    by_step: dict[str, list[str]] = {}
    for event in events:
        by_step.setdefault(RECORDED_STEPS[event], []).append(event)
    counts: Counter[tuple[int, str, str | None]] = Counter()
    delivered: dict[tuple[int, str, str | None], Counter[str]] = {}
    outside = 0
    for item in steps:
        for event in by_step.get(item.step, ()):
            number = period_of(mechanism, term_start, item.happened_on)
            if number is None or (term_end is not None and item.happened_on > term_end):
                outside += item.count
                continue
            group = (
                item.need_group if item.need_group in _tariffed_groups(mechanism, event) else None
            )
            counts[(number, event, group)] += item.count
            delivered.setdefault((number, event, group), Counter())[item.party] += item.count
    imported_periods = {p.period: p for p in imported.periods} if imported else {}
    last_recorded = max((number for number, _, _ in counts), default=0)
    numbers = sorted(set(imported_periods) | set(range(1, last_recorded + 1)))
    periods = []
    for number in numbers:
        recorded = tuple(
            Volume(key[1], count, key[2], delivered_by=_delivered_by(delivered[key]))
            for key, count in sorted(counts.items(), key=_volume_order)
            if key[0] == number
        )
        base = imported_periods.get(number)
        if base is None:
            first, last = period_span(mechanism, term_start, number)
            periods.append(PeriodObservation(number, f"Period {number}", first, last, (), recorded))
            continue
        kept = tuple(v for v in base.volumes if v.event not in events)
        periods.append(
            PeriodObservation(
                base.period, base.label, base.start, base.end, base.outcomes, kept + recorded
            )
        )
    observed = Observed(imported.mechanism if imported else mechanism.id, tuple(periods))
    return MergedObserved(observed, events, outside)
