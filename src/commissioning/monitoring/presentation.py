"""A monitoring return as a reader may see it (SUP-7): only the parts they are entitled to, and
to anyone but the organisation itself the counts by characteristic suppressed below 5 (with a
second cell hidden where one alone would be recoverable from the total)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commissioning.kernel.quarters import quarter_code, quarter_label
from commissioning.monitoring.models import BREAKDOWN_GROUPS, MonitoringReturn, Part
from commissioning_analytics.chain.equality import hidden_cells

SUPPRESSED = "fewer than 5"


@dataclass(frozen=True)
class GroupCount:
    label: str
    count: str


@dataclass(frozen=True)
class CharacteristicCounts:
    label: str
    groups: list[GroupCount]


@dataclass(frozen=True)
class Shown:
    """What one reader sees of one return: ``None`` (or empty) for a part they may not see."""

    monitoring_return: MonitoringReturn
    parts: list[str]
    quarter: str
    label: str
    people_served: int | None = None
    breakdown: list[CharacteristicCounts] = field(default_factory=list)
    outputs: str | None = None
    outcomes: str | None = None
    case_studies: list[tuple[str, str]] = field(default_factory=list)

    @property
    def part_labels(self) -> list[str]:
        return [Part(part).label for part in self.parts]


def breakdown_rows(
    breakdown: dict[str, dict[str, int]], *, suppress: bool
) -> list[CharacteristicCounts]:
    rows: list[CharacteristicCounts] = []
    for characteristic, (label, groups) in BREAKDOWN_GROUPS.items():
        counts = breakdown.get(characteristic) or {}
        if not counts:
            continue
        present = [(group_label, counts[group]) for group, group_label in groups if group in counts]
        hidden = hidden_cells([count for _, count in present]) if suppress else set()
        rows.append(
            CharacteristicCounts(
                label,
                [
                    GroupCount(group_label, SUPPRESSED if index in hidden else str(count))
                    for index, (group_label, count) in enumerate(present)
                ],
            )
        )
    return rows


def shown(monitoring_return: MonitoringReturn, parts: list[str], *, owner: bool) -> Shown:
    """The parts of ``monitoring_return`` in ``parts``; ``owner``: the organisation itself."""
    return Shown(
        monitoring_return=monitoring_return,
        parts=parts,
        quarter=quarter_code(monitoring_return.quarter_start),
        label=quarter_label(monitoring_return.quarter_start),
        people_served=monitoring_return.people_served if Part.PEOPLE in parts else None,
        breakdown=breakdown_rows(monitoring_return.breakdown or {}, suppress=not owner)
        if Part.BREAKDOWN in parts
        else [],
        outputs=monitoring_return.outputs if Part.OUTPUTS in parts else None,
        outcomes=monitoring_return.outcomes if Part.OUTCOMES in parts else None,
        case_studies=[(c.title, c.story) for c in monitoring_return.case_studies.all()]
        if Part.CASE_STUDIES in parts
        else [],
    )
