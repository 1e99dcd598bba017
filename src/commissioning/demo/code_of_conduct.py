"""A synthetic code-of-conduct rating for the demo (SUP-3; issue 15 "Done when"), labelled
synthetic: the demo's independent reviewer rates the prime of the local supply-chain contract
twice, the second rating superseding the first, so the contract page, the prime's profile and
the evaluators of its next bids show the rating in force and the section shows the history.
Recorded through the service, as the reviewer would; run after the demo users exist."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.contracts.models import Contract, ContractParty
from commissioning.delivery_checks import conduct_ratings
from commissioning.delivery_checks.code_of_conduct import Principle
from commissioning.delivery_checks.models import CodeOfConductRating, ConductLevel
from commissioning.demo.referrals import bid_candy_party

LABEL = "Synthetic demo rating: "
#: (level, reasons) per principle, first the earlier rating, then the one in force.
RATINGS: tuple[tuple[dict[Principle, tuple[str, str]], str], ...] = (
    (
        {
            Principle.DESIGN: (
                ConductLevel.MEETS,
                "local charities hold a fair share of the work.",
            ),
            Principle.COMMITMENT: (
                ConductLevel.DOES_NOT_MEET,
                "one named sub-contractor received no referrals for two quarters.",
            ),
            Principle.CONDUCT: (ConductLevel.PARTLY, "most invoices were paid within terms."),
            Principle.REVIEW: (ConductLevel.PARTLY, "disputes took more than a month to settle."),
        },
        "a fair design, but referrals did not follow the bid's promises.",
    ),
    (
        {
            Principle.DESIGN: (
                ConductLevel.MEETS,
                "local charities hold a fair share of the work.",
            ),
            Principle.COMMITMENT: (
                ConductLevel.PARTLY,
                "referrals to the quiet sub-contractor resumed, below what was promised.",
            ),
            Principle.CONDUCT: (ConductLevel.MEETS, "every invoice was paid within its terms."),
            Principle.REVIEW: (ConductLevel.MEETS, "disputes were settled within a month."),
        },
        "improving: the prime now pays promptly; referrals still lag the promises.",
    ),
)


def load_demo_conduct_ratings(*, today: date | None = None) -> int:
    """Replace the demo's ratings with two of the synthetic contract with the bid-candy case (the
    first with a supply chain if none has it); returns how many were recorded (none without the
    demo reviewer or such a contract)."""
    today = today or timezone.localdate()
    reviewer = User.objects.filter(role=User.Role.REVIEWER, is_active=True).order_by("pk").first()
    with_chain = list(
        Contract.objects.filter(is_synthetic=True, parties__role=ContractParty.Role.SUBCONTRACTOR)
        .order_by("reference")
        .distinct()
    )
    # The contract whose named sub-contractor went without referrals, as the ratings tell.
    contract = next((c for c in with_chain if bid_candy_party(c)), None) or next(
        iter(with_chain), None
    )
    if reviewer is None or contract is None:
        return 0
    with transaction.atomic():
        with replacing_synthetic_demo():
            CodeOfConductRating.objects.filter(contract__is_synthetic=True).delete()
        for days_ago, (levels, summary) in zip((180, 30), RATINGS, strict=True):
            conduct_ratings.record_rating(
                reviewer,
                contract,
                assessed_on=today - timedelta(days=days_ago),
                summary=LABEL + summary,
                judgements={
                    principle: conduct_ratings.PrincipleJudgement(
                        level=level, reasons=LABEL + reasons
                    )
                    for principle, (level, reasons) in levels.items()
                },
            )
    return len(RATINGS)
