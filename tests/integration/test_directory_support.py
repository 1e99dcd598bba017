"""Shared set-up for the provider directory tests (MKT-1): a small market and a user per role.

No tests here; the other ``test_directory_*`` modules import these helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Area, Cohort, Organisation, Specialism
from tests.factories import (
    AreaFactory,
    CohortFactory,
    CommissioningBodyFactory,
    MembershipFactory,
    OrganisationFactory,
    SpecialismFactory,
)

ROLES = (
    "anonymous",
    "member",
    "member_of_other_org",
    "pending_member",
    "commissioner",
    "evaluator",
    "reviewer",
    "site_admin",
)
"""Everyone who might try to edit :attr:`Market.alpha`'s profile."""

ALLOWED_TO_EDIT = frozenset({"member", "site_admin"})


@dataclass
class Market:
    """Five providers and one commissioning body across a tiny geography.

    England and Wales (national) · North East region ⊃ Northumbria, Durham · London region ⊃
    Metropolitan. Alpha serves Northumbria, Beta Durham, Gamma the whole country, Delta the
    North East region, Epsilon (synthetic) the Metropolitan area.
    """

    national: Area
    north_east: Area
    london: Area
    northumbria: Area
    durham: Area
    metropolitan: Area
    accommodation: Specialism
    employment: Specialism
    women: Cohort
    young_adults: Cohort
    alpha: Organisation
    beta: Organisation
    gamma: Organisation
    delta: Organisation
    epsilon: Organisation
    body: Organisation
    users: dict[str, User | None] = field(default_factory=dict)

    @property
    def providers(self) -> list[Organisation]:
        return [self.alpha, self.beta, self.gamma, self.delta, self.epsilon]


def build_market() -> Market:
    national = AreaFactory(name="England and Wales", kind=Area.Kind.NATIONAL, country="")
    north_east = AreaFactory(name="North East", kind=Area.Kind.PROBATION_REGION)
    london = AreaFactory(name="London", kind=Area.Kind.PROBATION_REGION)
    northumbria = AreaFactory(name="Northumbria", parent=north_east)
    durham = AreaFactory(name="Durham", parent=north_east)
    metropolitan = AreaFactory(name="Metropolitan", parent=london)
    accommodation = SpecialismFactory(name="Accommodation")
    employment = SpecialismFactory(name="Employment")
    women = CohortFactory(name="Women")
    young_adults = CohortFactory(name="Young adults")

    alpha = OrganisationFactory(
        name="Alpha Housing Trust",
        description="Supported housing for women leaving prison.",
        charity_number="1234567",
        annual_income=Decimal("50000"),
        reserves_months=Decimal("6.5"),
        women_led=True,
        areas=[northumbria],
        specialisms=[accommodation],
        cohorts=[women],
        contact_name="Ada Lovelace",
        contact_phone="0191 496 0000",
        website="https://alpha.example",
    )
    beta = OrganisationFactory(
        name="Beta Employment CIC",
        org_type=Organisation.OrgType.SOCIAL_ENTERPRISE,
        description="Jobs and training for young adults on probation.",
        annual_income=Decimal("2000000"),
        lived_experience_led=True,
        areas=[durham],
        specialisms=[employment],
        cohorts=[young_adults],
    )
    gamma = OrganisationFactory(
        name="Gamma National Services",
        org_type=Organisation.OrgType.PRIVATE,
        description="Housing and employment support across England and Wales.",
        annual_income=Decimal("20000000"),
        is_prime=True,
        bame_led=True,
        areas=[national],
        specialisms=[accommodation, employment],
    )
    delta = OrganisationFactory(
        name="Delta North East Partnership",
        description="A partnership of user-led groups in the North East.",
        annual_income=Decimal("500000"),
        user_led=True,
        areas=[north_east],
        specialisms=[employment],
    )
    epsilon = OrganisationFactory(
        name="Epsilon London Link",
        description="Mentoring in London; registered charity 7654321.",
        annual_income=Decimal("5000"),
        is_synthetic=True,
        areas=[metropolitan],
        specialisms=[accommodation],
        cohorts=[women, young_adults],
    )
    body = CommissioningBodyFactory(
        name="Police and Crime Commissioner for Northumbria",
        description="Commissions victim and offender services in Northumbria.",
        areas=[northumbria],
    )
    return Market(
        national=national,
        north_east=north_east,
        london=london,
        northumbria=northumbria,
        durham=durham,
        metropolitan=metropolitan,
        accommodation=accommodation,
        employment=employment,
        women=women,
        young_adults=young_adults,
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        delta=delta,
        epsilon=epsilon,
        body=body,
    )


def make_user(username: str, role: str = User.Role.PROVIDER, **kwargs: Any) -> User:
    """A user without a usable password: tests sign in with ``force_login``, so no slow hashing."""
    user: User = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=None, role=role, **kwargs
    )
    return user


def make_member(
    organisation: Organisation,
    username: str,
    role: str = User.Role.PROVIDER,
    status: str = Membership.Status.APPROVED,
    **membership: Any,
) -> User:
    user = make_user(username, role)
    MembershipFactory(user=user, organisation=organisation, status=status, **membership)
    return user


def add_users(market: Market) -> Market:
    """One user per role in :data:`ROLES`, related to ``market.alpha`` as the role says."""
    market.users = {
        "anonymous": None,
        "member": make_member(market.alpha, "member"),
        "member_of_other_org": make_member(market.beta, "other"),
        "pending_member": make_member(
            market.alpha, "pending", status=Membership.Status.PENDING, decided_at=None
        ),
        "commissioner": make_member(market.body, "comm", role=User.Role.COMMISSIONER),
        "evaluator": make_user("evaluator", User.Role.EVALUATOR),
        "reviewer": make_user("reviewer", User.Role.REVIEWER),
        "site_admin": make_user("admin", User.Role.ADMIN),
    }
    return market


def names(items: Any) -> list[str]:
    return [item.name for item in items]


def profile_state(organisation: Organisation) -> dict[str, Any]:
    """Everything a profile edit could change, read fresh from the database."""
    stored = Organisation.objects.get(pk=organisation.pk)
    return {
        **{
            field.attname: getattr(stored, field.attname)
            for field in Organisation._meta.concrete_fields
        },
        "areas": sorted(stored.areas.values_list("slug", flat=True)),
        "specialisms": sorted(stored.specialisms.values_list("slug", flat=True)),
        "cohorts": sorted(stored.cohorts.values_list("slug", flat=True)),
    }
