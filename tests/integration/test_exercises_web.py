"""Exercise web pages (CYC-1, CYC-4): public list and detail, create, edit and stage change, with
errors shown next to the field and nothing half-saved."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.web.navigation import reset_synthetic_cache
from tests.factories import AreaFactory, CommissioningBodyFactory
from tests.integration.test_exercises_support import Market, market

pytestmark = pytest.mark.django_db
__all__ = ["market"]

LONDON = ZoneInfo("Europe/London")
LIST = reverse("exercises:list")
CREATE = reverse("exercises:create")


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _field_error(response: Any, field_id: str) -> str:
    """The GOV.UK error message shown next to a field (empty when there is none)."""
    match = re.search(
        # Radios and checkboxes answer to their first option's id (web.forms.FirstOptionBoundField).
        rf'id="{re.escape(field_id)}(?:_1)?_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</(?:p|span)>',
        response.content.decode(),
        re.S,
    )
    return "Error: " + re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


def _title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match
    return re.sub(r"\s+", " ", match.group(1)).strip()


# ---------------------------------------------------------------- the public list


def test_the_list_is_public_and_shows_what_is_commissioned(market: Market) -> None:
    reset_synthetic_cache()
    exercise = market.exercise(title="Women's centre services", is_synthetic=True)
    response = Client().get(LIST)
    assert response.status_code == 200
    text = _text(response)
    for shown in (
        exercise.reference,
        "Women&#x27;s centre services",
        "Local",
        "PCC for Avon and Somerset",
        "Accommodation",
        "Avon and Somerset",
    ):
        assert shown in text
    assert re.search(r'class="govuk-tag govuk-tag--light-blue">\s*Assess need', text)
    assert '<strong class="govuk-tag govuk-tag--orange">Synthetic</strong>' in text
    assert "Create an exercise" not in text


def test_commissioners_see_the_create_button(market: Market) -> None:
    assert "Create an exercise" in _text(market.client_for("commissioner").get(LIST))
    assert "Create an exercise" not in _text(market.client_for("evaluator").get(LIST))


@pytest.mark.parametrize("filter_name", ["tier", "stage", "area", "body", "q"])
def test_each_filter_narrows_the_list(market: Market, filter_name: str) -> None:
    wanted = market.exercise(title="Employment support", stage="plan")
    other_body = CommissioningBodyFactory(commissioning_tier="national", name="HMPPS")
    market.exercise(
        title="Mentoring",
        tier="national",
        commissioning_body=other_body,
        areas=[market.other_area],
    )
    value = {
        "tier": "local",
        "stage": "plan",
        "area": market.area.slug,
        "body": market.body.slug,
        "q": "employment",
    }[filter_name]
    response = Client().get(LIST, {filter_name: value})
    assert response.status_code == 200
    assert [e.reference for e in response.context["page_obj"]] == [wanted.reference]
    assert "1 exercise match your filters" in _text(response)


def test_search_matches_reference_and_summary(market: Market) -> None:
    wanted = market.exercise(summary="Peer mentors with lived experience")
    market.exercise()
    for q in (wanted.reference.lower(), "LIVED EXPERIENCE"):
        response = Client().get(LIST, {"q": q})
        assert [e.reference for e in response.context["page_obj"]] == [wanted.reference]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"tier": "galactic"}, "tier", "Select a tier from the list"),
        ({"stage": "finished"}, "stage", "Select a stage from the list"),
        ({"area": "atlantis"}, "area", "Select an area from the list"),
        ({"body": "nobody"}, "body", "Select a commissioning body from the list"),
        ({"q": "x" * 201}, "q", "Search must be 200 characters or fewer"),
    ],
)
def test_invalid_filters_are_reported_next_to_the_field(
    market: Market, params: dict[str, str], field: str, message: str
) -> None:
    market.exercise()
    national_body = CommissioningBodyFactory(commissioning_tier="national")
    market.exercise(tier="national", commissioning_body=national_body)
    response = Client().get(LIST, {"tier": "local", **params})
    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    assert "govuk-error-summary" in response.content.decode()
    assert _field_error(response, f"id_{field}") == f"Error: {message}"
    # The invalid filter is left out; the valid ones still apply.
    assert len(response.context["page_obj"]) == (2 if field == "tier" else 1)


def test_the_list_is_paginated_with_filters_kept(market: Market, settings: Any) -> None:
    settings.PAGE_SIZE = 5
    for _ in range(12):
        market.exercise()
    response = Client().get(LIST, {"tier": "local", "page": 3})
    assert response.context["page_obj"].number == 3
    assert len(response.context["page_obj"]) == 2
    assert "tier=local&amp;page=2" in response.content.decode()


def test_list_queries_do_not_grow_with_the_number_of_exercises(
    market: Market, django_assert_max_num_queries: Any
) -> None:
    client = market.client_for("commissioner")
    for _ in range(3):
        market.exercise(areas=[market.area, market.other_area])
    client.get(LIST)  # warm caches (session, synthetic-data banner)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(20):
        market.exercise(areas=[market.area, market.other_area])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 23


# ---------------------------------------------------------------- the public detail page


def test_the_detail_page_is_public(market: Market) -> None:
    exercise = market.exercise(
        partners=[market.partner], estimated_annual_value=Decimal("1250000.50"), stage="procure"
    )
    response = Client().get(exercise.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    assert f'href="{reverse("directory:organisation", args=[market.body.slug])}"' in html
    assert f'href="{reverse("directory:organisation", args=[market.partner.slug])}"' in html
    assert "£1,250,000.50" in text
    assert "Support into settled accommodation on release." in text
    # The whole cycle, with the current stage marked.
    steps = re.findall(
        r'<li class="govuk-task-list__item"( aria-current="step")?>.*?</li>', html, re.S
    )
    assert [bool(current) for current in steps] == [False, False, True, False, False]
    assert text.count(">Done<") == 2
    assert text.count(">Upcoming<") == 2
    assert reverse("exercises:edit", args=[exercise.reference]) not in html
    assert reverse("exercises:stage", args=[exercise.reference]) not in html


def test_an_unknown_reference_is_404(market: Market) -> None:
    assert Client().get(reverse("exercises:detail", args=["CX-1999-0001"])).status_code == 404


def test_editors_see_edit_and_the_stage_form(market: Market) -> None:
    exercise = market.exercise(stage="plan")
    response = market.client_for("commissioner").get(exercise.get_absolute_url())
    html = response.content.decode()
    assert f'href="{reverse("exercises:edit", args=[exercise.reference])}"' in html
    assert f'action="{reverse("exercises:stage", args=[exercise.reference])}"' in html
    radios = re.findall(r'name="stage"[^>]*value="([a-z_]+)"', html, re.S)
    assert radios == ["assess_need", "procure"]


def test_the_stage_history_table_is_dated_in_order(market: Market) -> None:
    client = market.client_for("commissioner")
    with time_machine.travel(datetime(2025, 1, 10, 9, 0, tzinfo=LONDON), tick=False) as clock:
        exercise = market.exercise()
        clock.move_to(datetime(2025, 2, 3, 14, 30, tzinfo=LONDON))
        client.post(reverse("exercises:stage", args=[exercise.reference]), {"stage": "plan"})
        clock.move_to(datetime(2025, 3, 20, 16, 0, tzinfo=LONDON))
        client.post(
            reverse("exercises:stage", args=[exercise.reference]),
            {"stage": "assess_need", "reason": "Needs assessment reopened"},
        )
    response = Client().get(exercise.get_absolute_url())
    body = response.content.decode().split("<tbody")[1]
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", row))
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]
    cells = [[c.strip() for c in row.split("|") if c.strip()] for row in rows]
    assert cells == [
        ["10 January 2025", "New exercise", "Assess need", "Not recorded"],
        ["3 February 2025", "Assess need", "Plan", "Commissioner, PCC for Avon and Somerset"],
        [
            "20 March 2025",
            "Plan",
            "Assess need",
            "Commissioner, PCC for Avon and Somerset",
            "Needs assessment reopened",
        ],
    ]
    assert "Cara" not in body


# ---------------------------------------------------------------- creating


@time_machine.travel(datetime(2025, 7, 1, 12, 0, tzinfo=LONDON), tick=False)
def test_a_commissioner_creates_an_exercise(market: Market) -> None:
    client = market.client_for("commissioner")
    page = client.get(CREATE)
    assert page.status_code == 200
    # Only the commissioner's own body is offered, already selected.
    bodies = re.search(
        r'<select name="commissioning_body".*?</select>', page.content.decode(), re.S
    )
    assert bodies is not None
    options = re.findall(r'<option value="([^"]*)"', bodies.group(0))
    assert market.body.slug in options
    assert market.other_body.slug not in options

    response = client.post(CREATE, market.form_data())

    exercise = CommissioningExercise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == exercise.get_absolute_url()
    assert exercise.reference == "CX-2025-0001"
    assert exercise.commissioning_body == market.body
    assert list(exercise.partners.all()) == [market.partner]
    assert exercise.stage_changes.get().to_stage == "assess_need"
    assert AuditEvent.objects.filter(action="create", target_id=str(exercise.pk)).exists()
    detail = client.get(response["Location"])
    assert "Exercise CX-2025-0001 created" in _text(detail)


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": ""}, "id_title", "Enter a title"),
        ({"title": "x" * 201}, "id_title", "Title must be 200 characters or fewer"),
        (
            {"tier": "national"},
            "id_tier",
            "PCC for Avon and Somerset commissions at the local tier: select “Local”",
        ),
        ({"tier": "cosmic"}, "id_tier", "Select national, sub-national or local"),
        (
            {"partners": ["BODY"]},
            "id_partners",
            "PCC for Avon and Somerset is the commissioning body, so it cannot also be a partner",
        ),
        ({"partners": ["PROVIDER"]}, "id_partners", "Select partners from the list of public"),
        ({"areas": []}, "id_areas", "Select at least one area the exercise covers"),
        ({"service_area": ""}, "id_service_area", "Select a service area"),
        ({"summary": ""}, "id_summary", "Enter a summary"),
        (
            {"estimated_annual_value": "-5"},
            "id_estimated_annual_value",
            "Estimated annual value must be £0 or more",
        ),
        (
            {"estimated_annual_value": "lots"},
            "id_estimated_annual_value",
            "Estimated annual value must be an amount in pounds, like 450000",
        ),
        ({"commissioning_body": ""}, "id_commissioning_body", "Select the commissioning body"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    market: Market, overrides: dict[str, Any], field_id: str, message: str
) -> None:
    slugs = {"BODY": market.body.slug, "PROVIDER": market.provider_org.slug}
    if "partners" in overrides:
        overrides = {"partners": [slugs[p] for p in overrides["partners"]]}
    response = market.client_for("commissioner").post(CREATE, market.form_data(**overrides))
    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    assert message in _field_error(response, field_id)
    assert message in response.content.decode().split("govuk-error-summary__list")[1]
    assert not CommissioningExercise.objects.exists()
    assert not StageChange.objects.exists()
    assert not AuditEvent.objects.exists()


# ---------------------------------------------------------------- editing


def test_a_commissioner_edits_an_exercise(market: Market) -> None:
    exercise = market.exercise(title="Old title")
    url = reverse("exercises:edit", args=[exercise.reference])
    client = market.client_for("commissioner")
    page = client.get(url)
    assert 'value="Old title"' in page.content.decode()
    assert re.search(rf'value="{market.area.slug}"\s+selected', page.content.decode())

    data = market.form_data(title="New title", commissioning_body=None, partners=[])
    response = client.post(url, data)

    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.title == "New title"
    assert exercise.estimated_annual_value == Decimal("250000.00")
    event = AuditEvent.objects.get(action="update")
    assert event.changes["title"] == {"from": "Old title", "to": "New title"}


def test_an_edit_that_breaks_a_rule_changes_nothing(market: Market) -> None:
    exercise = market.exercise(title="Old title")
    url = reverse("exercises:edit", args=[exercise.reference])
    data = market.form_data(title="New", tier="national", commissioning_body=None)
    response = market.client_for("commissioner").post(url, data)
    assert response.status_code == 200
    assert "commissions at the local tier" in _field_error(response, "id_tier")
    exercise.refresh_from_db()
    assert exercise.title == "Old title"
    assert not AuditEvent.objects.exists()


# ---------------------------------------------------------------- stage changes


def test_moving_the_stage_records_history_and_emails_members(
    market: Market, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = market.exercise()
    url = reverse("exercises:stage", args=[exercise.reference])
    client = market.client_for("commissioner")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"stage": "plan", "reason": ""})
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.stage == "plan"
    assert exercise.stage_changes.last().to_stage == "plan"  # type: ignore[union-attr]
    assert {m.subject for m in mail.outbox} == {f"Exercise {exercise.reference} moved to Plan"}
    assert "moved to Plan" in _text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("start", "data", "field_id", "message"),
    [
        ("assess_need", {"stage": "deliver"}, "id_stage", "can move only to “Plan”"),
        ("plan", {"stage": "assess_need"}, "id_reason", "Give a reason for moving"),
        ("plan", {"stage": "sideways"}, "id_stage", "Select a stage of the commissioning cycle"),
        ("plan", {}, "id_stage", "Select the stage to move the exercise to"),
    ],
)
def test_a_refused_move_is_explained_next_to_the_field(
    market: Market,
    django_capture_on_commit_callbacks: Any,
    start: str,
    data: dict[str, str],
    field_id: str,
    message: str,
) -> None:
    exercise = market.exercise(stage=start)
    url = reverse("exercises:stage", args=[exercise.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = market.client_for("commissioner").post(url, data)
    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    assert message in _field_error(response, field_id)
    exercise.refresh_from_db()
    assert exercise.stage == start
    assert exercise.stage_changes.count() == 1
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_a_new_area_appears_in_the_form_choices(market: Market) -> None:
    AreaFactory(name="Cumbria")
    page = market.client_for("commissioner").get(CREATE)
    assert "Cumbria" in page.content.decode()
