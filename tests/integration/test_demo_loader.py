"""Loading the synthetic market and the demo users (MKT-1, CYC-1): counts, derived fields,
idempotent replacement that never touches people's records, one demo user per role."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command

from commissioning import permissions
from commissioning.accounts.models import Membership, User
from commissioning.audit.models import AuditEvent
from commissioning.demo.services import create_demo_users, load_market
from commissioning.demo.users import (
    DEMO_PASSWORD,
    SYNTHETIC_COMMISSIONER_PREFIX,
    demo_organisations,
)
from commissioning.directory.models import Area, Cohort, Organisation, Specialism
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning_analytics.market.size import size_band
from commissioning_analytics.market.synthetic import generate_market
from commissioning_analytics.market.synthetic_types import SyntheticMarket
from tests.factories import ExerciseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SEED, SCALE = 11, 0.05


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    """The real hasher is slow on purpose; these tests check who gets which password, not how."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def market() -> SyntheticMarket:
    return generate_market(SEED, SCALE)


def test_load_inserts_the_whole_market(market: SyntheticMarket) -> None:
    report = load_market(market, replace=False)

    assert report.loaded
    assert Organisation.objects.filter(is_synthetic=True).count() == len(market.organisations)
    assert Organisation.objects.filter(is_prime=True).count() == len(market.primes)
    assert Area.objects.count() == 55
    assert Area.objects.filter(kind="police_force_area", parent__isnull=False).count() == 42
    assert Specialism.objects.count() == 16 and Cohort.objects.count() == 11
    through = Organisation.areas.through.objects
    assert through.count() == sum(len(o.areas) for o in market.organisations)
    assert Organisation.specialisms.through.objects.count() == sum(
        len(o.specialisms) for o in market.organisations
    )
    assert Organisation.cohorts.through.objects.count() == sum(
        len(o.cohorts) for o in market.organisations
    )
    assert CommissioningExercise.objects.filter(is_synthetic=True).count() == len(market.exercises)
    assert StageChange.objects.count() == sum(len(e.history) for e in market.exercises)
    assert report.counts["organisations"] == len(market.organisations)
    assert report.counts["exercises"] == len(market.exercises)
    assert AuditEvent.objects.filter(action="demo_market_loaded").count() == 1


def test_derived_fields_are_filled_although_bulk_create_skips_save(market: SyntheticMarket) -> None:
    load_market(market, replace=False)
    record = market.vcs_providers[0]
    org = Organisation.objects.get(slug=record.slug)
    assert org.size_band == size_band(record.annual_income).value
    assert org.search_text.startswith(record.name.lower())
    assert not Organisation.objects.filter(is_synthetic=True, size_band="").exists()
    assert not Organisation.objects.filter(is_synthetic=True, search_text="").exists()
    assert org.annual_income == record.annual_income
    assert org.reserves_months == record.reserves_months
    assert sorted(org.areas.values_list("slug", flat=True)) == sorted(record.areas)


def test_exercises_keep_their_bodies_areas_and_dated_history(market: SyntheticMarket) -> None:
    load_market(market, replace=False)
    for record in market.exercises:
        exercise = CommissioningExercise.objects.get(reference=record.reference)
        assert exercise.commissioning_body.slug == record.commissioning_body
        assert exercise.stage == record.stage
        assert exercise.created_at == record.created_at
        assert sorted(exercise.areas.values_list("slug", flat=True)) == sorted(record.areas)
        assert sorted(exercise.partners.values_list("slug", flat=True)) == sorted(record.partners)
        changes = list(exercise.stage_changes.order_by("changed_at"))
        assert [c.to_stage for c in changes] == [h.stage for h in record.history]
        assert changes[0].from_stage == ""
        assert all(a.to_stage == b.from_stage for a, b in pairwise(changes))


def test_replace_is_idempotent_and_keeps_peoples_records(market: SyntheticMarket) -> None:
    mine = cast(Organisation, OrganisationFactory(name="A Real Charity", slug="a-real-charity"))
    load_market(market, replace=True)
    first = (Organisation.objects.count(), StageChange.objects.count())
    pcc = Organisation.objects.get(name="Police and Crime Commissioner for Northumbria")
    theirs = cast(
        CommissioningExercise,
        ExerciseFactory(
            reference="CX-2099-0001", commissioning_body=pcc, tier="local", is_synthetic=False
        ),
    )
    report = load_market(market, replace=True)

    assert report.loaded and report.deleted
    assert (Organisation.objects.count(), StageChange.objects.count() - 1) == first
    assert Organisation.objects.filter(pk=mine.pk).exists()
    # The person's exercise and the synthetic body it names survive, refreshed in place.
    theirs.refresh_from_db()
    assert theirs.commissioning_body_id == pcc.pk
    assert report.kept_in_use == 1
    assert Organisation.objects.get(pk=pcc.pk).areas.get().slug == "northumbria"


def test_keep_leaves_loaded_data_alone(market: SyntheticMarket) -> None:
    load_market(market, replace=False)
    before = Organisation.objects.count()
    report = load_market(generate_market(SEED + 1, SCALE), replace=False)
    assert not report.loaded
    assert Organisation.objects.count() == before


def test_synthetic_slugs_and_references_give_way_to_peoples_records(
    market: SyntheticMarket,
) -> None:
    taken_slug = market.vcs_providers[0].slug
    OrganisationFactory(name="Someone Else", slug=taken_slug)
    ExerciseFactory(reference=market.exercises[0].reference, is_synthetic=False)
    load_market(market, replace=True)
    assert Organisation.objects.filter(slug=f"{taken_slug}-demo", is_synthetic=True).exists()
    assert Organisation.objects.get(slug=taken_slug).is_synthetic is False
    assert CommissioningExercise.objects.filter(is_synthetic=True).count() == len(market.exercises)


def test_demo_users_one_per_role_with_the_right_memberships(market: SyntheticMarket) -> None:
    load_market(market, replace=False)
    rows = create_demo_users()
    users = {u.username: u for u in User.objects.all()}
    assert [r.username for r in rows] == [
        "admin", "commissioner", "commissioner-national", "evaluator", "probation", "provider",
        "provider2", "prime", "reviewer", "steward", "inspector", "pending",
    ]  # fmt: skip
    assert all(r.password == DEMO_PASSWORD for r in rows)
    assert users["admin"].is_site_admin and users["admin"].is_staff and users["admin"].is_superuser
    assert users["reviewer"].role == User.Role.REVIEWER
    assert not users["reviewer"].memberships.exists()
    assert users["probation"].role == User.Role.PROBATION
    assert permissions.is_data_steward(users["steward"])
    assert not permissions.is_data_steward(users["reviewer"])
    assert (
        permissions.is_inspector(users["inspector"]) and not users["inspector"].memberships.exists()
    )

    def membership(username: str) -> Membership:
        return Membership.objects.select_related("organisation").get(user=users[username])

    pcc = membership("commissioner").organisation
    assert users["commissioner"].role == User.Role.COMMISSIONER
    assert pcc.public_body_kind == "pcc" and pcc.commissioning_tier == "local"
    assert permissions.commissioning_bodies_for(users["commissioner"]) == [pcc]
    national = membership("commissioner-national").organisation
    assert national.name == "HM Prison and Probation Service"
    assert membership("steward").organisation == national
    assert membership("evaluator").organisation == pcc
    assert users["evaluator"].role == User.Role.EVALUATOR
    # The probation practitioner is a member of the probation service of the PCC's region only:
    # it serves the PCC's contracts, so they refer and answer escalations there (REF-1, REF-2).
    probation_service = membership("probation").organisation
    assert probation_service == demo_organisations()["probation"]
    assert probation_service.public_body_kind == "prison_probation"
    assert permissions.is_probation_practitioner_of(users["probation"], probation_service.pk)
    assert not permissions.is_probation_practitioner_of(users["probation"], pcc.pk)

    charity = membership("provider")
    assert charity.status == Membership.Status.APPROVED and charity.is_org_admin
    assert charity.organisation.is_synthetic and charity.organisation.org_type == "vcs_charity"
    assert charity.organisation.annual_income < Decimal(500_000)
    assert permissions.can_manage_members(users["provider"], charity.organisation)
    other = membership("provider2")
    assert other.organisation != charity.organisation and other.is_org_admin
    assert not permissions.can_manage_members(users["provider2"], charity.organisation)
    assert membership("prime").organisation.is_prime and membership("prime").is_org_admin
    pending = membership("pending")
    assert pending.status == Membership.Status.PENDING
    assert pending.organisation == charity.organisation
    assert users["provider"].check_password(DEMO_PASSWORD)


def test_demo_users_survive_a_reload_and_are_not_duplicated(market: SyntheticMarket) -> None:
    load_market(market, replace=False)
    create_demo_users()
    load_market(market, replace=True)  # cascades the memberships of synthetic organisations
    create_demo_users()
    people = User.objects.exclude(username__startswith=SYNTHETIC_COMMISSIONER_PREFIX)
    assert people.count() == 12
    assert Membership.objects.filter(user__in=people).count() == 9  # one each but three
    # and one synthetic commissioner per body with exercises, made once (issue 11 item 27)
    bodies = {exercise.commissioning_body for exercise in market.exercises}
    synthetic = User.objects.filter(username__startswith=SYNTHETIC_COMMISSIONER_PREFIX)
    assert synthetic.count() == Membership.objects.filter(user__in=synthetic).count() == len(bodies)


def test_command_loads_contracts_studies_and_prints_the_users_table(
    settings: Any, tmp_path: Path
) -> None:
    from commissioning.contracts.models import Contract
    from commissioning.grants.models import GrantRound
    from commissioning.outcomes_web.models import OutcomeStudy
    from commissioning.ringfences import services as ringfences
    from commissioning.ringfences.models import RingFence

    settings.OUTCOMES_POOL_SIZE = 5_000
    settings.OUTCOMES_POOL_DIR = tmp_path / "pool"
    out = StringIO()
    call_command("load_demo_market", "--seed", "5", "--scale", "0.05", "--with-users", stdout=out)
    text = out.getvalue()
    assert "Loaded the synthetic market (seed 5, scale 0.05)" in text
    assert "commissioner-national" in text and DEMO_PASSWORD in text
    assert Organisation.objects.filter(is_synthetic=True).exists()
    contracts = Contract.objects.filter(
        is_synthetic=True, reference__startswith="PBR-DEMO-"
    ).count()
    assert contracts >= 4
    assert f"Synthetic contracts with payment mechanisms: {contracts} " in text
    assert "Synthetic consultations: " in text
    assert "Synthetic opportunities: 8 (draft, open, closed, in evaluation, cancelled, " in text
    assert "awaiting award: 1, awarded: 2, contracts created from awards: 1." in text
    studies = OutcomeStudy.objects.filter(is_synthetic=True)
    assert f"Synthetic outcome studies: {studies.count()}." in text
    assert studies.filter(status=OutcomeStudy.Status.DONE).count() == studies.count() >= 2
    # Ring-fences on the demo contracts, one under-spent, and the prime's pot (CYC-5, CYC-6).
    assert "Synthetic ring-fences: 2; prime's small-grants pots: 1." in text
    fences = list(RingFence.objects.all())
    assert all(f.is_synthetic for f in fences)
    assert [ringfences.spend(f).is_under_spent for f in fences].count(True) >= 1
    pot = GrantRound.objects.get(contract__isnull=False)
    assert pot.is_synthetic and pot.status == GrantRound.Status.DECIDED
    assert pot in ringfences.counted_rounds(fences[0]) or pot in ringfences.counted_rounds(
        fences[1]
    )
    # Loading again replaces everything, bids and their sealed lots included.
    call_command("load_demo_market", "--seed", "5", "--scale", "0.05", "--with-users", stdout=out)
    assert studies.filter(status=OutcomeStudy.Status.DONE).count() >= 2
    out = StringIO()
    call_command("load_demo_market", "--seed", "5", "--scale", "0.05", "--keep", stdout=out)
    assert "already loaded" in out.getvalue()


def test_replace_removes_synthetic_opportunities_but_keeps_an_exercise_a_person_tendered(
    market: SyntheticMarket,
) -> None:
    from commissioning.procurement.models import Lot, Opportunity

    load_market(market, replace=True)
    exercises = list(CommissioningExercise.objects.filter(is_synthetic=True)[:2])
    synthetic = Opportunity.objects.create(
        exercise=exercises[0], reference="OP-SYN-1", title="Synthetic", is_synthetic=True
    )
    Lot.objects.create(
        opportunity=synthetic,
        number=1,
        title="Lot",
        estimated_annual_value=Decimal("100000.00"),
        duration_months=24,
    )
    theirs = Opportunity.objects.create(
        exercise=exercises[1], reference="OP-REAL-1", title="A person's tender"
    )

    load_market(market, replace=True)

    assert not Opportunity.objects.filter(pk=synthetic.pk).exists()
    assert not Lot.objects.filter(opportunity_id=synthetic.pk).exists()
    theirs.refresh_from_db()
    # The person's tender keeps its (synthetic) exercise rather than failing the reload.
    assert CommissioningExercise.objects.filter(pk=exercises[1].pk).exists()
