"""The people of a national extract and of a provider's cohort are pseudonyms, never raw
identifiers (OUT-1, OUT-4): the HMAC-SHA256 of the identifier columns the data steward names,
under a key only the platform holds, so the same person gives the same pseudonym in the extract
and in every cohort, and nobody without the key can go back from it.

The key is ``settings.OUTCOMES_PSEUDONYM_KEY``; the platform refuses to start without it unless
``OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY`` asks for the public development key (tests, local demo).
Nothing here logs or raises with a value: callers name rows, never identifiers.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from commissioning.kernel.secrets import configured_key

DEV_KEY = "development-only-outcomes-pseudonym-key"
SEPARATOR = "\x1f"
"""Joins several identifier columns of one person (a character no identifier holds)."""
_SPACES = re.compile(r"\s+")


def key() -> bytes:
    missing = "Set OUTCOMES_PSEUDONYM_KEY (a long random secret) to load extracts and cohorts."
    return configured_key("OUTCOMES_PSEUDONYM_KEY", DEV_KEY, missing).encode()


def pseudonyms(keys: Iterable[str]) -> list[str]:
    """One pseudonym (64 hexadecimal characters) per identifier key (:func:`identifier_keys`)."""
    keyed = hmac.new(key(), digestmod=hashlib.sha256)  # the key is set up once, then copied
    digests = []
    for k in keys:
        one = keyed.copy()
        one.update(k.encode())
        digests.append(one.hexdigest())
    return digests


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
        part = frame[column].fillna("").astype(str).str.replace(_SPACES, "", regex=True).str.upper()
        empty = (part == "").to_numpy()
        if empty.any():
            row = int(np.flatnonzero(empty)[0]) + 2
            raise IdentifierError(f"{name}: row {row}: column {column!r} is empty")
        parts.append(part)
    keys = parts[0]
    for part in parts[1:]:
        keys = keys + SEPARATOR + part
    return keys.astype(object)


def first_repeat(person_id: pd.Series, name: str) -> None:
    """Raise :class:`IdentifierError` naming the first two rows that are the same person."""
    repeated = person_id.duplicated().to_numpy()
    if repeated.any():
        second = int(np.flatnonzero(repeated)[0])
        first = int(np.flatnonzero((person_id == person_id.iloc[second]).to_numpy())[0])
        raise IdentifierError(f"{name}: rows {first + 2} and {second + 2} are the same person")
