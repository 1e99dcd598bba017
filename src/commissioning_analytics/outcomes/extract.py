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

A version loaded once can be kept in a **compact form** (:func:`save_compact`): one ``.npy`` file
per array, each hashed while it is written, with a ``manifest.json`` of shapes, hashes and text
categories. :func:`open_compact` memory-maps it, so a worker's first study against a new
version reads only the pages it touches instead of parsing the national files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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


def _encoded(values: ArrayLike) -> NDArray[np.bytes_]:
    """Pseudonyms as fixed-width UTF-8 bytes (NumPy compares and sorts those in C)."""
    items = np.asarray(values, dtype=object).ravel()
    return np.array([str(v).encode() for v in items], dtype=np.bytes_).reshape(-1)


@dataclass(frozen=True)
class PersonIds:
    """The pseudonyms of an extract's rows, sorted for look-up: ``ordered[i]`` is the pseudonym
    of row ``order[i]``. Both arrays can be memory-mapped: finding a cohort of 10,000 in
    2,000,000 is a binary search, with no table of 2,000,000 strings built first."""

    ordered: NDArray[np.bytes_]
    order: IntArray

    @classmethod
    def of(cls, values: ArrayLike) -> PersonIds:
        encoded = _encoded(values)
        order = np.argsort(encoded, kind="stable").astype(np.int64)
        return cls(encoded[order], order)

    def __len__(self) -> int:
        return int(self.order.size)

    def get_indexer(self, values: ArrayLike) -> IntArray:
        """The row of each of ``values``, or -1 where the extract does not hold it."""
        wanted = _encoded(values)
        found = np.full(wanted.size, -1, dtype=np.int64)
        if not len(self) or not wanted.size:
            return found
        width = self.ordered.dtype.itemsize
        fits = wanted.astype(f"S{width}") == wanted  # longer than every pseudonym: not held
        probe = wanted[fits].astype(f"S{width}")
        at = np.minimum(np.searchsorted(self.ordered, probe), len(self) - 1)
        hit = np.asarray(self.ordered[at]) == probe
        found[np.flatnonzero(fits)[hit]] = np.asarray(self.order[at[hit]])
        return found

    def first_repeat(self) -> int | None:
        """The first row (in file order) whose pseudonym an earlier row has, if any."""
        same = np.flatnonzero(np.asarray(self.ordered[1:]) == np.asarray(self.ordered[:-1]))
        return int(np.asarray(self.order)[same + 1].min()) if same.size else None


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

    ids: PersonIds
    index_date: Days
    censor_date: Days | None
    numbers: dict[str, FloatArray]
    text: dict[str, NDArray[np.object_]]
    offences: OffenceRecords
    statuses: dict[str, FloatArray] = field(default_factory=dict)
    """Intermediate outcomes held (:mod:`.intermediate`): 1, 0 or NaN (not recorded)."""
    text_codes: dict[str, tuple[NDArray[np.int32], NDArray[np.str_]]] = field(default_factory=dict)
    """Text columns as codes into their distinct values, where the compact form holds them."""

    def text_of(self, column: str, rows: ArrayLike) -> NDArray[np.str_]:
        """The ``column`` values of ``rows`` as a NumPy text array (from the codes when held:
        no Python string is made per person)."""
        chosen = np.asarray(rows, dtype=np.int64)
        if column in self.text_codes:
            codes, values = self.text_codes[column]
            return values[np.asarray(codes)[chosen]]
        return np.asarray(self.text[column][chosen]).astype(str)

    @property
    def rows(self) -> int:
        return int(self.index_date.size)

    def positions(self, pseudonyms: ArrayLike) -> IntArray:
        """Row numbers of ``pseudonyms``; refuses any that the extract does not hold, and any
        given twice (one person cannot count twice in a cohort)."""
        wanted = pd.Index(np.asarray(pseudonyms, dtype=object).ravel())
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


def _as_categories(raw: pd.Series) -> pd.Series:
    if isinstance(raw.dtype, pd.CategoricalDtype):
        return raw
    return raw.astype(str).astype("category")


def _day_array(raw: pd.Series, name: str, column: str, *, blank_ok: bool = False) -> Days:
    """``YYYY-MM-DD`` text to days, blanks to ``NaT`` if allowed; the first bad value is named
    by its row. Read as categories, each distinct date is parsed once (a national extract has
    a few thousand dates in millions of rows)."""
    values = _as_categories(raw)
    text = pd.Series(np.asarray(values.cat.categories.astype(str), dtype=object), dtype=object)
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    days = np.asarray(parsed.to_numpy().astype("datetime64[D]"))
    bad = np.isnat(days)
    if blank_ok:
        bad &= (text != "").to_numpy()
    codes = np.asarray(values.cat.codes)
    _fail_at(name, bad[codes], f"column {column!r} is not a YYYY-MM-DD date")
    return days[codes]


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
    types: dict[str, Any] = dict.fromkeys(present, object) | {
        c: t for c, t in (dtypes or {}).items() if c in present
    }
    return pd.read_csv(
        path, usecols=present, dtype=types, keep_default_na=False, encoding="utf-8-sig"
    )


def _numbers(name: str, frame: pd.DataFrame, column: str) -> FloatArray:
    """A numeric column read as numbers by the parser; a bad value is found and named."""
    values = frame[column]
    if values.dtype.kind not in "fiub":  # the parser met something that is not a number
        values = pd.to_numeric(values, errors="coerce")
    numbers = np.asarray(values.to_numpy(dtype=np.float64))
    _fail_at(name, ~np.isfinite(numbers), f"column {column!r} is not a number")
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
    Columns are read typed: numbers as numbers, dates and disposal types as categories.
    """
    people_path, offences_path = Path(people_path), Path(offences_path)
    held = held_measures(list(_header(people_path)))
    wanted = list(dict.fromkeys(["person_id", "index_date", CENSOR_COLUMN, *numeric, *text, *held]))
    dates = dict.fromkeys(["index_date", CENSOR_COLUMN], "category")
    try:
        people = _read_csv(people_path, wanted, dict.fromkeys(numeric, "float64") | dates)
    except ValueError:  # a value that is not a number: read as text, to name its row
        people = _read_csv(people_path, wanted, dates)
    offences = _read_csv(
        offences_path, OFFENCE_FILE_COLUMNS, dict.fromkeys(OFFENCE_FILE_COLUMNS[1:], "category")
    )
    return build_extract(
        people,
        offences,
        numeric=numeric,
        text=text,
        people_name=people_path.name,
        offences_name=offences_path.name,
    )


OFFENCE_FILE_COLUMNS = ("person_id", "offence_date", "disposal_date", "disposal_type")


def build_extract(
    people: pd.DataFrame,
    offences: pd.DataFrame,
    *,
    numeric: Sequence[str] = (),
    text: Sequence[str] = (),
    people_name: str,
    offences_name: str,
    offence_people: IntArray | None = None,
) -> Extract:
    """The checks and arrays of :func:`load_extract` on frames already read (the platform reads
    the steward's files itself, to pseudonymise them on arrival): ``people`` has ``person_id``,
    ``index_date`` (text or categories), an optional ``censor_date``, the ``numeric`` and
    ``text`` columns and any intermediate-outcome columns; ``offences`` has the dates and the
    disposal type, and ``person_id`` unless ``offence_people`` gives each offence's row in
    ``people`` (-1: someone the people file does not hold)."""
    person_id = people["person_id"].to_numpy(dtype=object)
    _fail_at(people_name, person_id == "", "column 'person_id' is empty")
    ids = PersonIds.of(person_id)
    repeat = ids.first_repeat()
    if repeat is not None:
        raise InputError(f"{people_name}: row {repeat + 2}: a person_id appears twice")
    index_date = _day_array(people["index_date"], people_name, "index_date")
    censor = None
    if CENSOR_COLUMN in people.columns:
        censor = _day_array(people[CENSOR_COLUMN], people_name, CENSOR_COLUMN, blank_ok=True)
        _fail_at(
            people_name,
            ~np.isnat(censor) & (censor < index_date),
            "the censor date (death or deportation) is before the index date",
        )
    numbers = {column: _numbers(people_name, people, column) for column in numeric}
    texts = {column: people[column].astype(str).to_numpy(dtype=object) for column in text}
    held = held_measures(list(people.columns))
    statuses = {c: status_values(people[c].to_numpy(), column=c, name=people_name) for c in held}
    if offence_people is None:
        # Hashed, not sorted: each distinct pseudonym is looked up once.
        codes, distinct = pd.factorize(offences["person_id"].to_numpy(dtype=object))
        found = ids.get_indexer(distinct)
        # An empty pseudonym is an offence of someone the people file does not hold (the
        # steward's rows are kept so that errors name them): checked, never measured.
        found[np.asarray(distinct == "", dtype=bool)] = -1
        offence_people = found[codes]
    records = _offence_records(offences, offence_people, offences_name, len(ids))
    return Extract(ids, index_date, censor, numbers, texts, records, statuses)


def _offence_records(
    frame: pd.DataFrame, person: IntArray, name: str, n_people: int
) -> OffenceRecords:
    """Disposal types and dates checked (the first bad one named by row), then the offences of
    known people sorted by person."""
    written = _as_categories(frame["disposal_type"]).cat
    normal = pd.Index(written.categories.astype(str)).str.strip().str.lower()
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
    known = person >= 0
    order = np.argsort(person[known], kind="stable")
    sorted_people = person[known][order]
    starts = np.zeros(n_people + 1, dtype=np.int64)
    np.cumsum(np.bincount(sorted_people, minlength=n_people), out=starts[1:])
    return OffenceRecords(
        starts=starts,
        committed=committed[known][order],
        disposed=disposed[known][order],
        kind=codes[known][order],
    )


# ------------------------------------------------------------------------------ compact form

COMPACT_FORMAT = 1
MANIFEST = "manifest.json"


class _HashingWriter:
    """Writes to ``handle`` and hashes what it writes: the stored file's SHA-256 comes from the
    bytes as they are written, never from reading the file back."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.handle.write(data)


def _save_array(folder: Path, file: str, array: ArrayLike, files: dict[str, Any]) -> str:
    with (folder / file).open("xb") as handle:
        writer = _HashingWriter(handle)
        np.lib.format.write_array(writer, np.ascontiguousarray(array), allow_pickle=False)
    files[file] = {"sha256": writer.digest.hexdigest(), "bytes": writer.size}
    return file


def save_compact(extract: Extract, folder: str | Path) -> dict[str, Any]:
    """Write ``extract`` to ``folder`` (which must not hold one already) as ``.npy`` arrays and
    a manifest; return the manifest. Text columns are stored as codes into their distinct
    values; nothing is pickled."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {}

    def save(file: str, array: ArrayLike) -> str:
        return _save_array(folder, file, array, files)

    text: dict[str, Any] = {}
    for number, (column, values) in enumerate(extract.text.items()):
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        text[column] = {
            "codes": save(f"text-{number}.npy", codes.astype(np.int32)),
            "values": [str(value) for value in uniques],
        }
    offences = extract.offences
    manifest = {
        "format": COMPACT_FORMAT,
        "rows": extract.rows,
        "offences": offences.size,
        "ids": {
            "ordered": save("ids-ordered.npy", extract.ids.ordered),
            "order": save("ids-order.npy", extract.ids.order),
        },
        "index_date": save("index-date.npy", extract.index_date),
        "censor_date": None
        if extract.censor_date is None
        else save("censor-date.npy", extract.censor_date),
        "numbers": {
            column: save(f"number-{n}.npy", values)
            for n, (column, values) in enumerate(extract.numbers.items())
        },
        "text": text,
        "statuses": {
            column: save(f"status-{n}.npy", values)
            for n, (column, values) in enumerate(extract.statuses.items())
        },
        "offence_arrays": {
            "starts": save("offence-starts.npy", offences.starts),
            "committed": save("offence-committed.npy", offences.committed),
            "disposed": save("offence-disposed.npy", offences.disposed),
            "kind": save("offence-kind.npy", offences.kind),
        },
        "files": files,
    }
    with (folder / MANIFEST).open("x", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
    return manifest


def verify_compact(folder: str | Path) -> None:
    """Hash every stored array again and compare it with the manifest (an audit's check; a
    study does not pay for it)."""
    folder = Path(folder)
    manifest = _manifest(folder)
    for file, expected in manifest["files"].items():
        digest = hashlib.sha256()
        with (folder / file).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise InputError(f"{folder.name}: {file} is not the file that was stored")


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{folder.name}: no compact extract is stored there") from None
    if manifest.get("format") != COMPACT_FORMAT:
        raise InputError(f"{folder.name}: a compact extract of another format")
    return manifest


def open_compact(folder: str | Path) -> Extract:
    """The extract saved by :func:`save_compact`, its arrays memory-mapped read-only: opening
    costs milliseconds, and a study reads only what it touches."""
    folder = Path(folder)
    manifest = _manifest(folder)

    def load(file: str) -> Any:
        return np.load(folder / file, mmap_mode="r", allow_pickle=False)

    rows, arrays = manifest["rows"], manifest["offence_arrays"]
    ids = PersonIds(load(manifest["ids"]["ordered"]), load(manifest["ids"]["order"]))
    offences = OffenceRecords(
        starts=load(arrays["starts"]),
        committed=load(arrays["committed"]),
        disposed=load(arrays["disposed"]),
        kind=load(arrays["kind"]),
    )
    if (
        len(ids) != rows
        or offences.starts.size != rows + 1
        or offences.size != manifest["offences"]
    ):
        raise InputError(f"{folder.name}: the stored arrays do not match their manifest")
    text_codes = {
        column: (load(stored["codes"]), np.asarray(stored["values"], dtype=str))
        for column, stored in manifest["text"].items()
    }
    text = {column: values.astype(object)[codes] for column, (codes, values) in text_codes.items()}
    censor = manifest["censor_date"]
    return Extract(
        ids=ids,
        index_date=load(manifest["index_date"]),
        censor_date=None if censor is None else load(censor),
        numbers={column: load(file) for column, file in manifest["numbers"].items()},
        text=text,
        offences=offences,
        statuses={column: load(file) for column, file in manifest["statuses"].items()},
        text_codes=text_codes,
    )
