"""Clarification questions through the web pages (PRO-4; PRO-3 automatic extension): the asker
is never shown publicly, only the body's commissioners answer, the question deadline and the
guaranteed response time follow the server's clock and England & Wales bank holidays, overdue
questions are flagged publicly, and a late answer moves the bid deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.clarifications.models import Question
from commissioning.notifications.models import Notification
from commissioning.procurement.models import DateChange, Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import ExerciseFactory, OrganisationFactory, UserFactory, member_of
from tests.procurement_factories import commissioner_of, interested_member, open_opportunity

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)  # Monday; questions close 22 March noon
ASKED = datetime(2027, 3, 15, 10, 0, tzinfo=LONDON)  # Monday; 5 working days → Monday 22 March


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def list_url(opportunity: Opportunity) -> str:
    return reverse("clarifications:list", args=[opportunity.reference])


def ask_url(opportunity: Opportunity) -> str:
    return reverse("clarifications:ask", args=[opportunity.reference])


def answer_url(question: Question) -> str:
    return reverse("clarifications:answer", args=[question.opportunity.reference, question.number])


def secret_asker() -> User:
    organisation = OrganisationFactory(name="Quietwater Recovery Trust")
    return member_of(
        organisation,
        username="asker-priya",
        email="priya.hiddenname@quietwater.example",
        first_name="Priya",
        last_name="Hiddenname",
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client, opportunity: Opportunity, text: str, **extra: Any) -> Any:
    return client.post(ask_url(opportunity), {"text": text, **extra})


IDENTIFYING = ("asker-priya", "Priya", "Hiddenname", "quietwater", "Quietwater Recovery Trust")


@time_machine.travel(ASKED, tick=False)
def test_a_provider_asks_and_the_public_never_sees_who_asked() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    asker = secret_asker()
    commissioner = commissioner_of(opportunity)

    response = ask(signed_in(asker), opportunity, "Will TUPE apply to sessional staff?")
    assert response.status_code == 302
    question = Question.objects.get(opportunity=opportunity)
    assert (question.number, question.asked_by, question.asker_organisation.name) == (
        1,
        asker,
        "Quietwater Recovery Trust",
    )
    assert str(question.due_on) == "2027-03-22"

    # Before the answer: the public sees that a question is awaiting, not its text.
    public = Client().get(list_url(opportunity)).content.decode()
    assert "Question 1" in public and "Monday 22 March 2027" in public
    assert "sessional staff" not in public

    signed_in(commissioner).post(
        answer_url(question),
        {
            "text": "Will TUPE apply to sessional staff?",
            "answer": "Yes, to six staff.",
            "publish": "yes",
        },
    )
    other_provider = member_of(OrganisationFactory())
    for client in (Client(), signed_in(other_provider)):
        html = client.get(list_url(opportunity)).content.decode()
        assert "Will TUPE apply to sessional staff?" in html
        assert "Yes, to six staff." in html
        for needle in IDENTIFYING:
            assert needle not in html, needle

    # Only the body's commissioners see who asked.
    html = signed_in(commissioner).get(list_url(opportunity)).content.decode()
    assert "Priya Hiddenname" in html and "Quietwater Recovery Trust" in html


@time_machine.travel(ASKED, tick=False)
def test_the_questions_page_names_the_contact_and_the_response_time() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED, response_working_days=7)
    html = Client().get(list_url(opportunity)).content.decode()
    assert "Sam Procurer" in html
    assert "7 working days" in html
    assert "bank holidays excluded" in html


@time_machine.travel(ASKED, tick=False)
def test_another_bodys_commissioner_and_providers_cannot_answer() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    ask(signed_in(secret_asker()), opportunity, "How are referrals made?")
    question = Question.objects.get()
    outsider = commissioner_of(Opportunity(exercise=ExerciseFactory()))
    provider = member_of(OrganisationFactory())
    for user in (outsider, provider):
        client = signed_in(user)
        assert client.get(answer_url(question)).status_code == 403
        data = {"text": "x", "answer": "Leaked"}
        assert client.post(answer_url(question), data).status_code == 403
        for name in ("edit", "close"):
            url = reverse(f"clarifications:{name}", args=[opportunity.reference, 1])
            assert client.get(url).status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.AWAITING and question.answer == ""
    # ...and another body's commissioner does not see who asked.
    html = signed_in(outsider).get(list_url(opportunity)).content.decode()
    assert "Quietwater" not in html and "How are referrals made?" not in html


@time_machine.travel(ASKED, tick=False)
def test_only_provider_members_can_ask_and_anonymous_people_sign_in_first() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    response = Client().get(ask_url(opportunity))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    commissioner = commissioner_of(opportunity)
    assert signed_in(commissioner).post(ask_url(opportunity), {"text": "x"}).status_code == 403
    unattached = UserFactory()
    assert signed_in(unattached).get(ask_url(opportunity)).status_code == 403
    assert not Question.objects.exists()


def test_a_question_after_the_question_deadline_is_refused_by_the_servers_clock() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    asker = secret_asker()
    deadline = opportunity.question_deadline
    assert deadline == london(2027, 3, 22, 12, 0)
    with time_machine.travel(london(2027, 3, 22, 11, 59), tick=False):
        assert ask(signed_in(asker), opportunity, "Just in time?").status_code == 302
    for moment in (deadline, london(2027, 3, 23, 9, 0)):
        with time_machine.travel(moment, tick=False):
            client = signed_in(asker)
            response = ask(client, opportunity, "Too late?")
            assert response.status_code == 200
            html = response.content.decode()
            assert "<title>Error: " in html
            assert "The deadline for questions was Monday 22 March 2027 at 12:00" in html
            # The page no longer offers the button.
            page = client.get(list_url(opportunity)).content.decode()
            assert "Ask a question</a>" not in page
    assert list(Question.objects.values_list("original_text", flat=True)) == ["Just in time?"]


def test_questions_are_refused_on_a_draft_or_closed_opportunity() -> None:
    with time_machine.travel(ASKED, tick=False):
        opportunity = open_opportunity(published_at=PUBLISHED)
        asker = secret_asker()
        Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.CLOSED)
        response = ask(signed_in(asker), opportunity, "Still open?")
        assert "only be asked while the opportunity is open" in response.content.decode()
        Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.DRAFT)
        assert signed_in(asker).get(ask_url(opportunity)).status_code == 404
        assert Client().get(list_url(opportunity)).status_code == 404
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("asked", "due", "label"),
    [
        # Thursday 24 December 2026: Christmas Day (Friday) and the Boxing Day substitute
        # (Monday 28 December, as 26 December is a Saturday) are skipped.
        (london(2026, 12, 24, 10, 0), "2026-12-31", "Thursday 31 December 2026"),
        (london(2026, 12, 23, 10, 0), "2026-12-30", "Wednesday 30 December 2026"),
        # After 17:00 on Christmas Eve it counts from Tuesday 29; New Year's Day is skipped.
        (london(2026, 12, 24, 17, 30), "2027-01-04", "Monday 4 January 2027"),
    ],
)
def test_the_due_date_skips_bank_holidays(asked: datetime, due: str, label: str) -> None:
    with time_machine.travel(asked, tick=False):
        opportunity = open_opportunity(
            published_at=london(2026, 12, 14, 9, 0), response_working_days=3
        )
        ask(signed_in(secret_asker()), opportunity, "When do you need the budget breakdown?")
        question = Question.objects.get()
        assert str(question.due_on) == due
        assert question.response_working_days == 3
        assert f'Answer due by <time datetime="{due}">{label}</time>' in (
            Client().get(list_url(opportunity)).content.decode()
        )


def test_an_unanswered_question_is_flagged_overdue_publicly_after_its_due_date() -> None:
    with time_machine.travel(ASKED, tick=False):
        opportunity = open_opportunity(published_at=PUBLISHED)
        ask(signed_in(secret_asker()), opportunity, "What is the referral volume?")
    flag = "Overdue: answer was due by Monday 22 March 2027"
    with time_machine.travel(london(2027, 3, 22, 23, 59), tick=False):
        html = Client().get(list_url(opportunity)).content.decode()
        assert flag not in html and "1 overdue" not in html
    with time_machine.travel(london(2027, 3, 23, 0, 1), tick=False):
        html = Client().get(list_url(opportunity)).content.decode()
        assert flag in html
        assert "1 overdue" in html


def test_a_late_answer_moves_the_bid_deadline_and_reaches_interest_holders(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with time_machine.travel(ASKED, tick=False):
        opportunity = open_opportunity(published_at=PUBLISHED)
        asker = secret_asker()
        holder = interested_member(opportunity)
        commissioner = commissioner_of(opportunity)
        ask(signed_in(asker), opportunity, "Can a consortium bid for both lots?")
    question = Question.objects.get()
    with (
        time_machine.travel(london(2027, 5, 5, 15, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = signed_in(commissioner).post(
            answer_url(question),
            {"text": "Can a consortium bid for both lots?", "answer": "Yes.", "publish": "yes"},
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answered_at == london(2027, 5, 5, 15, 0)

    change = DateChange.objects.get(opportunity=opportunity)
    assert change.automatic and change.field == "bid_deadline"
    assert change.new_value == london(2027, 5, 19, 12, 0)  # ten working days after 5 May
    opportunity.refresh_from_db()
    assert opportunity.bid_deadline == london(2027, 5, 19, 12, 0)
    detail = Client().get(opportunity.get_absolute_url()).content.decode()
    assert "published late on Wednesday 5 May 2027" in detail

    by_recipient: dict[str, list[str]] = {}
    for message in mail.outbox:
        for address in message.to:
            by_recipient.setdefault(address, []).append(message.subject)
    assert sorted(by_recipient[holder.email]) == sorted(
        [
            f"Question answered: {opportunity.reference} {opportunity.title}",
            f"Timeline changed: {opportunity.reference} {opportunity.title}",
        ]
    )
    assert by_recipient[asker.email] == [
        f"Question answered: {opportunity.reference} {opportunity.title}"
    ]
    body = next(m.body for m in mail.outbox if m.subject.startswith("Question answered"))
    assert "Can a consortium bid for both lots?" in body and "Yes." in body
    assert "Quietwater" not in body
    html = Client().get(list_url(opportunity)).content.decode()
    assert "Answered late" in html


@time_machine.travel(ASKED, tick=False)
def test_commissioners_anonymise_the_wording_and_keep_the_original_to_themselves() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    commissioner = commissioner_of(opportunity)
    original = "As Quietwater, the current provider in Northshire, can we keep our building?"
    ask(signed_in(secret_asker()), opportunity, original)
    question = Question.objects.get()
    client = signed_in(commissioner)
    page = client.get(answer_url(question)).content.decode()
    assert "Priya Hiddenname" in page and "Quietwater Recovery Trust" in page
    client.post(
        answer_url(question),
        {
            "text": "Can the current provider's building be kept?",
            "answer": "It is leased.",
            "publish": "yes",
        },
    )
    edit = reverse("clarifications:edit", args=[opportunity.reference, 1])
    client.post(edit, {"text": "Can the incumbent's building be kept?"})
    question.refresh_from_db()
    assert question.text == "Can the incumbent's building be kept?"
    assert question.original_text == original

    public = Client().get(list_url(opportunity)).content.decode()
    assert "Can the incumbent&#x27;s building be kept?" in public
    assert "Quietwater" not in public and "Northshire" not in public
    own = client.get(list_url(opportunity)).content.decode()
    assert "Original wording:" in own and "can we keep our building?" in own
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["clarification.ask", "clarification.answer", "clarification.edit"]
    for event in AuditEvent.objects.filter(action__startswith="clarification."):
        assert "Quietwater" not in event.target_label


@time_machine.travel(ASKED, tick=False)
def test_a_duplicate_is_closed_with_a_published_reason() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    commissioner = commissioner_of(opportunity)
    asker = signed_in(secret_asker())
    ask(asker, opportunity, "What is the budget per lot?")
    ask(asker, opportunity, "How much money is in each lot?")
    first = Question.objects.get(number=1)
    close = reverse("clarifications:close", args=[opportunity.reference, 2])
    client = signed_in(commissioner)
    response = client.post(close, {"outcome": "duplicate", "reason": "Asked already."})
    assert response.status_code == 200
    assert "Select the question this one duplicates" in response.content.decode()
    response = client.post(
        close, {"outcome": "duplicate", "duplicate_of": first.pk, "reason": "Asked already."}
    )
    assert response.status_code == 302
    second = Question.objects.get(number=2)
    assert (second.status, second.duplicate_of) == (Question.Status.DUPLICATE, first)
    html = Client().get(list_url(opportunity)).content.decode()
    assert "Duplicate of question 1" in html and "Asked already." in html
    assert "How much money is in each lot?" not in html
    assert AuditEvent.objects.filter(action="clarification.close").count() == 1
    # A closed question can no longer be answered.
    response = client.get(answer_url(second))
    assert response.status_code == 302


@time_machine.travel(ASKED, tick=False)
def test_new_questions_reach_the_bodys_commissioners_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    commissioner = commissioner_of(opportunity)
    holder = interested_member(opportunity)
    with django_capture_on_commit_callbacks(execute=True):
        ask(signed_in(secret_asker()), opportunity, "Is there a mobilisation period?")
    assert list(Notification.objects.values_list("user", flat=True)) == [commissioner.pk]
    assert [m.to for m in mail.outbox] == [[commissioner.email]]
    assert holder.pk not in Notification.objects.values_list("user", flat=True)


@time_machine.travel(ASKED, tick=False)
def test_the_list_is_newest_first_and_paginated(settings: Any) -> None:
    settings.PAGE_SIZE = 2
    opportunity = open_opportunity(published_at=PUBLISHED)
    client = signed_in(secret_asker())
    for n in range(3):
        with time_machine.travel(london(2027, 3, 15, 10, n), tick=False):
            ask(client, opportunity, f"Question text {n}")
    html = Client().get(list_url(opportunity)).content.decode()
    assert html.index('id="question-3"') < html.index('id="question-2"')
    assert 'id="question-1"' not in html
    page_two = Client().get(list_url(opportunity) + "?page=2").content.decode()
    assert 'id="question-1"' in page_two


@time_machine.travel(ASKED, tick=False)
def test_a_site_administrator_can_answer_but_is_not_shown_who_asked() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    ask(signed_in(secret_asker()), opportunity, "Is parking available?")
    admin = UserFactory(role=User.Role.ADMIN)
    client = signed_in(admin)
    page = client.get(answer_url(Question.objects.get())).content.decode()
    assert "Is parking available?" in page  # to answer it
    assert "Quietwater" not in page and "Hiddenname" not in page
    response = client.post(
        answer_url(Question.objects.get()),
        {"text": "Is parking available?", "answer": "No.", "publish": "yes"},
    )
    assert response.status_code == 302
    assert "Quietwater" not in client.get(list_url(opportunity)).content.decode()


def _answered_notices() -> list[str]:
    return list(
        Notification.objects.filter(kind="clarifications.answered").values_list("body", flat=True)
    )


@time_machine.travel(ASKED, tick=False)
def test_the_published_wording_is_written_checked_and_confirmed_before_anything_goes_out() -> None:
    """Issue 11 item 16 (PRO-4): the answer page does not offer the asked wording as the
    published one; a check page warns of every registered organisation or person the wording
    still names; nothing is published or sent until the commissioner confirms."""
    opportunity = open_opportunity(published_at=PUBLISHED)
    asker_org = OrganisationFactory(name="Durham Safe Housing Trust")
    asker = member_of(asker_org, first_name="Ada", last_name="Quillfeather")
    competitor = interested_member(opportunity, OrganisationFactory(name="Rival Futures CIC"))
    original = "Durham Safe Housing Trust asks: can we bid for lot 1 only?"
    ask(signed_in(asker), opportunity, original)
    question = Question.objects.get()
    client = signed_in(commissioner_of(opportunity))

    page = client.get(answer_url(question)).content.decode()
    assert original in page  # shown as asked, to the commissioner
    textarea = page.split('name="text"', 1)[1].split("</textarea>", 1)[0]
    assert "Durham" not in textarea and "lot 1 only" not in textarea  # not pre-filled
    # Nor is there a way round it: an unanswered question has no published wording to edit.
    edit = reverse("clarifications:edit", args=[opportunity.reference, 1])
    assert client.get(edit).status_code == 302

    # Published unchanged, it is stopped at the check page with a warning naming the asker.
    data = {"text": original, "answer": "Yes, each lot is bid for separately."}
    check = client.post(answer_url(question), data)
    assert check.status_code == 200
    page = check.content.decode()
    assert "Check before publishing the answer to question 1" in page
    assert "The question still names <q>Durham Safe Housing Trust</q>" in page
    question.refresh_from_db()
    assert question.status == Question.Status.AWAITING and _answered_notices() == []

    # Publishing without confirming the names is refused, and nothing goes out.
    refused = client.post(answer_url(question), {**data, "publish": "yes"})
    assert refused.status_code == 200
    assert "Confirm the names may be published" in refused.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.AWAITING and _answered_notices() == []

    # A person's registered name is caught too, and the competitor's organisation.
    named = {**data, "text": "Ada Quillfeather wants to know if Rival Futures CIC is bidding."}
    page = client.post(answer_url(question), named).content.decode()
    assert "<q>Ada Quillfeather</q>, <q>Rival Futures CIC</q>" in page

    # The commissioner rewrites it; the check page has no warning; confirming publishes it.
    rewritten = {**data, "text": "Can an organisation bid for lot 1 only?"}
    page = client.post(answer_url(question), rewritten).content.decode()
    assert "The question still names" not in page and "Publish answer" in page
    response = client.post(answer_url(question), {**rewritten, "publish": "yes"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.text == "Can an organisation bid for lot 1 only?"
    notices = Notification.objects.filter(kind="clarifications.answered", user=competitor)
    assert question.lot_id is None
    assert [n.body for n in notices] == [
        "Question 1:\nCan an organisation bid for lot 1 only?\n\n"
        "Answer:\nYes, each lot is bid for separately."
    ]
    assert not any("Durham" in body for body in _answered_notices())


@time_machine.travel(ASKED, tick=False)
def test_a_name_the_asker_chose_to_publish_goes_out_once_confirmed() -> None:
    """Issue 11 item 16 (PRO-4): confirmed names are published and the audit says so."""
    opportunity = open_opportunity(published_at=PUBLISHED)
    asker = member_of(OrganisationFactory(name="Durham Safe Housing Trust"))
    ask(signed_in(asker), opportunity, "Please name us: may Durham Safe Housing Trust lead?")
    question = Question.objects.get()
    client = signed_in(commissioner_of(opportunity))
    data = {
        "text": "May Durham Safe Housing Trust lead a consortium?",
        "answer": "Yes.",
        "publish": "yes",
        "names_confirmed": "on",
    }
    assert client.post(answer_url(question), data).status_code == 302
    question.refresh_from_db()
    assert question.text == "May Durham Safe Housing Trust lead a consortium?"
    audit = AuditEvent.objects.get(action="clarification.answer")
    assert audit.changes["names_confirmed"]["to"] == ["Durham Safe Housing Trust"]

    # Editing the published wording later is checked the same way.
    edit = reverse("clarifications:edit", args=[opportunity.reference, 1])
    refused = client.post(edit, {"text": "Does Durham Safe Housing Trust lead it?"})
    assert "Confirm the names may be published" in refused.content.decode()
    question.refresh_from_db()
    assert question.text == "May Durham Safe Housing Trust lead a consortium?"
