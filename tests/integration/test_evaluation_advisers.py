"""Advisers to the evaluation panel declare their interests too (PRO-11, EVA-5): the
commissioner adds an adviser, who scores nothing, sees no bid until they have declared on every
bidder, and never reads a bid whose organisation they declared a conflict with."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.evaluation import services
from commissioning.evaluation.models import PanelAdviser
from tests.evaluation_factories import ANSWER, Evaluation, evaluation_setup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FINANCE = "Finance: the bids' pricing and cost disclosures"
CONFLICT = "I am a trustee of this charity."


@pytest.fixture
def ev() -> Evaluation:
    return evaluation_setup()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _overview(ev: Evaluation, user: User) -> str:
    url = reverse("evaluation:opportunity", args=[ev.opportunity.reference])
    response = _client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_adviser_reads_no_bid_before_declaring_and_none_they_conflict_with(
    ev: Evaluation,
) -> None:
    adviser = UserFactory(role=User.Role.EVALUATOR, email="finance-adviser@example.org")
    place = services.add_adviser(ev.commissioner, ev.opportunity, adviser, FINANCE)
    assert AuditEvent.objects.filter(action="evaluation.adviser.add").count() == 1
    first, second = ev.bids[0], ev.bids[1]

    # Before declaring: no bid, by the service or the page.
    with pytest.raises(PermissionDenied, match="Declare your interests"):
        services.read_bid_as_evaluator(adviser, first)
    assert services.evaluator_bids(adviser, ev.opportunity) == []
    page = _overview(ev, adviser)
    assert "You advise this panel" in page
    assert "Declare your interests in every bidder before you see any bid." in page
    read = reverse("evaluation:read-bid", args=[ev.opportunity.reference, first.pk])
    assert _client(adviser).get(read).status_code == 403
    manager_page = _overview(ev, ev.commissioner)
    assert "finance-adviser@example.org" in manager_page and "Not declared" in manager_page

    # Declaring a conflict with the first bidder: the second bid only.
    answers = {org.pk: (False, "") for org in ev.bidders}
    answers[first.organisation_id] = (True, CONFLICT)
    services.declare_conflicts(adviser, ev.opportunity, answers)
    assert services.evaluator_bids(adviser, ev.opportunity) == [second]
    with pytest.raises(PermissionDenied, match="conflict"):
        services.read_bid_as_evaluator(adviser, first)
    assert services.read_bid_as_evaluator(adviser, second).bid == second
    response = _client(adviser).get(
        reverse("evaluation:read-bid", args=[ev.opportunity.reference, second.pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{second.organisation.name}'s bid" in text and ANSWER in text
    assert _client(adviser).get(read).status_code == 403
    manager_page = _overview(ev, ev.commissioner)
    assert "Declared" in manager_page
    assert f"finance-adviser@example.org with {first.organisation.name}: {CONFLICT}" in (
        manager_page
    )

    # Advisers score nothing, and leave the panel with their declarations on record.
    assert not adviser.evaluator_assignments.exists()
    services.remove_adviser(ev.commissioner, place)
    with pytest.raises(PermissionDenied):
        services.read_bid_as_evaluator(adviser, second)
    assert adviser.conflict_declarations.count() == len(ev.bidders)


def test_only_the_commissioners_add_advisers_and_the_form_says_what_is_missing(
    ev: Evaluation,
) -> None:
    adviser = UserFactory(role=User.Role.EVALUATOR)
    for outsider in (adviser, ev.bidder_users[0], ev.evaluators[0]):
        with pytest.raises(PermissionDenied):
            services.add_adviser(outsider, ev.opportunity, adviser, FINANCE)
    with pytest.raises(ValidationError) as refused:
        services.add_adviser(ev.commissioner, ev.opportunity, ev.bidder_users[0], FINANCE)
    assert "adviser" in refused.value.message_dict
    url = reverse("evaluation:add-adviser", args=[ev.opportunity.reference])
    response = _client(ev.commissioner).post(url, {"adviser": str(adviser.pk), "expertise": ""})
    assert response.status_code == 200
    assert "Say what the adviser advises on" in response.content.decode()
    assert not PanelAdviser.objects.exists()
    response = _client(ev.commissioner).post(
        url, {"adviser": str(adviser.pk), "expertise": FINANCE}
    )
    assert response.status_code == 302
    assert PanelAdviser.objects.get().adviser == adviser
    # The adviser finds the opportunity among their evaluations.
    mine = _client(adviser).get(reverse("evaluation:mine")).content.decode()
    assert ev.opportunity.reference in mine


def test_someone_off_the_panel_cannot_declare(ev: Evaluation) -> None:
    stranger = UserFactory(role=User.Role.EVALUATOR)
    with pytest.raises(PermissionDenied, match="evaluators and advisers"):
        services.declare_conflicts(
            stranger, ev.opportunity, {org.pk: (False, "") for org in ev.bidders}
        )
