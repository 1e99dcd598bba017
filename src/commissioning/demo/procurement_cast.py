"""Who acts in the demo procurement story and when: the demo body, its exercise and the demo
users (issue 3), and noon-in-London moments for the services' ``now``."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from commissioning.accounts.models import Membership, User
from commissioning.demo.contracts import home_exercise
from commissioning.demo.users import DemoUsersError
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning_analytics.timelines.working_days import LONDON, london_date

NOON = time(12, 0)


class DemoCast:
    """The demo body, its exercise and the demo users who act in the story."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.pcc = organisations["pcc"]
        self.exercise: CommissioningExercise = home_exercise(self.pcc)
        self.area = self.pcc.areas.order_by("slug").first() or self.exercise.areas.first()
        self.commissioner = demo_user("commissioner", self.pcc)
        self.evaluator = demo_user("evaluator", self.pcc)
        self.provider = demo_user("provider", organisations["charity"])
        self.provider2 = demo_user("provider2", organisations["charity2"])
        self.prime = demo_user("prime", organisations["prime"])
        self.charity = organisations["charity"]
        self.charity2 = organisations["charity2"]
        self.prime_org = organisations["prime"]
        self.today = london_date(timezone.now())


def demo_user(username: str, organisation: Organisation) -> User:
    user = User.objects.filter(
        username=username,
        is_active=True,
        memberships__organisation=organisation,
        memberships__status=Membership.Status.APPROVED,
    ).first()
    if user is None:
        raise DemoUsersError(
            f"The demo user {username!r} is not an approved member of {organisation}: create "
            "the demo users first (load_demo_market --with-users)."
        )
    return user


def at(day: date, clock: time = NOON) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)
