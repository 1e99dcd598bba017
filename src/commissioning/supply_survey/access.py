"""Who may see and act on supply-chain surveys (SUP-4; ADR 0007), on the building blocks of
:mod:`commissioning.permissions`.

* The independent reviewer opens a round for a prime and a year, closes it and publishes it, and
  alone reads the free text, once the round is closed (never while answers still come in, so
  nothing can be told apart by when it appeared).
* An approved member of a sub-contractor of the prime's contracts running in that year answers
  once for that organisation while the round is open.
* A published round's results are public; the counts per answer are shown to anyone, reviewer
  included, only where at least :data:`MIN_RESPONDENTS` organisations answered, and free text only
  where its writers allowed it to be quoted (and, again, from five answers).
* An unpublished round is seen (its state and how many answered, never who) by the reviewer, the
  prime's members and those who may answer it; to anyone else it does not exist (404).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.permissions import (
    Visitor,
    is_approved_member,
    is_independent_reviewer,
    speaks_for,
)
from commissioning.supply_survey import lifecycle
from commissioning.supply_survey.models import SurveyRound

#: Below this many answers nothing of a round is shown: not its counts, not its quotes.
MIN_RESPONDENTS = 5


def can_manage(user: Visitor) -> bool:
    """Open, close and publish rounds: the independent reviewer."""
    return is_independent_reviewer(user)


def contracts_in_year(prime: Organisation, year: int) -> QuerySet[Contract]:
    """The prime's contracts whose term (up to the day any ended early) touches ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Contract.objects.filter(
        Q(prime=prime),
        Q(start_date__lte=end, end_date__gte=start),
        Q(ended_on__isnull=True) | Q(ended_on__gte=start),
    )


def eligible_organisations(survey_round: SurveyRound) -> QuerySet[Organisation]:
    """The sub-contractors of the round's prime in its year: those asked to answer."""
    contracts = contracts_in_year(survey_round.prime, survey_round.year)
    return (
        Organisation.objects.filter(
            contract_parties__contract__in=contracts,
            contract_parties__role=ContractParty.Role.SUBCONTRACTOR,
        )
        .exclude(pk=survey_round.prime_id)
        .distinct()
        .order_by("name", "pk")
    )


def answers_for(user: Visitor, survey_round: SurveyRound) -> list[Organisation]:
    """The organisations ``user`` may answer the round for (answered or not)."""
    eligible = set(eligible_organisations(survey_round).values_list("pk", flat=True))
    return [organisation for organisation in speaks_for(user) if organisation.pk in eligible]


def is_prime_member(user: Visitor, survey_round: SurveyRound) -> bool:
    return is_approved_member(user, survey_round.prime_id)


def sees_unpublished(user: Visitor, survey_round: SurveyRound) -> bool:
    return (
        can_manage(user)
        or is_prime_member(user, survey_round)
        or bool(answers_for(user, survey_round))
    )


def sees_free_text(user: Visitor, survey_round: SurveyRound) -> bool:
    """Every answer's free text: the independent reviewer, once the round is closed."""
    return can_manage(user) and not lifecycle.is_open(survey_round)


def shows_results(survey_round: SurveyRound, respondents: int) -> bool:
    """Whether the counts and the permitted quotes may be shown: published, from five answers."""
    return lifecycle.is_published(survey_round) and respondents >= MIN_RESPONDENTS


def visible_rounds(user: Visitor) -> QuerySet[SurveyRound]:
    """The rounds the index lists to ``user``: every round to the reviewer, else the published."""
    rounds = SurveyRound.objects.select_related("prime")
    if not can_manage(user):
        rounds = rounds.filter(status=SurveyRound.Status.PUBLISHED)
    return rounds.order_by("-year", "prime__name")


def prime_rounds(user: Visitor, prime: Organisation) -> list[SurveyRound]:
    """A prime's rounds ``user`` may read, newest year first."""
    rounds = SurveyRound.objects.filter(prime=prime).select_related("prime").order_by("-year")
    return [r for r in rounds if lifecycle.is_published(r) or sees_unpublished(user, r)]


def round_or_404(user: Visitor, prime_slug: str, year: int) -> SurveyRound:
    """The loader: the prime's round for ``year`` if ``user`` may read it."""
    found = (
        SurveyRound.objects.select_related("prime")
        .filter(prime__slug=prime_slug, year=year)
        .first()
    )
    if found is None or not (lifecycle.is_published(found) or sees_unpublished(user, found)):
        raise Http404("No survey of that prime for that year")
    return found
