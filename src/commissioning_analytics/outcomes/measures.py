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
  conviction, a caution, a reprimand or a warning, i.e. any disposal type in
  :data:`DISPOSAL_TYPES` — on or before the end of the follow-up year plus a six-month
  **waiting period** (calendar months). Offences committed before or on the index date never
  count, whenever they were disposed of. Each offence counts once, so two offences on the same
  day are two reoffences (and one first date). Out-of-court disposals that prove nothing
  (:data:`UNPROVEN_TYPES`: penalty notices, community resolutions) are accepted and not counted;
* **censoring** (death or deportation): an optional ``censor_date`` column in the people file
  holds the date a person died or was removed from the UK (empty when neither). Observation
  ends there: offences committed after it are not counted, and the time to first reoffence of
  someone with no counted offence is censored at that date instead of the end of the year.
  The person stays in the cohort for the rate and frequency, as in the published measure;
* offences by people not in the people file are ignored.

Measures added (one row per person, in the people file's order):

* ``reoffended`` — 1 if at least one counted offence, else 0 (one-year proven reoffending);
* ``reoffences`` — the number of counted offences (frequency);
* ``days_to_first`` — days from the index date to the first counted offence, or to the end of
  observation (the follow-up year, or the censor date) when there is none; ``first_event`` is 1
  or 0 (censored) accordingly (time to first proven reoffence, for Kaplan–Meier and log-rank);
* ``custodial`` — 1 if any counted offence received an immediate custodial sentence
  (disposal type ``custody``).

The three headline measures of a group (:func:`headline_measures`): the proven reoffending
rate, the frequency per 100 people, and the mean days to first reoffence among those who
reoffend. The arithmetic is in :func:`proven_reoffending`, on NumPy day arrays with no per-person
loop, so the national extract (:mod:`.extract`) uses exactly the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from commissioning_analytics.outcomes.io import InputError

DISPOSAL_TYPES = frozenset(
    {
        "caution",
        "reprimand",
        "warning",
        "custody",
        "suspended_sentence",
        "community_order",
        "fine",
        "discharge",
        "other",
    }
)
UNPROVEN_TYPES = frozenset({"penalty_notice", "community_resolution"})
CUSTODIAL = "custody"
PEOPLE_COLUMNS = ("person_id", "index_date")
OFFENCE_COLUMNS = ("person_id", "offence_date", "disposal_date", "disposal_type")
MEASURES = ("reoffended", "reoffences", "days_to_first", "first_event", "custodial")
CENSOR_COLUMN = "censor_date"
FOLLOW_UP_MONTHS = 12
WAITING_MONTHS = 6
NO_DATE = np.datetime64("NaT", "D")

Days = NDArray[np.datetime64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Measures:
    """The five measures, one entry per person (see the module's rules)."""

    reoffended: IntArray
    reoffences: IntArray
    days_to_first: IntArray
    first_event: IntArray
    custodial: IntArray

    def headline(self) -> HeadlineMeasures:
        return headline_measures(self.reoffended, self.reoffences, self.days_to_first)


@dataclass(frozen=True)
class HeadlineMeasures:
    """A group's three headline measures: ``rate`` (0–1), ``frequency_per_100`` (proven
    reoffences per 100 people) and ``days_to_first`` (mean, among those who reoffend; ``None``
    when nobody did)."""

    people: int
    reoffenders: int
    rate: float
    frequency_per_100: float
    days_to_first: float | None


def headline_measures(
    reoffended: ArrayLike, reoffences: ArrayLike, days_to_first: ArrayLike
) -> HeadlineMeasures:
    """Rate, frequency per 100 people and mean days to first among reoffenders (OUT-1)."""
    flags = np.asarray(reoffended, dtype=bool)
    counts = np.asarray(reoffences, dtype=np.float64)
    days = np.asarray(days_to_first, dtype=np.float64)
    n = flags.size
    if n == 0:
        raise ValueError("the measures need at least one person")
    reoffenders = int(flags.sum())
    return HeadlineMeasures(
        people=n,
        reoffenders=reoffenders,
        rate=reoffenders / n,
        frequency_per_100=100.0 * float(counts.sum()) / n,
        days_to_first=float(days[flags].mean()) if reoffenders else None,
    )


def add_months(dates: Days, months: int) -> Days:
    """Calendar months later, clipped to the month's last day (31 Aug + 6 → 28 Feb), as
    pandas' ``DateOffset(months=...)``."""
    days = np.asarray(dates, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]")
    target = month + np.timedelta64(months, "M")
    last = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + day_of_month, last)


def proven_reoffending(
    person: IntArray,
    committed: Days,
    disposed: Days,
    proven: NDArray[np.bool_],
    custodial: NDArray[np.bool_],
    index_date: Days,
    censor_date: Days | None = None,
) -> Measures:
    """The measures for ``len(index_date)`` people from their offences, vectorised.

    One entry per offence: ``person`` (position in ``index_date``), ``committed`` and
    ``disposed`` (``datetime64[D]``), ``proven`` (the disposal proves the offence) and
    ``custodial``. ``censor_date``: death or deportation, ``NaT`` where none.
    """
    index = np.asarray(index_date, dtype="datetime64[D]")
    n = index.size
    year_end = add_months(index, FOLLOW_UP_MONTHS)
    proven_by = add_months(year_end, WAITING_MONTHS)
    observed_to = year_end
    if censor_date is not None:
        censor = np.asarray(censor_date, dtype="datetime64[D]")
        observed_to = np.where(np.isnat(censor), year_end, np.minimum(censor, year_end))
    who = np.asarray(person, dtype=np.int64)
    committed = np.asarray(committed, dtype="datetime64[D]")
    counted = (
        np.asarray(proven, dtype=bool)
        & (committed > index[who])
        & (committed <= observed_to[who])
        & (np.asarray(disposed, dtype="datetime64[D]") <= proven_by[who])
    )
    who, committed = who[counted], committed[counted]
    count = np.bincount(who, minlength=n).astype(np.int64)
    first = observed_to.copy()
    np.minimum.at(first, who, committed)
    custody = np.bincount(who, weights=np.asarray(custodial, dtype=bool)[counted], minlength=n)
    event = (count > 0).astype(np.int64)
    return Measures(
        reoffended=event,
        reoffences=count,
        days_to_first=(first - index).astype(np.int64),
        first_event=event.copy(),
        custodial=(custody > 0).astype(np.int64),
    )


@dataclass(frozen=True)
class MeasuredPeople:
    """The people file's rows with the measures appended."""

    frame: pd.DataFrame

    def headline(self) -> HeadlineMeasures:
        """The group's three headline measures (:func:`headline_measures`)."""
        f = self.frame
        return headline_measures(f["reoffended"], f["reoffences"], f["days_to_first"])

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


def _censor_dates(people: pd.DataFrame, index: Days, name: str) -> Days | None:
    """The optional ``censor_date`` column: empty means neither death nor deportation."""
    if CENSOR_COLUMN not in people.columns:
        return None
    raw = people[CENSOR_COLUMN].str.strip()
    given = (raw != "").to_numpy()
    filled = pd.DataFrame({CENSOR_COLUMN: raw.where(given, "1970-01-01")})
    dated = _dates(filled, CENSOR_COLUMN, name).to_numpy().astype("datetime64[D]")
    censor = np.where(given, dated, NO_DATE)
    before = np.flatnonzero(given & (censor < index))
    if before.size:
        raise InputError(
            f"{name}: row {int(before[0]) + 2}: the censor date (death or deportation) is "
            "before the index date"
        )
    return censor


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
    unknown = ~disposal.isin(DISPOSAL_TYPES | UNPROVEN_TYPES).to_numpy()
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        allowed = ", ".join(sorted(DISPOSAL_TYPES | UNPROVEN_TYPES))
        raise InputError(
            f"{oname}: row {row + 2}: column 'disposal_type' has {disposal.iloc[row]!r} "
            f"(allowed: {allowed})"
        )
    early = (disposal_date < offence_date).to_numpy()
    if early.any():
        row = int(np.flatnonzero(early)[0])
        raise InputError(f"{oname}: row {row + 2}: the disposal date is before the offence date")
    index = index_date.to_numpy().astype("datetime64[D]")
    censor = _censor_dates(people, index, pname)

    position = pd.Series(np.arange(len(people)), index=ids.to_numpy())
    who = offences["person_id"].str.strip().map(position)
    known = who.notna().to_numpy()
    kinds = disposal.to_numpy()[known]
    measures = proven_reoffending(
        who.to_numpy()[known].astype(np.int64),
        offence_date.to_numpy()[known].astype("datetime64[D]"),
        disposal_date.to_numpy()[known].astype("datetime64[D]"),
        np.isin(kinds, list(DISPOSAL_TYPES)),
        kinds == CUSTODIAL,
        index,
        censor,
    )
    result = people.copy()
    for name in MEASURES:
        result[name] = getattr(measures, name)
    return MeasuredPeople(result)
