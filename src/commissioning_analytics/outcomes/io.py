"""Reading and validating person-level CSV files for the outcomes engine (OUT-1).

One row per person, a header row naming the columns. Numeric columns (outcome, covariates)
must hold a finite number in every row; text columns (exact-matching strata) may hold any
value. Every problem is reported as one line naming the file, the column and, where it is a
value, the row (row 1 is the header, so the first person is row 2). Nothing is returned
half-read: the first problem found stops the read.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray


class InputError(ValueError):
    """A file cannot be used; the message is one line naming the file and column or row."""


@dataclass(frozen=True)
class PeopleTable:
    """Columns read from one file: numeric columns as float64, text columns as strings."""

    name: str
    rows: int
    numbers: dict[str, NDArray[np.float64]]
    text: dict[str, NDArray[np.str_]]


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    if not header:
        raise InputError(f"{path.name}: the file is empty; a header row is needed")
    return [column.strip() for column in header]


def read_people(path: str | Path, numeric: list[str], text: list[str] | None = None) -> PeopleTable:
    """Read ``numeric`` and ``text`` columns from ``path``, validating every value."""
    path = Path(path)
    text = text or []
    header = _header(path)
    for column in [*numeric, *text]:
        if column not in header:
            raise InputError(f"{path.name}: no column {column!r} (it has: {', '.join(header)})")
    wanted = list(dict.fromkeys([*numeric, *text]))
    fast = _read_fast(path, wanted, numeric, text)
    if fast is not None:
        return fast
    frame = _read(path, wanted, dict.fromkeys(wanted, str), keep_default_na=False)
    numbers: dict[str, NDArray[np.float64]] = {}
    for column in numeric:
        raw = frame[column].str.strip()
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = ~np.isfinite(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            value = raw.iloc[row]
            problem = "is empty" if value == "" else f"has {value!r}, which is not a number"
            raise InputError(f"{path.name}: row {row + 2}: column {column!r} {problem}")
        numbers[column] = values
    return _table(path, frame, numbers, text)


def _read(path: Path, wanted: list[str], dtypes: dict[str, Any], **options: Any) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            path,
            usecols=wanted,
            dtype=dtypes,
            encoding="utf-8-sig",
            skipinitialspace=True,
            **options,
        )
    except pd.errors.ParserError as error:
        message = " ".join(str(error).split())
        raise InputError(f"{path.name}: not a valid CSV file ({message})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _read_fast(
    path: Path, wanted: list[str], numeric: list[str], text: list[str]
) -> PeopleTable | None:
    """Parse numbers in C; ``None`` when any value is not a finite number (the slow path then
    finds and names the first bad row)."""
    dtypes: dict[str, Any] = dict.fromkeys(numeric, np.float64)
    dtypes.update({c: str for c in text if c not in numeric})
    try:
        frame = _read(path, wanted, dtypes, keep_default_na=True, na_values=[""])
    except ValueError:
        return None
    numbers = {c: frame[c].to_numpy(dtype=np.float64) for c in numeric}
    if not all(np.all(np.isfinite(v)) for v in numbers.values()):
        return None
    if any(frame[c].isna().any() for c in text):
        return None
    return _table(path, frame, numbers, text)


def _table(
    path: Path, frame: pd.DataFrame, numbers: dict[str, NDArray[np.float64]], text: list[str]
) -> PeopleTable:
    strings = {column: frame[column].astype(str).str.strip().to_numpy(dtype=str) for column in text}
    return PeopleTable(path.name, len(frame), numbers, strings)
