"""Every list of the JSON API pages the same documented way (issue 11 item 24a): ``?page=`` and
``?page_size=`` (1 to 100) in, ``{count, page, page_size, results}`` out. The GET routes come
from the OpenAPI schema: each is either a list held to that scheme or one record named below,
so a new list cannot slip in unpaged. The messages list used to stop at 200 conversations and
an opportunity's questions came all at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commissioning.bids.models import Bid
from commissioning.clarifications import services
from commissioning.partnering.models import Conversation, Message
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory, member_of
from tests.procurement_factories import InterestFactory, open_opportunity

pytestmark = pytest.mark.django_db

#: GET routes that answer one record (its own parts may be arrays), not a list of records.
RECORDS = {
    "/api/organisations/lookups": "the fixed filter vocabularies",
    "/api/organisations/{slug}": "one organisation",
    "/api/exercises/{reference}": "one exercise with its stage history",
    "/api/contracts/{reference}": "one contract",
    "/api/contracts/{reference}/statement": "one contract's statement",
    "/api/contracts/{reference}/risk": "one contract's risk",
    "/api/contracts/{reference}/stress": "one stress test",
    "/api/contracts/{reference}/ocds": "an OCDS release package (the standard's shape)",
    "/api/exercises/{reference}/ocds": "an OCDS release package (the standard's shape)",
    "/api/opportunities/{reference}": "one opportunity",
    "/api/opportunities/{reference}/ocds": "an OCDS release package (the standard's shape)",
    "/api/opportunities/{reference}/awards": "an OCDS release package (the standard's shape)",
    "/api/opportunities/{reference}/ocds/record": "an OCDS record package (the standard's shape)",
    "/api/bids/{bid_id}": "one bid's metadata",
    "/api/bids/{bid_id}/content": "what one bid says",
    "/api/escalations/{escalation_id}": "one escalation",
    "/api/contracts/{reference}/payments-compliance": "one contract's prime's figures",
    "/api/payments-compliance/{slug}": "one commissioning body's figures",
    "/api/referrals/counts/{contract}": "one contract's public referral counts",
    "/api/contracts/{reference}/bid-candy": "one contract's promises against what was received",
    "/api/contracts/{reference}/need-groups": "one contract's table by need group",
    "/api/contracts/{reference}/code-of-conduct-ratings": "one contract's prime's ratings",
    "/api/contracts/{reference}/performance": "one contract's KPIs, assessments and failures",
    "/api/contracts/{reference}/kpi-figures": "one contract's KPI figures over a period",
    "/api/payments-compliance/{slug}/ocds": "an OCDS release package (the standard's shape)",
    "/api/vcs-share": "one table: the VCS share by area and nationally, quarter by quarter",
    "/api/outcome-studies/{study_id}": "one outcome study",
    "/api/outcome-studies/{study_id}/results": "one outcome study's headline results",
    "/api/opportunities/{reference}/lots/{number}/mechanism": "one lot's tendered mechanism",
    "/api/supplier-information/organisations/{slug}": "one organisation's current version",
    "/api/supplier-information/share-codes/{code}": "the version one share code shows",
    "/api/exercises/{reference}/equality-assessment": "one exercise's equality impact assessment",
    "/api/exercises/{reference}/reviews/{cycle}": "one review of an exercise's commissioning cycle",
    "/api/contracts/{reference}/citations": "the studies one contract's statement rests on",
    "/api/grants/rounds/{reference}": "one grant round",
    "/api/monitoring/returns/{return_id}": "one monitoring return, in the parts you may read",
    "/api/ring-fences/{ring_fence_id}": "one ring-fence with its spend",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return dict(Client().get("/api/openapi.json").json())


def list_routes(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        path: item["get"]
        for path, item in schema["paths"].items()
        if "get" in item and path not in RECORDS
    }


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_get_route_is_a_record_or_a_list(schema: dict[str, Any]) -> None:
    gets = {path for path, item in schema["paths"].items() if "get" in item}
    assert set(RECORDS) <= gets, set(RECORDS) - gets
    assert {
        "/api/organisations",
        "/api/exercises",
        "/api/contracts",
        "/api/opportunities",
        "/api/opportunities/{reference}/questions",
        "/api/opportunities/{reference}/lots/{number}/interests",
        "/api/messages/conversations",
        "/api/messages/conversations/{conversation_id}",
        "/api/bids",
        "/api/escalations",
        "/api/contracts/{reference}/invoices",
        "/api/contracts/{reference}/returns",  # SUP-1
        "/api/referrals",
        "/api/outcome-studies",  # OUT-1, OUT-4
        "/api/grants/rounds",  # CYC-6
        "/api/grants/applications",  # CYC-6
        "/api/monitoring/returns",  # SUP-7
        "/api/ring-fences",  # CYC-5
    } == set(list_routes(schema))


def test_every_list_documents_the_one_scheme(schema: dict[str, Any]) -> None:
    assert "Every list pages the same way" in schema["info"]["description"]
    for path, operation in list_routes(schema).items():
        query = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
        assert query["page"].get("minimum") == 1, path
        assert (query["page_size"].get("minimum"), query["page_size"].get("maximum")) == (1, 100)
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        properties = _resolve(schema, answer)["properties"]
        for name in ("count", "page", "page_size"):
            assert properties[name]["type"] == "integer", (path, name)
        assert properties["results"]["type"] == "array", path
        arrays = [n for n, p in properties.items() if _resolve(schema, p).get("type") == "array"]
        assert arrays == ["results"], (path, arrays)


# ---------------------------------------------------------------- every list, called


@pytest.fixture
def world() -> dict[str, Any]:
    """Two or more items in every list, and a user who may read each."""
    opportunity = open_opportunity()
    lot = opportunity.lots.order_by("number").first()
    assert lot is not None
    mine = OrganisationFactory(name="Tyneside Women's Centre")
    member = member_of(mine)
    now = timezone.now()
    for number in (1, 2, 3):
        services.ask_question(member, opportunity, text=f"Question {number}?")
    for _ in range(3):
        InterestFactory(lot=lot)
    others = [OrganisationFactory() for _ in range(3)]
    conversations = [
        Conversation.objects.create(
            started_by_organisation=mine,
            with_organisation=other,
            subject=f"Partnering {i}",
            last_message_at=now - timedelta(minutes=i),
        )
        for i, other in enumerate(others)
    ]
    for i in range(3):
        Message.objects.create(
            conversation=conversations[0],
            sender_organisation=mine,
            author=member,
            body=f"Message {i}",
            created_at=now + timedelta(seconds=i),
        )
    for other_lot in opportunity.lots.all():
        Bid.objects.create(lot=other_lot, organisation=mine, created_by=member)
    # LAW-3: a contract under the same reference, whose prime sees its invoices.
    contract_with_parties(reference=opportunity.reference, prime=mine)
    return {
        "member": member,
        "reference": opportunity.reference,
        "number": lot.number,
        "conversation_id": conversations[0].pk,
    }


def _url(path: str, world: dict[str, Any]) -> str:
    for name in ("reference", "number", "conversation_id"):
        path = path.replace("{" + name + "}", str(world[name]))
    return path


def test_every_list_pages_and_refuses_sizes_out_of_range(
    schema: dict[str, Any], world: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(world["member"])
    for path in list_routes(schema):
        url = _url(path, world)
        first = client.get(url, {"page": 1, "page_size": 1})
        assert first.status_code == 200, (url, first.content[:200])
        body = first.json()
        assert (body["page"], body["page_size"]) == (1, 1), url
        assert len(body["results"]) == min(1, body["count"]), url
        beyond = client.get(url, {"page": body["count"] + 1, "page_size": 1}).json()
        assert (beyond["count"], beyond["results"]) == (body["count"], []), url
        for bad in ({"page": 0}, {"page_size": 0}, {"page_size": 101}):
            refused = client.get(url, bad)
            assert refused.status_code == 422, (url, bad)
            assert refused.json()["errors"].keys() == bad.keys(), (url, bad)


def test_the_new_lists_count_everything_and_page_through_it(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["member"])
    lists = {
        f"/api/opportunities/{world['reference']}/questions": 3,
        f"/api/opportunities/{world['reference']}/lots/{world['number']}/interests": 3,
        "/api/messages/conversations": 3,
        f"/api/messages/conversations/{world['conversation_id']}": 3,
        "/api/bids": 2,
    }
    for url, count in lists.items():
        second = client.get(url, {"page": 2, "page_size": 2}).json()
        assert (second["count"], second["page"], len(second["results"])) == (count, 2, count - 2)
    thread = client.get(f"/api/messages/conversations/{world['conversation_id']}").json()
    assert [m["body"] for m in thread["results"]] == ["Message 0", "Message 1", "Message 2"]


def test_more_than_200_conversations_are_all_listed(world: dict[str, Any]) -> None:
    member = world["member"]
    mine = member.memberships.get().organisation
    now = timezone.now()
    others = OrganisationFactory.create_batch(2)
    Conversation.objects.bulk_create(
        Conversation(
            started_by_organisation=mine,
            with_organisation=others[i % 2],
            subject=f"Old {i}",
            last_message_at=now - timedelta(days=1, minutes=i),
        )
        for i in range(200)
    )
    client = Client()
    client.force_login(member)
    last = client.get("/api/messages/conversations", {"page": 3, "page_size": 100}).json()
    assert last["count"] == 203
    assert [c["subject"] for c in last["results"]] == ["Old 197", "Old 198", "Old 199"]
