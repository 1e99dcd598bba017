"""Who may see and act on supply-chain returns (SUP-1; ADR 0007), on the building blocks of
:mod:`commissioning.permissions`.

* The prime's approved members see the drafts, add a note per line and submit.
* Each sub-contractor's approved members confirm or dispute their own line once submitted.
* A submitted return is public, each line with its state (confirmed, disputed, awaiting).
* Why a line is disputed is seen by the prime, that sub-contractor, the contract's
  commissioners and independent reviewers.
* A draft is seen by the prime and the contract's commissioners; to anyone else it does not
  exist (404).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commissioning.contracts.models import Contract
from commissioning.permissions import (
    Visitor,
    is_approved_member,
    is_commissioner_of,
    is_independent_reviewer,
    member_organisations,
)
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_returns.quarters import parse_quarter


def is_prime_member(user: Visitor, contract: Contract) -> bool:
    return is_approved_member(user, contract.prime_id)


def can_submit(user: Visitor, contract: Contract) -> bool:
    """Draft, annotate and submit the contract's returns."""
    return is_prime_member(user, contract)


def sees_drafts(user: Visitor, contract: Contract) -> bool:
    return is_prime_member(user, contract) or is_commissioner_of(
        user, contract.commissioning_body_id
    )


def can_answer(user: Visitor, line: ReturnLine) -> bool:
    """Confirm or dispute ``line``: only its own sub-contractor."""
    return is_approved_member(user, line.organisation_id)


def sees_dispute_reasons(user: Visitor, contract: Contract) -> bool:
    """Every line's dispute reason: the prime, the commissioners and independent reviewers."""
    return (
        is_prime_member(user, contract)
        or is_commissioner_of(user, contract.commissioning_body_id)
        or is_independent_reviewer(user)
    )


def sees_reason_of(user: Visitor, line: ReturnLine) -> bool:
    return sees_dispute_reasons(user, line.supply_return.contract) or can_answer(user, line)


def visible_returns(user: Visitor, contract: Contract) -> QuerySet[SupplyReturn]:
    """The returns of ``contract`` ``user`` may read, newest quarter first."""
    returns = SupplyReturn.objects.filter(contract=contract)
    if not sees_drafts(user, contract):
        returns = returns.filter(status=SupplyReturn.Status.SUBMITTED)
    return returns.order_by("-quarter_start")


def return_or_404(user: Visitor, contract: Contract, quarter_code: str) -> SupplyReturn:
    """The loader: the contract's return for ``quarter_code`` if ``user`` may read it."""
    try:
        start, _ = parse_quarter(quarter_code)
    except ValueError:
        raise Http404("No return for that quarter") from None
    found = visible_returns(user, contract).filter(quarter_start=start).first()
    if found is None:
        raise Http404("No return for that quarter")
    return found


def lines_to_answer(user: Visitor) -> QuerySet[ReturnLine]:
    """The submitted lines awaiting an answer from an organisation ``user`` is an approved member
    of (each one :func:`can_answer`), in one query, oldest quarter first: "Your contracts"
    lists them under their contracts."""
    return (
        ReturnLine.objects.filter(
            status=ReturnLine.Status.AWAITING,
            supply_return__status=SupplyReturn.Status.SUBMITTED,
            organisation__in=member_organisations(user).values("pk"),
        )
        .select_related("supply_return", "supply_return__contract")
        .order_by("supply_return__quarter_start", "pk")
    )
