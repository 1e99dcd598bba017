"""How an organisation involves the people it serves (issue 18, USR-1): recorded on its profile
edit page as structured choices and a short description, shown on its public profile, and shown
to evaluators beside a bid only when they score a criterion about service-user involvement."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.directory.forms import form_data
from commissioning.directory.models import Organisation
from commissioning.procurement.models import Criterion
from tests.factories import client_for
from tests.integration.awards_setup import AwardSetup, award_setup
from tests.integration.test_directory_support import Market, add_users, build_market

pytestmark = pytest.mark.django_db

DESCRIPTION = "Our forum of twelve former clients rewrote our referral letter in 2025."


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _record_involvement(market: Market, **changes: Any) -> Any:
    data = form_data(market.alpha)
    data.update(changes)
    return client_for(market.users["member"]).post(
        reverse("directory:edit", args=[market.alpha.slug]),
        {key: value for key, value in data.items() if value is not None},
        follow=True,
    )


def test_a_member_records_involvement_and_the_public_profile_shows_it() -> None:
    market = add_users(build_market())
    before = Client().get(reverse("directory:organisation", args=[market.alpha.slug])).text
    assert "has not recorded how it involves the people it serves" in before

    response = _record_involvement(
        market,
        # Ticked in another order than the list: stored in the list's order.
        involvement_methods=["co_produced", "forum"],
        involvement_description=f"  {DESCRIPTION}  ",
    )
    assert response.status_code == 200
    alpha = Organisation.objects.get(pk=market.alpha.pk)
    assert alpha.involvement_methods == ["forum", "co_produced"]
    assert alpha.involvement_description == DESCRIPTION
    event = AuditEvent.objects.get(action="update")
    assert sorted(event.changes["involvement_methods"]["to"]) == ["co_produced", "forum"]

    page = _flat(Client().get(reverse("directory:organisation", args=[alpha.slug])).text)
    assert (
        "How it involves the people it serves "
        "A forum or advisory group of people who use its services "
        "Services designed and reviewed with the people who use them (co-produced) "
        f"{DESCRIPTION}"
    ) in page
    assert "Paid staff with lived experience" not in page


def test_unknown_choices_and_long_descriptions_are_refused_and_nothing_is_saved() -> None:
    market = add_users(build_market())
    response = _record_involvement(
        market, involvement_methods=["forum", "astrology"], involvement_description="x" * 1001
    )
    assert response.status_code == 200
    text = _flat(response.text)
    assert "“astrology” is not one of the ways of involving people" in text
    assert "must be 1,000 characters or fewer" in text
    alpha = Organisation.objects.get(pk=market.alpha.pk)
    assert alpha.involvement_methods == [] and alpha.involvement_description == ""
    assert not AuditEvent.objects.exists()


def _score_page(s: AwardSetup, criterion: Criterion, bid_index: int, user: User) -> str:
    client = Client()
    client.force_login(user)
    assignment = criterion.evaluator_assignments.get(evaluator=s.evaluator)
    url = reverse(
        "evaluation:score", args=[s.opportunity.reference, assignment.pk, s.bids[bid_index].pk]
    )
    with time_machine.travel("2026-08-15 12:00+01:00", tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return _flat(response.content.decode())


def test_evaluators_see_the_record_beside_the_bid_only_under_the_involvement_criterion() -> None:
    s = award_setup(moderate=False)
    bidder = s.bids[0].organisation
    Organisation.objects.filter(pk=bidder.pk).update(
        involvement_methods=["staff_lived_experience", "trustees_lived_experience"],
        involvement_description=DESCRIPTION,
    )
    Criterion.objects.filter(pk=s.quality.pk).update(library_id="user-involvement")
    s.quality.refresh_from_db()

    page = _score_page(s, s.quality, 0, s.evaluator)
    assert (
        "How the bidder involves the people it serves, from its profile "
        "Paid staff with lived experience "
        "Trustees or board members with lived experience "
        f"{DESCRIPTION}"
    ) in page

    # Another bidder with nothing recorded: the evaluator is told so, not shown a blank.
    other = _score_page(s, s.quality, 1, s.evaluator)
    assert f"{s.bids[1].organisation.name} has not recorded how it involves" in other
    assert DESCRIPTION not in other

    # Under the social value criterion the record is not shown.
    social_value = _score_page(s, s.social_value, 0, s.evaluator)
    assert "How the bidder involves the people it serves" not in social_value
    assert DESCRIPTION not in social_value


def test_the_api_reads_and_changes_involvement_as_the_form_does() -> None:
    market = add_users(build_market())
    client = client_for(market.users["member"])
    url = f"/api/organisations/{market.alpha.slug}"

    refused = client.patch(
        url, json.dumps({"involvement_methods": ["astrology"]}), content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "The profile was not changed.",
        "errors": {
            "involvement_methods": ["“astrology” is not one of the ways of involving people"]
        },
    }

    changed = client.patch(
        url,
        json.dumps(
            {"involvement_methods": ["feedback_acted_on"], "involvement_description": DESCRIPTION}
        ),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["involvement_methods"] == ["feedback_acted_on"]
    assert Client().get(url).json()["involvement_description"] == DESCRIPTION
    lookups = Client().get("/api/organisations/lookups").json()
    assert lookups["involvement_methods"][0] == {
        "value": "forum",
        "label": "A forum or advisory group of people who use its services",
    }
