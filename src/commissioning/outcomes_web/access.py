"""Who may see and publish outcome studies (OUT-1, OUT-4), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007); the pages and the JSON API both ask here.

* **Everyone**, the public included, sees a published study, with its counts suppressed.
* **The full study** (unpublished ones, and the full result of a published one): approved
  members of the uploading organisation, approved commissioners of the related exercise's
  commissioning body, and site administrators (:func:`permissions.can_view_outcome_study`).
* **Publishing and unpublishing**: approved members of the uploading organisation only
  (:func:`permissions.can_publish_outcome_study`).
* **The national extract** (its versions, rows and files): data stewards only
  (:func:`permissions.is_data_steward`); providers, commissioners and site administrators see
  neither the list nor a row. A provider only links a cohort to the current version.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning.permissions import Visitor

NOT_VISIBLE = (
    "Only the uploading organisation and the commissioners of the related exercise can "
    "see this study before it is published"
)
NOT_PUBLISHER = "Only members of the uploading organisation can publish its study"
NOT_UNPUBLISHER = "Only members of the uploading organisation can unpublish its study"
NOT_STEWARD = "Only data stewards can see and load the national extract"


def may_manage_extracts(user: Visitor) -> bool:
    """Whether ``user`` sees, loads and retires versions of the national extract (OUT-1)."""
    return permissions.is_data_steward(user)


def require_steward(user: Visitor) -> None:
    if not may_manage_extracts(user):
        raise PermissionDenied(NOT_STEWARD)


class SignInNeeded(Exception):
    """An anonymous visitor asked for an unpublished study: the pages send them to sign in."""


def study_or_404(pk: int) -> OutcomeStudy:
    try:
        return OutcomeStudy.objects.select_related("organisation", "exercise", "extract").get(pk=pk)
    except OutcomeStudy.DoesNotExist:
        raise Http404("No outcome study with that number") from None


def sees_full(user: Visitor, study: OutcomeStudy) -> bool:
    """Whether ``user`` sees the study's full (unsuppressed, unpublished) result."""
    return permissions.can_view_outcome_study(user, study)


def may_publish(user: Visitor, study: OutcomeStudy) -> bool:
    """Whether ``user`` publishes and unpublishes the study."""
    return permissions.can_publish_outcome_study(user, study)


def visible_study(user: Visitor, pk: int) -> tuple[OutcomeStudy, bool]:
    """The study and whether ``user`` sees its full result; everyone else sees a published
    study's suppressed view. An unpublished study is refused: :class:`SignInNeeded` for the
    public, ``PermissionDenied`` for anyone signed in."""
    study = study_or_404(pk)
    full = sees_full(user, study)
    if not full and not study.is_published:
        if not permissions.is_signed_in(user):
            raise SignInNeeded
        raise PermissionDenied(NOT_VISIBLE)
    return study, full


def visible_studies(user: Visitor) -> QuerySet[OutcomeStudy]:
    """Every study ``user`` may see, newest first: the published ones, and for whoever may see
    a study in full (:func:`sees_full`) those of their organisations and related exercises,
    at any status; all of them for site administrators."""
    studies = OutcomeStudy.objects.select_related("organisation", "exercise", "extract").order_by(
        "-created_at", "-pk"
    )
    if permissions.is_site_admin(user):
        return studies
    seen = Q(published_at__isnull=False)
    if permissions.is_active_user(user):
        mine = user.approved_organisation_ids()
        seen |= Q(organisation_id__in=mine)
        if user.role == User.Role.COMMISSIONER:
            seen |= Q(exercise__commissioning_body_id__in=mine)
    return studies.filter(seen)
