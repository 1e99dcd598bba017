"""Who hears about a supply-chain survey (SUP-4): the members of each sub-contractor asked to
answer, when the independent reviewer opens the round. In-app, each also emailed after commit."""

from __future__ import annotations

from commissioning.notifications.services import notify
from commissioning.permissions import approved_members
from commissioning.supply_survey import access
from commissioning.supply_survey.models import SurveyRound

KIND = "supply_survey"


def opened(survey_round: SurveyRound) -> int:
    prime = survey_round.prime.name
    return notify(
        approved_members(access.eligible_organisations(survey_round).values("pk")),
        subject=f"Tell us how {prime} treats you: supply-chain survey {survey_round.year}",
        body=f"As a sub-contractor of {prime} in {survey_round.year}, your organisation is asked "
        "five short questions about how the prime contractor treats you. Your answers are not "
        "stored with your name, and results are published only if at least five "
        "sub-contractors answer.",
        url=survey_round.get_absolute_url(),
        kind=KIND,
    )
