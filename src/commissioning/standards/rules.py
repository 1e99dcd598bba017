"""The national standards as data, and whether a body meets one (MKT-3): framework-free, so the
figures are tested by hand. A deployment sets the thresholds in a JSON file
(``NATIONAL_STANDARDS_FILE``); the measures themselves are fixed (:mod:`.queries`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).with_name("national_standards.json")
ONE_PLACE = Decimal("0.1")


class Standing(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {"met": "Met", "not_met": "Not met", "no_data": "No data"}[self.value]


@dataclass(frozen=True)
class Standard:
    """One standard: its key, the share of records that must pass (``target_percent``) and the
    key's own parameters (``minimum_weeks``, ``lot_value_limit``, ``days``, ``org_types``)."""

    key: str
    target_percent: Decimal
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        p = self.params
        return {
            "bid_window": f"Bid windows of at least {p.get('minimum_weeks')} weeks",
            "clarifications_on_time": "Clarification questions answered by the promised date",
            "small_lots": f"Lots worth at most £{Decimal(p.get('lot_value_limit', 0)):,.0f} "
            "a year, that small local providers can bid for",
            "prompt_payment": f"Suppliers' invoices paid within {p.get('days')} days",
            "equality_assessments": "An equality impact assessment published for every "
            "exercise that reached procurement",
            "vcs_spend": "Spend with voluntary and community sector organisations",
        }[self.key]

    @property
    def counted(self) -> str:
        """What the figures count, in words."""
        return {
            "bid_window": "published tenders",
            "clarifications_on_time": "questions due or answered",
            "small_lots": "lots of published tenders",
            "prompt_payment": "invoices paid or overdue",
            "equality_assessments": "exercises that reached procurement",
            "vcs_spend": "pounds paid to suppliers",
        }[self.key]

    @property
    def target(self) -> str:
        return f"At least {self.target_percent:g}%"


KNOWN: dict[str, tuple[str, ...]] = {
    "bid_window": ("minimum_weeks",),
    "clarifications_on_time": (),
    "small_lots": ("lot_value_limit",),
    "prompt_payment": ("days",),
    "equality_assessments": (),
    "vcs_spend": ("org_types",),
}


class StandardsFileError(ValueError):
    """The standards file is not usable: the message names the standard and what is wrong."""


def parse(data: Any) -> list[Standard]:
    """The standards in ``data`` (the JSON file's content), checked: known keys, each once, a
    target between 0 and 100 and the key's parameters present."""
    if not isinstance(data, dict) or not isinstance(data.get("standards"), list):
        raise StandardsFileError("The standards file needs a list called “standards”.")
    standards: list[Standard] = []
    for entry in data["standards"]:
        key = entry.get("key") if isinstance(entry, dict) else None
        if key not in KNOWN:
            raise StandardsFileError(
                f"Unknown standard {key!r}: the standards are {', '.join(KNOWN)}."
            )
        if any(s.key == key for s in standards):
            raise StandardsFileError(f"The standard {key!r} is listed twice.")
        try:
            target = Decimal(str(entry.get("target_percent")))
        except ArithmeticError:
            target = Decimal(-1)
        if not Decimal(0) <= target <= Decimal(100):
            raise StandardsFileError(f"{key}: target_percent must be a number from 0 to 100.")
        missing = [name for name in KNOWN[key] if name not in entry]
        if missing:
            raise StandardsFileError(f"{key}: set {', '.join(missing)}.")
        params = {name: entry[name] for name in KNOWN[key]}
        standards.append(Standard(key=key, target_percent=target, params=params))
    return standards


def load(path: Path | str | None = None) -> list[Standard]:
    return parse(json.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Result:
    """One body against one standard: ``passed`` of ``counted`` (records or pounds)."""

    standard: Standard
    passed: Decimal
    counted: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.counted:
            return None
        return (Decimal(100) * self.passed / self.counted).quantize(ONE_PLACE, ROUND_HALF_UP)

    @property
    def standing(self) -> Standing:
        percent = self.percent
        if percent is None:
            return Standing.NO_DATA
        exact = Decimal(100) * self.passed / self.counted
        return Standing.MET if exact >= self.standard.target_percent else Standing.NOT_MET

    @property
    def figures(self) -> str:
        if self.percent is None:
            return f"No {self.standard.counted} yet"
        if self.standard.key == "vcs_spend":
            return f"{self.percent}% (£{self.passed:,.2f} of £{self.counted:,.2f})"
        return f"{self.percent}% ({self.passed:g} of {self.counted:g} {self.standard.counted})"
