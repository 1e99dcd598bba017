"""Equality monitoring of a contract's referrals, or of all of a commissioning body's contracts
together (EQU-2): the records read into :mod:`commissioning_analytics.chain.equality` and its
tables put into words and CSV for the public pages. Only aggregates leave this module, each
already suppressed below 5."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from commissioning.contracts.models import Contract
from commissioning.referrals import characteristics
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import ErasedCharacteristicCount, Referral, ReferralEvent
from commissioning_analytics.chain.equality import (
    STAGES,
    CharacteristicSpec,
    MonitoredReferral,
    Monitoring,
    Rate,
    monitor,
)

STAGE_LABELS = {
    "accepted": "Accepted",
    "engaged": "Engaged",
    "completed": "Completed",
}
HIDDEN = "not shown (small numbers)"
DISPARITY_WORDS = {
    "higher": "Higher than everyone else’s",
    "lower": "Lower than everyone else’s",
}
SPECS = [
    CharacteristicSpec(item.name, tuple(code for code, _ in item.choices()))
    for item in characteristics.CHARACTERISTICS
]


@dataclass(frozen=True)
class RateCell:
    stage: str
    text: str  # "25% (11% to 47%)" or why it is not shown
    disparity: str  # words, or ""


@dataclass(frozen=True)
class GroupLine:
    answer: str
    referred: str
    cells: list[RateCell]
    flagged: bool


@dataclass(frozen=True)
class CharacteristicSection:
    label: str
    slug: str
    lines: list[GroupLine]
    flagged: bool


@dataclass(frozen=True)
class EqualityReport:
    referred: int
    held: int
    overall: list[RateCell]
    sections: list[CharacteristicSection]

    @property
    def erased(self) -> int:
        return self.referred - self.held

    @property
    def flagged(self) -> list[CharacteristicSection]:
        return [section for section in self.sections if section.flagged]


def monitoring(contracts: QuerySet[Contract]) -> Monitoring:
    """The monitoring tables of the referrals under ``contracts``: each referral whose answers
    are held with the steps it ever reached (from its events), and the erased ones through
    their contracts' kept counts."""
    held = Referral.objects.filter(contract__in=contracts, personal_data_erased_on__isnull=True)
    reached: dict[int, set[str]] = defaultdict(set)
    for referral_id, step in ReferralEvent.objects.filter(
        referral__in=held, step__in=(Status.ACCEPTED, Status.ENGAGED, Status.COMPLETED)
    ).values_list("referral_id", "step"):
        reached[referral_id].add(str(step))
    records = [
        MonitoredReferral(answers or {}, frozenset(reached[pk]))
        for pk, answers in held.values_list("pk", "characteristics")
    ]
    erased: dict[tuple[str, str], int] = defaultdict(int)
    for name, answer, count in ErasedCharacteristicCount.objects.filter(
        contract__in=contracts
    ).values_list("characteristic", "answer", "count"):
        erased[(name, answer)] += count
    return monitor(records, SPECS, erased)


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _referred(count: int | None, withheld: bool) -> str:
    if count is not None:
        return str(count)
    return characteristics.WITHHELD if withheld else characteristics.SUPPRESSED


def _cell(stage: str, found: Rate) -> RateCell:
    if found.share is None or found.low is None or found.high is None:
        return RateCell(stage, HIDDEN, "")
    text = f"{_percent(found.share)} ({_percent(found.low)} to {_percent(found.high)})"
    return RateCell(stage, text, DISPARITY_WORDS.get(found.disparity, ""))


def report(contracts: QuerySet[Contract]) -> EqualityReport:
    """The monitoring of ``contracts`` in the words the page and the CSV show."""
    found = monitoring(contracts)
    sections = []
    for item, table in zip(characteristics.CHARACTERISTICS, found.tables, strict=True):
        lines = [
            GroupLine(
                answer=item.label_of(group.answer),
                referred=_referred(group.referred, group.withheld),
                cells=[_cell(stage, group.rates[stage]) for stage in STAGES],
                flagged=any(rate.disparity for rate in group.rates.values()),
            )
            for group in table.groups
        ]
        sections.append(
            CharacteristicSection(item.label, item.name.replace("_", "-"), lines, table.flagged)
        )
    return EqualityReport(
        referred=found.referred,
        held=found.held,
        overall=[_cell(stage, found.overall[stage]) for stage in STAGES],
        sections=sections,
    )


def as_csv(found: EqualityReport) -> str:
    """One row per characteristic and answer: referrals, then each step's rate with its
    interval and whether it differs from everyone else’s; suppressed cells say so."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["characteristic", "answer", "referrals"]
    for stage in STAGES:
        header += [f"{stage} rate (95% interval)", f"{stage} disparity"]
    writer.writerow(header)
    for section in found.sections:
        for line in section.lines:
            row = [section.label, line.answer, line.referred]
            for cell in line.cells:
                row += [cell.text, cell.disparity]
            writer.writerow(row)
    return out.getvalue()


def body_contracts(body_id: int) -> QuerySet[Contract]:
    """The contracts a commissioning body let: monitored together on its page."""
    return Contract.objects.filter(commissioning_body_id=body_id)
