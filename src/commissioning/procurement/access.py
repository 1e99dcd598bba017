"""Who may do what with opportunities (PRO-1 … PRO-9), on the building blocks and exercise rules
of :mod:`commissioning.permissions` (ADR 0007), and the loaders that apply them to a request.

* Commissioners of the exercise's commissioning body (and site administrators) create and manage
  opportunities: details, lots, specification, criteria, timeline, publication, cancellation.
* A draft is seen only by them; every other status is public.
* The pages that follow publication (bids, evaluation, award) do not exist for a draft, not even
  for its managers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.procurement.models import Opportunity


def can_create_opportunity(user: permissions.Visitor, exercise: Any) -> bool:
    """A commissioner of the exercise's commissioning body, or a site administrator."""
    return bool(permissions.can_edit_exercise(user, exercise))


def can_manage_opportunity(user: permissions.Visitor, opportunity: Any) -> bool:
    """Edit, publish, change dates and cancel: the exercise's commissioners (and site admins)."""
    return bool(permissions.can_edit_exercise(user, opportunity.exercise))


def can_view_opportunity(user: permissions.Visitor, opportunity: Any) -> bool:
    """Everyone sees a published opportunity; only its managers see a draft."""
    if opportunity.status != Opportunity.Status.DRAFT:
        return True
    return can_manage_opportunity(user, opportunity)


def manageable_body_ids(user: permissions.Visitor | None) -> set[int]:
    """Commissioning bodies whose drafts ``user`` may see in lists (all for a site admin is
    signalled by the caller checking :func:`commissioning.permissions.is_site_admin`)."""
    if not permissions.is_active_user(user) or user.role != User.Role.COMMISSIONER:
        return set()
    return set(
        permissions.member_organisations(user)
        .filter(is_commissioning_body=True)
        .values_list("pk", flat=True)
    )


def _by_reference(reference: str) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_related("exercise__commissioning_body")
        .filter(reference=reference)
        .first()
    )
    if opportunity is None:
        raise Http404(f"No opportunity {reference}")
    return opportunity


def visible_opportunity(user: permissions.Visitor, reference: str) -> Opportunity:
    """The opportunity ``reference`` when ``user`` may see it (:func:`can_view_opportunity`);
    404 otherwise, so that a draft's existence is not given away."""
    opportunity = _by_reference(reference)
    if not can_view_opportunity(user, opportunity):
        raise Http404(f"No opportunity {reference}")
    return opportunity


def published_opportunity(
    user: permissions.Visitor,
    reference: str,
    allowed: Callable[[permissions.Visitor, Opportunity], bool],
    refusal: str,
) -> Opportunity:
    """The published (not draft) opportunity ``reference``, for the pages that follow
    publication: 404 for a draft, its managers included; then 403 with ``refusal`` unless
    ``allowed(user, opportunity)``, the page's rule."""
    opportunity = _by_reference(reference)
    if opportunity.status == Opportunity.Status.DRAFT:
        raise Http404(f"No opportunity {reference}")
    if not allowed(user, opportunity):
        raise PermissionDenied(refusal)
    return opportunity
