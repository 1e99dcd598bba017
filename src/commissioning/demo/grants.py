"""Synthetic grant rounds for the demo (CYC-6): one at each stage, all under the home area's
Police and Crime Commissioner and all labelled synthetic.

* open for applications, with one application sent and one draft;
* closed and being assessed, with the evaluator's scores on one application;
* decided, with an award and its grant agreement (two instalments, one monitoring report) and an
  application not funded, each with the panel's feedback.

Everything goes through :mod:`commissioning.grants.services`, as people's own rounds do, except
the closed and decided rounds' dates, which lie in the past. Run after the demo users exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.demo.users import demo_organisations
from commissioning.exercises.models import CommissioningExercise
from commissioning.grants import services
from commissioning.grants.models import (
    GrantAgreement,
    GrantApplication,
    GrantRound,
)

LABEL = "Synthetic demo: "
CRITERIA = [
    ("Need", "Who the work helps and why it is needed here"),
    ("Difference", "What will change for the people it helps"),
    ("Can deliver", "Whether the group can do what it says"),
]
SHORT = {
    "activity": "A weekly drop-in with a hot meal, a caseworker and help with benefits claims.",
    "beneficiaries": "Women on probation in the first three months after release, about 30.",
    "difference": "More women keep their first appointments and find somewhere to live.",
}


def delete_synthetic_rounds() -> dict[str, int]:
    """The synthetic rounds with everything under them (an agreement protects its application,
    an application its round): before the synthetic exercises and organisations go."""
    deleted: dict[str, int] = {}
    rounds = GrantRound.objects.filter(is_synthetic=True) | GrantRound.objects.filter(
        exercise__is_synthetic=True
    )
    for queryset in (
        GrantAgreement.objects.filter(application__grant_round__in=rounds),
        GrantApplication.objects.filter(grant_round__in=rounds),
        rounds,
    ):
        _, by_model = queryset.delete()
        for model, count in by_model.items():
            deleted[model] = deleted.get(model, 0) + count
    return deleted


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _round(
    commissioner: User,
    evaluator: User,
    exercise: CommissioningExercise,
    title: str,
    opens_on: date,
    amount: str,
) -> GrantRound:
    grant_round = services.create_round(
        commissioner,
        exercise,
        title=LABEL + title,
        purpose="Small local pieces of work that help people on probation settle and stay "
        "out of trouble.",
        eligibility="Charities, community groups and social enterprises registered on the "
        "platform and working in the area.",
        amount_available=amount,
        minimum_grant="1000",
        maximum_grant="10000",
        short_form_limit="5000",
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=35),
        decision_by=opens_on + timedelta(days=70),
        criteria=CRITERIA,
        is_synthetic=True,
    )
    services.assign_assessor(commissioner, grant_round, evaluator)
    services.assign_assessor(commissioner, grant_round, commissioner)
    services.open_round(commissioner, grant_round)
    return grant_round


def _apply(user: User, grant_round: GrantRound, org_key: str, amount: str) -> GrantApplication:
    organisation = demo_organisations()[org_key]
    return services.save_application(
        user,
        grant_round,
        organisation,
        {**SHORT, "title": f"{organisation.name}: drop-in", "amount_requested": amount},
        submit=True,
    )


def _assess(
    grant_round: GrantRound,
    applications: list[GrantApplication],
    panel: list[User],
    scores: list[int],
) -> None:
    for application, value in zip(applications, scores, strict=True):
        for assessor in panel:
            services.declare_interest(assessor, application, has_conflict=False)
            for criterion in grant_round.criteria.all():
                services.score(
                    assessor, application, criterion, value=value, comment="Synthetic demo score."
                )


def load_demo_grants(today: date | None = None) -> dict[str, int]:
    """Replace the demo's grant rounds; returns how many rounds and applications were made
    (none without the demo commissioner, evaluator and providers)."""
    today = today or timezone.localdate()
    try:
        commissioner, evaluator = _user("commissioner"), _user("evaluator")
        provider, provider2 = _user("provider"), _user("provider2")
    except User.DoesNotExist:
        return {"rounds": 0, "applications": 0}
    pcc = demo_organisations()["pcc"]
    exercise = (
        CommissioningExercise.objects.filter(commissioning_body=pcc).order_by("reference").first()
    )
    if exercise is None:
        return {"rounds": 0, "applications": 0}
    with transaction.atomic():
        with replacing_synthetic_demo():
            delete_synthetic_rounds()
        open_round = _round(
            commissioner,
            evaluator,
            exercise,
            "Women's services small grants",
            today - timedelta(days=7),
            "30000",
        )
        _apply(provider, open_round, "charity", "4000")
        services.save_application(
            provider2,
            open_round,
            demo_organisations()["charity2"],
            {"title": "Peer mentors (draft)", "activity": "Training four peer mentors."},
        )

        assessing = _round(
            commissioner,
            evaluator,
            exercise,
            "Seed-corn grants for new groups",
            today - timedelta(days=60),
            "20000",
        )
        first = _apply(provider, assessing, "charity", "3500")
        _apply(provider2, assessing, "charity2", "5000")
        services.close_round(commissioner, assessing)
        _assess(assessing, [first], [evaluator], [3])

        decided = _round(
            commissioner,
            evaluator,
            exercise,
            "Lived-experience projects",
            today - timedelta(days=150),
            "12000",
        )
        won = _apply(provider, decided, "charity", "4800")
        lost = _apply(provider2, decided, "charity2", "5000")
        services.close_round(commissioner, decided)
        _assess(decided, [won, lost], [evaluator, commissioner], [4, 1])
        for application, value in ((won, 4), (lost, 1)):
            for criterion in decided.criteria.all():
                services.moderate(
                    commissioner,
                    application,
                    criterion,
                    value=value,
                    note="Synthetic demo: agreed.",
                )
        services.decide_round(
            commissioner,
            decided,
            {
                won.pk: services.Decision(
                    True,
                    "Synthetic demo feedback: a clear need and a group that can deliver.",
                    "4800",
                ),
                lost.pk: services.Decision(
                    False,
                    "Synthetic demo feedback: the application did not show who it would help "
                    "in this area. Talk to us before the next round.",
                ),
            },
        )
        won.refresh_from_db()
        starts = today - timedelta(days=60)
        agreement = services.make_agreement(
            commissioner,
            won,
            starts_on=starts,
            ends_on=starts + timedelta(days=364),
            instalments=[
                (starts, Decimal("2400")),
                (starts + timedelta(days=182), Decimal("2400")),
            ],
            monitoring_note="Synthetic demo: numbers helped each quarter, from your register.",
        )
        services.report_monitoring(
            provider,
            agreement,
            period_end=today - timedelta(days=10),
            people_helped=12,
            summary="Synthetic demo report: ran eight drop-ins; three women housed.",
        )
    return {"rounds": 3, "applications": 6}
