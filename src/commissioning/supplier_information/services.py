"""Recording, sharing and reusing an organisation's core supplier information (LAW-5;
Procurement Regulations 2024 reg. 6). Each action is one transaction with its audit record.

The hook for bids (and, later, grant applications): :func:`current_version` is the version
current now for an organisation, and :func:`record_on_submission` stamps it on a submission as
it is made, so whoever evaluates the submission reads that version, not a later one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from commissioning.audit.services import record
from commissioning.permissions import User, Visitor
from commissioning.supplier_information import access, grounds
from commissioning.supplier_information.models import ShareCode, SupplierInformationVersion

if TYPE_CHECKING:
    from commissioning.directory.models import Organisation

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class ConnectedPerson:
    name: str
    role: str
    control: str


@dataclass(frozen=True)
class Declaration:
    applies: bool
    details: str = ""


@dataclass(frozen=True)
class CoreInformation:
    """What one version says; :func:`save_version` checks it whole before writing."""

    legal_name: str
    legal_form: str
    registered_address: str
    accounts_year_end: date
    turnover: Decimal
    reserves: Decimal
    charity_number: str = ""
    company_number: str = ""
    ppon: str = ""
    connected_persons: tuple[ConnectedPerson, ...] = ()
    declarations: dict[str, Declaration] | None = None


def current_version(organisation: Organisation | int) -> SupplierInformationVersion | None:
    """The version current now for ``organisation`` (its latest), or None if never recorded."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        SupplierInformationVersion.objects.filter(organisation_id=organisation_id)
        .order_by("-number")
        .first()
    )


def record_on_submission(
    submission: models.Model, organisation: Organisation | int, field: str = "supplier_information"
) -> SupplierInformationVersion | None:
    """Stamp the version current now on ``submission`` (a bid, a grant application) as it is
    submitted, inside the caller's transaction; the caller saves ``field``."""
    version = current_version(organisation)
    setattr(submission, field, version)
    return version


def _problems(information: CoreInformation) -> dict[str, str]:
    from commissioning.supplier_information.models import LegalForm

    problems: dict[str, str] = {}
    if not information.legal_name.strip():
        problems["legal_name"] = "Enter your organisation's registered name"
    if information.legal_form not in LegalForm.values:
        problems["legal_form"] = "Choose what kind of organisation you are"
    if not information.registered_address.strip():
        problems["registered_address"] = "Enter your registered address"
    if information.accounts_year_end > timezone.localdate():
        problems["accounts_year_end"] = "The year end of your latest accounts must be in the past"
    if information.turnover < 0:
        problems["turnover"] = "Income must be £0 or more"
    if information.legal_form in {"cio", "charitable_company", "charitable_trust"} and not (
        information.charity_number.strip()
    ):
        problems["charity_number"] = "Enter your charity number: a registered charity has one"
    if (
        information.legal_form
        in {
            "charitable_company",
            "company_by_guarantee",
            "cic",
            "company_by_shares",
        }
        and not information.company_number.strip()
    ):
        problems["company_number"] = "Enter your company number: a company has one"
    for index, person in enumerate(information.connected_persons, start=1):
        if not person.name.strip():
            problems[f"person_{index}_name"] = f"Enter the name of connected person {index}"
        elif not person.role.strip():
            problems[f"person_{index}_role"] = f"Enter {person.name.strip()}'s role"
    declarations = information.declarations or {}
    for ground in grounds.ALL:
        declaration = declarations.get(ground.key)
        if declaration is None:
            problems[f"ground_{ground.key}"] = f"Say whether “{ground.label}” applies"
        elif declaration.applies and not declaration.details.strip():
            problems[f"ground_{ground.key}_details"] = (
                f"Give the details of “{ground.label}”, and what you have done about it"
            )
    return problems


def save_version(
    user: User, organisation: Organisation, information: CoreInformation
) -> SupplierInformationVersion:
    """Save ``information`` as the organisation's next version (its administrators only),
    refused whole, with every reason, if anything is missing."""
    if not access.can_record(user, organisation):
        raise PermissionDenied(
            "Only this organisation's administrators can record its core supplier information."
        )
    problems = _problems(information)
    if problems:
        raise ValidationError(problems)
    declarations = information.declarations or {}
    with transaction.atomic():
        # Lock the organisation's versions so two saves never take the same number.
        type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
        last = SupplierInformationVersion.objects.filter(organisation=organisation).aggregate(
            last=Max("number")
        )["last"]
        version = SupplierInformationVersion.objects.create(
            organisation=organisation,
            number=(last or 0) + 1,
            created_by=user,
            created_at=timezone.now(),
            legal_name=information.legal_name.strip(),
            legal_form=information.legal_form,
            charity_number=information.charity_number.strip(),
            company_number=information.company_number.strip(),
            ppon=information.ppon.strip(),
            registered_address=information.registered_address.strip(),
            accounts_year_end=information.accounts_year_end,
            turnover=information.turnover.quantize(PENNY),
            reserves=information.reserves.quantize(PENNY),
            connected_persons=[
                {"name": p.name.strip(), "role": p.role.strip(), "control": p.control.strip()}
                for p in information.connected_persons
            ],
            declarations={
                ground.key: {
                    "applies": declarations[ground.key].applies,
                    "details": declarations[ground.key].details.strip()
                    if declarations[ground.key].applies
                    else "",
                }
                for ground in grounds.ALL
            },
        )
        # The record is never public: the audit trail names the version, not what it says.
        record(user, "supplier_information.save", organisation, {"version": version.number})
    return version


def versions_of(user: Visitor, organisation: Organisation) -> models.QuerySet[Any]:
    """Every version, newest first: the organisation's members only."""
    if not access.can_read_own(user, organisation):
        raise PermissionDenied("Only this organisation's members can read its core information.")
    return SupplierInformationVersion.objects.filter(organisation=organisation).select_related(
        "created_by"
    )


def new_code() -> str:
    """A share code such as ``SI-7KQ2-M9XA-3PLD`` (60 random bits, easy to read out)."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"SI-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def create_share_code(
    user: User, organisation: Organisation, commissioning_body: Organisation
) -> ShareCode:
    """A new code that lets ``commissioning_body``'s commissioners read the current version."""
    if not access.can_record(user, organisation):
        raise PermissionDenied("Only this organisation's administrators can share its information.")
    if not commissioning_body.is_commissioning_body:
        raise ValidationError({"commissioning_body": "Choose a commissioning body"})
    if current_version(organisation) is None:
        raise ValidationError("Record your core supplier information before you share it.")
    with transaction.atomic():
        share_code = ShareCode.objects.create(
            organisation=organisation,
            commissioning_body=commissioning_body,
            code=new_code(),
            created_by=user,
        )
        record(
            user,
            "supplier_information.share",
            organisation,
            {"share_code": share_code.code[:7], "with": str(commissioning_body)},
        )
    return share_code


def revoke_share_code(user: User, share_code: ShareCode) -> ShareCode:
    """Revoke ``share_code`` for good: it shows nothing from now on."""
    if not access.can_record(user, share_code.organisation):
        raise PermissionDenied("Only this organisation's administrators can revoke its codes.")
    with transaction.atomic():
        locked = ShareCode.objects.select_for_update().get(pk=share_code.pk)
        if locked.revoked_at is not None:
            raise ValidationError("This share code has already been revoked.")
        locked.revoked_at = timezone.now()
        locked.revoked_by = user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(
            user,
            "supplier_information.revoke_share_code",
            locked.organisation,
            {"share_code": locked.code[:7], "with": str(locked.commissioning_body)},
        )
    return locked


def share_codes_of(user: Visitor, organisation: Organisation) -> models.QuerySet[ShareCode]:
    if not access.can_read_own(user, organisation):
        raise PermissionDenied("Only this organisation's members can see its share codes.")
    return ShareCode.objects.filter(organisation=organisation).select_related(
        "commissioning_body", "created_by", "revoked_by"
    )


NOT_FOUND = (
    "No information was found for that share code. Check it was typed exactly, or ask the "
    "organisation for a new one."
)


def version_for_code(user: Visitor, code: str) -> SupplierInformationVersion:
    """The current version behind ``code`` for a commissioner of the body it was made out to.
    An unknown, revoked or someone else's code is refused with the same words (404-like), so a
    code reveals nothing about whether it exists."""
    if not access.may_look_up_codes(user):
        raise PermissionDenied("Only commissioners can look up a share code.")
    share_code = (
        ShareCode.objects.select_related("organisation").filter(code=code.strip().upper()).first()
    )
    if share_code is None or not access.can_use_share_code(user, share_code):
        raise ValidationError({"code": NOT_FOUND})
    version = current_version(share_code.organisation_id)
    if version is None:
        raise ValidationError({"code": NOT_FOUND})
    return version
