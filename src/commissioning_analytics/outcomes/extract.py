"""A national extract held by the data steward, and the measures of chosen people in it (OUT-1).

The extract is two files in the layout of :mod:`.measures`: **people** (``person_id`` — the
keyed-hash pseudonym —, ``index_date``, an optional ``censor_date`` and covariate columns) and
**offences** (``person_id``, ``offence_date``, ``disposal_date``, ``disposal_type``). At national
scale (2,000,000 people, 5,000,000 offences) no frame of the offences is kept: they are loaded
once into NumPy arrays sorted by person, with ``starts[p]:starts[p + 1]`` the offences of the
person in row ``p`` (compressed rows). :meth:`Extract.measures_for` then computes the measures of
any chosen rows (a cohort and its matched comparison) from their offences only, by the same
:func:`.measures.proven_reoffending` as the file-based :func:`.measures.add_measures`, so the two
always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from commissioning_analytics.outcomes.intermediate import held_measures, status_values
from commissioning_analytics.outcomes.io import InputError
from commissioning_analytics.outcomes.measures import (
    CENSOR_COLUMN,
    CUSTODIAL,
    DISPOSAL_TYPES,
    UNPROVEN_TYPES,
    Days,
    Measures,
    proven_reoffending,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
_KINDS = tuple(sorted(DISPOSAL_TYPES | UNPROVEN_TYPES))
_PROVEN_CODES = np.array([kind in DISPOSAL_TYPES for kind in _KINDS])
_CUSTODY_CODE = _KINDS.index(CUSTODIAL)


@dataclass(frozen=True)
class OffenceRecords:
    """Proven offences sorted by person: row ``p``'s are ``starts[p]:starts[p + 1]``."""

    starts: IntArray
    committed: Days
    disposed: Days
    kind: NDArray[np.int8]  # index into the sorted disposal types

    @property
    def size(self) -> int:
        return int(self.committed.size)


@dataclass(frozen=True)
class Extract:
    """People (covariates by column) and their offences, addressed by row number."""

    ids: pd.Index
    index_date: Days
    censor_date: Days | None
    numbers: dict[str, FloatArray]
    text: dict[str, NDArray[np.object_]]
    offences: OffenceRecords
    statuses: dict[str, FloatArray] = field(default_factory=dict)
    """Intermediate outcomes held (:mod:`.intermediate`): 1, 0 or NaN (not recorded)."""

    @property
    def rows(self) -> int:
        return int(self.index_date.size)

    def positions(self, pseudonyms: ArrayLike) -> IntArray:
        """Row numbers of ``pseudonyms``; refuses any that the extract does not hold, and any
        given twice (one person cannot count twice in a cohort)."""
        wanted = pd.Index(np.asarray(pseudonyms, dtype=object))
        twice = np.flatnonzero(wanted.duplicated())
        if twice.size:
            raise InputError(
                f"{twice.size} {'person is' if twice.size == 1 else 'people are'} given more "
                "than once (the first repeat is row "
                f"{int(twice[0]) + 1})"
            )
        found = np.asarray(self.ids.get_indexer(wanted), dtype=np.int64)
        missing = np.flatnonzero(found < 0)
        if missing.size:
            raise InputError(
                f"{missing.size} of {found.size} people are not in the extract "
                f"(the first is row {int(missing[0]) + 1})"
            )
        return found

    def measures_for(self, rows: ArrayLike, index_dates: ArrayLike | None = None) -> Measures:
        """The measures of the people in ``rows`` (in that order), from their offences only.

        ``index_dates`` (one per row) replaces the extract's own: a provider's cohort is
        measured from the day each person started with the provider (OUT-1)."""
        chosen = np.asarray(rows, dtype=np.int64)
        if index_dates is None:
            index = self.index_date[chosen]
        else:
            index = np.asarray(index_dates, dtype="datetime64[D]")
            if index.shape != chosen.shape:
                raise InputError(
                    f"{index.size} index dates were given for {chosen.size} people; "
                    "one is needed for each"
                )
            if self.censor_date is not None:
                censor = self.censor_date[chosen]
                early = np.flatnonzero(~np.isnat(censor) & (censor < index))
                if early.size:
                    raise InputError(
                        f"row {int(early[0]) + 1}: the index date is after the person's "
                        "censor date (death or deportation)"
                    )
        starts = self.offences.starts
        first, counts = starts[chosen], starts[chosen + 1] - starts[chosen]
        owner = np.repeat(np.arange(chosen.size, dtype=np.int64), counts)
        before = np.cumsum(counts) - counts  # offences of the chosen rows before this one
        which = first[owner] + np.arange(owner.size, dtype=np.int64) - before[owner]
        kind = self.offences.kind[which]
        return proven_reoffending(
            owner,
            self.offences.committed[which],
            self.offences.disposed[which],
            _PROVEN_CODES[kind],
            kind == _CUSTODY_CODE,
            index,
            None if self.censor_date is None else self.censor_date[chosen],
        )


def _fail_at(name: str, bad: NDArray[np.bool_], problem: str) -> None:
    if bad.any():
        raise InputError(f"{name}: row {int(np.flatnonzero(bad)[0]) + 2}: {problem}")


def _day_array(raw: pd.Series, name: str, column: str, *, blank_ok: bool = False) -> Days:
    """``YYYY-MM-DD`` text to days (NumPy parses ISO dates in C); blanks to ``NaT`` if allowed.
    A bad value is looked for only when the fast parse fails."""
    text = raw.to_numpy(dtype=object)
    try:
        days = np.asarray(text.astype("datetime64[D]"))
        strict = pd.Series(text).str.len().to_numpy() == 10
        if blank_ok:
            strict |= text == ""
        if strict.all() and (blank_ok or not np.isnat(days).any()):
            return days
    except ValueError:
        pass
    parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if blank_ok:
        bad &= (raw != "").to_numpy()
    _fail_at(name, bad, f"column {column!r} is not a YYYY-MM-DD date")
    return np.asarray(parsed.to_numpy().astype("datetime64[D]"))


def _header(path: Path) -> pd.Index:
    try:
        return pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (ValueError, OSError, pd.errors.ParserError) as error:
        raise InputError(f"{path.name}: not a valid CSV file ({error})") from None


def _read_csv(
    path: Path, columns: Sequence[str], dtypes: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Only ``columns`` (``censor_date`` may be absent), as text unless ``dtypes`` says."""
    header = _header(path)
    present = [c for c in columns if c in header]
    missing = [c for c in columns if c not in header and c != CENSOR_COLUMN]
    if missing:
        raise InputError(f"{path.name}: no column {missing[0]!r} (it has: {', '.join(header)})")
    types: dict[str, Any] = dict.fromkeys(present, object) | (dtypes or {})
    return pd.read_csv(
        path, usecols=present, dtype=types, keep_default_na=False, encoding="utf-8-sig"
    )


def _numbers(path: Path, frame: pd.DataFrame, column: str) -> FloatArray:
    """A numeric column read as numbers by the parser; a bad value is found and named."""
    values = frame[column]
    if values.dtype.kind != "f":  # the parser met something that is not a number
        values = pd.to_numeric(values, errors="coerce")
    numbers = np.asarray(values.to_numpy(dtype=np.float64))
    _fail_at(path.name, ~np.isfinite(numbers), f"column {column!r} is not a number")
    return numbers


def load_extract(
    people_path: str | Path,
    offences_path: str | Path,
    *,
    numeric: Sequence[str] = (),
    text: Sequence[str] = (),
) -> Extract:
    """Read and check both files of an extract; keep ``numeric`` and ``text`` columns.

    Every value used is checked (dates, numbers, disposal types, duplicate pseudonyms), and the
    first bad one is named by file, row and column. Offences of people not in the people file
    are left out, as in :func:`.measures.add_measures`. The intermediate outcomes the people
    file holds (:data:`.intermediate.INTERMEDIATE_MEASURES` columns) are kept as statuses.
    """
    people_path, offences_path = Path(people_path), Path(offences_path)
    pname = people_path.name
    held = held_measures(list(_header(people_path)))
    wanted = ["person_id", "index_date", CENSOR_COLUMN, *numeric, *text, *held]
    try:
        people = _read_csv(
            people_path, list(dict.fromkeys(wanted)), dict.fromkeys(numeric, "float64")
        )
    except ValueError:  # a value that is not a number: read as text, to name its row
        people = _read_csv(people_path, list(dict.fromkeys(wanted)))
    ids = pd.Index(people["person_id"].to_numpy())
    _fail_at(pname, (people["person_id"] == "").to_numpy(), "column 'person_id' is empty")
    if not ids.is_unique:
        _fail_at(pname, ids.duplicated(), "a person_id appears twice")
    index_date = _day_array(people["index_date"], pname, "index_date")
    censor = None
    if CENSOR_COLUMN in people.columns:
        censor = _day_array(people[CENSOR_COLUMN], pname, CENSOR_COLUMN, blank_ok=True)
        _fail_at(
            pname,
            ~np.isnat(censor) & (censor < index_date),
            "the censor date (death or deportation) is before the index date",
        )
    numbers = {}
    for column in numeric:
        numbers[column] = _numbers(people_path, people, column)
    texts = {column: people[column].to_numpy(dtype=object) for column in text}
    statuses = {c: status_values(people[c].to_numpy(), column=c, name=pname) for c in held}
    del people
    offences = _load_offences(offences_path, ids)
    return Extract(ids, index_date, censor, numbers, texts, offences, statuses)


def _load_offences(path: Path, ids: pd.Index) -> OffenceRecords:
    name = path.name
    frame = _read_csv(
        path,
        ["person_id", "offence_date", "disposal_date", "disposal_type"],
        {"person_id": "category", "disposal_type": "category"},
    )
    # Categories are parsed in C: each distinct pseudonym and type is looked up once.
    written = frame["disposal_type"].cat
    normal = pd.Index(written.categories).str.strip().str.lower()
    recode = np.asarray(pd.Index(_KINDS).get_indexer(normal), dtype=np.int8)
    codes = recode[np.asarray(written.codes)]
    unknown = np.flatnonzero(codes < 0)
    if unknown.size:  # named as the file-based measures name it
        written_type = normal[int(np.asarray(written.codes)[unknown[0]])]
        raise InputError(
            f"{name}: row {int(unknown[0]) + 2}: column 'disposal_type' has {written_type!r} "
            f"(allowed: {', '.join(_KINDS)})"
        )
    committed = _day_array(frame["offence_date"], name, "offence_date")
    disposed = _day_array(frame["disposal_date"], name, "disposal_date")
    _fail_at(name, disposed < committed, "the disposal date is before the offence date")
    pseudonyms = frame["person_id"].cat
    # An empty pseudonym is an offence of someone the people file does not hold (the steward's
    # rows are kept so that errors name them): checked above, never measured.
    found = np.asarray(ids.get_indexer(pseudonyms.categories), dtype=np.int64)
    found[np.asarray(pseudonyms.categories == "")] = -1
    person = found[np.asarray(pseudonyms.codes)]
    del frame
    known = person >= 0
    order = np.argsort(person[known], kind="stable")
    person = person[known][order]
    starts = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(np.bincount(person, minlength=len(ids)), out=starts[1:])
    return OffenceRecords(
        starts=starts,
        committed=committed[known][order],
        disposed=disposed[known][order],
        kind=codes[known][order],
    )
