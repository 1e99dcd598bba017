"""Notices served as they were published (issue 11 items 3 and 9; LAW-1, PRO-9).

A UK1 pipeline notice and a UK3 planned procurement notice announce something that is still
being prepared: the exercise's estimate and the draft opportunity can change afterwards. What was
published must not change with them, so each is stored as a
:class:`~commissioning.exercises.models.PublishedNotice` when it is published and every reader
(the API, the bulk files) serves the stored release. A stored release holds site-relative URLs,
made absolute for the site that serves it.

A UK1 is published under each published opportunity's ocid (or the exercise's), so the stored
release, built under the exercise's reference, is re-keyed to the ocid it is served under.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from commissioning.exercises.models import PublishedNotice
from commissioning.opendata.ocds.common import JsonDict, ocid_for


def _absolute(value: Any, site: str) -> Any:
    if isinstance(value, dict):
        return {
            key: site + item
            if key == "url" and isinstance(item, str) and item.startswith("/")
            else _absolute(item, site)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_absolute(item, site) for item in value]
    return value


def _rekeyed(value: Any, old: str, new: str) -> Any:
    """Every id that starts with the ocid ``old`` starts with ``new`` instead."""
    if isinstance(value, dict):
        return {
            key: new + item[len(old) :]
            if key in ("ocid", "id") and isinstance(item, str) and item.startswith(old)
            else _rekeyed(item, old, new)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rekeyed(item, old, new) for item in value]
    return value


def served(
    notice: PublishedNotice, site: str, reference: str | None = None, prefix: str = ""
) -> JsonDict:
    """The stored release with absolute URLs, under ``prefix + reference`` when given."""
    release: JsonDict = copy.deepcopy(notice.release)
    if reference is not None:
        old_reference = release.get("tender", {}).get("id")
        release = _rekeyed(release, notice.ocid, ocid_for(reference, prefix))
        if old_reference is not None:
            release["tender"]["id"] = reference
    return _absolute(release, site.rstrip("/"))


def store(
    notice_type: str,
    release: JsonDict,
    released_at: datetime,
    exercise: Any,
    opportunity: Any = None,
) -> PublishedNotice:
    """Keep ``release`` (built with site-relative URLs) as published; one per notice."""
    existing = _existing(notice_type, exercise, opportunity)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PublishedNotice.objects.create(
                notice_type=notice_type,
                exercise=exercise,
                opportunity=opportunity,
                ocid=release["ocid"],
                release_id=release["id"],
                released_at=released_at,
                release=release,
            )
    except IntegrityError:  # stored at the same moment by a parallel request: keep that one
        existing = _existing(notice_type, exercise, opportunity)
        if existing is None:
            raise
        return existing


def _existing(notice_type: str, exercise: Any, opportunity: Any) -> PublishedNotice | None:
    if opportunity is not None:
        return PublishedNotice.objects.filter(
            notice_type=notice_type, opportunity=opportunity
        ).first()
    return PublishedNotice.objects.filter(
        notice_type=notice_type, exercise=exercise, opportunity__isnull=True
    ).first()


def stored(notices: Any, notice_type: str) -> PublishedNotice | None:
    """The notice of ``notice_type`` among a (prefetched) related manager, if stored."""
    return next((n for n in notices.all() if n.notice_type == notice_type), None)
