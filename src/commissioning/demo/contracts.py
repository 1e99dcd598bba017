"""Synthetic demo contracts (PBR-1 .. PBR-6, SUP-1): one awarded opportunity, lot and contract for
each kind of payment mechanism the analytics core ships as an example.

Run after the synthetic market is loaded. :func:`load_demo_contracts` picks demo exercises
(preferring those being delivered), a synthetic prime working in each lot's area and, for the
supply chain, small local providers; the parties in each document are those organisations.
One contract belongs to the demo commissioner's body (the Northumbria PCC: an exercise is made
for it when the market has none) and has the demo provider's charity as a sub-contractor.
Every document is validated by the core before it is saved, and every statement must conserve
money: a demo document that fails raises :class:`DemoContractsError`.

Only synthetic records are made or replaced. The market loader must call
:func:`delete_demo_contracts` before it deletes synthetic exercises and organisations, which
the contracts protect.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from commissioning.audit.models import AuditEvent
from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.bids.models import Bid
from commissioning.contracts.models import Contract, ContractParty
from commissioning.contracts.services import ContractDataError, validate_documents
from commissioning.demo import contract_documents as documents
from commissioning.demo.replace import awards_first
from commissioning.demo.users import demo_organisations
from commissioning.directory.models import Area, Organisation, Specialism
from commissioning.exercises import lifecycle as exercise_lifecycle
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning.opendata.ocds.contract import KPI_MINIMUM
from commissioning.procurement import lifecycle as opportunity_lifecycle
from commissioning.procurement.models import Lot, Opportunity, OutcomePaymentMode
from commissioning_analytics.payments import calculate
from commissioning_analytics.timelines.working_days import LONDON

CONTRACT_PREFIX = "PBR-DEMO-"
OPPORTUNITY_PREFIX = "OPP-DEMO-"
EXERCISE_MARKER = "Synthetic demo exercise made for the payment-by-results demo contracts."
DELIVERING = ("deliver", "review")
DEFAULT_VALUE = {
    "hmp-doncaster": Decimal(1_200_000),
    "peterborough-sib": Decimal(2_500_000),
    "work-programme-jsa-18-24": Decimal(3_000_000),
    "illustrative-supply-chain": Decimal(600_000),
}
# Exercise preferences: (commissioning body kinds, service areas), best first.
PREFERENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hmp-doncaster": (("prison", "prison_probation"), ("resettlement-through-the-gate",)),
    "peterborough-sib": (
        ("ministry", "prison_probation"),
        ("mentoring", "families-and-relationships"),
    ),
    "work-programme-jsa-18-24": (
        ("prison_probation", "ministry"),
        ("education-training-and-employment",),
    ),
}
ROLES = {role.value: role for role in ContractParty.Role}
#: Outcome measures each demo mechanism adds to its own (measured, not paid on). They are not
#: its KPIs: those are records (:mod:`.contract_performance`), and outcome measures never count
#: towards the 3 a contract over £5m publishes (LAW-4; issue 15 item 3).
DEMO_KPIS: dict[str, tuple[tuple[str, str], ...]] = {
    "hmp-doncaster": (
        ("settled-accommodation-on-release", "Released to settled accommodation (% of cohort)"),
        ("in-work-or-training", "In education, training or work six weeks after release (%)"),
    ),
    "peterborough-sib": (
        ("engaged-with-mentor", "Met their mentor within a month of release (% of cohort)"),
        ("settled-accommodation", "In settled accommodation three months after release (%)"),
        ("in-work-or-training", "In education, training or work six months after release (%)"),
    ),
    "work-programme-jsa-18-24": (
        ("started-within-ten-days", "Started the programme within 10 working days (%)"),
        ("job-outcome-rate", "Job outcomes as a share of people attached (%)"),
        ("sustained-six-months", "Still in work six months after a job outcome (%)"),
    ),
    "illustrative-supply-chain": (
        ("engaged-with-support", "Engaged with support within two weeks of release (%)"),
    ),
}


class DemoContractsError(Exception):
    """The demo contracts could not be made: the message says why."""


def tendered_share(mechanism: dict[str, Any]) -> dict[str, Any]:
    """The lot's share of the fee paid on outcomes (PBR-1), where the contract's mechanism is a
    service fee alone: the share it puts at risk. A mechanism that also pays outcome or volume
    payments, or a bond, has no single such share, so it is left unstated."""
    fee = mechanism.get("service_fee")
    others = ("outcome_payments", "volume_fees", "social_impact_bond")
    if not fee or any(mechanism.get(name) for name in others):
        return {}
    risk = fee.get("at_risk") or {}
    return {
        "outcome_payment_percent": (Decimal(risk.get("share", "0")) * 100).quantize(
            Decimal("0.01")
        ),
        "outcome_payment_mode": risk.get("mode", OutcomePaymentMode.WITHHELD),
    }


def delete_demo_contracts() -> dict[str, int]:
    """Remove synthetic contracts and opportunities (with their lots and parties) and the
    exercises made for them; returns how many of each were deleted."""
    deleted: dict[str, int] = {}
    synthetic = Opportunity.objects.filter(is_synthetic=True)
    with replacing_synthetic_demo():
        for queryset in (
            *awards_first(synthetic),  # an award protects its winning bid
            Bid.objects.filter(lot__opportunity__is_synthetic=True),  # bids protect their lots
            Contract.objects.filter(is_synthetic=True),
            Opportunity.objects.filter(is_synthetic=True),
            CommissioningExercise.objects.filter(
                is_synthetic=True, summary__endswith=EXERCISE_MARKER
            ),
        ):
            _, by_model = queryset.delete()
            for label, count in by_model.items():
                deleted[label] = deleted.get(label, 0) + count
    return deleted


def load_demo_contracts(*, seed: int = 2026, replace: bool = True) -> list[Contract]:
    """Make the demo contracts (idempotent: with ``replace``, earlier ones are removed first;
    without, existing demo contracts are returned as they are)."""
    with transaction.atomic():
        existing = list(Contract.objects.filter(is_synthetic=True).order_by("reference"))
        if existing and not replace:
            return existing
        delete_demo_contracts()
        demo = demo_organisations()
        used_exercises: set[int] = set()
        used_orgs: set[int] = set()
        contracts = []
        for number, kind in enumerate(documents.KINDS, start=1):
            rng = random.Random(f"{seed}:{kind}")
            if kind == "illustrative-supply-chain":
                exercise = home_exercise(demo["pcc"])
            else:
                exercise = _pick_exercise(kind, used_exercises)
            used_exercises.add(exercise.pk)
            contracts.append(_make(number, kind, exercise, demo, used_orgs, rng))
        AuditEvent.objects.create(
            actor=None,
            actor_label="system",
            action="demo_contracts_loaded",
            target_type="demo.DemoContracts",
            target_id=str(seed),
            target_label=f"Synthetic demo contracts (seed {seed})",
            changes={"contracts": [c.reference for c in contracts]},
        )
        return contracts


# ---------------------------------------------------------------- choosing records


def _pick_exercise(kind: str, used: set[int]) -> CommissioningExercise:
    bodies, services = PREFERENCES[kind]
    candidates = list(
        CommissioningExercise.objects.filter(is_synthetic=True)
        .exclude(pk__in=used)
        .select_related("commissioning_body", "service_area")
        .order_by("reference")
    )
    if not candidates:
        raise DemoContractsError("No synthetic exercises: load the demo market first.")

    def rank(exercise: CommissioningExercise) -> tuple[bool, bool, bool]:
        return (
            exercise.stage not in DELIVERING,
            exercise.service_area.slug not in services,
            exercise.commissioning_body.public_body_kind not in bodies,
        )

    return min(candidates, key=rank)


def home_exercise(body: Organisation) -> CommissioningExercise:
    """An exercise of the demo commissioner's body being delivered, made if there is none."""
    found = (
        CommissioningExercise.objects.filter(
            is_synthetic=True, commissioning_body=body, stage__in=DELIVERING
        )
        .order_by("reference")
        .first()
    )
    if found is not None:
        return found
    taken = set(CommissioningExercise.objects.values_list("reference", flat=True))
    reference = next(f"CX-2025-{n}" for n in range(9001, 10000) if f"CX-2025-{n}" not in taken)
    area = body.areas.order_by("slug").first()
    place = area.name if area else "the area"
    exercise = CommissioningExercise(
        reference=reference,
        title=f"Resettlement and accommodation support with a local supply chain – {place}",
        tier=CommissioningExercise.Tier.LOCAL,
        commissioning_body=body,
        service_area=Specialism.objects.get(slug="accommodation"),
        summary=(
            f"{body.name} is commissioning resettlement and accommodation support in {place}, "
            "paid partly by results, from a prime with local charities as sub-contractors. "
            f"{EXERCISE_MARKER}"
        ),
        estimated_annual_value=DEFAULT_VALUE["illustrative-supply-chain"],
        is_synthetic=True,
    )
    exercise_lifecycle.seeded(exercise, exercise_lifecycle.Stage.DELIVER).save()
    if area is not None:
        exercise.areas.add(area)
    history = [("", "assess_need", 1), ("assess_need", "plan", 3), ("plan", "procure", 5)]
    history.append(("procure", "deliver", 9))
    StageChange.objects.bulk_create(
        StageChange(
            exercise=exercise,
            from_stage=before,
            to_stage=after,
            changed_at=datetime(2025, month, 10, 10, tzinfo=LONDON),
        )
        for before, after, month in history
    )
    return exercise


TENDER_TO_START = timedelta(weeks=16)
"""At least this long between an awarded demo opportunity's publication and its contract's start:
six weeks for bids, then evaluation, award, standstill and mobilisation."""


def publication_day(exercise: CommissioningExercise, contract_start: date) -> date:
    """The day an awarded demo opportunity was published (issue 11 items 20, 27; CYC-3): the day
    after its exercise last moved to "procure" (its engagement closed before then), and no later
    than :data:`TENDER_TO_START` before the contract starts."""
    latest = contract_start - TENDER_TO_START
    procured = (
        exercise.stage_changes.filter(to_stage="procure").order_by("-changed_at", "-pk").first()
    )
    if procured is None:
        return latest
    return min(procured.changed_at.astimezone(LONDON).date() + timedelta(days=1), latest)


def _places(areas: Iterable[Area]) -> set[str]:
    """The lot's areas with their regions and police force areas, and England and Wales."""
    slugs = {"england-and-wales"}
    for area in areas:
        slugs.add(area.slug)
        if area.parent_id:
            slugs.add(area.parent.slug)  # type: ignore[union-attr]
        slugs.update(area.children.values_list("slug", flat=True))
    return slugs


def _prime(places: set[str], used: set[int], rng: random.Random) -> Organisation:
    """A synthetic prime working in the lot's area, one not used yet where there is one."""
    primes = Organisation.objects.filter(is_synthetic=True, is_prime=True).order_by("slug")
    unused = primes.exclude(pk__in=used)
    for queryset in (unused.filter(areas__slug__in=places).distinct(), unused, primes):
        found = list(queryset)
        if found:
            return rng.choice(found)
    raise DemoContractsError("The synthetic market has no prime contractors.")


def _local_provider(
    places: set[str], specialism: str, used: set[int], rng: random.Random
) -> Organisation:
    small = (
        Organisation.objects.filter(
            is_synthetic=True,
            is_prime=False,
            is_commissioning_body=False,
            org_type__in=["vcs_charity", "social_enterprise"],
            annual_income__lt=1_000_000,
        )
        .exclude(pk__in=used)
        .order_by("slug")
    )
    local = small.filter(areas__slug__in=places - {"england-and-wales"}).distinct()
    for queryset in (local.filter(specialisms__slug=specialism), local, small):
        found = list(queryset)
        if found:
            return rng.choice(found)
    raise DemoContractsError("The synthetic market has no small providers.")


def _investor(used: set[int], rng: random.Random) -> Organisation:
    """Charitable trusts and foundations invested in the Peterborough bond."""
    larger = Organisation.objects.filter(
        is_synthetic=True, is_commissioning_body=False, org_type="vcs_charity"
    ).exclude(pk__in=used)
    named = list(larger.filter(name__iregex=r"(trust|foundation)").order_by("-annual_income")[:5])
    found = named or list(larger.order_by("-annual_income")[:5])
    if not found:
        raise DemoContractsError("The synthetic market has no charities.")
    return rng.choice(found)


def _party(organisation: Organisation) -> documents.Party:
    return documents.Party(organisation.slug[:60].rstrip("-"), organisation.name)


# ---------------------------------------------------------------- making records


def _make(
    number: int,
    kind: str,
    exercise: CommissioningExercise,
    demo: dict[str, Organisation],
    used: set[int],
    rng: random.Random,
) -> Contract:
    areas = list(exercise.areas.select_related("parent"))
    places = _places(areas)
    prime = _prime(places, used, rng)
    organisations = {"commissioner": exercise.commissioning_body, "prime": prime}
    used.add(prime.pk)
    subcontractors: list[Organisation] = []
    if kind == "illustrative-supply-chain":
        subcontractors = [demo["charity"]]
        used.add(demo["charity"].pk)
        # Three more small local providers, named before the women's centre (the last named is
        # the one the referrals demo starves): five sub-contractors answer the prime's
        # supply-chain survey, enough for its results to be shown (SUP-4, ADR 0011).
        for specialism in documents.MORE_SUBCONTRACTORS:
            subcontractors.append(_local_provider(places, specialism, used, rng))
            used.add(subcontractors[-1].pk)
        subcontractors.append(_local_provider(places, "womens-services", used, rng))
        used.add(subcontractors[-1].pk)
    investor = None
    if kind == "peterborough-sib":
        investor = _investor(used, rng)
        used.add(investor.pk)
    chain = documents.Chain(
        commissioner=_party(organisations["commissioner"]),
        prime=_party(prime),
        subcontractors=tuple(_party(o) for o in subcontractors),
        investor=_party(investor) if investor else None,
    )
    value = exercise.estimated_annual_value or DEFAULT_VALUE[kind]
    reference = f"{CONTRACT_PREFIX}{number:02d}"
    docs = documents.BUILDERS[kind](reference.lower(), chain, Decimal(value), rng)
    _add_kpis(kind, docs.mechanism)
    _check(reference, docs)
    place = ", ".join(a.name for a in areas) or "England and Wales"
    published_on = publication_day(exercise, docs.start)
    question_on = published_on + timedelta(weeks=3)
    opportunity = Opportunity(
        exercise=exercise,
        reference=f"{OPPORTUNITY_PREFIX}{number:02d}",
        title=f"Synthetic demo: {exercise.title}"[:200],
        description=f"{documents.SYNTHETIC} Awarded to {prime.name}.",
        published_at=datetime.combine(published_on, time(9), tzinfo=LONDON),
        question_deadline=datetime.combine(question_on, time(12), tzinfo=LONDON),
        answers_by=datetime.combine(question_on + timedelta(weeks=1), time(12), tzinfo=LONDON),
        bid_deadline=datetime.combine(published_on + timedelta(weeks=6), time(12), tzinfo=LONDON),
        is_synthetic=True,
    )
    opportunity_lifecycle.seed(opportunity, opportunity_lifecycle.Status.AWARDED)
    lot = Lot.objects.create(
        opportunity=opportunity,
        number=1,
        title=f"{exercise.service_area.name} – {place}"[:200],
        estimated_annual_value=docs.annual_value,
        duration_months=docs.duration_months,
        payment_model_summary=docs.mechanism["description"],
        **tendered_share(docs.mechanism),
        turnover_multiple=Decimal(2),
        minimum_reserves_months=Decimal(3),
    )
    lot.areas.set(areas)
    lot.specialisms.set([exercise.service_area])
    contract = Contract.objects.create(
        reference=reference,
        title=f"Synthetic demo: {docs.label} – {place}"[:200],
        lot=lot,
        commissioning_body=exercise.commissioning_body,
        prime=prime,
        start_date=docs.start,
        end_date=docs.end,
        annual_value=docs.annual_value,
        mechanism=docs.mechanism,
        observed=docs.observed,
        assumptions=docs.assumptions,
        is_synthetic=True,
    )
    by_id = {_party(o).id: o for o in [*organisations.values(), *subcontractors]}
    if investor is not None:
        by_id[_party(investor).id] = investor
    parties = []
    for party in docs.mechanism["parties"]:
        promise = docs.promises.get(party["id"])
        parties.append(
            ContractParty(
                contract=contract,
                party_id=party["id"],
                organisation=by_id[party["id"]],
                role=ROLES[party["role"]],
                services=promise.services if promise else "",
                promised_referrals_per_year=promise.referrals_per_year if promise else None,
                promised_value_per_year=promise.value_per_year if promise else None,
            )
        )
    ContractParty.objects.bulk_create(parties)
    return contract


def _add_kpis(kind: str, mechanism: dict[str, object]) -> None:
    """Top the mechanism's outcome measures up to three, as real programmes measure more than
    they pay on."""
    measures = mechanism.setdefault("measures", [])
    assert isinstance(measures, list)
    taken = {measure["id"] for measure in measures}
    for ident, description in DEMO_KPIS[kind]:
        if len(measures) >= KPI_MINIMUM:
            return
        if ident not in taken:
            measures.append(
                {
                    "id": ident,
                    "kind": "intermediate",
                    "description": description,
                    "indicator": "leading",
                }
            )


def _check(reference: str, docs: documents.DemoDocuments) -> None:
    """Fail loudly when the core refuses a demo document or its statement loses money."""
    try:
        parsed = validate_documents(docs.mechanism, docs.observed, docs.assumptions)
    except ContractDataError as error:
        raise DemoContractsError(f"Demo contract {reference} is not valid: {error}") from error
    assert parsed.observed is not None
    if not calculate(parsed.mechanism, parsed.observed).is_conserved():
        raise DemoContractsError(f"Demo contract {reference}: money is not conserved")
