"""factory_boy factories for every model (style.md: factories over fixture files)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify

from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Area, Cohort, Organisation, Specialism
from commissioning.exercises.models import CommissioningExercise, StageChange

PASSWORD = "correct-horse-battery-staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Police area {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Area.Kind.POLICE_FORCE_AREA
    country = "England"


class SpecialismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialism
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Specialism {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Charity {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    org_type = Organisation.OrgType.VCS_CHARITY
    annual_income = Decimal("250000.00")
    reserves_months = Decimal("14.0")
    description = "Supports people leaving prison."
    contact_email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example")

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def specialisms(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.specialisms.set(extracted)

    @factory.post_generation
    def cohorts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.cohorts.set(extracted)


class CommissioningBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Police and Crime Commissioner for Area {n}")
    org_type = Organisation.OrgType.PUBLIC_SECTOR
    public_body_kind = Organisation.PublicBodyKind.POLICE_CRIME_COMMISSIONER
    is_commissioning_body = True
    commissioning_tier = Organisation.Tier.LOCAL
    annual_income = Decimal("0")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    role = User.Role.PROVIDER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Membership.Status.APPROVED
    decided_at = factory.LazyFunction(timezone.now)


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningExercise
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CX-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Resettlement services {n}")
    tier = CommissioningExercise.Tier.LOCAL
    commissioning_body = factory.SubFactory(CommissioningBodyFactory)
    service_area = factory.SubFactory(SpecialismFactory, name="Accommodation")
    summary = "Support into settled accommodation on release."
    estimated_annual_value = Decimal("450000.00")

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.areas.set(extracted or [AreaFactory()])

    @factory.post_generation
    def history(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            StageChange.objects.create(
                exercise=self, from_stage="", to_stage=self.stage, changed_at=timezone.now()
            )


def member_of(organisation: Organisation, role: str = User.Role.PROVIDER, **kwargs: Any) -> User:
    """A user who is an approved member of ``organisation``."""
    user = UserFactory(role=role, **kwargs)
    MembershipFactory(user=user, organisation=organisation)
    return user


def client_for(user: User | None) -> Client:
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
