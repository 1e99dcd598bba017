"""What the home page shows: headline numbers (MKT-1, CYC-1) and what a signed-in user can do.

:func:`headline_figures` costs three queries whatever the size of the market: one aggregate over
the providers, one ``GROUP BY`` over the exercises' stages and one for the latest exercises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from commissioning import permissions
from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Organisation
from commissioning.exercises.lifecycle import STAGE_ORDER, Stage
from commissioning.exercises.models import CommissioningExercise
from commissioning_analytics.market.size import SMALL_CHARITY_INCOME

LATEST_EXERCISES = 5

STAGE_DESCRIPTIONS: dict[Stage, str] = {
    Stage.ASSESS_NEED: (
        "Understand the needs of people in the area, with the voluntary sector and people with "
        "lived experience."
    ),
    Stage.PLAN: (
        "Decide the outcomes wanted, the resources available and how services will be arranged."
    ),
    Stage.PROCURE: (
        "Run a fair, proportionate process that small and specialist organisations can take "
        "part in."
    ),
    Stage.DELIVER: "Providers deliver the service; the commissioner manages the contract or grant.",
    Stage.REVIEW: (
        "Look at outcomes, the supply chain and what service users said: the review feeds the "
        "next assessment of need."
    ),
}
"""The commissioning cycle in a sentence a step (seed 003 §3.1, CYC-1, CYC-4)."""


@dataclass(frozen=True)
class StageCount:
    stage: Stage
    count: int

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def value(self) -> str:
        return self.stage.value

    @property
    def description(self) -> str:
        return STAGE_DESCRIPTIONS[self.stage]


@dataclass(frozen=True)
class HeadlineFigures:
    """Providers are the organisations in the directory that are not commissioning bodies."""

    provider_count: int
    small_provider_count: int
    exercises_by_stage: list[StageCount]
    latest_exercises: list[CommissioningExercise] = field(default_factory=list)

    @property
    def small_provider_percent(self) -> int | None:
        """Whole-number share of providers with annual income under £500,000 (seed 002's "small"
        organisation), rounded half up; ``None`` when there are no providers."""
        if not self.provider_count:
            return None
        share = Decimal(100 * self.small_provider_count) / Decimal(self.provider_count)
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def exercise_count(self) -> int:
        return sum(item.count for item in self.exercises_by_stage)


def headline_figures() -> HeadlineFigures:
    providers = Organisation.objects.filter(is_commissioning_body=False).aggregate(
        total=Count("id"),
        small=Count("id", filter=Q(annual_income__lt=SMALL_CHARITY_INCOME)),
    )
    counts = dict(
        CommissioningExercise.objects.order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    latest = list(
        CommissioningExercise.objects.select_related("commissioning_body").order_by(
            "-updated_at", "reference"
        )[:LATEST_EXERCISES]
    )
    return HeadlineFigures(
        provider_count=providers["total"],
        small_provider_count=providers["small"],
        exercises_by_stage=[StageCount(stage, counts.get(stage.value, 0)) for stage in STAGE_ORDER],
        latest_exercises=latest,
    )


@dataclass(frozen=True)
class UserSummary:
    """What the signed-in user can do, for the "What you can do" panel."""

    role: str
    role_label: str
    memberships: list[Membership]
    commissioning_bodies: list[Organisation]
    can_create_exercise: bool
    can_view_audit: bool
    is_site_admin: bool

    @property
    def approved(self) -> list[Membership]:
        return [m for m in self.memberships if m.status == Membership.Status.APPROVED]

    @property
    def pending(self) -> list[Membership]:
        return [m for m in self.memberships if m.status == Membership.Status.PENDING]

    @property
    def administered(self) -> list[Membership]:
        return [m for m in self.approved if m.is_org_admin]


def user_summary(user: permissions.Visitor) -> UserSummary | None:
    """``None`` for an anonymous visitor."""
    if not permissions.is_signed_in(user):
        return None
    memberships = list(
        user.memberships.select_related("organisation")
        .exclude(status=Membership.Status.REJECTED)
        .order_by("organisation__name")
    )
    is_commissioner = user.role == User.Role.COMMISSIONER
    bodies = permissions.commissioning_bodies_for(user) if is_commissioner else []
    return UserSummary(
        role=user.role,
        role_label=user.get_role_display(),
        memberships=memberships,
        commissioning_bodies=bodies,
        can_create_exercise=is_commissioner and permissions.can_create_exercise(user),
        can_view_audit=permissions.can_view_audit(user),
        is_site_admin=user.is_site_admin,
    )
