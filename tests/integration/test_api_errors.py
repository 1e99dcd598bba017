"""API errors are 4xx JSON naming the field, in one shape for schema and business validation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_wrong_type_in_query_names_the_parameter(client: Client) -> None:
    response = client.get("/api/organisations", {"page": "first"})

    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["page"]
    assert body["detail"] == "Check these fields: page"


def test_openapi_schema_documents_directory_and_exercises(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()

    paths = set(schema["paths"])
    assert {"/api/organisations", "/api/organisations/{slug}", "/api/exercises"} <= paths
    assert "patch" in schema["paths"]["/api/organisations/{slug}"]
    assert "post" in schema["paths"]["/api/exercises"]


def test_api_docs_are_served_without_a_cdn(client: Client) -> None:
    html = client.get("/api/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
