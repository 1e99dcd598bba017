"""Synthetic supply-chain surveys for the demo (SUP-4), labelled synthetic.

For each synthetic prime whose demo contracts have sub-contractors: last year's survey,
published, answered by every one of them (the local supply chain's five, so its results are
shown: five answers is the least that is, ADR 0011), and this year's
survey, open, answered by all but the demo provider's charity, so that the demo provider can
answer it. The answers are recorded as a history that never ran on the platform: the respondent
and answer rows the services would write, and the round's state set by its lifecycle's
``seed``. Run after the demo contracts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.db import transaction
from django.utils import timezone

from commissioning.contracts.models import Contract, ContractParty
from commissioning.demo.users import demo_organisations
from commissioning.directory.models import Organisation
from commissioning.supply_survey import access, lifecycle
from commissioning.supply_survey.models import SurveyAnswer, SurveyRespondent, SurveyRound

COMMENT = (
    "Synthetic demo comment: the prime agreed a shorter monitoring form with us after the "
    "first quarter, and pays within 30 days."
)
#: The answers the demo's sub-contractors give, in turn (fair terms … would recommend).
ANSWERS = ((4, 4, 3, 3, 4), (3, 2, 4, 2, 3), (5, 4, 4, 3, 5), (4, 2, 3, 4, 4), (2, 3, 4, 2, 2))


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def _answered(survey_round: SurveyRound, organisations: list[Organisation], start: int) -> int:
    for n, organisation in enumerate(organisations):
        SurveyRespondent.objects.create(survey_round=survey_round, organisation=organisation)
        terms, payment, monitoring, risk, recommend = ANSWERS[(start + n) % len(ANSWERS)]
        SurveyAnswer.objects.create(
            survey_round=survey_round,
            fair_terms=terms,
            prompt_payment=payment,
            proportionate_monitoring=monitoring,
            fair_risk=risk,
            would_recommend=recommend,
            comments=COMMENT if n == 0 else "",
            may_quote=n == 0,
        )
    return len(organisations)


def load_demo_surveys(*, today: date | None = None) -> dict[str, int]:
    """Make the demo surveys, replacing earlier synthetic ones."""
    today = today or timezone.localdate()
    made = {"rounds": 0, "answers": 0}
    charity = demo_organisations()["charity"]
    with transaction.atomic():
        SurveyRound.objects.filter(is_synthetic=True).delete()
        primes = (
            Contract.objects.filter(
                is_synthetic=True, parties__role=ContractParty.Role.SUBCONTRACTOR
            )
            .values_list("prime", flat=True)
            .distinct()
        )
        for prime_id in sorted(set(primes)):
            for year in (today.year - 1, today.year):
                survey_round = SurveyRound(
                    prime_id=prime_id,
                    year=year,
                    opened_at=_moment(date(year, 11, 1) if year < today.year else today),
                    is_synthetic=True,
                )
                asked = list(access.eligible_organisations(survey_round))
                if not asked:
                    continue
                survey_round.save()
                if year < today.year:
                    made["answers"] += _answered(survey_round, asked, start=0)
                    lifecycle.seed(survey_round, SurveyRound.Status.PUBLISHED)
                    survey_round.closed_at = _moment(date(year, 12, 1))
                    survey_round.published_at = _moment(date(year, 12, 8))
                    survey_round.save()
                else:
                    others = [o for o in asked if o.pk != charity.pk]
                    made["answers"] += _answered(survey_round, others, start=1)
                made["rounds"] += 1
    return made
