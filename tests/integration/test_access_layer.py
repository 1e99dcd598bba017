"""One access layer on :mod:`commissioning.permissions` (ADR 0007, issue 12): the organisations a
user speaks for are one building block that every app's rule follows, and the pages that follow
publication load an opportunity through one loader (a draft is not found, even by its managers;
a published one is refused to anyone the page's rule refuses)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from commissioning import permissions
from commissioning.accounts.models import Membership, User
from commissioning.bids import access as bids_access
from commissioning.clarifications import access as clarifications_access
from commissioning.directory.models import Organisation
from commissioning.engagement import access as engagement_access
from commissioning.outcomes_web import services as outcomes_services
from commissioning.partnering import access as partnering_access
from tests.factories import (
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member_of,
)
from tests.procurement_factories import commissioner_of, open_opportunity, ready_opportunity

if TYPE_CHECKING:
    from commissioning.permissions import Visitor

pytestmark = pytest.mark.django_db

POST_PUBLICATION_PAGES = [
    "bids:opportunity",
    "evaluation:opportunity",
    "evaluation:selection",
    "awards:opportunity",
]


def test_every_app_asks_permissions_for_the_organisations_a_user_speaks_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bids, clarifications, partnering, engagement and outcome uploads all follow the one
    building block, so changing it changes them all."""
    own = OrganisationFactory(name="Own Charity")
    user = member_of(own)
    elsewhere = OrganisationFactory(name="Another Charity")

    def only_elsewhere(who: Visitor) -> QuerySet[Organisation]:
        return Organisation.objects.filter(pk=elsewhere.pk)

    monkeypatch.setattr(permissions, "member_organisations", only_elsewhere)
    assert bids_access.bidding_organisations(user) == [elsewhere]
    assert clarifications_access.asking_organisations(user) == [elsewhere]
    assert partnering_access.speaks_for(user) == [elsewhere]
    assert engagement_access.response_organisations(user) == [elsewhere]
    assert outcomes_services.upload_organisation(user) == elsewhere


def test_the_organisations_a_user_speaks_for_are_ordered_one_way() -> None:
    """By name, then by id; commissioning bodies only where the rule allows them."""
    body = CommissioningBodyFactory(name="Alpha PCC")
    beta_first = OrganisationFactory(name="Beta Trust", slug="beta-trust-leeds")
    beta_second = OrganisationFactory(name="Beta Trust", slug="beta-trust-york")
    zeta = OrganisationFactory(name="Zeta CIC")
    user = member_of(zeta)
    for organisation in (beta_second, body, beta_first):
        user.memberships.create(organisation=organisation, status=Membership.Status.APPROVED)
    providers = [beta_first, beta_second, zeta]
    assert bids_access.bidding_organisations(user) == providers
    assert clarifications_access.asking_organisations(user) == providers
    assert partnering_access.speaks_for(user) == providers
    assert engagement_access.response_organisations(user) == [body, *providers]


@pytest.mark.parametrize("page", POST_PUBLICATION_PAGES)
def test_a_draft_has_no_post_publication_pages_even_for_its_commissioners(
    client: Client, page: str
) -> None:
    draft = ready_opportunity()
    client.force_login(commissioner_of(draft))
    assert client.get(reverse(page, args=[draft.reference])).status_code == 404


@pytest.mark.parametrize("page", POST_PUBLICATION_PAGES)
def test_post_publication_pages_refuse_people_outside_the_panel(client: Client, page: str) -> None:
    opportunity = open_opportunity()
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(reverse(page, args=[opportunity.reference])).status_code == 403
    client.force_login(member_of(CommissioningBodyFactory(), role=User.Role.COMMISSIONER))
    assert client.get(reverse(page, args=[opportunity.reference])).status_code == 403
    assert client.get(reverse(page, args=["OPP-1999-0"])).status_code == 404


def test_a_probation_practitioner_acts_only_for_the_body_they_are_an_approved_member_of() -> None:
    """REF-1, REF-2: probation refers and answers escalations for its own body only."""
    body = OrganisationFactory(
        name="Probation Service North", org_type=Organisation.OrgType.PUBLIC_SECTOR
    )
    other_body = OrganisationFactory(
        name="Probation Service South", org_type=Organisation.OrgType.PUBLIC_SECTOR
    )
    practitioner = UserFactory(role=User.Role.PROBATION)
    MembershipFactory(user=practitioner, organisation=body)
    commissioner = UserFactory(role=User.Role.COMMISSIONER)
    MembershipFactory(user=commissioner, organisation=body)
    pending = UserFactory(role=User.Role.PROBATION)
    MembershipFactory(user=pending, organisation=body, status=Membership.Status.PENDING)

    assert permissions.is_probation_practitioner_of(practitioner, body.pk)
    assert not permissions.is_probation_practitioner_of(practitioner, other_body.pk)
    assert not permissions.is_probation_practitioner_of(practitioner, None)
    assert not permissions.is_probation_practitioner_of(commissioner, body.pk)
    assert not permissions.is_probation_practitioner_of(pending, body.pk)
    assert not permissions.is_probation_practitioner_of(AnonymousUser(), body.pk)
