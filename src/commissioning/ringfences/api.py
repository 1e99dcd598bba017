"""JSON API for ring-fenced budgets (CYC-5), mounted at /api/ring-fences.

Every ring-fence is public with its spend today; a commissioner earmarks money, charges an
invoice and counts a grant round through the same service as the forms, so the API refuses what
the forms refuse (400 ``{"detail", "errors"}``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.contracts.models import Contract
from commissioning.directory.models import Area, Organisation
from commissioning.grants.models import GrantRound
from commissioning.invoices.models import Invoice
from commissioning.permissions import signed_in_user
from commissioning.ringfences import services
from commissioning.ringfences.models import RingFence

router = Router(tags=["Ring-fenced budgets"])


class RecipientOut(Schema):
    organisation: str = Field(description="The organisation's slug.")
    name: str
    meets_purpose: bool
    committed: Decimal
    paid: Decimal


class RingFenceOut(Schema):
    id: int
    purpose: str
    purpose_label: str
    commissioning_body: str
    contract: str | None
    area: str | None
    amount: Decimal
    starts_on: date
    ends_on: date
    as_of: date
    expected_by_now: Decimal = Field(
        description="Amount × days elapsed ÷ days in the period (straight line)."
    )
    committed: Decimal
    committed_on_purpose: Decimal
    committed_off_purpose: Decimal
    paid: Decimal
    under_spent: bool = Field(
        description="Less committed with organisations meeting the purpose than expected."
    )
    off_purpose: bool
    recipients: list[RecipientOut]
    is_synthetic: bool
    url: str


class RingFenceListOut(Page):
    results: list[RingFenceOut]


class RingFenceIn(Schema):
    purpose: str = Field(description="women, bame, small_local or lived_experience.")
    amount: str = Field(description="In pounds, for example 25000 or 25000.50.")
    contract: str = Field("", description="A contract's reference (or give an area).")
    area: str = Field("", description="An area's slug, for an area's ring-fence.")
    commissioning_body: str = Field(
        "", description="The body's slug; for a contract's ring-fence, its commissioning body."
    )
    starts_on: date | None = None
    ends_on: date | None = None
    description: str = ""


class ChargeIn(Schema):
    invoice: int = Field(description="The invoice's id.")


class RoundIn(Schema):
    round: str = Field(description="The grant round's reference.")


def ring_fence_out(ring_fence: RingFence) -> dict[str, Any]:
    spent = services.spend(ring_fence)
    return {
        "id": ring_fence.pk,
        "purpose": ring_fence.purpose,
        "purpose_label": ring_fence.get_purpose_display(),
        "commissioning_body": ring_fence.commissioning_body.slug,
        "contract": ring_fence.contract.reference if ring_fence.contract else None,
        "area": ring_fence.area.slug if ring_fence.area else None,
        "amount": ring_fence.amount,
        "starts_on": ring_fence.starts_on,
        "ends_on": ring_fence.ends_on,
        "as_of": spent.as_of,
        "expected_by_now": spent.expected_by_now,
        "committed": spent.committed,
        "committed_on_purpose": spent.committed_on_purpose,
        "committed_off_purpose": spent.off_purpose,
        "paid": spent.paid,
        "under_spent": spent.is_under_spent,
        "off_purpose": spent.is_off_purpose,
        "recipients": [
            {
                "organisation": r.organisation.slug,
                "name": r.organisation.name,
                "meets_purpose": r.meets_purpose,
                "committed": r.committed,
                "paid": r.paid,
            }
            for r in spent.recipients
        ],
        "is_synthetic": ring_fence.is_synthetic,
        "url": ring_fence.get_absolute_url(),
    }


@router.get("", response={200: RingFenceListOut, 422: ErrorOut}, summary="Ring-fenced budgets")
def list_ring_fences(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    """Every ring-fence with its spend today, newest first."""
    page = page_of(services.published(), pages)
    page["results"] = [ring_fence_out(r) for r in page["results"]]
    return Status(200, page)


@router.get("/{ring_fence_id}", response={200: RingFenceOut, 404: ErrorOut}, summary="One")
def get_ring_fence(request: HttpRequest, ring_fence_id: int) -> Any:
    ring_fence = services.published().filter(pk=ring_fence_id).first()
    if ring_fence is None:
        return error(404, "No ring-fence with that id.")
    return Status(200, ring_fence_out(ring_fence))


@router.post(
    "",
    auth=django_auth,
    response={200: RingFenceOut, **WRITE_ERRORS},
    summary="Earmark money for a purpose",
)
def create(request: HttpRequest, payload: RingFenceIn) -> Any:
    contract = area = body = None
    if payload.contract:
        contract = Contract.objects.filter(reference=payload.contract).first()
        if contract is None:
            return error(400, "No such contract.", {"contract": ["Enter a contract's reference"]})
    if payload.area:
        area = Area.objects.filter(slug=payload.area).first()
        if area is None:
            return error(400, "No such area.", {"area": ["Enter an area's slug"]})
    if payload.commissioning_body:
        body = Organisation.objects.filter(
            slug=payload.commissioning_body, is_commissioning_body=True
        ).first()
        if body is None:
            message = "Enter a commissioning body's slug"
            return error(400, "No such body.", {"commissioning_body": [message]})
    ring_fence = services.create_ring_fence(
        signed_in_user(request),
        purpose=payload.purpose,
        amount=payload.amount,
        contract=contract,
        area=area,
        commissioning_body=body,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        description=payload.description,
    )
    return Status(200, ring_fence_out(ring_fence))


@router.post(
    "/{ring_fence_id}/invoices",
    auth=django_auth,
    response={200: RingFenceOut, **WRITE_ERRORS},
    summary="Charge an invoice to a ring-fence",
)
def charge(request: HttpRequest, ring_fence_id: int, payload: ChargeIn) -> Any:
    ring_fence = services.published().filter(pk=ring_fence_id).first()
    invoice = Invoice.objects.filter(pk=payload.invoice).first()
    if ring_fence is None or invoice is None:
        return error(404, "No such ring-fence or invoice.")
    services.charge_invoice(signed_in_user(request), ring_fence, invoice)
    return Status(200, ring_fence_out(ring_fence))


@router.post(
    "/{ring_fence_id}/grant-rounds",
    auth=django_auth,
    response={200: RingFenceOut, **WRITE_ERRORS},
    summary="Count a grant round's awards against a ring-fence",
)
def count_round(request: HttpRequest, ring_fence_id: int, payload: RoundIn) -> Any:
    ring_fence = services.published().filter(pk=ring_fence_id).first()
    grant_round = GrantRound.objects.filter(reference=payload.round).first()
    if ring_fence is None or grant_round is None:
        return error(404, "No such ring-fence or grant round.")
    services.count_round(signed_in_user(request), ring_fence, grant_round)
    return Status(200, ring_fence_out(ring_fence))
