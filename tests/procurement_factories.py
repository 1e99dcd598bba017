"""factory_boy factories for procurement (opportunities, lots, specification, criteria,
interest) and :func:`ready_opportunity`: a draft that passes every publication guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import factory

from commissioning.accounts.models import User
from commissioning.directory.models import Organisation
from commissioning.procurement.models import (
    Criterion,
    DateChange,
    Interest,
    Lot,
    Opportunity,
    SpecSection,
)
from commissioning.procurement.services_timeline import at_london_time
from commissioning_analytics.timelines.working_days import (
    add_working_days,
    london_date,
    next_working_day_on_or_after,
)
from tests.equality_factories import published_assessment
from tests.factories import AreaFactory, ExerciseFactory, OrganisationFactory, member_of


def _now() -> datetime:
    return datetime.now(tz=UTC)


class DraftOpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    exercise = factory.SubFactory(ExerciseFactory)
    reference = factory.Sequence(lambda n: f"OPP-T-{n:04d}")
    title = factory.Sequence(lambda n: f"Accommodation support opportunity {n}")
    description = "Support into settled accommodation for people leaving prison."
    status = Opportunity.Status.DRAFT


class ProcurementLotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot
        skip_postgeneration_save = True

    opportunity = factory.SubFactory(DraftOpportunityFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Area lot {n}")
    estimated_annual_value = Decimal("300000.00")
    duration_months = 36
    payment_model_summary = "Fixed fee with a 10% outcome payment."
    outcome_payment_percent = Decimal("10.00")

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.areas.set(extracted if extracted is not None else [AreaFactory()])


class SpecSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecSection

    opportunity = factory.SubFactory(DraftOpportunityFactory)
    key = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    required = True
    must_have = "A named caseworker for every person within two days of release."
    ideal = "Peer mentors with lived experience."
    order = factory.Sequence(lambda n: n)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    opportunity = factory.SubFactory(DraftOpportunityFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    kind = Criterion.Kind.QUALITY
    weight = Decimal("50")
    order = factory.Sequence(lambda n: n)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    lot = factory.SubFactory(ProcurementLotFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Interest.Role.PRIME


class DateChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DateChange

    opportunity = factory.SubFactory(DraftOpportunityFactory)
    field = "bid_deadline"
    new_value = factory.LazyFunction(lambda: _now() + timedelta(weeks=10))
    reason = "More time for partnership bids."
    changed_at = factory.LazyFunction(_now)


def compliant_dates(
    now: datetime, consortium: bool = False, response_working_days: int = 5
) -> dict[str, datetime]:
    """Question deadline 3 weeks out, answers 5 working days later, bid deadline on the first
    working day at least 10 (14 with consortium) weeks after ``now`` — all at noon London."""
    today = london_date(now)
    question = next_working_day_on_or_after(today + timedelta(weeks=3))
    answers = add_working_days(question, response_working_days)
    weeks = 14 if consortium else 10
    bid = next_working_day_on_or_after(today + timedelta(weeks=weeks))
    return {
        "question_deadline": at_london_time(question, None),
        "answers_by": at_london_time(answers, None),
        "bid_deadline": at_london_time(bid, None),
    }


def ready_opportunity(now: datetime | None = None, lots: int = 2, **kwargs: Any) -> Opportunity:
    """A draft that passes every publication guard at ``now``: lots with areas, a complete
    specification, criteria adding to 100% with 20% social value, a compliant timeline, a
    contact, the s.12(4) record and the exercise's published equality impact assessment (EQU-1)."""
    now = now or _now()
    fields: dict[str, Any] = {
        "budget_total": Decimal("1800000.00"),
        "expected_service_users": 600,
        "good_practice_cost_per_user": Decimal("2500.00"),
        "tupe_information": "Six staff may transfer; anonymised data in the annex.",
        "incumbent_details": "The current provider is Example Housing Trust.",
        "outcomes_sought": "Settled accommodation within 12 weeks of release.",
        "contact_name": "Sam Procurer",
        "contact_email": "procurement@pcc.example",
        "barriers_considered": "Lots by police force area keep values small enough for charities.",
        "not_divided_rationale": "" if lots > 1 else "A single countywide service.",
        **compliant_dates(now, consortium=kwargs.get("consortium_encouraged", False)),
        **kwargs,
    }
    opportunity = DraftOpportunityFactory(**fields)
    if not opportunity.exercise.equality_assessments.exists():
        published_assessment(opportunity.exercise)
    for _ in range(lots):
        ProcurementLotFactory(opportunity=opportunity)
    SpecSectionFactory(opportunity=opportunity, key="service", title="Service description")
    SpecSectionFactory(opportunity=opportunity, key="delivery", title="Delivery model")
    CriterionFactory(opportunity=opportunity, name="Price", kind="price", weight=Decimal(30))
    CriterionFactory(opportunity=opportunity, name="Quality", kind="quality", weight=Decimal(50))
    CriterionFactory(
        opportunity=opportunity, name="Social value", kind="social_value", weight=Decimal(20)
    )
    return opportunity


def commissioner_of(opportunity: Opportunity, **kwargs: Any) -> User:
    """An approved commissioner of the opportunity's commissioning body."""
    return member_of(opportunity.exercise.commissioning_body, role=User.Role.COMMISSIONER, **kwargs)


def interested_member(opportunity: Opportunity, organisation: Organisation | None = None) -> User:
    """An approved member of an organisation that registered interest in the first lot."""
    organisation = organisation or OrganisationFactory()
    InterestFactory(lot=opportunity.lots.first(), organisation=organisation)
    return member_of(organisation)


def open_opportunity(published_at: datetime | None = None, **kwargs: Any) -> Opportunity:
    """A published opportunity (status open), as :func:`ready_opportunity` at ``published_at``
    and opened without going through the service (for other apps' tests)."""
    published_at = published_at or _now()
    opportunity = ready_opportunity(now=published_at, **kwargs)
    opportunity.status = Opportunity.Status.OPEN
    opportunity.published_at = published_at
    opportunity.save(update_fields=["status", "published_at"])
    return opportunity
