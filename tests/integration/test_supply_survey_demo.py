"""The demo's supply-chain surveys (SUP-4), labelled synthetic: last year's published with the
five answers of the local supply chain, so its results are shown (issue 15 item 4), this year's
open for the demo provider's charity to answer."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from commissioning.demo.contracts import load_demo_contracts
from commissioning.demo.services import load_market
from commissioning.demo.supply_survey import COMMENT, load_demo_surveys
from commissioning.demo.users import demo_organisations
from commissioning.supply_survey import services
from commissioning.supply_survey.models import SurveyAnswer, SurveyRound
from commissioning_analytics.market.synthetic import generate_market
from tests.factories import client_for, member_of

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


def test_the_demo_has_a_published_survey_with_five_answers_shown_and_an_open_one() -> None:
    load_market(generate_market(2026, 0.05), replace=False)
    load_demo_contracts(seed=2026)
    made = load_demo_surveys(today=TODAY)
    assert made == {"rounds": 2, "answers": 9}  # 5 last year, 4 of 5 this year
    assert not SurveyRound.objects.filter(is_synthetic=False).exists()
    published = SurveyRound.objects.get(year=2025)
    assert published.status == "published"
    assert SurveyAnswer.objects.filter(survey_round=published).count() == 5
    results = services.results(AnonymousUser(), published)
    assert results.shown and results.respondents == 5
    # ANSWERS' fair terms 4, 3, 5, 4, 2: strongly disagree … strongly agree.
    assert results.questions[0].counts == (0, 1, 1, 2, 1)
    page = client_for(None).get(published.get_absolute_url()).content.decode()
    assert "synthetic demo data" in page
    assert "Too few sub-contractors answered to show any results" not in page
    assert COMMENT in page  # quoted with permission
    current = SurveyRound.objects.get(year=2026)
    assert current.status == "open"
    charity = demo_organisations()["charity"]
    assert not services.has_answered(current, charity)
    assert services.to_answer(member_of(charity)) == [(current, charity)]
    assert load_demo_surveys(today=TODAY) == made  # replaces, same again
