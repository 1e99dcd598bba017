"""A tile map of the 42 police force areas of England and Wales (MKT-1): one equal square per
area, placed on a grid roughly as the areas lie (north at the top, Wales to the west), so no
border is drawn and nothing pretends to be real geography."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

#: Police force area name → (column, row, short label).
LAYOUT: dict[str, tuple[int, int, str]] = {
    "Northumbria": (4, 0, "NBR"),
    "Cumbria": (3, 1, "CUM"),
    "Durham": (4, 1, "DUR"),
    "Cleveland": (5, 1, "CLE"),
    "Lancashire": (3, 2, "LAN"),
    "North Yorkshire": (4, 2, "NYK"),
    "Humberside": (5, 2, "HUM"),
    "Merseyside": (2, 3, "MER"),
    "Greater Manchester": (3, 3, "GMP"),
    "West Yorkshire": (4, 3, "WYK"),
    "South Yorkshire": (5, 3, "SYK"),
    "North Wales": (1, 4, "NWA"),
    "Cheshire": (2, 4, "CHE"),
    "Derbyshire": (3, 4, "DER"),
    "Nottinghamshire": (4, 4, "NOT"),
    "Lincolnshire": (5, 4, "LIN"),
    "Dyfed-Powys": (1, 5, "DPW"),
    "Staffordshire": (2, 5, "STA"),
    "West Midlands": (3, 5, "WMD"),
    "Leicestershire": (4, 5, "LEI"),
    "Cambridgeshire": (5, 5, "CAM"),
    "Norfolk": (6, 5, "NOR"),
    "South Wales": (1, 6, "SWA"),
    "West Mercia": (2, 6, "WME"),
    "Warwickshire": (3, 6, "WAR"),
    "Northamptonshire": (4, 6, "NTH"),
    "Bedfordshire": (5, 6, "BED"),
    "Suffolk": (6, 6, "SUF"),
    "Gwent": (1, 7, "GWE"),
    "Gloucestershire": (2, 7, "GLO"),
    "Thames Valley": (3, 7, "TVP"),
    "Hertfordshire": (4, 7, "HER"),
    "London": (5, 7, "LDN"),
    "Essex": (6, 7, "ESS"),
    "Avon and Somerset": (1, 8, "A&S"),
    "Wiltshire": (2, 8, "WIL"),
    "Hampshire and Isle of Wight": (3, 8, "HAM"),
    "Surrey": (4, 8, "SUR"),
    "Sussex": (5, 8, "SSX"),
    "Kent": (6, 8, "KEN"),
    "Devon and Cornwall": (0, 9, "D&C"),
    "Dorset": (1, 9, "DOR"),
}

COLUMNS = 1 + max(col for col, _, _ in LAYOUT.values())
ROWS = 1 + max(row for _, row, _ in LAYOUT.values())

#: Fill colours from least to most (a sequential blue scale), and the text colour that reads on
#: each with a contrast of at least 4.5:1.
SHADES: tuple[tuple[str, str], ...] = (
    ("#deebf7", "#0b0c0c"),
    ("#9ecae1", "#0b0c0c"),
    ("#4292c6", "#0b0c0c"),
    ("#08519c", "#ffffff"),
    ("#08306b", "#ffffff"),
)
NO_DATA: tuple[str, str] = ("#f3f2f1", "#0b0c0c")


@dataclass(frozen=True)
class Step:
    """One step of the legend: values from ``low`` to ``high`` get ``fill``."""

    low: Decimal
    high: Decimal
    fill: str
    text: str


def steps(values: Sequence[Decimal | None]) -> list[Step]:
    """Equal-width steps from the smallest to the largest value (one step when all are equal,
    none when there is no value)."""
    known = [value for value in values if value is not None]
    if not known:
        return []
    low, high = min(known), max(known)
    if low == high:
        fill, text = SHADES[-1]
        return [Step(low, high, fill, text)]
    width = (high - low) / len(SHADES)
    return [
        Step(low + width * i, high if i == len(SHADES) - 1 else low + width * (i + 1), *shade)
        for i, shade in enumerate(SHADES)
    ]


def step_for(value: Decimal | None, legend: Sequence[Step]) -> tuple[str, str]:
    """The (fill, text colour) of ``value`` on ``legend``."""
    if value is None or not legend:
        return NO_DATA
    for step in legend:
        if value <= step.high:
            return step.fill, step.text
    return legend[-1].fill, legend[-1].text
