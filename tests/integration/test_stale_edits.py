"""No lost updates on every edit page (issue 13; PRO-1, PRO-2, PRO-3, PRO-4, PRO-5, EVA-1,
CYC-3): two commissioners open the same record's edit page, one saves, and the other's save —
made from the version before — is refused with 409, saying who changed what; the form keeps what
was typed and nothing is overwritten. The shared check is :mod:`tests.integration.stale_edits`."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from commissioning.clarifications.models import Question
from commissioning.engagement.models import Consultation, MarketEvent
from commissioning.procurement.models import Criterion, Lot, Opportunity, SpecSection
from commissioning_analytics.timelines.working_days import LONDON
from tests.engagement_factories import ConsultationFactory, MarketEventFactory
from tests.engagement_factories import commissioner_of as exercise_commissioner
from tests.factories import client_for
from tests.integration.stale_edits import assert_stale_edit_refused
from tests.integration.test_clarifications_web import ASKED, PUBLISHED, ask, secret_asker
from tests.procurement_factories import (
    CriterionFactory,
    DraftOpportunityFactory,
    ProcurementLotFactory,
    SpecSectionFactory,
    commissioner_of,
    open_opportunity,
)

pytestmark = pytest.mark.django_db


def _two_commissioners(opportunity: Opportunity) -> tuple[object, object]:
    return client_for(commissioner_of(opportunity)), client_for(commissioner_of(opportunity))


def test_opportunity_details() -> None:
    draft = DraftOpportunityFactory(title="Accommodation support")
    first, second = _two_commissioners(draft)
    page = assert_stale_edit_refused(
        reverse("procurement:edit", args=[draft.reference]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first={"title": "Housing support (first)"},
        typed_second={"title": "Housing support (second)"},
        saved=lambda: Opportunity.objects.get(pk=draft.pk).title,
        shows="Housing support (second)",
    )
    assert "Accommodation support" in page  # what it was, in the description of the change


def test_lot() -> None:
    lot = ProcurementLotFactory(title="North lot")
    first, second = _two_commissioners(lot.opportunity)
    assert_stale_edit_refused(
        reverse("procurement:lot-edit", args=[lot.opportunity.reference, lot.number]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first={"title": "North and coast lot"},
        typed_second={"title": "North and hills lot"},
        saved=lambda: Lot.objects.get(pk=lot.pk).title,
        shows="North and hills lot",
    )


def test_specification_section() -> None:
    section = SpecSectionFactory(title="Caseworkers")
    first, second = _two_commissioners(section.opportunity)
    assert_stale_edit_refused(
        reverse("procurement:section-edit", args=[section.opportunity.reference, section.key]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first={"must_have": "A caseworker within one day of release."},
        typed_second={"must_have": "A caseworker within three days of release."},
        saved=lambda: SpecSection.objects.get(pk=section.pk).must_have,
        shows="A caseworker within three days of release.",
    )


def test_evaluation_criterion() -> None:
    criterion = CriterionFactory(name="Quality of support")
    first, second = _two_commissioners(criterion.opportunity)
    assert_stale_edit_refused(
        reverse("procurement:criterion-edit", args=[criterion.opportunity.reference, criterion.pk]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first={"name": "Quality of casework"},
        typed_second={"name": "Quality of mentoring"},
        saved=lambda: Criterion.objects.get(pk=criterion.pk).name,
        shows="Quality of mentoring",
    )


@time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=LONDON), tick=False)
def test_draft_timeline() -> None:
    draft = DraftOpportunityFactory()
    first, second = _two_commissioners(draft)
    dates = {
        "question_deadline_0": "22",
        "question_deadline_1": "3",
        "question_deadline_2": "2027",
        "answers_by_0": "31",
        "answers_by_1": "3",
        "answers_by_2": "2027",
        "bid_deadline_1": "5",
        "bid_deadline_2": "2027",
    }
    assert_stale_edit_refused(
        reverse("procurement:timeline", args=[draft.reference]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first=dates | {"bid_deadline_0": "12", "deadline_time": "10:15"},
        typed_second=dates | {"bid_deadline_0": "10", "deadline_time": "14:30"},
        saved=lambda: Opportunity.objects.get(pk=draft.pk).bid_deadline,
        shows="bid deadline: (blank) → 2027-05-10T14:30",
    )
    stored = Opportunity.objects.get(pk=draft.pk).bid_deadline
    assert stored == datetime(2027, 5, 10, 14, 30, tzinfo=LONDON)


def test_draft_consultation() -> None:
    consultation = ConsultationFactory(published_at=None, title="Needs of women")
    first = client_for(exercise_commissioner(consultation.exercise))
    second = client_for(exercise_commissioner(consultation.exercise))
    assert_stale_edit_refused(
        reverse("engagement:consultation-edit", args=[consultation.pk]),
        first,
        second,
        typed_first={"title": "Needs of women on release"},
        typed_second={"title": "Needs of women after custody"},
        saved=lambda: Consultation.objects.get(pk=consultation.pk).title,
        shows="Needs of women after custody",
    )


def test_market_event() -> None:
    event = MarketEventFactory(title="Market place event")
    first = client_for(exercise_commissioner(event.exercise))
    second = client_for(exercise_commissioner(event.exercise))
    assert_stale_edit_refused(
        reverse("engagement:event-edit", args=[event.pk]),
        first,
        second,
        typed_first={"location": "Town Hall, Gateshead"},
        typed_second={"location": "Library, Sunderland"},
        saved=lambda: MarketEvent.objects.get(pk=event.pk).location,
        shows="Library, Sunderland",
    )


@time_machine.travel(ASKED, tick=False)
def test_published_wording_of_a_clarification_question() -> None:
    opportunity = open_opportunity(published_at=PUBLISHED)
    first, second = _two_commissioners(opportunity)
    ask(client_for(secret_asker()), opportunity, "Can Quietwater keep its building?")
    question = Question.objects.get()
    answer = reverse("clarifications:answer", args=[opportunity.reference, question.number])
    second.post(  # type: ignore[attr-defined]
        answer, {"text": "Can a building be kept?", "answer": "It is leased.", "publish": "yes"}
    )
    assert_stale_edit_refused(
        reverse("clarifications:edit", args=[opportunity.reference, question.number]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first={"text": "Can the current building be kept?"},
        typed_second={"text": "Can the incumbent's building be kept?"},
        saved=lambda: Question.objects.get(pk=question.pk).text,
        shows="Can the incumbent&#x27;s building be kept?",
    )


def test_price_method() -> None:
    draft = DraftOpportunityFactory()
    first, second = _two_commissioners(draft)
    assert_stale_edit_refused(
        reverse("procurement:price-method", args=[draft.reference]),
        first,  # type: ignore[arg-type]
        second,  # type: ignore[arg-type]
        typed_first={"price_method": "relative_to_lowest"},
        typed_second={"price_method": "price_per_quality_point"},
        saved=lambda: Opportunity.objects.get(pk=draft.pk).price_method,
        shows="price method",
    )
