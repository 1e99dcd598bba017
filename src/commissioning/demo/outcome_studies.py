"""Demo outcome studies (OUT-1, OUT-2, OUT-4, EQU-2): the synthetic demo cohorts, measured
with the core's proven-reoffending rules and evaluated synchronously against the synthetic
comparison pool, for the demo providers' organisations.

* the "provider" user's charity: the resettlement cohort, linked to an exercise of a demo
  commissioner's body (so that commissioner sees the unpublished result; see
  :data:`COMMISSIONERS`);
* the "provider2" user's charity: the women's centre cohort, published (the public sees it
  with every count suppressed);
* the "prime" user's organisation: the young adults mentoring cohort.

Every study is marked ``is_synthetic`` and says "(synthetic)" in its title; loading again
replaces them. The pool is ``settings.OUTCOMES_POOL_SIZE`` people (generated once, then read
from its cached file).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.demo.users import DemoUsersError
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.outcomes_web import services
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning_analytics.outcomes.matching import DEFAULT_CALIPER
from commissioning_analytics.outcomes.measures import add_measures
from commissioning_analytics.outcomes_synthetic.cohorts import DemoCohort, generate_demo_cohorts
from commissioning_analytics.outcomes_synthetic.people import COVARIATES
from commissioning_analytics.outcomes_synthetic.writers import write_csv

OUTCOME = "reoffended"


@dataclass(frozen=True)
class DemoStudy:
    cohort: str
    """The slug of the demo cohort (see ``outcomes_synthetic.cohorts.DEMO_COHORTS``)."""
    username: str
    """The demo user who uploads it, for their organisation."""
    title: str
    link_to_commissioner_exercise: bool = False
    publish: bool = False


DEMO_STUDIES = (
    DemoStudy(
        "resettlement",
        "provider",
        "Resettlement service: one-year proven reoffending (synthetic)",
        link_to_commissioner_exercise=True,
    ),
    DemoStudy(
        "womens-centre",
        "provider2",
        "Women's centre: one-year proven reoffending (synthetic)",
        publish=True,
    ),
    DemoStudy(
        "young-adults-mentoring",
        "prime",
        "Young adults mentoring: one-year proven reoffending (synthetic)",
    ),
)


def measured_csv(cohort: DemoCohort) -> str:
    """The cohort's people file with the proven-reoffending measures, as CSV text."""
    with tempfile.TemporaryDirectory() as folder:
        people, offences = Path(folder) / "people.csv", Path(folder) / "offences.csv"
        write_csv(cohort.people, people)
        write_csv(cohort.offences, offences)
        measured = Path(folder) / "cohort.csv"
        add_measures(people, offences).to_csv(measured)
        return measured.read_text(encoding="utf-8")


def _member(username: str) -> tuple[User, Organisation]:
    membership = (
        Membership.objects.filter(user__username=username, status=Membership.Status.APPROVED)
        .select_related("user", "organisation")
        .order_by("organisation__name")
        .first()
    )
    if membership is None:
        raise DemoUsersError(
            f"The demo user {username!r} has no organisation: create the demo users first "
            "(load_demo_market --with-users)."
        )
    return membership.user, membership.organisation


COMMISSIONERS = ("commissioner", "commissioner-national")
"""The demo commissioners, in order of preference for the linked study: the local PCC's
commissioner first; in the synthetic market the PCC may run no exercise of its own, and then
the national commissioner's (HM Prison and Probation Service) is used."""


def commissioner_exercise() -> CommissioningExercise | None:
    """The first synthetic exercise (by reference) of the first demo commissioner's body
    that runs one."""
    for username in COMMISSIONERS:
        membership = Membership.objects.filter(
            user__username=username, status=Membership.Status.APPROVED
        ).first()
        if membership is None:
            continue
        exercise = (
            CommissioningExercise.objects.filter(
                commissioning_body_id=membership.organisation_id, is_synthetic=True
            )
            .order_by("reference")
            .first()
        )
        if exercise is not None:
            return exercise
    return None


def load_demo_studies(*, seed: int = 2026) -> list[OutcomeStudy]:
    """Replace the demo outcome studies: create, evaluate (synchronously) and publish them."""
    started = time.perf_counter()
    cohorts = generate_demo_cohorts(seed)
    with transaction.atomic():
        OutcomeStudy.objects.filter(is_synthetic=True).delete()
        exercise = commissioner_exercise()
        studies = []
        for demo in DEMO_STUDIES:
            user, organisation = _member(demo.username)
            cohort = cohorts[demo.cohort]
            study = OutcomeStudy.objects.create(
                organisation=organisation,
                created_by=user,
                title=demo.title,
                outcome=OUTCOME,
                covariates=list(COVARIATES),
                options={"caliper": DEFAULT_CALIPER, "replace": True, "ratio": 1},
                cohort_csv=measured_csv(cohort),
                cohort_filename=f"cohort_{demo.cohort}.csv",
                exercise=exercise if demo.link_to_commissioner_exercise else None,
                is_synthetic=True,
            )
            services.run_study(study.pk)
            study.refresh_from_db()
            if demo.publish and study.status == OutcomeStudy.Status.DONE:
                study.published_at = timezone.now()
                study.published_by = user
                study.save(update_fields=["published_at", "published_by"])
            studies.append(study)
        AuditEvent.objects.create(
            actor=None,
            actor_label="system",
            action="demo_outcome_studies_loaded",
            target_type="demo.OutcomeStudies",
            target_id=str(seed),
            target_label=f"Synthetic demo outcome studies (seed {seed})",
            changes={
                "studies": [s.title for s in studies],
                "statuses": [s.status for s in studies],
                "seconds": round(time.perf_counter() - started, 1),
            },
        )
    return studies
