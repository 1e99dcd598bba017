"""A repeated submit of a commissioner's create form or API call creates one record (issue 11
item 25; CYC-1, CYC-2, CYC-3, PRO-1, EVA-1): exercises, consultations, market events, summary
themes, draft opportunities and criteria carry the form's submission key (or the API's
``Idempotency-Key``) under a unique constraint, as questions and messages do
(``test_repeated_submits``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.engagement.models import Consultation, MarketEvent, Question, SummaryTheme
from commissioning.exercises import services as exercise_services
from commissioning.exercises.forms import ExerciseForm
from commissioning.exercises.models import CommissioningExercise
from commissioning.kernel import pagecache
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning.procurement.models import Criterion, Lot, Opportunity, SpecSection
from tests.engagement_factories import ConsultationFactory, commissioner_of, open_consultation
from tests.factories import AreaFactory, ExerciseFactory, OrganisationFactory, member_of
from tests.integration.test_exercises_support import Market, market
from tests.integration.test_outcomes_web_helpers import resettlement_csv
from tests.integration.test_outcomes_web_upload import _post as _upload
from tests.integration.test_repeated_submits import KEY, hidden_key, post_json, racing
from tests.procurement_factories import DraftOpportunityFactory

pytestmark = pytest.mark.django_db
__all__ = ["market", "racing"]


def _exercise_form(market: Market) -> tuple[Any, str, dict[str, Any]]:
    client = market.client_for("commissioner")
    url = reverse("exercises:create")
    data = {**market.form_data(), "submission_key": hidden_key(client.get(url).text)}
    return client, url, data


# ---------------------------------------------------------------- exercises


def test_the_exercise_form_sent_twice_creates_one_exercise(market: Market) -> None:
    client, url, data = _exercise_form(market)

    first, again = client.post(url, data), client.post(url, data)

    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"]  # both land on the one exercise
    assert CommissioningExercise.objects.count() == 1
    fresh = {**data, "submission_key": hidden_key(client.get(url).text)}
    assert client.post(url, fresh).status_code == 302
    assert CommissioningExercise.objects.count() == 2  # a new form is a new exercise


def test_the_exercise_api_sent_twice_creates_one_exercise(market: Market) -> None:
    client = market.client_for("commissioner")

    first = post_json(client, "/api/exercises", market.form_data())
    again = post_json(client, "/api/exercises", market.form_data())

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["reference"] == first.json()["reference"]
    assert CommissioningExercise.objects.count() == 1
    bad = post_json(client, "/api/exercises", market.form_data(), key="not a key!")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["Idempotency-Key"]


def test_racing_exercise_creates_with_one_key_make_one(market: Market, racing: list[str]) -> None:
    user = market.users["commissioner"]
    form = ExerciseForm(market.form_data(), user=user)
    assert form.is_valid(), form.errors
    first = exercise_services.create_exercise(user, form.cleaned_data, submission_key=KEY)
    second = exercise_services.create_exercise(user, form.cleaned_data, submission_key=KEY)
    assert second.pk == first.pk
    assert CommissioningExercise.objects.count() == 1
    assert len(racing) == 1  # the unique constraint stopped the second


# ---------------------------------------------------------------- engagement


def _day(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


Form = tuple[Any, str, dict[str, str], type[Model]]  # exercise, url, data, model created


def _consultation_form() -> Form:
    exercise = ExerciseFactory()
    today = timezone.localdate()
    data = {
        "title": "Women's resettlement needs",
        "purpose": "What do women need on release?",
        **_day("opens_on", today),
        **_day("closes_on", today + timedelta(days=28)),
    }
    url = reverse("engagement:consultation-create", args=[exercise.reference])
    return exercise, url, data, Consultation


def _event_form() -> Form:
    exercise = ExerciseFactory()
    data = {
        "title": "Market place event: women's services",
        **_day("starts_on", timezone.localdate() + timedelta(days=10)),
        "start_time": "14:30",
        "is_online": "False",
        "location": "Civic Centre, Newcastle",
        "audience": "Local voluntary organisations working with women",
        "agenda": "The need; the draft lots; questions.",
    }
    return (
        exercise,
        reverse("engagement:event-create", args=[exercise.reference]),
        data,
        MarketEvent,
    )


def _consultation_question_form() -> Form:
    consultation = ConsultationFactory(published_at=None)
    data = {"text": "What support is missing?", "hint": "", "choices": ""}
    url = reverse("engagement:question-add", args=[consultation.pk])
    return consultation.exercise, url, data, Question


def _theme_form() -> Form:
    consultation = open_consultation()
    data = {
        "you_said": "Support must start at the gate.",
        "we_did": "Meet at the gate is in lot 1.",
    }
    url = reverse("engagement:summary", args=[consultation.pk])
    return consultation.exercise, url, data, SummaryTheme


def _sent_twice_creates_once(
    form: Form, client: Client, again: dict[str, str] | None = None
) -> None:
    """The form shown once and sent twice makes one record; shown again (and changed by
    ``again``), it makes another."""
    _, url, data, model = form
    before = model.objects.count()
    sent = {**data, "submission_key": hidden_key(client.get(url).text)}

    responses = [client.post(url, sent), client.post(url, sent)]

    assert [r.status_code for r in responses] == [302, 302], responses[0].content[:2000]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert model.objects.count() == before + 1
    fresh = {**data, **(again or {}), "submission_key": hidden_key(client.get(url).text)}
    assert client.post(url, fresh).status_code == 302
    assert model.objects.count() == before + 2  # a new form is a new record


@pytest.mark.parametrize(
    "make_form", [_consultation_form, _event_form, _consultation_question_form, _theme_form]
)
def test_a_commissioners_engagement_form_sent_twice_creates_once(
    make_form: Callable[[], Form],
) -> None:
    form = make_form()
    client = Client()
    client.force_login(commissioner_of(form[0]))
    _sent_twice_creates_once(form, client)


# ---------------------------------------------------------------- procurement


def _opportunity_form() -> Form:
    exercise = ExerciseFactory()
    data = {"title": "Housing support", "response_working_days": "5"}
    return exercise, reverse("procurement:create", args=[exercise.reference]), data, Opportunity


def _lot_form() -> Form:
    draft = DraftOpportunityFactory()
    data = {
        "number": "1",
        "title": "North",
        "areas": [AreaFactory().slug],
        "estimated_annual_value": "250000",
        "duration_months": "24",
        "turnover_multiple": "1.5",
    }
    return draft.exercise, reverse("procurement:lot-create", args=[draft.reference]), data, Lot


def _section_form() -> Form:
    draft = DraftOpportunityFactory()
    data = {"title": "Family contact", "required": "on", "must_have": "Weekly visits."}
    url = reverse("procurement:section-create", args=[draft.reference])
    return draft.exercise, url, data, SpecSection


def _criterion_form() -> Form:
    draft = DraftOpportunityFactory()
    data = {"name": "Quality of support", "kind": "quality", "weight": "30"}
    url = reverse("procurement:criterion-create", args=[draft.reference])
    return draft.exercise, url, data, Criterion


@pytest.mark.parametrize(
    ("make_form", "again"),
    [
        (_opportunity_form, {}),
        (_lot_form, {"number": "2"}),  # lot numbers are the lots' own natural key
        (_section_form, {}),
        (_criterion_form, {}),
    ],
)
def test_a_commissioners_procurement_form_sent_twice_creates_once(
    make_form: Callable[[], Form], again: dict[str, str]
) -> None:
    form = make_form()
    client = Client()
    client.force_login(commissioner_of(form[0]))
    _sent_twice_creates_once(form, client, again)


# ---------------------------------------------------------------- outcome studies


def test_a_cohort_uploaded_twice_is_stored_and_evaluated_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = Client()
    client.force_login(member_of(OrganisationFactory()))
    key = hidden_key(client.get(reverse("outcomes:upload")).text)

    with django_capture_on_commit_callbacks() as queued:
        responses = [_upload(client, resettlement_csv(), submission_key=key) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert OutcomeStudy.objects.count() == 1
    # one evaluation queued, not two (the cached public pages' new key is not a task)
    assert len([c for c in queued if c is not pagecache._bump_now]) == 1
