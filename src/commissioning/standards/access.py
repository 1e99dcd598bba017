"""Who may read the national standards' compliance report (MKT-3), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007): the inspectorate and site administrators; the
public summary is for everyone."""

from __future__ import annotations

from commissioning import permissions


def can_read_inspection_report(user: permissions.Visitor | None) -> bool:
    return permissions.is_inspector(user) or permissions.is_site_admin(user)
