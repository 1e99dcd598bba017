"""Notices about mediation requests (SUP-3), in-app and by email after commit. They never carry
what happened or the outcome sought (an email leaves the platform): only the reference, the
step, and a link."""

from __future__ import annotations

from commissioning.mediation import access
from commissioning.mediation.models import MediationRequest
from commissioning.notifications.services import notify


def requested(request: MediationRequest) -> int:
    """Tell the prime (and the sub-contractor's own members) that mediation has been asked for,
    and the independent reviewers that a request waits for them."""
    told = notify(
        access.parties_members(request),
        subject=f"{request.subcontractor.name} has asked for mediation ({request.reference})",
        body=f"{request.subcontractor.name} has asked for mediation with {request.prime.name} "
        f"under {request.contract.reference} about "
        f"{request.get_category_display().lower()}. An independent reviewer will decide "
        "whether to take it on.",
        url=request.get_absolute_url(),
        kind="mediation.requested",
    )
    return told + notify(
        access.reviewers(),
        subject=f"Mediation request {request.reference} waits for a decision",
        body=f"{request.subcontractor.name} has asked for mediation with {request.prime.name}. "
        "Open it to accept it with a named mediator or decline it.",
        url=request.get_absolute_url(),
        kind="mediation.requested",
    )


_STEPS = {
    MediationRequest.Status.ACCEPTED: "has been accepted for mediation",
    MediationRequest.Status.DECLINED: "has been declined by the independent reviewer",
    MediationRequest.Status.WITHDRAWN: "has been withdrawn by the sub-contractor",
    MediationRequest.Status.RESOLVED: "has been resolved",
    MediationRequest.Status.NOT_RESOLVED: "has ended without a resolution",
}


def moved(request: MediationRequest) -> int:
    """Tell both parties' members about a step in the request."""
    step = _STEPS[MediationRequest.Status(request.status)]
    return notify(
        access.parties_members(request),
        subject=f"Mediation request {request.reference} {step}",
        body=f"The mediation request between {request.subcontractor.name} and "
        f"{request.prime.name} under {request.contract.reference} {step}. Open it to read more.",
        url=request.get_absolute_url(),
        kind=f"mediation.{request.status}",
    )
