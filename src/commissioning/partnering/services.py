"""Expressions of interest in a lot and the "looking for partners" list (PRO-6).

An approved member of a provider organisation registers its interest in a lot of an open
opportunity as a would-be prime, sub-contractor or consortium member, with an optional note, and
may keep it private; it can change or withdraw it while the opportunity is open. Each action is
one transaction with its audit record. Who sees what is decided in
:mod:`commissioning.partnering.access`; this module only applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import created, deleted, diff, record, snapshot
from commissioning.directory.models import Organisation
from commissioning.partnering import access
from commissioning.partnering.rules import TextProblem, clean_note
from commissioning.permissions import Visitor
from commissioning.procurement import services as procurement_services
from commissioning.procurement.models import Interest, Lot

INTEREST_FIELDS = ["role", "is_private", "note"]


class Action:
    REGISTER = "interest.register"
    CHANGE = "interest.change"
    WITHDRAW = "interest.withdraw"


def is_open(lot: Lot) -> bool:
    return bool(procurement_services.is_open_for_bids(lot.opportunity))


def _check_may_act(actor: User, lot: Lot, organisation: Organisation) -> None:
    if not is_open(lot):
        raise PermissionDenied("Interest can only be registered while the opportunity is open.")
    allowed = {org.pk for org in access.interest_organisations(actor, lot)}
    if organisation.pk not in allowed:
        raise PermissionDenied("You cannot register interest for this organisation in this lot.")


def register_interest(
    actor: User,
    lot: Lot,
    *,
    organisation: Organisation,
    role: str,
    note: str = "",
    is_private: bool = False,
) -> Interest:
    """Register ``organisation``'s interest in ``lot`` or change it (one per organisation and
    lot: a repeated or concurrent submit changes the one interest, issue 11 item 25). Raises
    PermissionDenied, or ValidationError keyed by ``role`` or ``note``."""
    _check_may_act(actor, lot, organisation)
    errors: dict[str, list[str]] = {}
    if role not in Interest.Role.values:
        errors["role"] = ["Select how your organisation would take part"]
    try:
        note = clean_note(note)
    except TextProblem as problem:
        errors["note"] = [str(problem)]
    if errors:
        raise ValidationError(errors)

    def register() -> Interest:
        interest = Interest.objects.create(
            lot=lot,
            organisation=organisation,
            role=role,
            note=note,
            is_private=is_private,
            created_by=actor,
        )
        record(actor, Action.REGISTER, interest, created(snapshot(interest, INTEREST_FIELDS)))
        return interest

    with transaction.atomic():
        interest, new = idempotency.create_once(
            lambda: (
                Interest.objects.select_for_update()
                .filter(lot=lot, organisation=organisation)
                .first()
            ),
            register,
        )
        if new:
            return interest
        before = snapshot(interest, INTEREST_FIELDS)
        interest.role, interest.note, interest.is_private = role, note, is_private
        interest.save(update_fields=INTEREST_FIELDS)
        changes = diff(before, snapshot(interest, INTEREST_FIELDS))
        if changes:
            record(actor, Action.CHANGE, interest, changes)
        return interest


def withdraw_interest(actor: User, interest: Interest) -> None:
    """Withdraw an interest (its conversations stay: they belong to the two organisations)."""
    _check_may_act(actor, interest.lot, interest.organisation)
    with transaction.atomic():
        record(actor, Action.WITHDRAW, interest, deleted(snapshot(interest, INTEREST_FIELDS)))
        interest.delete()


def own_interests(user: Visitor, lot: Lot) -> list[Interest]:
    """The interests in ``lot`` of the organisations ``user`` is an approved member of."""
    ids = access.approved_organisation_ids(user)
    if not ids:
        return []
    return list(lot.interests.filter(organisation_id__in=ids).select_related("organisation"))


def visible_interests(user: Visitor, lot: Lot) -> QuerySet[Interest]:
    """What ``user`` may see of the interest in ``lot``: everything for the exercise's
    commissioners; otherwise the interests that are not private, plus their own."""
    queryset = lot.interests.select_related("organisation")
    if access.can_see_all_interests(user, lot):
        return queryset
    own = access.approved_organisation_ids(user)
    return queryset.filter(is_private=False) | queryset.filter(organisation_id__in=own)


@dataclass(frozen=True)
class PartnerFilters:
    role: str = ""
    specialism: str = ""  # slug
    cohort: str = ""  # slug

    @property
    def active(self) -> bool:
        return bool(self.role or self.specialism or self.cohort)


def looking_for_partners(user: Visitor, lot: Lot, filters: PartnerFilters) -> QuerySet[Interest]:
    """The "looking for partners" list of a lot: interests ``user`` may see (never another
    organisation's private one), filtered by role, specialism and cohort, with the
    organisations' directory details loaded."""
    queryset = visible_interests(user, lot)
    if filters.role:
        queryset = queryset.filter(role=filters.role)
    if filters.specialism:
        queryset = queryset.filter(organisation__specialisms__slug=filters.specialism)
    if filters.cohort:
        queryset = queryset.filter(organisation__cohorts__slug=filters.cohort)
    return (
        queryset.distinct()
        .prefetch_related("organisation__areas", "organisation__specialisms")
        .prefetch_related("organisation__cohorts")
        .order_by("role", "organisation__name", "pk")
    )


@dataclass(frozen=True)
class InterestCounts:
    total: int
    private: int

    @property
    def public(self) -> int:
        return self.total - self.private


def interest_counts(lot: Lot) -> InterestCounts:
    total = lot.interests.count()
    return InterestCounts(total=total, private=lot.interests.filter(is_private=True).count())
