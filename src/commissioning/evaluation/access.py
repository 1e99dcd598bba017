"""Who may do what in evaluation (EVA-5, EVA-6), on the bid rules in
:mod:`commissioning.bids.access` and the building blocks of :mod:`commissioning.permissions`
(ADR 0007).

* The commissioners of the opportunity's commissioning body (the same people who open the bids)
  assign evaluators, see every score and divergence, and moderate. Site administrators get no
  exception: bids and scores stay with the panel.
* Any active user with the evaluator or commissioner role may be assigned (approved members of the
  body or invited neutral panel members).
* An assigned evaluator sees bid content only once the bids are opened **and** they have declared,
  for every bidding organisation, a conflict or none; they never see a bid whose organisation they
  declared a conflict with. They see other evaluators' scores on a criterion only once they have
  submitted their own on it.
* A panel adviser (added by the commissioners, scoring nothing) is held to the same rule: no bid
  until they have declared on every bidder, and never one they declared a conflict with (PRO-11).
"""

from __future__ import annotations

from typing import Any

from commissioning.accounts.models import User
from commissioning.bids import access as bids_access
from commissioning.permissions import Visitor, is_active_user

EVALUATOR_ROLES = (User.Role.EVALUATOR, User.Role.COMMISSIONER)


def can_manage_evaluation(user: Visitor, opportunity: Any) -> bool:
    """Assign evaluators, see all scores and divergence, moderate: the body's commissioners."""
    return bids_access.can_open_bids(user, opportunity)


def can_be_evaluator(user: Visitor) -> bool:
    return is_active_user(user) and user.role in EVALUATOR_ROLES


def is_assigned_evaluator(user: Visitor, opportunity: Any) -> bool:
    from commissioning.evaluation.models import EvaluatorAssignment

    return (
        is_active_user(user)
        and can_be_evaluator(user)
        and EvaluatorAssignment.objects.filter(
            evaluator=user, criterion__opportunity=opportunity
        ).exists()
    )


def is_adviser(user: Visitor, opportunity: Any) -> bool:
    from commissioning.evaluation.models import PanelAdviser

    return (
        is_active_user(user)
        and can_be_evaluator(user)
        and PanelAdviser.objects.filter(adviser=user, opportunity=opportunity).exists()
    )


def is_panel_member(user: Visitor, opportunity: Any) -> bool:
    """An assigned evaluator or an adviser: someone who reads bids after declaring interests."""
    return is_assigned_evaluator(user, opportunity) or is_adviser(user, opportunity)


def can_view_evaluation(user: Visitor, opportunity: Any) -> bool:
    """The opportunity's evaluation page: its managers, assigned evaluators and advisers."""
    return can_manage_evaluation(user, opportunity) or is_panel_member(user, opportunity)


def can_score(user: Visitor, assignment: Any) -> bool:
    """Score on an assignment: the evaluator it names (while still allowed to evaluate)."""
    return can_be_evaluator(user) and assignment.evaluator_id == user.pk


def can_read_bid_as_evaluator(user: Visitor, bid: Any, declared_org_ids: dict[int, bool]) -> bool:
    """For an evaluator or an adviser. ``declared_org_ids`` maps each organisation the user
    declared on to whether it is a conflict. Readable when the user is on the panel, declared on
    the bid's organisation (the caller checks that every bidder was declared on) and has no
    conflict with it."""
    if not is_panel_member(user, bid.lot.opportunity):
        return False
    if bid.organisation_id not in declared_org_ids:
        return False
    return not declared_org_ids[bid.organisation_id]
