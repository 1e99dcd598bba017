"""Every write of the JSON API refuses a body the forms could never send (issue 11 item 24):
not an object, not UTF-8 JSON, NaN, NUL characters, lone surrogates — 400 (unreadable) or 422
(unacceptable) in the one error shape ``{"detail", "errors"}``, naming the field where there is
one, never a 500 page and never a write. The routes come from the OpenAPI schema, so a new
endpoint is covered when it is added. An unknown ``Host`` is a 400 too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from commissioning.clarifications.models import Question
from commissioning.exercises import services as exercise_services
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.integration.test_exercises_support import Market, market
from tests.procurement_factories import open_opportunity

pytestmark = pytest.mark.django_db
__all__ = ["market"]

WRITE_METHODS = {"post", "put", "patch"}

#: (what it is, the raw body, the status, the field the error names, the detail)
BAD_BODIES: list[tuple[str, bytes, int, str | None, str]] = [
    ("no body at all", b"", 422, "__all__", "Send a JSON object"),
    ("a bare string", b'"A bare string title"', 422, "__all__", "Send a JSON object"),
    ("an array", b'[{"title": "x"}]', 422, "__all__", "Send a JSON object"),
    ("null", b"null", 422, "__all__", "Send a JSON object"),
    ("a number", b"42", 422, "__all__", "Send a JSON object"),
    ("not JSON", b"{title: x", 400, None, "not valid JSON"),
    ("not UTF-8", b'{"title": "\xff"}', 400, None, "not valid UTF-8"),
    ("a surrogate as UTF-8 bytes", b'{"text": "\xed\xa0\x80"}', 400, None, "not valid UTF-8"),
    ("NaN", b'{"estimated_annual_value": NaN}', 422, "__all__", "NaN and Infinity"),
    ("a lone surrogate", b'{"text": "\\ud800", "title": "ok"}', 422, "text", "lone surrogate"),
    ("a NUL character", b'{"title": "a\\u0000b"}', 422, "title", "Null characters"),
    ("a nested NUL", b'{"lot": {"opportunity": "\\u0000"}}', 422, "lot.opportunity", "Null"),
    ("a NUL in a list", b'{"areas": ["ok", "b\\u0000"]}', 422, "areas.1", "Null characters"),
]


def write_routes(client: Client) -> list[tuple[str, str]]:
    """(method, path with its parameters filled in) of every documented write with a body."""
    schema = client.get("/api/openapi.json").json()
    routes = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in WRITE_METHODS and "requestBody" in operation:
                filled = path
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "path":
                        value = "1" if parameter["schema"].get("type") == "integer" else "X-1"
                        filled = filled.replace("{" + parameter["name"] + "}", value)
                routes.append((method, filled))
    return routes


def test_the_schema_has_the_writes_this_test_expects() -> None:
    routes = {(method, path) for method, path in write_routes(Client())}
    assert ("patch", "/api/exercises/X-1") in routes
    assert ("post", "/api/opportunities/X-1/questions") in routes
    assert ("post", "/api/messages/conversations") in routes
    assert len(routes) >= 10


@pytest.mark.parametrize(
    ("kind", "raw", "status", "field", "detail"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
def test_every_write_refuses_a_bad_body_in_the_error_shape(
    kind: str, raw: bytes, status: int, field: str | None, detail: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    for method, path in write_routes(client):
        response = getattr(client, method)(path, data=raw, content_type="application/json")
        assert response.status_code == status, (method, path, response.content[:120])
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert set(body) == {"detail", "errors"}, (method, path)
        assert detail in body["detail"], (method, path, body)
        if field is None:
            assert body["errors"] == {}
        else:
            assert list(body["errors"]) == [field], (method, path, body)


def _send(client: Client, method: str, url: str, raw: bytes) -> Any:
    return getattr(client, method)(url, data=raw, content_type="application/json")


def test_a_bare_string_no_longer_changes_an_exercise_title(market: Market) -> None:
    exercise = market.exercise(title="Accommodation on release")
    client = market.client_for("commissioner")
    url = f"/api/exercises/{exercise.reference}"
    for raw in (b'"a new title"', b"[]", b"null", b'{"title": "\\ud800"}'):
        assert _send(client, "patch", url, raw).status_code == 422
    exercise.refresh_from_db()
    assert exercise.title == "Accommodation on release"
    # A well-formed change still works.
    response = _send(client, "patch", url, json.dumps({"title": "Housing on release"}).encode())
    assert response.status_code == 200
    assert response.json()["title"] == "Housing on release"


def test_a_question_with_a_nul_or_a_surrogate_is_not_stored() -> None:
    opportunity = open_opportunity()
    asker = member_of(OrganisationFactory())
    client = Client(raise_request_exception=False)
    client.force_login(asker)
    url = f"/api/opportunities/{opportunity.reference}/questions"
    for raw in (b'{"text": "Is TUPE \\u0000 likely?"}', b'{"text": "\\ud800"}'):
        response = _send(client, "post", url, raw)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["text"]
    assert not Question.objects.exists()


@pytest.mark.parametrize("path", ["/api/exercises", "/"])
def test_an_unknown_host_is_a_400_not_a_500(path: str) -> None:
    response = Client(raise_request_exception=False).get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json() == {
            "detail": "This site does not serve the host named in the request.",
            "errors": {},
        }
    else:
        assert b"There is a problem with your request" in response.content


def test_a_fault_of_ours_is_json_in_the_error_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(exercise_services, "filter_exercises", broken)
    response = Client(raise_request_exception=False).get("/api/exercises")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side. Try again later.",
        "errors": {},
    }
    with pytest.raises(RuntimeError):  # tests still see the fault itself
        Client().get("/api/exercises")


def every_route(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path template, operation) of every documented route."""
    schema = client.get("/api/openapi.json").json()
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_a_path_with_a_nul_character_names_nothing() -> None:
    """(A URL cannot carry a lone surrogate: Django keeps undecodable bytes percent-encoded.)"""
    text = "\x00"
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    routes = [r for r in every_route(client) if "{" in r[1]]
    assert len(routes) >= 15
    for method, path, operation in routes:
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["schema"].get("type") == "string":
                path = path.replace("{" + parameter["name"] + "}", f"X{text}1")
        if text not in path:
            continue  # only whole-number parameters: the URL does not match at all
        response = client.generic(method.upper(), path, b"{}", "application/json")
        assert response.status_code == 404, (method, path, response.content[:120])
        assert response.json() == {"detail": "Not found", "errors": {}}, (method, path)


def test_a_query_parameter_with_a_nul_character_is_named() -> None:
    text = "\x00"
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    checked = 0
    for method, path, operation in every_route(client):
        if "{" in path:
            continue  # their records do not exist here; the path test covers them
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            response = getattr(client, method)(path, {parameter["name"]: f"a{text}b"})
            assert response.status_code == 400, (method, path, parameter["name"])
            body = response.json()
            assert body["errors"] == {parameter["name"]: ["Null characters are not allowed."]}
            checked += 1
    assert checked >= 10
