"""Providers and commissioners find outcome studies from the service menu (commissioners: the
studies linked to their exercises, issue 17); other roles do not see the link (OUT-1)."""

from __future__ import annotations

import pytest
from django.test import Client

from commissioning.accounts.models import User
from tests.factories import CommissioningBodyFactory, OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (User.Role.PROVIDER, True),
        (User.Role.ADMIN, True),
        (User.Role.COMMISSIONER, True),
        (User.Role.EVALUATOR, False),
        (User.Role.REVIEWER, False),
    ],
)
def test_outcome_studies_link_follows_role(client: Client, role: str, shown: bool) -> None:
    if role == User.Role.PROVIDER:
        user = member_of(OrganisationFactory(), role=role)
    elif role in (User.Role.COMMISSIONER, User.Role.EVALUATOR):
        user = member_of(CommissioningBodyFactory(), role=role)
    else:
        user = UserFactory(role=role)
    client.force_login(user)

    html = client.get("/").content.decode()

    assert ('href="/outcomes/"' in html) is shown


def test_anonymous_visitor_has_no_outcomes_link(client: Client) -> None:
    assert 'href="/outcomes/"' not in client.get("/").content.decode()
