"""Error pages in GOV.UK style, rendered by Django's default handlers with DEBUG off."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

from commissioning.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_404_in_the_site_shell(client: Client, settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found \N{EN DASH} Commissioning</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert 'id="navigation"' in html  # base.html with its navigation
    assert "govuk-footer" in html


def test_403_for_a_signed_in_user_explains_and_links_to_account(rf: RequestFactory) -> None:
    request = rf.get("/directory/some-charity/edit/")
    request.user = UserFactory(role=User.Role.PROVIDER, email="pat@example.org")
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot do this" in html
    assert "You are signed in as pat@example.org" in html
    assert 'href="/account/"' in html


def test_403_for_an_anonymous_visitor_offers_sign_in(rf: RequestFactory) -> None:
    request = rf.get("/exercises/new/")
    request.user = AnonymousUser()
    html = defaults.permission_denied(request, PermissionDenied()).content.decode()
    assert "/account/sign-in/?next=/exercises/new/" in html


def test_500_page_needs_no_database_or_context(
    rf: RequestFactory, django_assert_num_queries: object
) -> None:
    request = rf.get("/")
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "/static/build/app.css" in html
    assert 'lang="en-GB"' in html


def test_400_and_csrf_failure_pages(rf: RequestFactory) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()
    response = defaults.bad_request(request, Exception("bad"))
    assert response.status_code == 400
    assert "There is a problem with your request" in response.content.decode()

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/account/sign-out/")
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
