"""Shared set-up for the exercise tests (CYC-1): a small market with one user per role.

No tests here; the other ``test_exercises_*`` modules import these fixtures and helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Area, Organisation, Specialism
from commissioning.exercises.models import CommissioningExercise
from tests.factories import (
    AreaFactory,
    CommissioningBodyFactory,
    ExerciseFactory,
    MembershipFactory,
    OrganisationFactory,
    SpecialismFactory,
    UserFactory,
    member_of,
)

ROLES = (
    "anonymous",
    "commissioner",
    "other_commissioner",
    "evaluator",
    "provider",
    "reviewer",
    "site_admin",
)
ALLOWED_ROLES = {"commissioner", "site_admin"}


@dataclass
class Market:
    body: Organisation
    other_body: Organisation
    partner: Organisation
    provider_org: Organisation
    area: Area
    other_area: Area
    specialism: Specialism
    users: dict[str, User | None] = field(default_factory=dict)

    def client_for(self, role: str) -> Client:
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client

    def exercise(self, partners: Any = (), **kwargs: Any) -> CommissioningExercise:
        kwargs.setdefault("commissioning_body", self.body)
        kwargs.setdefault("service_area", self.specialism)
        kwargs.setdefault("areas", [self.area])
        exercise = ExerciseFactory(**kwargs)
        exercise.partners.set(partners)
        return exercise

    def form_data(self, **overrides: Any) -> dict[str, Any]:
        """Valid input for the create form and API (drop ``commissioning_body`` for edits)."""
        data: dict[str, Any] = {
            "title": "Accommodation for women leaving prison",
            "tier": "local",
            "commissioning_body": self.body.slug,
            "partners": [self.partner.slug],
            "service_area": self.specialism.slug,
            "areas": [self.area.slug],
            "summary": "Settled accommodation on release, with tenancy support.",
            "estimated_annual_value": "250000.00",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def market(settings: Any) -> Market:
    # A fast hasher: these tests create seven users each and sign in with force_login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    area = AreaFactory(name="Avon and Somerset")
    other_area = AreaFactory(name="Dyfed-Powys")
    body = CommissioningBodyFactory(name="PCC for Avon and Somerset", areas=[area])
    other_body = CommissioningBodyFactory(name="PCC for Dyfed-Powys", areas=[other_area])
    partner = OrganisationFactory(
        name="Bristol Integrated Care Board",
        org_type=Organisation.OrgType.PUBLIC_SECTOR,
        public_body_kind=Organisation.PublicBodyKind.HEALTH,
    )
    provider_org = OrganisationFactory(name="Second Chance Housing")
    users: dict[str, User | None] = {
        "anonymous": None,
        "commissioner": member_of(body, role=User.Role.COMMISSIONER, first_name="Cara"),
        "other_commissioner": member_of(other_body, role=User.Role.COMMISSIONER),
        # Members of the body in other roles: role matters, not only membership.
        "evaluator": member_of(body, role=User.Role.EVALUATOR),
        "provider": member_of(provider_org, role=User.Role.PROVIDER),
        "reviewer": UserFactory(role=User.Role.REVIEWER),
        "site_admin": UserFactory(role=User.Role.ADMIN),
    }
    return Market(
        body=body,
        other_body=other_body,
        partner=partner,
        provider_org=provider_org,
        area=area,
        other_area=other_area,
        specialism=SpecialismFactory(name="Accommodation"),
        users=users,
    )


def pending_member(organisation: Organisation, role: str = User.Role.COMMISSIONER) -> User:
    user = UserFactory(role=role)
    MembershipFactory(user=user, organisation=organisation, status=Membership.Status.PENDING)
    return user
