"""Who may see or change anonymous concerns (SUP-5), on :mod:`commissioning.permissions`
(ADR 0007).

* Anyone reports a concern, and anyone holding a receipt reads and answers that one concern:
  the receipt is the only credential, and the route never looks at who is signed in.
* Independent reviewers (the reviewer role, signed in with two factors) see the inbox and the
  concerns' dates and statuses; they read the content only with their own unlocked key.
* Nobody else, site administrators included, sees a concern (404).
* The summary of outcomes is public, and shows only closed concerns, in counts of 5 or more.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commissioning.accounts.models import User
from commissioning.concerns.models import Concern, ReviewerKey
from commissioning.permissions import Visitor, is_active_user

NOT_FOUND = "No concern with that number"


def is_reviewer(user: Visitor) -> bool:
    return is_active_user(user) and user.role == User.Role.REVIEWER


def reviewers_with_keys() -> QuerySet[ReviewerKey]:
    """The keys concerns are sealed to: those of active reviewers."""
    return ReviewerKey.objects.filter(user__is_active=True, user__role=User.Role.REVIEWER)


def can_grant(user: Visitor, key: ReviewerKey) -> bool:
    """A reviewer may grant another active reviewer's key what they can read themselves."""
    return is_reviewer(user) and key.user_id != getattr(user, "pk", None) and key.user.is_active


def inbox(user: Visitor) -> QuerySet[Concern]:
    if not is_reviewer(user):
        raise Http404(NOT_FOUND)
    return Concern.objects.all()


def concern_for_review(user: Visitor, concern_id: int) -> Concern:
    """The concern if ``user`` is a reviewer, else 404 (whether or not it exists)."""
    concern = Concern.objects.filter(pk=concern_id).first() if is_reviewer(user) else None
    if concern is None:
        raise Http404(NOT_FOUND)
    return concern
