"""No lost updates on a draft bid (issue 13 item 4; PRO-8, EVA-1, EVA-4): two members of the
bidding organisation edit the same draft; the later save of the price or the answers, made from
what the page showed before the other's save, is refused naming who changed which section —
never the sealed content — with what was typed kept, and nothing overwritten."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.audit.versions import StaleEdit, current_version
from commissioning.bids import services
from commissioning.bids.content import COST_LINES
from commissioning.bids.models import Bid
from tests.factories import client_for, member_of
from tests.integration.test_bids_services import Setting
from tests.integration.test_bids_services import clock as clock
from tests.integration.test_bids_services import s as s

pytestmark = pytest.mark.django_db


def _pricing(price: str, version: str) -> dict[str, str]:
    data = {"price": price, "has_subsidy": "no", "subsidy_details": "", "version": version}
    data.update({f"cost_{key}": "40000" for key in COST_LINES})
    return data


def _version_shown(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    version = page.context["form"]["version"].value()
    assert f'name="version" value="{version}"' in page.content.decode()
    return str(version)


def _two_members(s: Setting) -> tuple[Bid, User, User]:
    bid = services.start_bid(s.prime, s.lot, s.prime_org)
    colleague = member_of(s.prime_org, username="bea.colleague")
    return bid, s.prime, colleague


def test_a_stale_pricing_save_is_refused_naming_who_changed_the_price(s: Setting) -> None:
    bid, first, second = _two_members(s)
    url = reverse("bids:pricing", args=[bid.pk])
    first_client, second_client = client_for(first), client_for(second)
    first_version = _version_shown(first_client, url)
    second_version = _version_shown(second_client, url)

    assert first_client.post(url, _pricing("250000.00", first_version)).status_code == 302
    refused = second_client.post(url, _pricing("199999.99", second_version))

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone changed this after you started editing, so nothing was saved" in html
    assert first.username in html
    assert "price and full-cost disclosure" in html
    assert "250000" not in html and "250,000" not in html  # the other's figures stay sealed
    assert 'value="199999.99"' in html  # what the second member typed is kept
    assert services.own_content(first, bid).price == Decimal("250000.00")

    # Having looked, a save from the refused page (its version moved on) goes through.
    moved_on = refused.context["form"]["version"].value()
    assert moved_on == current_version(bid)
    assert second_client.post(url, _pricing("199999.99", moved_on)).status_code == 302
    assert services.own_content(first, bid).price == Decimal("199999.99")


def test_a_stale_answers_save_is_refused_naming_who_changed_the_answers(s: Setting) -> None:
    bid, first, second = _two_members(s)
    criterion = services.answerable_criteria(bid).first()
    field = f"criterion_{criterion.pk}"
    url = reverse("bids:answers", args=[bid.pk])
    first_client, second_client = client_for(first), client_for(second)
    first_version = _version_shown(first_client, url)
    second_version = _version_shown(second_client, url)

    first_answer = "Mentors with lived experience meet each person at the prison gate."
    second_answer = "A housing caseworker visits within two days of release."
    posted = first_client.post(url, {field: first_answer, "version": first_version})
    assert posted.status_code == 302
    refused = second_client.post(url, {field: second_answer, "version": second_version})

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "nothing was saved" in html
    assert first.username in html
    assert "answers to the evaluation criteria" in html
    assert "prison gate" not in html  # the other's answer stays sealed
    assert second_answer in html  # what the second member typed is kept
    assert services.own_content(first, bid).answers == {str(criterion.pk): first_answer}

    moved_on = refused.context["form"]["version"].value()
    assert second_client.post(url, {field: second_answer, "version": moved_on}).status_code == 302
    assert services.own_content(first, bid).answers == {str(criterion.pk): second_answer}


def test_a_change_to_another_section_does_not_make_a_save_stale(s: Setting) -> None:
    """The price and the answers are saved separately, each keeping the other, so a colleague
    saving the answers (or uploading a document) loses nothing from a price being saved."""
    bid, first, second = _two_members(s)
    pricing_url = reverse("bids:pricing", args=[bid.pk])
    version = _version_shown(client_for(second), pricing_url)
    criterion = services.answerable_criteria(bid).first()
    services.save_answers(first, bid, {str(criterion.pk): "Our answer."})

    response = client_for(second).post(pricing_url, _pricing("210000.00", version))

    assert response.status_code == 302
    content = services.own_content(first, bid)
    assert content.price == Decimal("210000.00")
    assert content.answers == {str(criterion.pk): "Our answer."}


def test_the_services_refuse_a_stale_version_and_write_nothing(s: Setting) -> None:
    bid, first, second = _two_members(s)
    criterion = services.answerable_criteria(bid).first()
    costs = {key: Decimal("40000") for key in COST_LINES}
    version = current_version(bid)
    services.save_pricing(
        first, bid, price=Decimal("250000"), costs=costs, has_subsidy=False, version=version
    )
    services.save_answers(first, bid, {str(criterion.pk): "First."}, version=version)
    sealed = bytes(Bid.objects.get(pk=bid.pk).sealed_content)
    events = AuditEvent.objects.count()

    with pytest.raises(StaleEdit) as pricing:
        services.save_pricing(
            second, bid, price=Decimal("1"), costs=costs, has_subsidy=False, version=version
        )
    with pytest.raises(StaleEdit) as answers:
        services.save_answers(second, bid, {str(criterion.pk): "Second."}, version=version)

    assert first.username in pricing.value.message
    assert "price and full-cost disclosure" in pricing.value.message
    assert "answers to the evaluation criteria" in answers.value.message
    assert bytes(Bid.objects.get(pk=bid.pk).sealed_content) == sealed
    assert AuditEvent.objects.count() == events
