"""JSON API: promised and received (SUP-2), need groups (PBR-3) and the code-of-conduct ratings
(SUP-3), all public.

* ``GET /api/contracts/{reference}/bid-candy``: each sub-contractor named in the winning bid,
  its promises, what it received each complete quarter and its flags, with the thresholds.
* ``GET /api/contracts/{reference}/need-groups``: acceptance, engagement and completion by need
  group (1 to 4 shown as "fewer than 5") and the creaming check.
* ``GET /api/contracts/{reference}/code-of-conduct-ratings``: the independent reviewer's rating
  of the prime in force, per principle with its reasons, and the earlier ones it superseded.

Money is a decimal string of pounds; referrals promised may be fractional (a part quarter).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from commissioning.api.errors import ErrorOut
from commissioning.contracts.models import Contract
from commissioning.delivery_checks import conduct_ratings, services
from commissioning.delivery_checks.models import CodeOfConductRating

router = Router(tags=["Contracts (Payment by Results)"])


class FlagOut(Schema):
    measure: str
    first_quarter: date
    window_start: date
    received: str
    promised: str
    threshold: str
    explanation: str


class QuarterOut(Schema):
    quarter: date
    label: str
    promised_referrals: str | None
    referrals: int
    promised_value: str | None
    paid: str
    referrals_flagged: bool
    money_flagged: bool


class SubcontractorOut(Schema):
    party: str
    name: str
    organisation: str | None
    promised_referrals_per_year: int | None
    promised_value_per_year: str | None
    flagged: bool
    flags: list[FlagOut]
    quarters: list[QuarterOut]


class ThresholdsOut(Schema):
    window_quarters: int
    referral_share: str
    value_share: str


class BidCandyOut(Schema):
    contract: str
    thresholds: ThresholdsOut
    subcontractors: list[SubcontractorOut]


class NeedGroupOut(Schema):
    need_group: str
    tariff: str | None
    referred: int | str
    accepted: int | str
    engaged: int | str
    completed: int | str


class NeedGroupsOut(Schema):
    contract: str
    groups: list[NeedGroupOut]
    checked: bool
    flagged: bool
    explanation: str
    tariff_explanation: str


def _contract(reference: str) -> Contract:
    contract = Contract.objects.filter(reference=reference).first()
    if contract is None:
        raise Http404("No contract with that reference.")
    return contract


def _text(value: Any) -> str | None:
    return None if value is None else f"{value:f}"


@router.get(
    "/{reference}/bid-candy",
    response={200: BidCandyOut, 404: ErrorOut},
    summary="What each named sub-contractor was promised against what it received",
)
def bid_candy(request: HttpRequest, reference: str) -> Any:
    """Public: each sub-contractor's promises, what it received each complete quarter, and its
    flags (the first window under each threshold)."""
    contract = _contract(reference)
    policy = services.thresholds()
    return Status(
        200,
        {
            "contract": contract.reference,
            "thresholds": {
                "window_quarters": policy.window_quarters,
                "referral_share": f"{policy.referral_share:f}",
                "value_share": f"{policy.value_share:f}",
            },
            "subcontractors": [_promise_out(p) for p in services.promises_kept(contract)],
        },
    )


def _promise_out(promise: services.SubcontractorPromise) -> dict[str, Any]:
    party = promise.party
    return {
        "party": party.party_id,
        "name": promise.name,
        "organisation": party.organisation.slug if party.organisation else None,
        "promised_referrals_per_year": party.promised_referrals_per_year,
        "promised_value_per_year": _text(party.promised_value_per_year),
        "flagged": bool(promise.flags),
        "flags": [
            {
                "measure": f.measure,
                "first_quarter": f.quarter,
                "window_start": f.window_start,
                "received": _text(f.received),
                "promised": _text(f.promised),
                "threshold": _text(f.threshold),
                "explanation": f.explanation,
            }
            for f in promise.flags
        ],
        "quarters": [
            {
                "quarter": q.line.start,
                "label": q.label,
                "promised_referrals": _text(q.line.promised_referrals),
                "referrals": q.line.referrals,
                "promised_value": _text(q.line.promised_value),
                "paid": _text(q.line.paid),
                "referrals_flagged": q.line.referrals_flagged,
                "money_flagged": q.line.value_flagged,
            }
            for q in promise.quarters
        ],
    }


@router.get(
    "/{reference}/need-groups",
    response={200: NeedGroupsOut, 404: ErrorOut},
    summary="Acceptance, engagement and completion by need group",
)
def need_groups(request: HttpRequest, reference: str) -> Any:
    """Public: counts by need group (1 to 4 shown as "fewer than 5") and the creaming check."""
    contract = _contract(reference)
    section = services.by_need_group(contract)
    return Status(
        200,
        {
            "contract": contract.reference,
            "groups": [
                {
                    "need_group": r.need_group,
                    "tariff": _text(r.tariff),
                    "referred": r.referred,
                    "accepted": r.accepted,
                    "engaged": r.engaged,
                    "completed": r.completed,
                }
                for r in section.rows
            ],
            "checked": section.checked,
            "flagged": section.flagged,
            "explanation": section.explanation,
            "tariff_explanation": section.tariff_explanation,
        },
    )


class PrincipleRatingOut(Schema):
    principle: str
    level: str
    level_label: str
    reasons: str


class ConductRatingOut(Schema):
    assessed_on: date
    summary: str
    principles: list[PrincipleRatingOut]


class ConductRatingsOut(Schema):
    contract: str
    prime: str
    in_force: ConductRatingOut | None
    superseded: list[ConductRatingOut]


def _rating_out(rating: CodeOfConductRating) -> dict[str, Any]:
    return {
        "assessed_on": rating.assessed_on,
        "summary": rating.summary,
        "principles": [
            {
                "principle": p.principle,
                "level": p.level,
                "level_label": p.get_level_display(),
                "reasons": p.reasons,
            }
            for p in rating.principles.all()
        ],
    }


@router.get(
    "/{reference}/code-of-conduct-ratings",
    response={200: ConductRatingsOut, 404: ErrorOut},
    summary="The independent reviewer's code-of-conduct ratings of the contract's prime",
)
def code_of_conduct_ratings(request: HttpRequest, reference: str) -> Any:
    """Public (SUP-3): the rating in force, per principle with the reasons, and the earlier
    ratings it superseded, newest first. The evidence behind them is not public."""
    contract = _contract(reference)
    ratings = conduct_ratings.history(contract)
    return Status(
        200,
        {
            "contract": contract.reference,
            "prime": contract.prime.slug,
            "in_force": _rating_out(ratings[0]) if ratings else None,
            "superseded": [_rating_out(r) for r in ratings[1:]],
        },
    )
