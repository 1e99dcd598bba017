"""The annual supply-chain survey (SUP-4): the independent reviewer opens a round for a prime and
a year, each sub-contractor of the prime's contracts answers once, unattributably; published,
nothing is shown for fewer than five answers and the exact counts from five; comments are read
by the reviewer alone and quoted publicly only with permission."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from commissioning.audit.models import AuditEvent
from commissioning.supply_survey import services
from commissioning.supply_survey.models import SurveyAnswer, SurveyRespondent, SurveyRound
from tests.contract_factories import ContractFactory
from tests.factories import MembershipFactory, OrganisationFactory, client_for, member_of
from tests.supply_survey_factories import YEAR, Chain, chain
from tests.supply_survey_factories import ratings as _ratings

pytestmark = pytest.mark.django_db
PRAISE = "They paid every invoice within ten days"
COMPLAINT = "Monitoring forms took two days a month"


def _open(setting: Chain) -> SurveyRound:
    response = client_for(setting.reviewer).post(
        "/supply-survey/", {"prime": setting.prime.pk, "year": YEAR}
    )
    assert response.status_code == 302, response.content.decode()
    return SurveyRound.objects.get(prime=setting.prime, year=YEAR)


def _answer(setting: Chain, n: int, value: int, comments: str = "", quote: bool = False) -> None:
    data = {**_ratings(value), "comments": comments}
    if quote:
        data["may_quote"] = "on"
    response = client_for(setting.members[n]).post(f"{setting.round_url}answer/", data)
    assert response.status_code == 302, response.content.decode()


def _move(setting: Chain, move: str) -> None:
    response = client_for(setting.reviewer).post(f"{setting.round_url}status/", {"move": move})
    assert response.status_code == 302


def test_four_answers_show_nothing_once_published() -> None:
    setting = chain(subs=6)
    _open(setting)
    for n in range(4):
        _answer(setting, n, 5, comments=PRAISE, quote=True)
    _move(setting, "close")
    _move(setting, "publish")
    for user in (None, setting.prime_member, setting.reviewer, setting.members[0]):
        page = client_for(user).get(setting.round_url).content.decode()
        assert "Too few sub-contractors answered to show any results" in page
        assert 'id="results"' not in page
        assert "Strongly agree" not in page
    public = client_for(None).get(setting.round_url).content.decode()
    assert PRAISE not in public  # even with permission to quote: a group of four is too small


def test_five_answers_show_the_exact_counts_per_answer() -> None:
    setting = chain(subs=6)
    _open(setting)
    for n, value in enumerate((5, 4, 4, 2, 1)):
        _answer(setting, n, value)
    _move(setting, "close")
    assert client_for(None).get(setting.round_url).status_code == 404  # closed: not public yet
    _move(setting, "publish")
    page = client_for(None).get(setting.round_url).content.decode()
    assert "Too few" not in page
    assert "How many of the 5 sub-contractors who answered chose each answer" in page
    table = page.split('id="results"')[1].split("</table>")[0]
    rows = table.split("<tr")[2:]
    assert len(rows) == 5
    cells = [[cell.split(">", 1)[1].split("<")[0] for cell in row.split("<td")[1:]] for row in rows]
    # strongly disagree, disagree, neither, agree, strongly agree
    assert cells == [["1", "1", "0", "2", "1"]] * 5
    assert "We would recommend working with this prime contractor" in table
    summary = page.split('id="summary"')[1].split("</dl>")[0]
    assert "Sub-contractors asked" in summary and ">6<" in summary and ">5<" in summary


def test_comments_are_read_by_the_reviewer_alone_and_quoted_only_with_permission() -> None:
    setting = chain(subs=6)
    _open(setting)
    _answer(setting, 0, 4, comments=PRAISE, quote=True)
    _answer(setting, 1, 2, comments=COMPLAINT, quote=False)
    for n in range(2, 5):
        _answer(setting, n, 3)
    # While open, nobody reads comments, the reviewer included.
    assert PRAISE not in client_for(setting.reviewer).get(setting.round_url).content.decode()
    _move(setting, "close")
    reviewer = client_for(setting.reviewer).get(setting.round_url).content.decode()
    assert PRAISE in reviewer and COMPLAINT in reviewer
    for user in (setting.prime_member, setting.members[0], setting.members[1]):
        page = client_for(user).get(setting.round_url).content.decode()
        assert PRAISE not in page and COMPLAINT not in page
    _move(setting, "publish")
    for user in (None, setting.prime_member):
        page = client_for(user).get(setting.round_url).content.decode()
        assert PRAISE in page  # quoted with permission, without a name
        assert COMPLAINT not in page
    reviewer = client_for(setting.reviewer).get(setting.round_url).content.decode()
    assert COMPLAINT in reviewer


def test_an_organisation_answers_once_and_only_its_prime_s_subs_answer() -> None:
    setting = chain(subs=5)
    survey_round = _open(setting)
    _answer(setting, 0, 4)
    again = client_for(setting.members[0]).post(f"{setting.round_url}answer/", _ratings(1))
    assert again.status_code == 302  # nothing left to answer: back to the round
    with pytest.raises(ValidationError, match="has already answered this survey"):
        services.answer(setting.members[0], survey_round, setting.subs[0], _ratings(1))
    assert SurveyAnswer.objects.count() == 1
    assert SurveyRespondent.objects.count() == 1
    outsider = member_of(OrganisationFactory())
    assert client_for(outsider).get(f"{setting.round_url}answer/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.answer(outsider, survey_round, setting.subs[1], _ratings(1))
    with pytest.raises(PermissionDenied):
        services.answer(setting.prime_member, survey_round, setting.prime, _ratings(1))
    refused = client_for(setting.members[1]).post(
        f"{setting.round_url}answer/", {**_ratings(4), "fair_risk": ""}
    )
    assert "Choose how far you agree: the prime contractor shares risk with us fairly" in (
        refused.content.decode()
    )
    assert SurveyAnswer.objects.count() == 1
    _move(setting, "close")
    with pytest.raises(ValidationError, match="This survey is closed"):
        services.answer(setting.members[1], survey_round, setting.subs[1], _ratings(4))


def test_the_answer_table_cannot_be_linked_to_who_answered() -> None:
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), SurveyAnswer._meta.db_table
        )
    }
    assert columns == {
        "id",
        "survey_round_id",
        "fair_terms",
        "prompt_payment",
        "proportionate_monitoring",
        "fair_risk",
        "would_recommend",
        "comments",
        "may_quote",
    }
    setting = chain(subs=5)
    survey_round = _open(setting)
    for n in range(5):
        _answer(setting, n, 1 + n, comments=f"comment {n}")
    before = set(SurveyAnswer.objects.values_list("id", flat=True))
    respondent_ids = {str(pk) for pk in SurveyRespondent.objects.values_list("id", flat=True)}
    assert not {str(pk) for pk in before} & respondent_ids
    events = AuditEvent.objects.filter(action="supply_survey.answer")
    assert events.count() == 5
    for event in events:
        assert "comment" not in str(event.changes)
        assert not any(str(pk) in str(event.changes) for pk in before)
    _move(setting, "close")
    after = set(SurveyAnswer.objects.values_list("id", flat=True))
    assert len(after) == 5 and not before & after  # fresh random keys on closing
    assert sorted(SurveyAnswer.objects.values_list("fair_terms", flat=True)) == [1, 2, 3, 4, 5]
    survey_round.refresh_from_db()
    assert survey_round.status == "closed"


def test_only_the_reviewer_opens_closes_and_publishes() -> None:
    setting = chain(subs=5)
    denied = client_for(setting.prime_member).post(
        "/supply-survey/", {"prime": setting.prime.pk, "year": YEAR}
    )
    assert denied.status_code == 403
    survey_round = _open(setting)
    duplicate = client_for(setting.reviewer).post(
        "/supply-survey/", {"prime": setting.prime.pk, "year": YEAR}
    )
    assert "Northern Resettlement Ltd already has a survey for 2026" in duplicate.content.decode()
    lonely = OrganisationFactory(name="Prime without a chain")
    ContractFactory(prime=lonely)
    refused = client_for(setting.reviewer).post(
        "/supply-survey/", {"prime": lonely.pk, "year": YEAR}
    )
    assert "had no sub-contractors under its contracts in 2026" in refused.content.decode()
    with pytest.raises(PermissionDenied):
        services.move(setting.prime_member, survey_round, "close")
    assert client_for(None).get(setting.round_url).status_code == 404
    assert client_for(member_of(OrganisationFactory())).get(setting.round_url).status_code == 404
    assert client_for(setting.prime_member).get(setting.round_url).status_code == 200
    with pytest.raises(ValidationError, match="Close the survey before publishing its results"):
        services.move(setting.reviewer, survey_round, "publish")
    index = client_for(None).get("/supply-survey/").content.decode()
    assert "No results have been published yet." in index
    services.move(setting.reviewer, survey_round, "close")
    with pytest.raises(ValidationError, match="This survey is already closed"):
        services.move(setting.reviewer, survey_round, "close")
    services.move(setting.reviewer, survey_round, "publish")
    with pytest.raises(ValidationError, match="results are published: it can no longer change"):
        services.move(setting.reviewer, survey_round, "close")
    index = client_for(None).get("/supply-survey/").content.decode()
    assert "Northern Resettlement Ltd" in index


def test_sub_contractors_are_told_and_find_the_survey_and_the_prime_page_lists_the_years() -> None:
    from commissioning.notifications.models import Notification
    from commissioning.web.navigation import menu_items

    setting = chain(subs=5)
    _open(setting)
    told = set(Notification.objects.filter(kind="supply_survey").values_list("user", flat=True))
    assert told == {member.pk for member in setting.members}
    assert ("Supply-chain surveys", "/supply-survey/") in menu_items(setting.members[0])
    assert ("Supply-chain surveys", "/supply-survey/") in menu_items(setting.reviewer)
    index = client_for(setting.members[0]).get("/supply-survey/").content.decode()
    assert "Surveys for you to answer" in index
    assert f'href="{setting.round_url}answer/"' in index and "for Charity 0" in index
    for n in range(5):
        _answer(setting, n, 4 if n else 2)
    index = client_for(setting.members[0]).get("/supply-survey/").content.decode()
    assert "Surveys for you to answer" not in index
    _move(setting, "close")
    _move(setting, "publish")
    prime_page = client_for(None).get(f"/supply-survey/{setting.prime.slug}/").content.decode()
    assert "4 of 5 sub-contractors agree" in prime_page
    profile = client_for(None).get(setting.prime.get_absolute_url()).content.decode()
    assert f'href="/supply-survey/{setting.prime.slug}/"' in profile


def test_someone_in_two_sub_contractors_chooses_which_one_answers() -> None:
    setting = chain(subs=5)
    both = setting.members[0]
    MembershipFactory(user=both, organisation=setting.subs[1])
    _open(setting)
    url = f"{setting.round_url}answer/"
    refused = client_for(both).post(url, _ratings(4))
    assert "Choose the organisation you are answering for" in refused.content.decode()
    chosen = client_for(both).post(url, {**_ratings(4), "organisation": setting.subs[1].pk})
    assert chosen.status_code == 302
    assert list(SurveyRespondent.objects.values_list("organisation", flat=True)) == [
        setting.subs[1].pk
    ]
    page = client_for(both).get(url).content.decode()
    assert "Which organisation are you answering for?" not in page  # one left: no choice
    assert client_for(both).post(url, _ratings(2)).status_code == 302
    assert SurveyAnswer.objects.count() == 2
    assert services.to_answer(both) == []
