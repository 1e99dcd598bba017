"""What a concern can be about: the records the platform publishes (SUP-5). The reporter
chooses one, or describes the subject in their own words (kept encrypted)."""

from __future__ import annotations

from commissioning.concerns.models import Concern
from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.procurement.models import Opportunity

Kind = Concern.SubjectKind
PER_GROUP = 300


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The chooser's options, by kind, each value ``kind:reference``."""
    exercises = CommissioningExercise.objects.order_by("-pk")[:PER_GROUP]
    opportunities = Opportunity.objects.exclude(status=Opportunity.Status.DRAFT).order_by("-pk")
    contracts = Contract.objects.order_by("-pk")[:PER_GROUP]
    primes = Organisation.objects.filter(
        pk__in=Contract.objects.values("prime_id"), is_commissioning_body=False
    ).order_by("name")[:PER_GROUP]
    bodies = Organisation.objects.filter(is_commissioning_body=True).order_by("name")[:PER_GROUP]
    return [
        (
            "Commissioning exercises",
            [(f"{Kind.EXERCISE}:{e.reference}", str(e)) for e in exercises],
        ),
        (
            "Opportunities",
            [
                (f"{Kind.OPPORTUNITY}:{o.reference}", f"{o.reference}: {o.title}")
                for o in opportunities[:PER_GROUP]
            ],
        ),
        (
            "Contracts",
            [(f"{Kind.CONTRACT}:{c.reference}", f"{c.reference}: {c.title}") for c in contracts],
        ),
        ("Prime providers", [(f"{Kind.PRIME}:{p.slug}", p.name) for p in primes]),
        ("Commissioning bodies", [(f"{Kind.COMMISSIONER}:{b.slug}", b.name) for b in bodies]),
    ]


def resolve(value: str) -> tuple[str, str, str] | None:
    """``(kind, reference, label)`` of a chosen option, or None if it is not one we publish."""
    for _group, options in grouped_choices():
        for option, label in options:
            if option == value:
                kind, _sep, reference = value.partition(":")
                return kind, reference, label
    return None
