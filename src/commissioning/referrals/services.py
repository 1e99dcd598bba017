"""Making and moving referrals (REF-1): each user action is one transaction with its audit
record, checked by the rules of :mod:`.access` and :mod:`.lifecycle`. The web forms, the API and
the CSV import call these, so they refuse the same things with the same words."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit.services import record
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.idempotency import clean_key, create_once
from commissioning.permissions import Visitor, is_signed_in
from commissioning.referrals import access, characteristics, lifecycle, pseudonyms
from commissioning.referrals.lifecycle import Side, Status
from commissioning.referrals.models import Referral, ReferralEvent
from commissioning.service_accounts.models import OrganisationToken
from commissioning.service_accounts.services import record_write

STANDARD_NEED_GROUP = "standard"


def need_groups(contract: Contract) -> list[str]:
    """The need groups of the contract's mechanism: ``standard`` and every group an outcome
    payment or a volume fee tariffs differently (PBR-3), so that engagement and completion can
    be compared by need group for creaming and parking, and a volume fee paid per group."""
    groups = [STANDARD_NEED_GROUP]
    mechanism = contract.mechanism or {}
    for payment in [*mechanism.get("outcome_payments", []), *mechanism.get("volume_fees", [])]:
        for group in payment.get("need_group_tariffs", {}) or {}:
            if group not in groups:
                groups.append(group)
    return groups


def new_reference() -> str:
    while True:
        reference = f"RF-{secrets.token_hex(4).upper()}"
        if not Referral.objects.filter(reference=reference).exists():
            return reference


@dataclass(frozen=True)
class NewReferral:
    """What a referrer gives: the case reference is hashed and never stored."""

    party_id: int | None
    case_reference: str
    need_group: str
    referred_on: date | None
    referrer_id: int | None = None
    characteristics: dict[str, str] | None = None
    submission_key: str = ""


Actor = Visitor | OrganisationToken
"""Who acts: a person, or an organisation's API token (its case-management system)."""


def refer(
    actor: Actor,
    contract: Contract,
    new: NewReferral,
    *,
    source: str = ReferralEvent.Source.FORM,
    today: date | None = None,
    is_synthetic: bool = False,
) -> Referral:
    """Refer a person under ``contract``. Raises PermissionDenied (may not refer) or
    ValidationError by field with nothing written. A token refers for its own organisation."""
    if isinstance(actor, OrganisationToken):
        referrers = access.organisation_referrers(actor.organisation, contract)
    else:
        referrers = access.referring_organisations(actor, contract)
    if not referrers:
        raise PermissionDenied("You cannot refer under this contract.")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    referrer = _one_of(referrers, new.referrer_id, errors)
    party = (
        access.receiving_parties(contract).filter(pk=new.party_id).first()
        if new.party_id is not None
        else None
    )
    if party is None:
        errors["party"] = "Select the service the person is referred to"
    problem = pseudonyms.case_reference_problem(new.case_reference)
    if problem:
        errors["case_reference"] = problem
    if new.need_group not in need_groups(contract):
        errors["need_group"] = "Select the person's need group from the list"
    when = lifecycle.referral_date_problem(
        new.referred_on, contract_start=contract.start_date, today=today
    )
    if when:
        errors["referred_on"] = when
    answers = dict(new.characteristics or {})
    errors.update(characteristics.problems(answers))
    if errors:
        raise ValidationError(errors)
    assert party is not None and new.referred_on is not None and referrer is not None
    key = clean_key(new.submission_key)

    def made_before() -> Referral | None:
        return (
            Referral.objects.filter(referrer=referrer, submission_key=key).first() if key else None
        )

    def create() -> Referral:
        assert party is not None and new.referred_on is not None and referrer is not None
        provider = party.organisation
        assert provider is not None  # a receiving party is linked to its organisation
        referral = Referral.objects.create(
            submission_key=key,
            reference=new_reference(),
            contract=contract,
            party=party,
            provider=provider,
            referrer=referrer,
            person=pseudonyms.pseudonym(new.case_reference),
            need_group=new.need_group,
            characteristics=characteristics.cleaned(answers),
            status_on=new.referred_on,
            referred_on=new.referred_on,
            is_synthetic=is_synthetic,
        )
        lifecycle.open_referral(referral, organisation=referrer, source=source, **_by(actor))
        _audit(
            actor,
            "referral.refer",
            referral,
            {
                "contract": {"from": None, "to": contract.reference},
                "provider": {"from": None, "to": str(party.organisation)},
                "referrer": {"from": None, "to": str(referrer)},
                "need_group": {"from": None, "to": new.need_group},
                "referred_on": {"from": None, "to": new.referred_on.isoformat()},
            },
        )
        return referral

    referral, _ = create_once(made_before, create)
    return referral


def _one_of(
    referrers: list[Organisation], chosen: int | None, errors: dict[str, str]
) -> Organisation | None:
    if chosen is None and len(referrers) == 1:
        return referrers[0]
    for organisation in referrers:
        if organisation.pk == chosen:
            return organisation
    errors["referrer"] = "Select the organisation you are referring for"
    return None


def _by(actor: Actor | None) -> dict[str, Any]:
    """An event's attribution: the person who recorded it, or the token it was recorded with."""
    if isinstance(actor, OrganisationToken):
        return {"recorded_by": None, "recorded_with_token": actor}
    return {"recorded_by": actor if is_signed_in(actor) else None}


def _audit(actor: Actor | None, action: str, referral: Referral, changes: dict[str, Any]) -> None:
    """The audit record of a write: a token's names the token and stamps its last use."""
    if isinstance(actor, OrganisationToken):
        record_write(actor, action, referral, changes)
    else:
        record(actor, action, referral, changes)


def move(
    actor: Actor | None,
    referral: Referral,
    target: Status | str,
    *,
    happened_on: date | None,
    reason: str = "",
    source: str = ReferralEvent.Source.FORM,
    acting_for: Organisation | None = None,
    today: date | None = None,
) -> Referral:
    """Record the next step of ``referral``. ``acting_for`` (the CSV import, whose organisation
    is chosen once for the file) replaces the user's memberships as the side that acts; a token
    acts for its own organisation. Raises PermissionDenied, or ValidationError by field with
    nothing written."""
    if isinstance(actor, OrganisationToken):
        acting_for = actor.organisation
    try:
        target = Status(target)
    except ValueError:
        raise ValidationError({"action": "Choose what happened next"}) from None
    if target is Status.REFERRED:
        raise ValidationError({"action": "Choose what happened next"})
    side = lifecycle.side_of(target)
    allowed = _sides(actor, referral, acting_for)
    if side not in allowed:
        who = "referring" if side is Side.REFERRER else "receiving"
        raise PermissionDenied(
            f"Only the {who} organisation can record that the referral was {target.label.lower()}."
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        refused = lifecycle.problems(
            locked.status,
            target,
            happened_on=happened_on,
            previous_on=locked.status_on,
            today=today,
            reason=reason,
        )
        if refused:
            raise ValidationError(refused)
        assert happened_on is not None
        current = Status(locked.status)
        transition = lifecycle.move(
            locked,
            target,
            happened_on,
            caller=referral,
            organisation=access.organisation_for(side, locked),
            reason=reason.strip(),
            source=source,
            **_by(actor),
        )
        changes: dict[str, Any] = {
            "status": {"from": current.value, "to": target.value},
            "happened_on": {"from": None, "to": happened_on.isoformat()},
        }
        if reason.strip():
            changes["reason"] = {"from": "", "to": reason.strip()}
        _audit(actor, transition.action, locked, changes)
    return referral


def _sides(actor: Actor | None, referral: Referral, acting_for: Organisation | None) -> set[Side]:
    if acting_for is None:
        if actor is None or isinstance(actor, OrganisationToken):
            return set()
        return access.sides(actor, referral)
    found = set()
    if referral.referrer_id == acting_for.pk:
        found.add(Side.REFERRER)
    if referral.provider_id == acting_for.pk:
        found.add(Side.PROVIDER)
    return found
