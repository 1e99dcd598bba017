"""Clarification services and the opportunity-page section (PRO-4): rules enforced by the
services whatever the caller, and the context the opportunity page includes."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from commissioning.clarifications import services
from commissioning.clarifications.queries import clarifications_for, overdue_count
from commissioning.procurement.models import Opportunity
from commissioning_analytics.timelines.working_days import LONDON
from tests.factories import MembershipFactory, OrganisationFactory, member_of
from tests.procurement_factories import (
    DraftOpportunityFactory,
    ProcurementLotFactory,
    commissioner_of,
    open_opportunity,
)

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)
ASKED = datetime(2027, 3, 15, 10, 0, tzinfo=LONDON)


@time_machine.travel(ASKED, tick=False)
def test_questions_are_numbered_per_opportunity_and_may_name_a_lot() -> None:
    first = open_opportunity(published_at=PUBLISHED)
    second = open_opportunity(published_at=PUBLISHED)
    asker = member_of(OrganisationFactory())
    lot = first.lots.first()
    a = services.ask_question(asker, first, text="One?", lot=lot)
    b = services.ask_question(asker, first, text="Two?")
    c = services.ask_question(asker, second, text="Other?")
    assert [a.number, b.number, c.number] == [1, 2, 1]
    assert a.lot == lot and b.lot is None


@time_machine.travel(ASKED, tick=False)
def test_asking_checks_the_organisation_and_the_lot() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    one, two = OrganisationFactory(), OrganisationFactory()
    asker = member_of(one)
    MembershipFactory(user=asker, organisation=two)
    with pytest.raises(ValidationError) as info:
        services.ask_question(asker, opportunity, text="Which org?")
    assert "organisation" in info.value.message_dict
    other_lot = ProcurementLotFactory(opportunity=DraftOpportunityFactory())
    with pytest.raises(ValidationError) as info:
        services.ask_question(asker, opportunity, text="?", organisation=one, lot=other_lot)
    assert "lot" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.ask_question(asker, opportunity, text="   ", organisation=one)
    assert info.value.message_dict["text"] == ["Enter your question"]
    question = services.ask_question(asker, opportunity, text="Fine", organisation=two)
    assert question.asker_organisation == two


@time_machine.travel(ASKED, tick=False)
def test_a_commissioning_body_member_cannot_ask() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.ask_question(commissioner_of(opportunity), opportunity, text="Mine?")


@time_machine.travel(ASKED, tick=False)
def test_answers_and_closures_happen_once() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    commissioner = commissioner_of(opportunity)
    question = services.ask_question(member_of(OrganisationFactory()), opportunity, text="Q?")
    published = services.publish_answer(commissioner, question, answer="A.", text="Q?")
    assert published.date_changes == []  # on time: the deadline stands
    with pytest.raises(ValidationError):
        services.publish_answer(commissioner, question, answer="Again.", text="Q?")
    with pytest.raises(ValidationError):
        services.close_question(commissioner, question, outcome="withdrawn", reason="r")
    with pytest.raises(PermissionDenied):
        services.edit_published_text(member_of(OrganisationFactory()), question, text="Mine")


@time_machine.travel(ASKED, tick=False)
def test_a_withdrawn_question_is_not_counted_overdue() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    commissioner = commissioner_of(opportunity)
    asker = member_of(OrganisationFactory())
    kept = services.ask_question(asker, opportunity, text="Kept?")
    gone = services.ask_question(asker, opportunity, text="Gone?")
    services.close_question(commissioner, gone, outcome="withdrawn", reason="Asker withdrew it.")
    later = datetime(2027, 3, 30, 9, 0, tzinfo=LONDON)
    assert overdue_count(opportunity, later) == 1
    assert kept.due_on.isoformat() == "2027-03-22"


@time_machine.travel(ASKED, tick=False)
def test_the_opportunity_section_shows_published_answers_and_the_ask_button() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    commissioner = commissioner_of(opportunity)
    asker = member_of(OrganisationFactory(name="Hidden Harbour CIC"))
    question = services.ask_question(asker, opportunity, text="Is there a TUPE list?")
    services.publish_answer(
        commissioner, question, answer="Yes, in the annex.", text="Is there a TUPE list?"
    )
    services.ask_question(asker, opportunity, text="Unanswered one?")

    context = clarifications_for(asker, opportunity)
    section = context["clarifications"]
    assert section["can_ask"] is True
    assert (section["summary"].total, section["summary"].answered) == (2, 1)
    request = RequestFactory().get("/")
    request.user = asker
    html = render_to_string(
        "clarifications/opportunity_section.html", {**context, "user": asker}, request
    )
    assert 'id="questions"' in html
    assert "Is there a TUPE list?" in html and "Yes, in the annex." in html
    assert "Unanswered one?" not in html and "Hidden Harbour" not in html
    assert "See all 2 questions and answers" in html
    assert "Sam Procurer" in html


def test_the_section_on_a_draft_says_questions_open_on_publication() -> None:
    opportunity = DraftOpportunityFactory()
    context = clarifications_for(None, opportunity)
    assert context["clarifications"]["can_ask"] is False
    html = render_to_string("clarifications/opportunity_section.html", context)
    assert "Questions can be asked once the opportunity is published" in html
    assert Opportunity.objects.count() == 1
