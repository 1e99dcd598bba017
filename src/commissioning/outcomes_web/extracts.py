"""The data steward's national extract (OUT-1, OUT-4, PBR-2): loading a version, retiring it,
and linking a provider's cohort to it.

A version is two files the steward loads: **people** (the identifier columns the steward names,
``index_date``, covariates: numbers to match on, text such as sex, ethnicity and area; a
``date_of_birth`` becomes ``age`` at the index date and is not kept) and **offences** (the same
identifier columns, ``offence_date``, ``disposal_date``, ``disposal_type``: the layout of
:mod:`commissioning_analytics.outcomes.measures`). Identifiers are replaced by their pseudonyms
(:mod:`.pseudonyms`) before anything is written. The files are read with typed columns, checked
in memory by the analytics core, and each version is stored once, under
``settings.OUTCOMES_EXTRACT_DIR``, in the core's compact form: a folder of ``.npy`` arrays
hashed while they are written (:func:`commissioning_analytics.outcomes.extract.save_compact`),
which workers memory-map, so a study against a new version does not parse national files.
Versions stored before the compact form (two gzip CSV files) are still read.

A provider's cohort names people by the same identifiers and their index date; it is hashed on
arrival (:func:`hash_cohort`). A study then measures proven reoffending itself from the
extract's offences, for the cohort (at the provider's index dates) and for everyone else in the
extract, the comparison pool (:func:`link_cohort`). Messages name rows and columns, never an
identifier.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from numpy.typing import NDArray

from commissioning.accounts.models import User
from commissioning.audit.services import created, record
from commissioning.outcomes_web import lifecycle, pool
from commissioning.outcomes_web.models import NationalExtract
from commissioning.outcomes_web.pseudonyms import (
    IdentifierError,
    first_repeat,
    identifier_codes,
    identifier_keys,
    pseudonyms,
)
from commissioning_analytics.outcomes import extract as core
from commissioning_analytics.outcomes.io import InputError, PeopleTable
from commissioning_analytics.outcomes.measures import CENSOR_COLUMN, OFFENCE_COLUMNS, Measures
from commissioning_analytics.outcomes.safeguards import check_cohort_size

PEOPLE_NAME = "people file"
OFFENCES_NAME = "offences file"
INDEX_DATE = "index_date"
INTERVENTION_START = "intervention_start"
DATE_OF_BIRTH = "date_of_birth"
_CHUNK = 1 << 20
OFFENCES_CATEGORIES = ("offence_date", "disposal_date", "disposal_type")
IntArray = NDArray[np.int64]


class ExtractError(ValueError):
    """The extract or the cohort cannot be used; the message names the file, row and column."""


Source = Path | IO[bytes]


def extract_dir() -> Path:
    return Path(getattr(settings, "OUTCOMES_EXTRACT_DIR", pool.pool_dir() / "extracts"))


def current_extract() -> NationalExtract | None:
    """The newest version not retired: what new studies are linked to."""
    return NationalExtract.objects.filter(retired_at__isnull=True).order_by("-version").first()


def stored_path(extract: NationalExtract) -> Path:
    """The folder of the version's compact form (both file fields name it), or for a version
    stored before it, its people CSV file."""
    return extract_dir() / extract.people_file


def is_compact(extract: NationalExtract) -> bool:
    return not extract.people_file.endswith(".csv.gz")


# ------------------------------------------------------------------------------ reading


def _chunks(source: Source) -> Iterable[bytes]:
    if isinstance(source, Path):
        with source.open("rb") as handle:
            yield from iter(lambda: handle.read(_CHUNK), b"")
        return
    source.seek(0)
    yield from iter(lambda: source.read(_CHUNK), b"")
    source.seek(0)


def _read_csv(
    source: Source,
    name: str,
    text: list[str] | None = None,
    categories: Iterable[str] = (),
    objects: Iterable[str] = (),
) -> pd.DataFrame:
    """Every value as text, or with ``text``: those columns as text, ``categories`` as
    categories (each distinct value parsed once: dates), and the others as numbers where every
    value in the column is one (the parser's fast inference). The parser's own message is left
    out: it may quote a value."""
    dtype: type[str] | dict[str, Any] = (
        str
        if text is None
        else dict.fromkeys(text, str)
        | dict.fromkeys(categories, "category")
        | dict.fromkeys(objects, object)
    )
    try:
        frame = pd.read_csv(source, dtype=dtype, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExtractError(f"{name}: no such file") from None
    except (ValueError, OSError, pd.errors.ParserError):
        raise ExtractError(
            f"{name}: not a valid CSV file in UTF-8 (check that every row has as many values "
            "as the header row)"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    for column in columns:
        if column not in frame.columns:
            listed = ", ".join(frame.columns)
            raise ExtractError(f"{name}: no column {column!r} (it has: {listed})")


def _dates(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    """Parsed ``YYYY-MM-DD`` dates; a bad one is named by row, not by value (a date of birth
    in the wrong column would otherwise be echoed)."""
    parsed = pd.to_datetime(
        frame[column].astype(str).str.strip(), format="%Y-%m-%d", errors="coerce"
    )
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 2
        raise ExtractError(f"{name}: row {row}: column {column!r} is not a YYYY-MM-DD date")
    return parsed


def _age_at(index_date: pd.Series, born: pd.Series) -> pd.Series:
    years = index_date.dt.year - born.dt.year
    before_birthday = (index_date.dt.month < born.dt.month) | (
        (index_date.dt.month == born.dt.month) & (index_date.dt.day < born.dt.day)
    )
    return years - before_birthday.astype(int)


@dataclass(frozen=True)
class PreparedPeople:
    frame: pd.DataFrame
    covariates: list[str]
    text_columns: list[str]
    keys: pd.Series
    """Each person's identifier key, to find their offences (never stored)."""


def prepare_people(frame: pd.DataFrame, identifiers: list[str]) -> PreparedPeople:
    """The people file with pseudonyms for identifiers, dates checked, a date of birth turned
    into age, and the other columns sorted into numbers (covariates) and text."""
    _require(frame, [INDEX_DATE], PEOPLE_NAME)
    try:
        keys = identifier_keys(frame, identifiers, PEOPLE_NAME)
        person_id = pd.Series(pseudonyms(keys))
        first_repeat(person_id, PEOPLE_NAME)
    except IdentifierError as error:
        raise ExtractError(str(error)) from None
    rest = frame.drop(columns=identifiers)
    if DATE_OF_BIRTH in rest.columns:  # other dates are checked by the core
        index_date = _dates(frame, INDEX_DATE, PEOPLE_NAME)
        born = _dates(rest, DATE_OF_BIRTH, PEOPLE_NAME)
        if "age" not in rest.columns:
            rest["age"] = _age_at(index_date, born)
        rest = rest.drop(columns=[DATE_OF_BIRTH])
    rest.insert(0, "person_id", person_id.to_numpy())
    covariates: list[str] = []
    text_columns: list[str] = []
    for column in rest.columns:
        if column in ("person_id", INDEX_DATE):
            continue
        values = rest[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        (covariates if numeric and values.notna().all() else text_columns).append(column)
    return PreparedPeople(rest, covariates, text_columns, keys)


def offence_people(frame: pd.DataFrame, identifiers: list[str], people_keys: pd.Index) -> IntArray:
    """Each offence's row in the people file, found by its identifier key (-1: someone the
    people file does not hold; the measures ignore them, and a problem in their row is still
    named by the steward's row number). The offences' identifiers are never hashed or kept."""
    _require(frame, OFFENCE_COLUMNS[1:], OFFENCES_NAME)
    try:
        codes, keys = identifier_codes(frame, identifiers, OFFENCES_NAME)
    except IdentifierError as error:
        raise ExtractError(str(error)) from None
    return np.asarray(people_keys.get_indexer(keys), dtype=np.int64)[codes]


def content_hash(people: Source, offences: Source) -> str:
    digest = hashlib.sha256()
    for source in (people, offences):
        for chunk in _chunks(source):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------------------ loading


def load_extract(
    actor: User | None, people: Source, offences: Source, identifiers: list[str]
) -> NationalExtract:
    """Pseudonymise, check and store a new version of the extract in one audited transaction;
    raise :class:`ExtractError` (nothing stored) for the first problem found.

    The files are read once, with typed columns (numbers as numbers; dates, disposal types and
    the offences' identifiers as categories), checked in memory by the core that studies use,
    and stored in its compact form; nothing is read back."""
    identifiers = [c.strip() for c in identifiers if c.strip()]
    if not identifiers:
        raise ExtractError("Name at least one identifier column")
    digest = content_hash(people, offences)
    people_frame = _read_csv(
        people, PEOPLE_NAME, [*identifiers, DATE_OF_BIRTH], [INDEX_DATE, CENSOR_COLUMN]
    )
    offences_frame = _read_csv(offences, OFFENCES_NAME, [], OFFENCES_CATEGORIES, identifiers)
    prepared = prepare_people(people_frame, identifiers)
    del people_frame
    rows = offence_people(offences_frame, identifiers, pd.Index(prepared.keys.to_numpy()))
    try:
        checked = core.build_extract(
            prepared.frame,
            offences_frame,
            numeric=prepared.covariates,
            text=prepared.text_columns,
            people_name=PEOPLE_NAME,
            offences_name=OFFENCES_NAME,
            offence_people=rows,
        )
    except InputError as error:
        raise ExtractError(str(error)) from None
    offence_rows = len(offences_frame)
    del offences_frame, rows
    folder = extract_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        core.save_compact(checked, Path(work) / "version")
        stored_hash = hashlib.sha256((Path(work) / "version" / core.MANIFEST).read_bytes())
        with transaction.atomic():
            latest = NationalExtract.objects.select_for_update().aggregate(Max("version"))
            version = (latest["version__max"] or 0) + 1
            stem = f"v{version}-{digest[:12]}"
            extract = NationalExtract.objects.create(
                version=version,
                loaded_by=actor,
                identifier_columns=identifiers,
                covariates=prepared.covariates,
                text_columns=prepared.text_columns,
                people_rows=checked.rows,
                offence_rows=offence_rows,
                content_hash=digest,
                people_file=stem,
                offences_file=stem,
            )
            record(
                actor,
                "create",
                extract,
                created(
                    {
                        "version": version,
                        "people_rows": extract.people_rows,
                        "offence_rows": extract.offence_rows,
                        "content_hash": digest,
                        "stored_hash": stored_hash.hexdigest(),
                        "identifier_columns": identifiers,
                    }
                ),
            )
            os.replace(Path(work) / "version", stored_path(extract))
    return extract


class RetireError(ValueError):
    """The version is already retired."""


def retire_extract(actor: User, extract_id: int) -> NationalExtract:
    """Offer the version to no new study, in one audited transaction; its files stay for the
    studies that used it."""
    with transaction.atomic():
        extract = NationalExtract.objects.select_for_update().get(pk=extract_id)
        if not lifecycle.retire_extract(extract.pk, actor, timezone.now()):
            raise RetireError(f"Version {extract.version} is already retired")
        extract.refresh_from_db()
        assert extract.retired_at is not None
        record(
            actor, "retire", extract, {"retired_at": {"from": None, "to": str(extract.retired_at)}}
        )
    return extract


# ------------------------------------------------------------------------------ cohorts


def hash_cohort(csv_text: str, identifiers: list[str], name: str) -> tuple[str, int]:
    """A provider's cohort (the extract's identifier columns and ``index_date``, or
    ``intervention_start``) as ``person_id,index_date`` CSV text with pseudonyms; and its size.
    Raise :class:`ExtractError` naming the row; :class:`SafeguardError` under 60 people."""
    frame = _read_csv(io.BytesIO(csv_text.encode("utf-8")), name)
    index_column = INDEX_DATE if INDEX_DATE in frame.columns else INTERVENTION_START
    if index_column not in frame.columns:
        raise ExtractError(
            f"{name}: no column {INDEX_DATE!r} (or {INTERVENTION_START!r}); "
            f"it has: {', '.join(frame.columns)}"
        )
    try:
        person_id = pd.Series(pseudonyms(identifier_keys(frame, identifiers, name)))
        first_repeat(person_id, name)
    except IdentifierError as error:
        raise ExtractError(str(error)) from None
    index_date = _dates(frame, index_column, name)
    check_cohort_size(len(frame), what=f"the cohort ({name})")
    hashed = pd.DataFrame(
        {"person_id": person_id, INDEX_DATE: index_date.dt.strftime("%Y-%m-%d").to_numpy()}
    )
    return hashed.to_csv(index=False, lineterminator="\n"), len(hashed)


_LOADED: dict[tuple[int, str], core.Extract] = {}


def loaded_extract(extract: NationalExtract) -> core.Extract:
    """The version's people and offences in the core's arrays, opened once per process (its
    compact form memory-mapped): a study then costs the measures of its own people, not a
    reading of the national files. Only the newest version opened is kept."""
    key = (extract.pk, extract.content_hash)
    if key not in _LOADED:
        _LOADED.clear()
        if is_compact(extract):  # memory-mapped: milliseconds, whatever the version's size
            _LOADED[key] = core.open_compact(stored_path(extract))
        else:
            _LOADED[key] = core.load_extract(
                stored_path(extract),
                extract_dir() / extract.offences_file,
                numeric=list(extract.covariates),
                text=list(extract.text_columns),
            )
    return _LOADED[key]


@dataclass(frozen=True)
class LinkedCohort:
    """The cohort's found people and the comparison pool, measured, as the evaluation's
    tables: ``outcome``, the covariates, ``days_to_first`` and ``first_event`` as numbers; the
    subgroup columns as text."""

    cohort: PeopleTable
    pool: PeopleTable
    found: int
    not_found: int
    pool_size: int


def _table(
    name: str,
    people: core.Extract,
    rows: np.ndarray,
    measures: Measures,
    outcome: str,
    columns: list[str],
    *,
    pool: bool = False,
) -> PeopleTable:
    """The pool's text columns stay Python strings shared with the extract (8 bytes a person:
    they are read only to match exactly on them); the cohort's are NumPy text, for subgroups."""
    numbers = {
        column: people.numbers[column][rows] for column in columns if column in people.numbers
    }
    for measure in (outcome, "days_to_first", "first_event"):
        numbers[measure] = getattr(measures, measure).astype(np.float64)
    for status, values in people.statuses.items():  # intermediate outcomes held (OUT-3)
        numbers[status] = values[rows]
    text = {
        c: people.text[c][rows] if pool else people.text_of(c, rows)
        for c in columns
        if c in people.text
    }
    return PeopleTable(name, int(rows.size), numbers, text)


def link_cohort(
    extract: NationalExtract, hashed_csv: str, outcome: str, columns: list[str]
) -> LinkedCohort:
    """Find the cohort in the extract and measure proven reoffending from the extract's
    offences: the cohort from the provider's index dates, everyone else in the extract (the
    comparison pool) from the extract's. People not found are counted, never named; fewer than
    60 found is refused. Nothing is written to disk (OUT-1)."""
    people = loaded_extract(extract)
    cohort = pd.read_csv(io.StringIO(hashed_csv), dtype=str, keep_default_na=False)
    found_rows = np.asarray(people.ids.get_indexer(cohort["person_id"]), dtype=np.int64)
    in_extract = found_rows >= 0
    check_cohort_size(int(in_extract.sum()), what="the people of the cohort found in the extract")
    rows = found_rows[in_extract]
    index_dates = cohort[INDEX_DATE].to_numpy()[in_extract].astype("datetime64[D]")
    in_cohort = np.zeros(people.rows, dtype=bool)
    in_cohort[rows] = True
    pool_rows = np.flatnonzero(~in_cohort).astype(np.int64)
    return LinkedCohort(
        _table("cohort", people, rows, people.measures_for(rows, index_dates), outcome, columns),
        _table(
            "comparison pool",
            people,
            pool_rows,
            people.measures_for(pool_rows),
            outcome,
            columns,
            pool=True,
        ),
        found=int(rows.size),
        not_found=int((~in_extract).sum()),
        pool_size=int(pool_rows.size),
    )
