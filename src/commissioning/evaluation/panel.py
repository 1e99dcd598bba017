"""The evaluation panel (EVA-5): assigning evaluators per criterion, adding advisers who score
nothing, conflict declarations by both before any bid content is seen (PRO-11), and reading
opened bids as a panel member."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.bids import keys, opening, reading
from commissioning.bids.models import Bid, BidKey
from commissioning.directory.models import Organisation
from commissioning.evaluation import access
from commissioning.evaluation.models import (
    ConflictDeclaration,
    EvaluatorAssignment,
    PanelAdviser,
)
from commissioning.permissions import Visitor
from commissioning.procurement.models import Criterion, Opportunity
from commissioning.procurement.services import bid_deadline_passed

JUDGED_KINDS = (Criterion.Kind.QUALITY, Criterion.Kind.SOCIAL_VALUE)
MIN_CONFLICT_DETAILS = 10
MIN_EXPERTISE = 3


def judged_criteria(opportunity: Opportunity) -> QuerySet[Criterion]:
    """The criteria evaluators score (quality and social value), in published order."""
    return opportunity.criteria.filter(kind__in=JUDGED_KINDS).order_by("order", "pk")


def evaluated_bids(opportunity: Opportunity) -> QuerySet[Bid]:
    """The bids under evaluation: every submitted bid, all lots."""
    return opening.submitted_bids(opportunity)


def bidders(opportunity: Opportunity) -> list[Organisation]:
    """The organisations with a submitted bid, each once, by name."""
    ids = evaluated_bids(opportunity).values_list("organisation_id", flat=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def eligible_evaluators() -> QuerySet[User]:
    """Anyone active with the evaluator or commissioner role (body members or neutral panel)."""
    return User.objects.filter(is_active=True, role__in=access.EVALUATOR_ROLES).order_by("email")


def assignments(opportunity: Opportunity) -> QuerySet[EvaluatorAssignment]:
    return EvaluatorAssignment.objects.filter(criterion__opportunity=opportunity).select_related(
        "criterion", "evaluator"
    )


def _require_manager(actor: User, opportunity: Opportunity) -> None:
    if not access.can_manage_evaluation(actor, opportunity):
        raise PermissionDenied("Only the commissioning body's commissioners manage evaluation.")


def assign_evaluator(actor: User, criterion: Criterion, evaluator: User) -> EvaluatorAssignment:
    """Assign ``evaluator`` to score ``criterion`` (quality or social value) on every bid."""
    opportunity = criterion.opportunity
    _require_manager(actor, opportunity)
    if criterion.kind not in JUDGED_KINDS:
        raise ValidationError(
            {"criterion": "Price is scored by formula, not by evaluators; choose another."}
        )
    if not access.can_be_evaluator(evaluator):
        raise ValidationError(
            {"evaluator": "Choose an active user with the evaluator or commissioner role."}
        )
    with transaction.atomic():
        if EvaluatorAssignment.objects.filter(criterion=criterion, evaluator=evaluator).exists():
            raise ValidationError(
                {"evaluator": f"{evaluator.email} is already assigned to {criterion.name}."}
            )
        assignment = EvaluatorAssignment.objects.create(
            criterion=criterion, evaluator=evaluator, assigned_by=actor
        )
        record(
            actor,
            "evaluation.assign",
            opportunity,
            {"criterion": criterion.name, "evaluator": evaluator.email},
        )
    return assignment


def unassign_evaluator(actor: User, assignment: EvaluatorAssignment) -> None:
    """Remove an assignment (e.g. after a conflict) unless its scores are already submitted;
    its draft scores go with it, and the audit trail keeps them."""
    opportunity = assignment.criterion.opportunity
    _require_manager(actor, opportunity)
    with transaction.atomic():
        locked = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.submitted_at is not None:
            raise ValidationError("Submitted scores stay on the record; this cannot be removed.")
        drafts = [
            {"bid": s.bid_id, "score": s.score, "justification": s.justification}
            for s in locked.scores.all()
        ]
        record(
            actor,
            "evaluation.unassign",
            opportunity,
            {
                "criterion": locked.criterion.name,
                "evaluator": locked.evaluator.email,
                "draft_scores": drafts,
            },
        )
        locked.delete()


def advisers(opportunity: Opportunity) -> QuerySet[PanelAdviser]:
    return PanelAdviser.objects.filter(opportunity=opportunity).select_related("adviser")


def add_adviser(
    actor: User, opportunity: Opportunity, adviser: User, expertise: str
) -> PanelAdviser:
    """Add ``adviser`` to the panel: they score nothing and, like the evaluators, read no bid
    until they have declared their interests in every bidder (PRO-11)."""
    _require_manager(actor, opportunity)
    if not access.can_be_evaluator(adviser):
        raise ValidationError(
            {"adviser": "Choose an active user with the evaluator or commissioner role."}
        )
    text = (expertise or "").strip()
    if len(text) < MIN_EXPERTISE:
        raise ValidationError({"expertise": "Say what the adviser advises on"})
    with transaction.atomic():
        if PanelAdviser.objects.filter(opportunity=opportunity, adviser=adviser).exists():
            raise ValidationError({"adviser": f"{adviser.email} already advises this panel."})
        place = PanelAdviser.objects.create(
            opportunity=opportunity, adviser=adviser, expertise=text, added_by=actor
        )
        record(
            actor,
            "evaluation.adviser.add",
            opportunity,
            {"adviser": adviser.email, "expertise": text},
        )
    return place


def remove_adviser(actor: User, place: PanelAdviser) -> None:
    """Take an adviser off the panel; their declarations stay on the record."""
    opportunity = place.opportunity
    _require_manager(actor, opportunity)
    with transaction.atomic():
        record(
            actor,
            "evaluation.adviser.remove",
            opportunity,
            {"adviser": place.adviser.email, "expertise": place.expertise},
        )
        place.delete()


def declarations(user: Visitor, opportunity: Opportunity) -> dict[int, ConflictDeclaration]:
    return {
        d.organisation_id: d
        for d in ConflictDeclaration.objects.filter(evaluator_id=user.pk, opportunity=opportunity)
    }


class PanelView:
    """What one person on an opportunity's panel may see of its bids (EVA-5, PRO-11), each fact
    read at most once: whether the bids are opened, their declarations, the submitted bids.

    A page asks several questions of these (opened? declared on every bidder? which bids may
    they read?); one view answers them all from the same three reads, and reads nothing it is
    not asked. Build one per request for the person making it and keep it no longer: it is
    never stale and never another person's.

    ``member`` is whether ``user`` is on the panel (:func:`access.is_panel_member`), for a caller
    that has already decided it (an assignment of this opportunity that
    :func:`access.can_score` allowed); read when first needed otherwise. Likewise ``opened``,
    whether the bids are opened, for a caller that has just read the opportunity's key
    (:meth:`for_assignment`).
    """

    def __init__(
        self,
        user: Visitor,
        opportunity: Opportunity,
        *,
        member: bool | None = None,
        opened: bool | None = None,
    ) -> None:
        self.user = user
        self.opportunity = opportunity
        self._member = member
        self._opened = opened

    @classmethod
    def for_assignment(cls, user: Visitor, assignment: EvaluatorAssignment) -> PanelView:
        """The panel as seen by ``assignment``'s evaluator, whom :func:`access.can_score` has
        allowed, read a moment ago: where that read took the opportunity's key along
        (``criterion__opportunity__bid_key``), it says whether the bids are opened, and no
        second read asks. Pass no older object: its key may predate the opening."""
        opportunity = assignment.criterion.opportunity
        opened = None
        if Opportunity.bid_key.is_cached(opportunity):
            key = keys.read_with(opportunity)
            opened = key is not None and key.opened_at is not None
        return cls(user, opportunity, member=True, opened=opened)

    @cached_property
    def member(self) -> bool:
        if self._member is not None:
            return self._member
        return access.is_panel_member(self.user, self.opportunity)

    @cached_property
    def opened(self) -> bool:
        if self._opened is not None:
            return self._opened
        return bids_opened(self.opportunity)

    @cached_property
    def declarations(self) -> dict[int, ConflictDeclaration]:
        return declarations(self.user, self.opportunity)

    @cached_property
    def submitted_bids(self) -> list[Bid]:
        # A list of bids needs none of their sealed content; reading one fetches and unseals it.
        return list(evaluated_bids(self.opportunity).defer("sealed_content"))

    @cached_property
    def declared(self) -> bool:
        """Whether ``user`` has declared, for every bidding organisation, a conflict or none."""
        return all(bid.organisation_id in self.declarations for bid in self.submitted_bids)

    @cached_property
    def conflicted(self) -> set[int]:
        """The organisations ``user`` declared a conflict with."""
        return {org_id for org_id, d in self.declarations.items() if d.has_conflict}

    @cached_property
    def readable_bids(self) -> list[Bid]:
        """The bids ``user`` may read: none until they are on the panel, the bids are opened
        and every bidder is declared on; then every submitted bid except those of organisations
        they declared a conflict with."""
        if not self.member or not self.opened or not self.declared:
            return []
        return [bid for bid in self.submitted_bids if bid.organisation_id not in self.conflicted]


def declarations_complete(user: Visitor, opportunity: Opportunity) -> bool:
    """Whether ``user`` has declared, for every bidding organisation, a conflict or none."""
    return PanelView(user, opportunity).declared


def conflicted_organisation_ids(user: Visitor, opportunity: Opportunity) -> set[int]:
    return PanelView(user, opportunity).conflicted


def declare_conflicts(
    actor: User,
    opportunity: Opportunity,
    answers: Mapping[int, tuple[bool, str]],
    now: datetime | None = None,
) -> list[ConflictDeclaration]:
    """Record ``actor``'s declaration for every bidder: organisation id → (conflict?, details).

    All bidders must be answered, and a conflict needs details; otherwise nothing is saved and
    a :class:`ValidationError` keyed ``org-<id>`` says which. A declaration, once made, stands
    (a later change of heart is a new audited declaration that overwrites it).
    """
    if not access.is_panel_member(actor, opportunity):
        raise PermissionDenied(
            "Only the opportunity's assigned evaluators and advisers declare interests."
        )
    now = now or timezone.now()
    errors: dict[str, str] = {}
    organisations = bidders(opportunity)
    for org in organisations:
        if org.pk not in answers:
            errors[f"org-{org.pk}"] = f"Say whether you have a conflict of interest with {org}."
            continue
        has_conflict, details = answers[org.pk]
        if has_conflict and len(details.strip()) < MIN_CONFLICT_DETAILS:
            errors[f"org-{org.pk}-details"] = (
                f"Describe your conflict with {org} in at least {MIN_CONFLICT_DETAILS} characters."
            )
    if errors:
        raise ValidationError(errors)
    saved: list[ConflictDeclaration] = []
    with transaction.atomic():
        changes: dict[str, Any] = {}
        for org in organisations:
            has_conflict, details = answers[org.pk]
            declaration, _ = ConflictDeclaration.objects.update_or_create(
                opportunity=opportunity,
                evaluator=actor,
                organisation=org,
                defaults={
                    "has_conflict": has_conflict,
                    "details": details.strip() if has_conflict else "",
                    "declared_at": now,
                },
            )
            saved.append(declaration)
            changes[org.name] = (
                {"conflict": True, "details": declaration.details}
                if has_conflict
                else {"conflict": False}
            )
        record(actor, "evaluation.declare", opportunity, changes)
    return saved


def bids_opened(opportunity: Opportunity) -> bool:
    return opening.opened_at(opportunity) is not None


def evaluator_bids(user: Visitor, opportunity: Opportunity) -> list[Bid]:
    """The bids ``user`` (an evaluator or adviser) may read (:attr:`PanelView.readable_bids`)."""
    return PanelView(user, opportunity).readable_bids


def _evaluator_key(panel: PanelView, now: datetime | None) -> bytes:
    """The opportunity's data key for an assigned evaluator or adviser: refused before the
    deadline, before the commissioner opened the bids, and before they declared on every
    bidder."""
    opportunity = panel.opportunity
    if not bid_deadline_passed(opportunity, now):
        raise keys.BidsSealed("Bids are sealed until the bid deadline.")
    if not panel.member:
        raise PermissionDenied("Only the opportunity's evaluators and advisers read its bids.")
    key = BidKey.objects.filter(opportunity=opportunity).first()
    if key is None or key.opened_at is None:
        raise keys.BidsSealed("The bids have not been opened yet.")
    if not panel.declared:
        raise PermissionDenied("Declare your interests in every bidder before reading bids.")
    # The bids app exposes released_key only to commissioners; the evaluator rule is ours.
    return keys.unwrap_data_key(opportunity)


def read_bid_as_evaluator(user: Visitor, bid: Bid, now: datetime | None = None) -> reading.OpenBid:
    """A submitted, opened bid unsealed for an assigned evaluator or adviser without a conflict
    with it. Their declarations are read once, for both questions (declared on every bidder? a
    conflict with this one?)."""
    bid = Bid.objects.select_related("lot__opportunity", "organisation").get(pk=bid.pk)
    panel = PanelView(user, bid.lot.opportunity)
    key = _evaluator_key(panel, now)
    declared = {org_id: d.has_conflict for org_id, d in panel.declarations.items()}
    if not access.can_read_bid_as_evaluator(user, bid, declared):
        raise PermissionDenied("You declared a conflict of interest with this bidder.")
    if bid.status != Bid.Status.SUBMITTED:
        raise PermissionDenied("Only submitted bids are read.")
    return reading.open_bid(bid, key)


def opportunities_to_evaluate(user: Visitor) -> QuerySet[Opportunity]:
    """The opportunities ``user`` is assigned to evaluate or advises on (EVA-5), newest first."""
    return (
        Opportunity.objects.filter(
            Q(criteria__evaluator_assignments__evaluator=user) | Q(panel_advisers__adviser=user)
        )
        .distinct()
        .order_by("-created_at", "reference")
    )
