"""A repeated submit of a commissioner's create form or API call creates one record (issue 11
item 25; CYC-1, CYC-2, CYC-3, PRO-1, EVA-1): exercises, consultations, market events, summary
themes, draft opportunities and criteria carry the form's submission key (or the API's
``Idempotency-Key``) under a unique constraint, as questions and messages do
(``test_repeated_submits``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from commissioning.exercises import services as exercise_services
from commissioning.exercises.forms import ExerciseForm
from commissioning.exercises.models import CommissioningExercise
from tests.integration.test_exercises_support import Market, market
from tests.integration.test_repeated_submits import KEY, hidden_key, post_json, racing

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
