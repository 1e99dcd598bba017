"""Proven-reoffending measures from person and offence records (OUT-1, PBR-2).

Inputs: a **people** file (one row per person: a pseudonymous ``person_id`` and an
``index_date`` — release from custody, or the start of a community order or of the service —
plus any other columns, kept as they are) and an **offences** file (one row per proven
offence: ``person_id``, ``offence_date``, ``disposal_date``, ``disposal_type``). Dates are
``YYYY-MM-DD``.

Rules (in the spirit of the Ministry of Justice's proven-reoffending measure):

* the **follow-up year** runs from the day after the index date to the same date one calendar
  year later (29 February → 28 February);
* an offence counts if it was **committed** in the follow-up year and **proven** — by a court
  conviction or a caution, i.e. any disposal type in :data:`DISPOSAL_TYPES` — on or before the
  end of the follow-up year plus a six-month **waiting period** (calendar months);
* offences by people not in the people file are ignored.

Measures added (one row per person, in the people file's order):

* ``reoffended`` — 1 if at least one counted offence, else 0 (one-year proven reoffending);
* ``reoffences`` — the number of counted offences (frequency);
* ``days_to_first`` — days from the index date to the first counted offence, or to the end of
  the follow-up year when there is none; ``first_event`` is 1 or 0 (censored) accordingly
  (time to first proven reoffence, for Kaplan–Meier and the log-rank test);
* ``custodial`` — 1 if any counted offence received an immediate custodial sentence
  (disposal type ``custody``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from commissioning_analytics.outcomes.io import InputError

DISPOSAL_TYPES = frozenset(
    {"caution", "custody", "suspended_sentence", "community_order", "fine", "discharge", "other"}
)
CUSTODIAL = "custody"
PEOPLE_COLUMNS = ("person_id", "index_date")
OFFENCE_COLUMNS = ("person_id", "offence_date", "disposal_date", "disposal_type")
MEASURES = ("reoffended", "reoffences", "days_to_first", "first_event", "custodial")


@dataclass(frozen=True)
class MeasuredPeople:
    """The people file's rows with the measures appended."""

    frame: pd.DataFrame

    def to_csv(self, target: str | Path | TextIO) -> None:
        self.frame.to_csv(target, index=False, lineterminator="\n")


def _read(path: Path, needed: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (ValueError, OSError, pd.errors.ParserError) as error:
        message = " ".join(str(error).split())
        raise InputError(f"{path.name}: not a valid CSV file ({message})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in needed:
        if column not in frame.columns:
            listed = ", ".join(frame.columns)
            raise InputError(f"{path.name}: no column {column!r} (it has: {listed})")
    return frame


def _dates(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    raw = frame[column].str.strip()
    parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        value = raw.iloc[row]
        problem = "is empty" if value == "" else f"has {value!r}, which is not a YYYY-MM-DD date"
        raise InputError(f"{name}: row {row + 2}: column {column!r} {problem}")
    return parsed


def add_measures(people_path: str | Path, offences_path: str | Path) -> MeasuredPeople:
    """Read both files, validate every value used, and compute the measures."""
    people_path, offences_path = Path(people_path), Path(offences_path)
    people = _read(people_path, PEOPLE_COLUMNS)
    offences = _read(offences_path, OFFENCE_COLUMNS)
    pname, oname = people_path.name, offences_path.name
    ids = people["person_id"].str.strip()
    if (ids == "").any():
        row = int(np.flatnonzero((ids == "").to_numpy())[0])
        raise InputError(f"{pname}: row {row + 2}: column 'person_id' is empty")
    duplicated = ids.duplicated().to_numpy()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise InputError(f"{pname}: row {row + 2}: person_id {ids.iloc[row]!r} appears twice")
    index_date = _dates(people, "index_date", pname)
    offence_date = _dates(offences, "offence_date", oname)
    disposal_date = _dates(offences, "disposal_date", oname)
    disposal = offences["disposal_type"].str.strip().str.lower()
    unknown = ~disposal.isin(DISPOSAL_TYPES).to_numpy()
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        allowed = ", ".join(sorted(DISPOSAL_TYPES))
        raise InputError(
            f"{oname}: row {row + 2}: column 'disposal_type' has {disposal.iloc[row]!r} "
            f"(allowed: {allowed})"
        )
    early = (disposal_date < offence_date).to_numpy()
    if early.any():
        row = int(np.flatnonzero(early)[0])
        raise InputError(f"{oname}: row {row + 2}: the disposal date is before the offence date")

    follow_up_end = index_date + pd.DateOffset(years=1)
    proven_by = follow_up_end + pd.DateOffset(months=6)
    position = pd.Series(np.arange(len(people)), index=ids.to_numpy())
    who = offences["person_id"].str.strip().map(position)
    known = who.notna().to_numpy()
    person = who.to_numpy()[known].astype(np.int64)
    committed = offence_date.to_numpy()[known]
    proven = disposal_date.to_numpy()[known]
    counted = (
        (committed > index_date.to_numpy()[person])
        & (committed <= follow_up_end.to_numpy()[person])
        & (proven <= proven_by.to_numpy()[person])
    )
    person, committed = person[counted], committed[counted]
    custody = (disposal.to_numpy()[known][counted] == CUSTODIAL).astype(np.int64)
    n = len(people)
    count = np.bincount(person, minlength=n)
    first = follow_up_end.to_numpy().copy()
    np.minimum.at(first, person, committed)
    days = (first - index_date.to_numpy()).astype("timedelta64[D]").astype(np.int64)
    result = people.copy()
    result["reoffended"] = (count > 0).astype(np.int64)
    result["reoffences"] = count
    result["days_to_first"] = days
    result["first_event"] = (count > 0).astype(np.int64)
    result["custodial"] = (np.bincount(person, weights=custody, minlength=n) > 0).astype(np.int64)
    return MeasuredPeople(result)
