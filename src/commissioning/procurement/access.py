"""Who may do what with opportunities (PRO-1 … PRO-9). These rules are to be folded into
:mod:`commissioning.permissions` by the lead; they reuse its helpers and exercise rules.

* Commissioners of the exercise's commissioning body (and site administrators) create and manage
  opportunities: details, lots, specification, criteria, timeline, publication, cancellation.
* A draft is seen only by them; every other status is public.
"""

from __future__ import annotations

from typing import Any

from commissioning import permissions


def can_create_opportunity(user: Any, exercise: Any) -> bool:
    """A commissioner of the exercise's commissioning body, or a site administrator."""
    return bool(permissions.can_edit_exercise(user, exercise))


def can_manage_opportunity(user: Any, opportunity: Any) -> bool:
    """Edit, publish, change dates and cancel: the exercise's commissioners (and site admins)."""
    return bool(permissions.can_edit_exercise(user, opportunity.exercise))


def can_view_opportunity(user: Any, opportunity: Any) -> bool:
    """Everyone sees a published opportunity; only its managers see a draft."""
    if opportunity.status != "draft":
        return True
    return can_manage_opportunity(user, opportunity)


def manageable_body_ids(user: Any) -> set[int]:
    """Commissioning bodies whose drafts ``user`` may see in lists (all for a site admin is
    signalled by the caller checking :func:`commissioning.permissions.is_site_admin`)."""
    if not permissions.is_active_user(user) or user.role != "commissioner":
        return set()
    return set(
        user.memberships.filter(
            status="approved", organisation__is_commissioning_body=True
        ).values_list("organisation_id", flat=True)
    )
