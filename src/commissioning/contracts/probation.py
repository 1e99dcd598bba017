"""Which probation bodies serve a contract (REF-1, REF-2): the people who supervise those the
contract serves, so they refer under it and answer the escalations its providers raise.

A probation body is a public body of the prison and probation kind. It serves a contract when its
areas include one of the contract's lot's areas or the probation region such an area lies in;
and a probation body that let the contract itself (HM Prison and Probation Service commissioning
directly) serves it too. A police and crime commissioner never does, whoever let the contract.

Both directions live here, so that "the bodies serving this contract" and "the contracts this
body serves" cannot disagree; referrals and escalations decide who may act on these.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from commissioning.contracts.models import Contract
from commissioning.directory.models import Area, Organisation

PROBATION = Organisation.PublicBodyKind.PRISON_PROBATION


def is_probation_body(organisation: Organisation) -> bool:
    return organisation.public_body_kind == PROBATION


def probation_bodies_serving(contract: Contract) -> QuerySet[Organisation]:
    """The probation bodies serving ``contract``."""
    lot_areas = Area.objects.filter(lots=contract.lot_id)
    area_ids = set(lot_areas.values_list("pk", flat=True)) | set(
        lot_areas.exclude(parent=None).values_list("parent_id", flat=True)
    )
    return Organisation.objects.filter(
        Q(areas__in=area_ids) | Q(pk=contract.commissioning_body_id), public_body_kind=PROBATION
    ).distinct()


def serving_body(contract: Contract) -> Organisation | None:
    """The one probation body to name as the contract's (the first by name where several
    serve it), for pages that say who answers."""
    return probation_bodies_serving(contract).order_by("name", "pk").first()


def contracts_served_by(body: Organisation) -> QuerySet[Contract]:
    """The contracts ``body`` serves (none unless it is a probation body)."""
    if not is_probation_body(body):
        return Contract.objects.none()
    areas = body.areas.values("pk")
    return Contract.objects.filter(
        Q(lot__areas__in=areas) | Q(lot__areas__parent__in=areas) | Q(commissioning_body=body)
    ).distinct()
