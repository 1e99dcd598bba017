"""Read queries of the referral pages and the API (REF-1): the public counts per provider and
quarter, the equality-monitoring counts (suppressed below 5), and the filtered lists."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract
from commissioning.kernel.quarters import quarter_label, quarters
from commissioning.permissions import member_organisations
from commissioning.referrals import access, characteristics
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import ErasedCharacteristicCount, Referral, ReferralEvent
from commissioning_analytics.payments.recorded import RECORDED_STEPS, RecordedStep

#: The steps the public counts show, in order.
COUNTED = (Status.REFERRED, Status.ACCEPTED, Status.STARTED, Status.COMPLETED)


@dataclass
class ProviderQuarter:
    quarter: date
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def none_referred(self) -> bool:
        return self.counts.get(Status.REFERRED, 0) == 0


@dataclass
class ProviderCounts:
    name: str
    role: str
    slug: str
    quarters: list[ProviderQuarter]


def public_counts(contract: Contract, today: date | None = None) -> list[ProviderCounts]:
    """For every service a person can be referred to under ``contract`` (prime and each
    sub-contractor) and every quarter from the contract's start to today's (or its end): how
    many were referred, accepted, started and completed, by the day each step happened. Zeros
    are shown: a named partner that gets no referrals is the point."""
    today = today or timezone.localdate()
    last = min(today, contract.end_date)
    periods = quarters(contract.start_date, last) if contract.start_date <= last else []
    rows = (
        ReferralEvent.objects.filter(referral__contract=contract, step__in=COUNTED)
        .annotate(quarter=TruncQuarter("happened_on"))
        .values("referral__party", "quarter", "step")
        .annotate(n=Count("pk"))
    )
    table: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    for row in rows:
        quarter = row["quarter"]
        quarter = quarter.date() if hasattr(quarter, "date") else quarter
        table[(int(row["referral__party"]), quarter)][str(row["step"])] = int(row["n"])
    result = []
    for party in access.receiving_parties(contract):
        assert party.organisation is not None
        result.append(
            ProviderCounts(
                name=party.organisation.name,
                role=party.get_role_display(),
                slug=party.organisation.slug,
                quarters=[
                    ProviderQuarter(
                        quarter=start,
                        label=quarter_label(start),
                        counts={s.value: table[(party.pk, start)].get(s, 0) for s in COUNTED},
                    )
                    for start in periods
                ],
            )
        )
    return result


@dataclass(frozen=True)
class EqualityRow:
    characteristic: str
    answers: list[tuple[str, int | str]]


def equality_counts(referrals: QuerySet[Referral]) -> list[EqualityRow]:
    """The referrals by each protected characteristic's answers ("not recorded" included), as
    they may be published: 1 to 4 never shown (:func:`characteristics.publishable`). Referrals
    whose answers were erased count through their contract's kept totals
    (:mod:`.retention`), so ``referrals`` is all of one or more contracts' referrals."""
    tallies: dict[str, dict[str, int]] = {
        c.name: defaultdict(int) for c in characteristics.CHARACTERISTICS
    }
    held = referrals.filter(personal_data_erased_on__isnull=True)
    for answers in held.values_list("characteristics", flat=True):
        for item in characteristics.CHARACTERISTICS:
            tallies[item.name][(answers or {}).get(item.name, characteristics.NOT_RECORDED)] += 1
    erased = ErasedCharacteristicCount.objects.filter(contract__in=referrals.values("contract"))
    for kept in erased:
        if kept.characteristic in tallies:
            tallies[kept.characteristic][kept.answer] += kept.count
    result = []
    for item in characteristics.CHARACTERISTICS:
        codes = [code for code, _ in item.choices()] + [characteristics.NOT_RECORDED]
        shown = characteristics.publishable([tallies[item.name][code] for code in codes])
        result.append(
            EqualityRow(
                item.label, [(item.label_of(c), v) for c, v in zip(codes, shown, strict=True)]
            )
        )
    return result


def waiting_first(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals waiting for a decision first, then the rest; each newest first."""
    return referrals.annotate(
        waiting=Case(
            When(status=Status.REFERRED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "-referred_on", "-pk")


def filtered(referrals: QuerySet[Referral], filters: dict[str, Any]) -> QuerySet[Referral]:
    if filters.get("status"):
        referrals = referrals.filter(status=filters["status"])
    if filters.get("provider"):
        referrals = referrals.filter(provider=filters["provider"])
    if filters.get("need_group"):
        referrals = referrals.filter(need_group=filters["need_group"])
    if filters.get("referred_from"):
        referrals = referrals.filter(referred_on__gte=filters["referred_from"])
    if filters.get("referred_to"):
        referrals = referrals.filter(referred_on__lte=filters["referred_to"])
    # Only what the list shows: the contract's mechanism and the organisations' profiles are
    # wide, and a page of 25 would carry them 25 times.
    return referrals.select_related("contract", "provider", "referrer").only(
        "reference",
        "is_synthetic",
        "referred_on",
        "status",
        "status_on",
        "contract__reference",
        "provider__name",
        "referrer__name",
    )


def referred_by_quarter(contract_ids: Iterable[int]) -> dict[tuple[int, date], int]:
    """How many people were referred to each contract party (by its id, unique across
    contracts) in each calendar quarter (by its first day), by the day they were referred, under
    the contracts, in one query: what a sub-contractor received against its bid's promise
    (SUP-2)."""
    rows = (
        Referral.objects.filter(contract__in=list(contract_ids))
        .annotate(quarter=TruncQuarter("referred_on"))
        .values("party", "quarter")
        .annotate(n=Count("pk"))
    )
    found: dict[tuple[int, date], int] = {}
    for row in rows:
        quarter = row["quarter"]
        quarter = quarter.date() if hasattr(quarter, "date") else quarter
        found[(int(row["party"]), quarter)] = int(row["n"])
    return found


@dataclass(frozen=True)
class ReferralProgress:
    need_group: str
    accepted: bool
    engaged: bool
    completed: bool


def progress_by_referral(contract: Contract) -> list[ReferralProgress]:
    """Each referral under ``contract`` with its need group and whether it was ever accepted,
    engaged or completed (from its events: a referral that disengaged after engaging still
    engaged), for acceptance, engagement and completion by need group (PBR-3)."""
    reached: dict[int, set[str]] = defaultdict(set)
    for referral_id, step in ReferralEvent.objects.filter(
        referral__contract=contract,
        step__in=(Status.ACCEPTED, Status.ENGAGED, Status.COMPLETED),
    ).values_list("referral_id", "step"):
        reached[referral_id].add(step)
    return [
        ReferralProgress(
            need_group=group,
            accepted=Status.ACCEPTED in reached[pk],
            engaged=Status.ENGAGED in reached[pk],
            completed=Status.COMPLETED in reached[pk],
        )
        for pk, group in Referral.objects.filter(contract=contract).values_list("pk", "need_group")
    ]


def steps_by_party(
    contract: Contract, first: date, last: date, steps: tuple[Status, ...] = COUNTED
) -> dict[int, dict[str, int]]:
    """How many of each of ``steps`` happened between ``first`` and ``last`` (inclusive) under
    ``contract``, by the receiving contract party's id: a quarter's supply-chain return (SUP-1)."""
    rows = (
        ReferralEvent.objects.filter(
            referral__contract=contract, step__in=steps, happened_on__range=(first, last)
        )
        .values("referral__party", "step")
        .annotate(n=Count("pk"))
    )
    table: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        table[int(row["referral__party"])][str(row["step"])] = int(row["n"])
    return dict(table)


def waiting_for_decision(user: User) -> QuerySet[Referral]:
    """The referrals addressed to any organisation ``user`` is an approved member of that are
    waiting for its decision (referred, neither accepted nor declined), oldest first: what
    "Your contracts" lists for each contract (REF-1). Read through :func:`access.visible_referrals`,
    so nothing the user may not see."""
    return (
        access.visible_referrals(user)
        .filter(status=Status.REFERRED, provider__in=member_organisations(user).values("pk"))
        .select_related("contract")
        .order_by("referred_on", "pk")
    )


def payable_steps(contract: Contract) -> list[RecordedStep] | None:
    """The steps under ``contract`` that may earn a volume fee, counted per day, step, need
    group and the contract party delivering the referral (PBR-1, PBR-3, PBR-4): what its
    payment statement counts instead of typed-in volumes, and attributes to the party that
    delivered them. A withdrawn referral was taken back by its referrer, so none of its steps
    counts. ``None`` when the contract has no referrals recorded at all (its volumes stay as
    imported)."""
    if not Referral.objects.filter(contract=contract).exists():
        return None
    rows = (
        ReferralEvent.objects.filter(
            referral__contract=contract, step__in=set(RECORDED_STEPS.values())
        )
        .exclude(referral__status=Status.WITHDRAWN)
        .values("step", "happened_on", "referral__need_group", "referral__party__party_id")
        .annotate(n=Count("pk"))
    )
    return [
        RecordedStep(
            step=str(row["step"]),
            happened_on=row["happened_on"],
            need_group=str(row["referral__need_group"]),
            count=int(row["n"]),
            party=str(row["referral__party__party_id"]),
        )
        for row in rows
    ]


def records_version(contract: Contract) -> str:
    """A text that changes whenever ``contract``'s referrals or their events change, in one
    query of the referrals alone: their number, the number whose personal data was erased
    (:mod:`.retention` erases without saving) and the last time one was saved. Events need no
    join (which cost ten times as much on a busy contract): a referral's first event is created
    with it, every later one is written by :func:`.lifecycle.move` together with the referral's
    new status, which saves its ``updated_at``, and events are never edited or deleted on their
    own. Cached statements and counts are keyed by it, so they are never stale."""
    found = Referral.objects.filter(contract=contract).aggregate(
        referral_count=Count("pk"),
        erased_count=Count("pk", filter=Q(personal_data_erased_on__isnull=False)),
        touched=Max("updated_at"),
    )
    touched = found["touched"].isoformat() if found["touched"] else "-"
    return f"{found['referral_count']}.{found['erased_count']}.{touched}"


PUBLIC_COUNTS_CACHE_SECONDS = 24 * 60 * 60
"""How long a contract's rendered public counts are kept; their key changes with everything they
are counted from, so this only bounds the memory of a contract nobody reads."""


def public_counts_key(contract: Contract, today: date) -> str:
    """The cache key of ``contract``'s public counts on ``today`` (REF-1): it changes with the
    referrals and their events (:func:`records_version`), the counts kept of erased answers, the
    contract's dates and its receiving services. Nothing about who asks is in it."""
    kept = ErasedCharacteristicCount.objects.filter(contract=contract).aggregate(
        rows=Count("pk"), last=Max("pk")
    )
    services = list(
        access.receiving_parties(contract).values_list(
            "pk", "role", "organisation__name", "organisation__slug"
        )
    )
    parts = [
        contract.pk,
        today,
        contract.start_date,
        contract.end_date,
        contract.updated_at,
        records_version(contract),
        kept,
        services,
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return f"referral-counts:{contract.pk}:{digest}"
