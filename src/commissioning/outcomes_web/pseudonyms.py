"""The people of a national extract and of a provider's cohort are pseudonyms, never raw
identifiers (OUT-1, OUT-4): the HMAC-SHA256 of the identifier columns the data steward names,
under a key only the platform holds, so the same person gives the same pseudonym in the extract
and in every cohort, and nobody without the key can go back from it.

The key is ``settings.OUTCOMES_PSEUDONYM_KEY``; the platform refuses to start without it unless
``OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY`` asks for the public development key (tests, local demo).
Nothing here logs or raises with a value: callers name rows, never identifiers.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from commissioning.kernel.secrets import configured_key

DEV_KEY = "development-only-outcomes-pseudonym-key"
SEPARATOR = "\x1f"
"""Joins several identifier columns of one person (a character no identifier holds)."""


def key() -> bytes:
    missing = "Set OUTCOMES_PSEUDONYM_KEY (a long random secret) to load extracts and cohorts."
    return configured_key("OUTCOMES_PSEUDONYM_KEY", DEV_KEY, missing).encode()


def pseudonyms(keys: Iterable[str]) -> list[str]:
    """One pseudonym (64 hexadecimal characters) per identifier key (:func:`identifier_keys`)."""
    secret = key()
    return [hmac.digest(secret, k.encode(), "sha256").hex() for k in keys]  # one C call each


class IdentifierError(ValueError):
    """An identifier is missing or repeated; the message names rows and columns, never values."""


def identifier_keys(frame: pd.DataFrame, columns: Sequence[str], name: str) -> pd.Series:
    """Each row's identifier ``columns`` normalised and joined: what is hashed. Raise
    :class:`IdentifierError` for a missing column or the first row (counted as in the file,
    the header being row 1) whose identifier is empty."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        listed = ", ".join(str(c) for c in frame.columns)
        raise IdentifierError(f"{name}: no identifier column {missing[0]!r} (it has: {listed})")
    parts = []
    for column in columns:
        part = _normalised(frame[column])
        empty = (part == "").to_numpy()
        if empty.any():
            row = int(np.flatnonzero(empty)[0]) + 2
            raise IdentifierError(f"{name}: row {row}: column {column!r} is empty")
        parts.append(part)
    keys = parts[0]
    for part in parts[1:]:
        keys = keys + SEPARATOR + part
    return keys.astype(object)


def _normalised(values: pd.Series) -> pd.Series:
    """Each value without white space (``str.split`` splits on what ``\\s`` matches) and in
    capitals; missing values empty."""
    text = values.fillna("").to_numpy(dtype=object)
    return pd.Series(["".join(str(v).split()).upper() for v in text], dtype=object)


def identifier_codes(
    frame: pd.DataFrame, columns: Sequence[str], name: str
) -> tuple[NDArray[np.int64], pd.Index]:
    """:func:`identifier_keys` for a file with millions of rows naming far fewer people (the
    offences): each distinct value is normalised once. Returns each row's code
    into the distinct keys, and those keys; the same errors, naming rows, never values."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        listed = ", ".join(str(c) for c in frame.columns)
        raise IdentifierError(f"{name}: no identifier column {missing[0]!r} (it has: {listed})")
    codes, normals = [], []
    for column in columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            code = np.asarray(values.cat.codes, dtype=np.int64)
            distinct = pd.Series(values.cat.categories.astype(str), dtype=object)
        else:  # hashed, not sorted: each distinct value once
            found, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
            code, distinct = np.asarray(found, dtype=np.int64), pd.Series(uniques, dtype=object)
        normal = _normalised(distinct)
        empty = np.append((normal == "").to_numpy(), True)[code]  # code -1: a missing value
        if empty.any():
            row = int(np.flatnonzero(empty)[0]) + 2
            raise IdentifierError(f"{name}: row {row}: column {column!r} is empty")
        codes.append(code)
        normals.append(normal.to_numpy(dtype=object))
    if len(columns) == 1:
        return codes[0], pd.Index(normals[0], dtype=object)
    combinations, inverse = np.unique(np.column_stack(codes), axis=0, return_inverse=True)
    keys = [
        SEPARATOR.join(normals[j][code] for j, code in enumerate(combination))
        for combination in combinations
    ]
    return np.asarray(inverse, dtype=np.int64).ravel(), pd.Index(keys, dtype=object)


def first_repeat(person_id: pd.Series, name: str) -> None:
    """Raise :class:`IdentifierError` naming the first two rows that are the same person."""
    repeated = person_id.duplicated().to_numpy()
    if repeated.any():
        second = int(np.flatnonzero(repeated)[0])
        first = int(np.flatnonzero((person_id == person_id.iloc[second]).to_numpy())[0])
        raise IdentifierError(f"{name}: rows {first + 2} and {second + 2} are the same person")
