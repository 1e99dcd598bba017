"""A joint-commissioning partner of the exercise cannot sit in a bid's supply chain (PRO-11):
the bid service refuses it, so the page does too with the message beside the field, and a bid
that named it before it joined the exercise cannot be submitted until it is removed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.bids import consent, services, submission
from commissioning.bids.content import Terms
from commissioning.bids.models import Subcontractor
from commissioning.directory.models import Organisation
from tests.factories import OrganisationFactory
from tests.integration.test_bids_services import (
    START,
    Setting,
    bidding_setup,
    complete_bid,
    name_sub,
)

pytestmark = pytest.mark.django_db
TERMS = Terms("Custody liaison", "Meets people at the gate", 50, Decimal("30000.00"))
REFUSED = (
    "Northumbria Police commissions this exercise jointly, so it cannot be a sub-contractor in a "
    "bid for it"
)


@pytest.fixture
def s() -> Iterator[Setting]:
    with time_machine.travel(START + timedelta(days=1), tick=False):
        yield bidding_setup()


def _police() -> Organisation:
    return OrganisationFactory(
        name="Northumbria Police",
        org_type=Organisation.OrgType.PUBLIC_SECTOR,
        public_body_kind=Organisation.PublicBodyKind.POLICE,
    )


def test_the_service_refuses_a_joint_commissioning_partner(s: Setting) -> None:
    police = _police()
    s.opportunity.exercise.partners.add(police)
    bid = complete_bid(s)
    with pytest.raises(ValidationError) as refused:
        services.add_subcontractor(s.prime, bid, police, TERMS)
    assert refused.value.message_dict == {"organisation": [REFUSED]}
    assert not Subcontractor.objects.exists()


def test_the_page_refuses_it_beside_the_field(s: Setting) -> None:
    """The sub-contractor picker offers providers only, so a partner (a public body) is refused
    beside the field before the service's own rule is reached (issue 11 items 18, 21)."""
    police = _police()
    s.opportunity.exercise.partners.add(police)
    bid = complete_bid(s)
    client = Client()
    client.force_login(s.prime)
    response = client.post(
        reverse("bids:subcontractor-add", args=[bid.pk]),
        {
            "organisation": police.slug,
            "role": TERMS.role,
            "services": TERMS.services,
            "referrals_per_year": "50",
            "value_per_year": "30000",
            "upfront_percent": "20",
            "payment_terms_days": "30",
        },
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert 'href="#id_organisation"' in page
    assert "No name matches “northumbria-police”" in page
    assert not Subcontractor.objects.exists()


def test_a_partner_named_before_it_joined_blocks_submission(s: Setting) -> None:
    bid = complete_bid(s)
    sub = name_sub(s, bid)
    consent.answer(s.sub_user, sub, confirm=True)
    assert submission.submission_problems(s.prime, bid) == []
    s.opportunity.exercise.partners.add(s.sub_org)
    assert submission.submission_problems(s.prime, bid) == [
        "Women Onward CIC commissions this exercise jointly, so it cannot be a sub-contractor "
        "in a bid for it: remove it."
    ]
