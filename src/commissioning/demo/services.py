"""Loading the synthetic demo market into the database (MKT-1, CYC-1).

:func:`load_market` maps the analytics core's plain records to ORM rows with ``bulk_create``
(organisations, exercises, stage histories and the many-to-many through rows) in one
transaction, fast enough for a 10x market. Only synthetic data is ever replaced: records that
people made (``is_synthetic=False``) stay, and synthetic organisations that such records still
refer to are kept and refreshed in place rather than deleted.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError

from commissioning.audit.models import AuditEvent
from commissioning.demo.replace import delete_synthetic
from commissioning.demo.users import DemoUser, create_demo_users, synthetic_commissioners
from commissioning.directory.models import Area, Cohort, Organisation, Specialism
from commissioning.exercises import lifecycle as exercise_lifecycle
from commissioning.exercises.models import CommissioningExercise, StageChange
from commissioning_analytics.market.geography import AreaSpec, Term
from commissioning_analytics.market.synthetic_types import (
    SyntheticExercise,
    SyntheticMarket,
    SyntheticOrganisation,
)

__all__ = ["DemoUser", "LoadError", "LoadReport", "create_demo_users", "load_market"]

BATCH = 2000
LINK_BATCH = 5000
"""Rows per multi-row insert: 10,000 parameters, within SQLite's and PostgreSQL's limits."""
_T = TypeVar("_T", Specialism, Cohort)

_ORG_FIELDS = (
    "name",
    "org_type",
    "public_body_kind",
    "is_commissioning_body",
    "commissioning_tier",
    "is_prime",
    "charity_number",
    "company_number",
    "description",
    "annual_income",
    "reserves_months",
    "bame_led",
    "women_led",
    "lived_experience_led",
    "user_led",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_synthetic",
)


class LoadError(Exception):
    """The market could not be loaded; the message says why and what to do."""


@dataclass
class LoadReport:
    seed: int
    scale: float
    loaded: bool = True
    """False when synthetic data was already there and ``replace`` was not asked for."""
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    kept_in_use: int = 0
    """Synthetic organisations kept (and refreshed) because people's records refer to them."""
    seconds: float = 0.0


def load_market(market: SyntheticMarket, *, replace: bool) -> LoadReport:
    """Insert ``market``; with ``replace``, first remove the synthetic data loaded before."""
    started = time.perf_counter()
    report = LoadReport(seed=market.seed, scale=market.scale)
    with transaction.atomic():
        area_ids = _upsert_areas(market.areas)
        specialism_ids = _upsert_terms(Specialism, market.specialisms)
        cohort_ids = _upsert_terms(Cohort, market.cohorts)
        kept: dict[str, Organisation] = {}
        if Organisation.objects.filter(is_synthetic=True).exists():
            if not replace:
                report.loaded = False
                report.counts = _counts()
                report.seconds = time.perf_counter() - started
                return report
            try:
                report.deleted, kept = delete_synthetic()
            except (ProtectedError, RestrictedError) as error:
                examples = ", ".join(str(obj) for obj in list(error.args[1])[:3])
                raise LoadError(
                    "Cannot replace the synthetic data: records people made depend on it "
                    f"({examples}). Load with --keep, or remove those records first."
                ) from error
        report.kept_in_use = len(kept)
        org_ids = _insert_organisations(
            market.organisations, kept, area_ids, specialism_ids, cohort_ids
        )
        _insert_exercises(market.exercises, org_ids, area_ids, specialism_ids)
        record_who_moved_the_exercises()
        report.counts = _counts()
        AuditEvent.objects.create(
            actor=None,
            actor_label="system",
            action="demo_market_loaded",
            target_type="demo.SyntheticMarket",
            target_id=str(market.seed),
            target_label=f"Synthetic demo market (seed {market.seed}, scale {market.scale:g})",
            changes={"replace": replace, "counts": report.counts, "deleted": report.deleted},
        )
    report.seconds = time.perf_counter() - started
    return report


def record_who_moved_the_exercises() -> int:
    """Name who moved each synthetic exercise from stage to stage (CYC-1): the synthetic
    commissioner of its body, wherever the history does not say yet (the market's histories,
    and those the demo contracts add). Returns how many stage changes were named."""
    unnamed = StageChange.objects.filter(exercise__is_synthetic=True, changed_by__isnull=True)
    bodies = Organisation.objects.filter(
        pk__in=unnamed.values("exercise__commissioning_body_id")
    ).order_by("slug")
    named = 0
    for body_id, commissioner in synthetic_commissioners(bodies).items():
        named += unnamed.filter(exercise__commissioning_body_id=body_id).update(
            changed_by=commissioner
        )
    return named


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.filter(is_synthetic=True).count(),
        "providers": Organisation.objects.filter(is_synthetic=True, is_commissioning_body=False)
        .exclude(org_type=Organisation.OrgType.PUBLIC_SECTOR)
        .count(),
        "primes": Organisation.objects.filter(is_synthetic=True, is_prime=True).count(),
        "commissioning_bodies": Organisation.objects.filter(
            is_synthetic=True, is_commissioning_body=True
        ).count(),
        "exercises": CommissioningExercise.objects.filter(is_synthetic=True).count(),
        "stage_changes": StageChange.objects.filter(exercise__is_synthetic=True).count(),
        "areas": Area.objects.count(),
        "specialisms": Specialism.objects.count(),
        "cohorts": Cohort.objects.count(),
    }


# ---------------------------------------------------------------- reference data (upserted)


def _upsert_areas(specs: Sequence[AreaSpec]) -> dict[str, int]:
    """Areas are public geography, shared with people's records: create or update, never delete.
    Parents (national, regions) come before their children in ``specs``."""
    existing = {area.slug: area for area in Area.objects.all()}
    ids = {slug: area.pk for slug, area in existing.items()}
    for kind_pass in (lambda s: s.parent is None, lambda s: s.parent is not None):
        new = []
        for spec in filter(kind_pass, specs):
            values = {
                "name": spec.name,
                "kind": spec.kind,
                "country": spec.country,
                "parent_id": ids[spec.parent] if spec.parent else None,
            }
            area = existing.get(spec.slug)
            if area is None:
                new.append(Area(slug=spec.slug, **values))
            elif any(getattr(area, k) != v for k, v in values.items()):
                Area.objects.filter(pk=area.pk).update(**values)
        for area in Area.objects.bulk_create(new):
            ids[area.slug] = area.pk
    missing = [s.slug for s in specs if ids.get(s.slug) is None]
    if missing:  # a backend that does not return primary keys from bulk inserts
        ids.update(Area.objects.filter(slug__in=missing).values_list("slug", "pk"))
    return ids


def _upsert_terms(model: type[_T], terms: Sequence[Term]) -> dict[str, int]:
    existing = dict(model.objects.values_list("slug", "name"))
    model.objects.bulk_create(
        [model(slug=t.slug, name=t.name) for t in terms if t.slug not in existing]
    )
    for term in terms:
        if term.slug in existing and existing[term.slug] != term.name:
            model.objects.filter(slug=term.slug).update(name=term.name)
    return dict(model.objects.values_list("slug", "pk"))


# ---------------------------------------------------------------- insert


def _insert_organisations(
    records: Sequence[SyntheticOrganisation],
    kept: dict[str, Organisation],
    area_ids: dict[str, int],
    specialism_ids: dict[str, int],
    cohort_ids: dict[str, int],
) -> dict[str, int]:
    """Insert (or refresh kept) organisations; returns the market slug → primary key."""
    taken = set(Organisation.objects.filter(is_synthetic=False).values_list("slug", flat=True))
    new: list[tuple[str, Organisation]] = []
    ids: dict[str, int] = {}
    for record in records:
        values = {name: getattr(record, name) for name in _ORG_FIELDS}
        slug = _free_slug(record.slug, taken)
        if slug in kept:
            org = kept[slug]
            for name, value in values.items():
                setattr(org, name, value)
            org.save()
            ids[record.slug] = org.pk
            for manager in (org.areas, org.specialisms, org.cohorts):
                manager.clear()
        else:
            org = Organisation(slug=slug, **values)
            org.refresh_derived_fields()  # bulk_create bypasses save()
            new.append((record.slug, org))
    Organisation.objects.bulk_create([org for _, org in new], batch_size=BATCH)
    ids.update({market_slug: org.pk for market_slug, org in new if org.pk is not None})
    if len(ids) < len(records):  # primary keys not returned by this backend
        by_slug = dict(
            Organisation.objects.filter(slug__in=[o.slug for _, o in new]).values_list("slug", "pk")
        )
        ids.update({market_slug: by_slug[org.slug] for market_slug, org in new})
    by_record = [(ids[r.slug], r) for r in records]
    _link(
        Organisation.areas.through,
        "organisation_id",
        "area_id",
        ((pk, area_ids[s]) for pk, r in by_record for s in r.areas),
    )
    _link(
        Organisation.specialisms.through,
        "organisation_id",
        "specialism_id",
        ((pk, specialism_ids[s]) for pk, r in by_record for s in r.specialisms),
    )
    _link(
        Organisation.cohorts.through,
        "organisation_id",
        "cohort_id",
        ((pk, cohort_ids[s]) for pk, r in by_record for s in r.cohorts),
    )
    return ids


def _free_slug(slug: str, taken: set[str]) -> str:
    """The market's slug, or a variant when a person's organisation already has it."""
    candidate, number = slug, 1
    while candidate in taken:
        candidate = f"{slug}-demo" if number == 1 else f"{slug}-demo-{number}"
        number += 1
    return candidate


def _link(through: Any, left: str, right: str, pairs: Iterable[tuple[int, int]]) -> None:
    """Insert many-to-many through rows in a few statements (``unnest`` on PostgreSQL, multi-row
    ``VALUES`` elsewhere): model instances (``bulk_create``) would cost more than the insert itself
    at 10x scale, and ``executemany`` is one round trip a row on PostgreSQL."""
    rows = list(pairs)
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    columns = ", ".join(quote(through._meta.get_field(name).column) for name in (left, right))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and rows:
            # Two array parameters instead of two per row: PostgreSQL unnests them server-side.
            lefts, rights = zip(*rows, strict=True)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [list(lefts), list(rights)],
            )
            return
        for start in range(0, len(rows), LINK_BATCH):
            chunk = rows[start : start + LINK_BATCH]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                [value for row in chunk for value in row],
            )


def _insert_exercises(
    records: Sequence[SyntheticExercise],
    org_ids: dict[str, int],
    area_ids: dict[str, int],
    specialism_ids: dict[str, int],
) -> None:
    existing = set(CommissioningExercise.objects.values_list("reference", flat=True))
    taken = existing | {r.reference for r in records}
    exercises = []
    for record in records:
        reference = record.reference
        if reference in existing:
            reference = _free_reference(reference, taken)
        exercises.append(
            exercise_lifecycle.seeded(
                CommissioningExercise(
                    reference=reference,
                    title=record.title,
                    tier=record.tier,
                    commissioning_body_id=org_ids[record.commissioning_body],
                    service_area_id=specialism_ids[record.service_area],
                    summary=record.summary,
                    estimated_annual_value=record.estimated_annual_value,
                    is_synthetic=True,
                ),
                record.stage,
            )
        )
    CommissioningExercise.objects.bulk_create(exercises, batch_size=BATCH)
    if any(e.pk is None for e in exercises):
        by_ref = dict(
            CommissioningExercise.objects.filter(
                reference__in=[e.reference for e in exercises]
            ).values_list("reference", "pk")
        )
        for exercise in exercises:
            exercise.pk = by_ref[exercise.reference]
    # auto_now_add stamps "now" on insert; the history says when each exercise really began.
    for exercise, record in zip(exercises, records, strict=True):
        exercise.created_at = record.created_at
        exercise.updated_at = record.history[-1].changed_at
    CommissioningExercise.objects.bulk_update(
        exercises, ["created_at", "updated_at"], batch_size=500
    )
    StageChange.objects.bulk_create(
        [
            StageChange(
                exercise_id=exercise.pk,
                from_stage=record.history[i - 1].stage if i else "",
                to_stage=change.stage,
                changed_at=change.changed_at,
                reason=change.reason,
            )
            for exercise, record in zip(exercises, records, strict=True)
            for i, change in enumerate(record.history)
        ],
        batch_size=BATCH,
    )
    pairs = list(zip(exercises, records, strict=True))
    _link(
        CommissioningExercise.areas.through,
        "commissioningexercise_id",
        "area_id",
        ((e.pk, area_ids[s]) for e, r in pairs for s in r.areas),
    )
    _link(
        CommissioningExercise.partners.through,
        "commissioningexercise_id",
        "organisation_id",
        ((e.pk, org_ids[s]) for e, r in pairs for s in r.partners),
    )


def _free_reference(reference: str, taken: set[str]) -> str:
    """The next unused ``CX-<year>-<n>`` after ``reference`` (a person's exercise has it)."""
    prefix, _, number = reference.rpartition("-")
    n = int(number)
    candidate = reference
    while candidate in taken:
        n += 1
        candidate = f"{prefix}-{n:04d}"
    taken.add(candidate)
    return candidate
