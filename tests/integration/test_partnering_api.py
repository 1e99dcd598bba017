"""The partner-finding and messaging API (PRO-6, PRO-11): interest per lot with its privacy,
conversations only for the two organisations' members, the same services and rules as the
pages, and every error as ``{"detail", "errors"}``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.directory.models import Organisation
from commissioning.notifications.models import Notification
from commissioning.partnering import messaging
from commissioning.partnering.models import Conversation, Message
from commissioning.procurement.models import Interest, Lot, Opportunity
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SpecialismFactory,
    client_for,
    member_of,
)
from tests.procurement_factories import InterestFactory, commissioner_of, open_opportunity

pytestmark = pytest.mark.django_db


@dataclass
class Market:
    opportunity: Opportunity
    lot: Lot
    prime: Organisation
    sub: Organisation
    third: Organisation
    prime_member: User
    sub_member: User
    third_member: User
    commissioner: User


@pytest.fixture
def m() -> Market:
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    prime = OrganisationFactory(name="Northern Prime Ltd")
    sub = OrganisationFactory(name="Tyneside Women's Centre")
    third = OrganisationFactory(name="Elsewhere Trust")
    return Market(
        opportunity=opportunity,
        lot=lot,
        prime=prime,
        sub=sub,
        third=third,
        prime_member=member_of(prime),
        sub_member=member_of(sub),
        third_member=member_of(third),
        commissioner=commissioner_of(opportunity),
    )


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, data=body, content_type="application/json")


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


def lot_url(m: Market, tail: str) -> str:
    return f"/api/opportunities/{m.opportunity.reference}/lots/{m.lot.number}/{tail}"


# ---------------------------------------------------------------- interest


def test_register_change_and_withdraw_interest(m: Market) -> None:
    client = client_for(m.sub_member)
    data = {"role": "subcontractor", "note": "Specialist women's services.", "is_private": False}

    response = send(client, "put", lot_url(m, "interest"), data)

    assert response.status_code == 200, response.content
    assert response.json()["organisation"]["slug"] == m.sub.slug
    interest = Interest.objects.get(lot=m.lot, organisation=m.sub)
    assert interest.role == "subcontractor" and interest.created_by == m.sub_member
    changed = send(client, "put", lot_url(m, "interest"), {**data, "is_private": True})
    assert changed.json()["is_private"] is True
    assert Interest.objects.get(pk=interest.pk).is_private is True
    assert send(client, "delete", lot_url(m, "interest")).status_code == 204
    assert not Interest.objects.filter(lot=m.lot).exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["interest.register", "interest.change", "interest.withdraw"]


def test_private_interest_is_seen_only_by_its_organisation_and_the_commissioners(
    m: Market,
) -> None:
    InterestFactory(lot=m.lot, organisation=m.prime, role="prime", note="Looking for subs")
    InterestFactory(lot=m.lot, organisation=m.sub, role="subcontractor", is_private=True)

    def names(user: User | None) -> list[str]:
        response = client_for(user).get(lot_url(m, "interests"))
        assert response.status_code == 200
        return [i["organisation"]["name"] for i in response.json()["results"]]

    assert names(None) == ["Northern Prime Ltd"]
    assert names(m.third_member) == ["Northern Prime Ltd"]
    assert sorted(names(m.sub_member)) == ["Northern Prime Ltd", "Tyneside Women's Centre"]
    assert sorted(names(m.commissioner)) == ["Northern Prime Ltd", "Tyneside Women's Centre"]
    assert "Tyneside" not in Client().get(lot_url(m, "interests")).content.decode()


def test_the_partner_list_filters_by_role_and_specialism(m: Market) -> None:
    housing = SpecialismFactory(slug="housing-api")
    m.sub.specialisms.add(housing)
    InterestFactory(lot=m.lot, organisation=m.prime, role="prime")
    InterestFactory(lot=m.lot, organisation=m.sub, role="subcontractor")

    by_role = Client().get(lot_url(m, "interests"), {"role": "prime"}).json()["results"]
    by_specialism = Client().get(lot_url(m, "interests"), {"specialism": "housing-api"}).json()

    assert [i["organisation"]["slug"] for i in by_role] == [m.prime.slug]
    assert [i["organisation"]["slug"] for i in by_specialism["results"]] == [m.sub.slug]
    bad = assert_error(Client().get(lot_url(m, "interests"), {"role": "boss"}), 400)
    assert list(bad["errors"]) == ["role"]


def test_interest_permissions_and_errors(m: Market) -> None:
    data = {"role": "prime"}
    assert_error(send(Client(), "put", lot_url(m, "interest"), data), 401)
    # The commissioning body cannot bid in its own exercise (PRO-11).
    assert_error(send(client_for(m.commissioner), "put", lot_url(m, "interest"), data), 403)
    bad = assert_error(
        send(client_for(m.sub_member), "put", lot_url(m, "interest"), {"role": "x"}), 400
    )
    assert list(bad["errors"]) == ["role"]
    long_note = {"role": "prime", "note": "n" * 1001}
    too_long = assert_error(
        send(client_for(m.sub_member), "put", lot_url(m, "interest"), long_note), 400
    )
    assert list(too_long["errors"]) == ["note"]
    assert_error(send(client_for(m.third_member), "delete", lot_url(m, "interest")), 403)
    # A lot number past every lot of the opportunity, whatever the factory sequence reached.
    unused = m.opportunity.lots.aggregate(Max("number"))["number__max"] + 1
    missing = f"/api/opportunities/{m.opportunity.reference}/lots/{unused}/interests"
    assert_error(Client().get(missing), 404)
    assert not Interest.objects.exists()


def test_a_member_of_two_organisations_names_which_one(m: Market) -> None:
    MembershipFactory(user=m.sub_member, organisation=m.third)
    client = client_for(m.sub_member)
    which = assert_error(send(client, "put", lot_url(m, "interest"), {"role": "prime"}), 400)
    assert list(which["errors"]) == ["organisation"]
    data = {"role": "prime", "organisation": m.third.slug}
    assert send(client, "put", lot_url(m, "interest"), data).status_code == 200
    assert Interest.objects.get().organisation == m.third


# ---------------------------------------------------------------- messages


def start(m: Market, client: Client, **extra: Any) -> Any:
    data = {"to": m.prime.slug, "subject": "Partnering on lot 1", "body": "Shall we talk?"}
    return send(client, "post", "/api/messages/conversations", {**data, **extra})


def test_start_reply_and_list_conversations_with_unread_counts(m: Market) -> None:
    sub = client_for(m.sub_member)
    lot = {"opportunity": m.opportunity.reference, "number": m.lot.number}

    started = start(m, sub, lot=lot)

    assert started.status_code == 201, started.content
    conversation_id = started.json()["id"]
    assert started.json()["with_organisation"]["slug"] == m.prime.slug
    assert Conversation.objects.get().lot == m.lot
    assert Notification.objects.filter(user=m.prime_member, kind="partnering.message").exists()

    prime = client_for(m.prime_member)
    inbox = prime.get("/api/messages/conversations").json()
    assert inbox["unread_total"] == 1
    assert inbox["results"][0]["unread"] == 1
    assert inbox["results"][0]["latest"] == "Shall we talk?"
    thread = prime.get(f"/api/messages/conversations/{conversation_id}").json()
    assert [(x["body"], x["mine"]) for x in thread["results"]] == [("Shall we talk?", False)]
    assert prime.get("/api/messages/conversations").json()["unread_total"] == 0

    url = f"/api/messages/conversations/{conversation_id}/messages"
    replied = send(prime, "post", url, {"body": "Yes please."})
    assert replied.status_code == 201
    assert [x["body"] for x in replied.json()["results"]] == ["Shall we talk?", "Yes please."]
    assert messaging.unread_count(m.sub_member) == 1


def test_only_the_two_organisations_read_or_reply(m: Market) -> None:
    conversation_id = start(m, client_for(m.sub_member)).json()["id"]
    thread = f"/api/messages/conversations/{conversation_id}"
    for outsider in (m.third_member, m.commissioner):
        assert_error(client_for(outsider).get(thread), 403)
        assert_error(send(client_for(outsider), "post", thread + "/messages", {"body": "Hi"}), 403)
    assert_error(Client().get(thread), 401)
    assert_error(Client().get("/api/messages/conversations"), 401)
    assert_error(client_for(m.commissioner).get("/api/messages/conversations"), 403)
    assert_error(client_for(m.sub_member).get("/api/messages/conversations/999999"), 404)
    assert Message.objects.count() == 1


def test_message_errors_name_the_field(m: Market) -> None:
    sub = client_for(m.sub_member)
    blank = assert_error(start(m, sub, subject="  ", body=""), 400)
    assert sorted(blank["errors"]) == ["body", "subject"]
    assert_error(start(m, sub, to="no-such-organisation"), 400)
    # Nobody messages a commissioning body through partnering.
    body = m.opportunity.exercise.commissioning_body
    assert_error(start(m, sub, to=body.slug), 403)
    missing = assert_error(
        send(sub, "post", "/api/messages/conversations", {"to": m.prime.slug}), 422
    )
    assert sorted(missing["errors"]) == ["body", "subject"]
    assert not Conversation.objects.exists()
