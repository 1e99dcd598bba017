"""The one error-summary pattern: every summary link lands on an element of the page, radios and
checkboxes included (GOV.UK: the link goes to the first option)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commissioning.accounts.models import User
from tests.factories import AreaFactory, CommissioningBodyFactory, ExerciseFactory, member_of

pytestmark = pytest.mark.django_db


def summary_targets(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_error_summary_links_land_on_radios_and_checkboxes(client: Client) -> None:
    body = CommissioningBodyFactory()
    AreaFactory()
    commissioner = member_of(body, role=User.Role.COMMISSIONER)
    client.force_login(commissioner)

    response = client.post("/exercises/new/", {"commissioning_body": body.pk})
    html = response.content.decode()

    targets = summary_targets(html)
    assert "id_tier_1" in targets  # radios
    assert "id_areas" in targets  # the list of areas (a <select multiple>, issue 11 item 21)
    for target in targets:
        assert f'id="{target}"' in html, (
            f"error summary links to #{target}, which is not on the page"
        )


def test_stage_form_error_links_to_first_stage_option(client: Client) -> None:
    exercise = ExerciseFactory()
    commissioner = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    client.force_login(commissioner)

    response = client.post(f"/exercises/{exercise.reference}/stage/", {"reason": ""})
    html = response.content.decode()

    assert summary_targets(html) == ["id_stage_1"]
    assert 'id="id_stage_1"' in html
