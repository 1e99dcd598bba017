"""Release packages, records (with a compiled release) and record packages (OCDS 1.1, PRO-9).

``ocdsmerge`` is not installed, so :func:`compile_releases` implements the OCDS merge routine for
the releases this package builds: releases are applied in date order; objects merge key by key;
arrays of objects that all carry an ``id`` merge item by item on ``id`` (identifier merge); any
other array, and every scalar, is replaced by the newer value; ``null`` removes a field. Our
releases never use the fields the schema marks ``wholeListMerge``, so that rule is not needed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from commissioning.opendata.ocds import extensions as ext
from commissioning.opendata.ocds.common import iso

JsonDict = dict[str, Any]


def _is_id_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "id" in item for item in value)
    )


def _merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for key, value in new.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = _merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
        return out
    if _is_id_list(old) and _is_id_list(new):
        by_id = {item["id"]: item for item in old}
        for item in new:
            by_id[item["id"]] = _merge(by_id[item["id"]], item) if item["id"] in by_id else item
        return [copy.deepcopy(item) for item in by_id.values()]
    return copy.deepcopy(new)


def compile_releases(releases: Sequence[JsonDict]) -> JsonDict:
    """The compiled release of one contracting process (all releases share an ``ocid``)."""
    if not releases:
        raise ValueError("a record needs at least one release")
    ocids = {release["ocid"] for release in releases}
    if len(ocids) != 1:
        raise ValueError(f"releases of one record must share an ocid, got {sorted(ocids)}")
    ordered = sorted(releases, key=lambda release: (release["date"], release["id"]))
    compiled: JsonDict = {}
    for release in ordered:
        compiled = _merge(compiled, {k: v for k, v in release.items() if k not in ("id", "tag")})
    ocid = ordered[-1]["ocid"]
    compiled["id"] = f"{ocid}-compiled"
    compiled["tag"] = ["compiled"]
    return compiled


def build_record(releases: Sequence[JsonDict]) -> JsonDict:
    """An OCDS record: the releases embedded, plus their compiled release."""
    compiled = compile_releases(releases)
    ordered = sorted(releases, key=lambda release: (release["date"], release["id"]))
    return {
        "ocid": compiled["ocid"],
        "releases": [copy.deepcopy(release) for release in ordered],
        "compiledRelease": compiled,
    }


def _publisher(name: str, uri: str | None, scheme: str | None, uid: str | None) -> JsonDict:
    out: JsonDict = {"name": name}
    optional = {"uri": uri, "scheme": scheme, "uid": uid}
    out.update({key: value for key, value in optional.items() if value})
    return out


def _package(
    contents: str,
    items: Iterable[JsonDict],
    *,
    uri: str,
    published_date: datetime,
    publisher_name: str,
    publisher_uri: str | None,
    publisher_scheme: str | None,
    publisher_uid: str | None,
) -> JsonDict:
    listed = list(items)
    if not listed:
        # The package schemas require at least one release or record (issue 11 item 6).
        raise ValueError(f"an OCDS package needs at least one item in {contents!r}")
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": iso(published_date),
        "publisher": _publisher(publisher_name, publisher_uri, publisher_scheme, publisher_uid),
        "extensions": ext.declared_extensions(),
        contents: listed,
    }


def release_package(
    releases: Iterable[JsonDict],
    *,
    uri: str,
    published_date: datetime,
    publisher_name: str,
    publisher_uri: str | None = None,
    publisher_scheme: str | None = None,
    publisher_uid: str | None = None,
) -> JsonDict:
    """Wrap releases in a release package declaring our extensions and version 1.1."""
    return _package(
        "releases",
        releases,
        uri=uri,
        published_date=published_date,
        publisher_name=publisher_name,
        publisher_uri=publisher_uri,
        publisher_scheme=publisher_scheme,
        publisher_uid=publisher_uid,
    )


def record_package(
    records: Iterable[JsonDict],
    *,
    uri: str,
    published_date: datetime,
    publisher_name: str,
    publisher_uri: str | None = None,
    publisher_scheme: str | None = None,
    publisher_uid: str | None = None,
) -> JsonDict:
    """Wrap records in a record package declaring our extensions and version 1.1."""
    return _package(
        "records",
        records,
        uri=uri,
        published_date=published_date,
        publisher_name=publisher_name,
        publisher_uri=publisher_uri,
        publisher_scheme=publisher_scheme,
        publisher_uid=publisher_uid,
    )
