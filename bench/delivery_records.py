"""The delivery benchmark's records (issue 14, "Speed"): 200 contracts over five years with
about 1,000,000 referral events and 100,000 invoices with their payments, all synthetic and
seeded, written with PostgreSQL's COPY (the ORM would spend minutes on a million rows).

Contracts are clones of the demo contracts (:func:`commissioning.demo.contracts.
load_demo_contracts`, the same builders and documents) under other synthetic bodies and primes
of the benchmark's synthetic market, referenced ``PBR-BENCH-###``; every row is marked synthetic
and the references say so. :mod:`delivery` times what is drafted from them and the pages.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

SEED = int(os.environ.get("BENCH_SEED", "2026"))
CONTRACTS = int(os.environ.get("BENCH_DELIVERY_CONTRACTS", "200"))
REFERRALS = int(os.environ.get("BENCH_DELIVERY_REFERRALS", "236000"))
INVOICES = int(os.environ.get("BENCH_DELIVERY_INVOICES", "100000"))
YEARS = 5
PREFIX = "PBR-BENCH-"

NEED_SHARES = {"standard": 0.7}
DECLINE = "No places left this quarter"
DISENGAGE = "Stopped attending after three missed appointments"
WITHDRAW = "Moved out of the area"


@dataclass
class Built:
    contracts: list[Any]
    bodies: list[Any]
    referrals: int = 0
    events: int = 0
    invoices: int = 0
    payments: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- COPY


def _copy(table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY ``rows`` into ``table`` (PostgreSQL), or bulk insert elsewhere; returns the count."""
    from django.db import connection

    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    buffer: list[tuple[Any, ...]] = []
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for row in rows:
            buffer.append(row)
            if len(buffer) == 5000:
                cursor.executemany(sql, buffer)
                count += len(buffer)
                buffer.clear()
        if buffer:
            cursor.executemany(sql, buffer)
            count += len(buffer)
    return count


def _next_ids(table: str, how_many: int) -> int:
    """Reserve ``how_many`` ids of ``table``'s sequence; returns the first."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        first = int(cursor.fetchone()[0])
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)",
                [first + how_many],
            )
    return first


# ---------------------------------------------------------------- contracts


def delete_bench_records() -> None:
    from commissioning.contracts.models import Contract
    from commissioning.invoices.models import Invoice
    from commissioning.referrals.models import Referral

    bench = Contract.objects.filter(reference__startswith=PREFIX)
    Referral.objects.filter(contract__in=bench).delete()
    Invoice.objects.filter(contract__in=bench).delete()
    bench.delete()


def build_contracts(rng: random.Random, today: date) -> tuple[list[Any], list[Any]]:
    """``CONTRACTS`` clones of the demo contracts, five years old, spread over the market's
    synthetic commissioning bodies and larger providers (each a prime once)."""
    from commissioning.contracts.models import Contract, ContractParty
    from commissioning.demo.contracts import load_demo_contracts
    from commissioning.directory.models import Organisation

    templates = load_demo_contracts(seed=SEED)
    bodies = list(
        Organisation.objects.filter(is_commissioning_body=True, is_synthetic=True).order_by("pk")
    )[:40]
    providers = list(
        Organisation.objects.filter(is_commissioning_body=False, is_synthetic=True)
        .order_by("-annual_income", "pk")
        .values_list("pk", flat=True)[: CONTRACTS * 4]
    )
    if not bodies or len(providers) < CONTRACTS * 2:
        raise RuntimeError("the synthetic market is too small for the delivery benchmark")
    start = _months_before(today, YEARS * 12 - 1)
    contracts = []
    for number in range(CONTRACTS):
        template = templates[number % len(templates)]
        contracts.append(
            Contract(
                reference=f"{PREFIX}{number + 1:03d}",
                title=f"Synthetic benchmark contract {number + 1}: {template.title}"[:200],
                lot=template.lot,
                commissioning_body=bodies[number % len(bodies)],
                prime_id=providers[number],
                start_date=start,
                end_date=date(start.year + YEARS + 1, 12, 31),
                annual_value=template.annual_value,
                mechanism=template.mechanism,
                observed=template.observed,
                assumptions=template.assumptions,
                is_synthetic=True,
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=500)
    spare = iter(providers[CONTRACTS:])
    parties = []
    for number, contract in enumerate(contracts):
        template = templates[number % len(templates)]
        for party in template.parties.all():
            if party.role == ContractParty.Role.PRIME:
                organisation_id = contract.prime_id
            elif party.role == ContractParty.Role.COMMISSIONER:
                organisation_id = contract.commissioning_body_id
            elif party.role == ContractParty.Role.SUBCONTRACTOR:
                organisation_id = next(spare)
            else:
                organisation_id = party.organisation_id
            parties.append(
                ContractParty(
                    contract=contract,
                    party_id=party.party_id,
                    organisation_id=organisation_id,
                    role=party.role,
                    services=party.services,
                    promised_referrals_per_year=party.promised_referrals_per_year,
                    promised_value_per_year=party.promised_value_per_year,
                )
            )
    ContractParty.objects.bulk_create(parties, batch_size=2000)
    return contracts, bodies


def _months_before(today: date, months: int) -> date:
    """The first day of the month ``months`` before ``today``'s."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------- referrals


def _answers(rng: random.Random) -> list[str]:
    """A few hundred synthetic equality-monitoring answer sets, as JSON, to pick from."""
    from commissioning.referrals import characteristics

    sets = []
    for _ in range(300):
        answers = {}
        for item in characteristics.CHARACTERISTICS:
            roll = rng.random()
            if roll < 0.15:
                continue
            if roll < 0.22:
                answers[item.name] = characteristics.PREFER_NOT_TO_SAY
            else:
                answers[item.name] = rng.choice([c for c, _ in item.options])
        sets.append(json.dumps(answers))
    return sets


def _steps(
    rng: random.Random, referred: date, high_need: bool, last: date
) -> list[tuple[str, date, str]]:
    """The steps a synthetic referral took after being referred (as the demo's do)."""
    day = referred + timedelta(days=rng.randint(1, 10))
    if day > last:
        return []
    roll = rng.random()
    if roll < 0.04:
        return [("withdrawn", day, WITHDRAW)]
    if roll < (0.25 if high_need else 0.1):
        return [("declined", day, DECLINE)]
    steps = [("accepted", day, "")]
    for step, low, high, stay in (
        ("started", 2, 14, 0.85),
        ("engaged", 7, 28, 0.7 if high_need else 0.85),
        ("completed", 30, 120, 0.6 if high_need else 0.8),
    ):
        day = day + timedelta(days=rng.randint(low, high))
        if day > last:
            break
        if rng.random() > stay:
            steps.append(("disengaged", day, DISENGAGE))
            break
        steps.append((step, day, ""))
    return steps


def build_referrals(contracts: list[Any], rng: random.Random, today: date) -> tuple[int, int]:
    """About ``REFERRALS`` referrals spread evenly over the contracts' receiving parties and
    five years, with their events (about four each)."""
    from django.utils import timezone

    from commissioning.contracts.models import ContractParty
    from commissioning.referrals import access
    from commissioning.referrals.services import need_groups

    now = timezone.now()
    first_id = _next_ids("referrals_referral", REFERRALS + 1)
    answers = _answers(rng)
    per_contract = REFERRALS // len(contracts)
    referral_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    next_id = first_id
    for number, contract in enumerate(contracts):
        parties = list(access.receiving_parties(contract))
        groups = need_groups(contract)
        span = (today - contract.start_date).days
        for sequence in range(per_contract):
            party = parties[sequence % len(parties)]
            referred = contract.start_date + timedelta(days=rng.randrange(span))
            by_prime = party.role == ContractParty.Role.SUBCONTRACTOR and rng.random() < 0.3
            referrer = contract.prime_id if by_prime else contract.commissioning_body_id
            need = groups[-1] if len(groups) > 1 and rng.random() < 0.3 else groups[0]
            steps = _steps(rng, referred, need != "standard", today)
            status, status_on = (steps[-1][0], steps[-1][1]) if steps else ("referred", referred)
            referral_rows.append(
                (
                    next_id,
                    f"RF-B{number:03d}{sequence:06d}",
                    contract.pk,
                    party.pk,
                    party.organisation_id,
                    referrer,
                    f"{rng.getrandbits(256):064x}",
                    need,
                    answers[rng.randrange(len(answers))],
                    status,
                    status_on,
                    referred,
                    True,
                    "",
                    now,
                    now,
                )
            )
            event_rows.append((next_id, "referred", referred, referrer, "", "demo", now))
            for step, day, reason in steps:
                by = referrer if step == "withdrawn" else party.organisation_id
                event_rows.append((next_id, step, day, by, reason, "demo", now))
            next_id += 1
    referrals = _copy(
        "referrals_referral",
        (
            "id",
            "reference",
            "contract_id",
            "party_id",
            "provider_id",
            "referrer_id",
            "person",
            "need_group",
            "characteristics",
            "status",
            "status_on",
            "referred_on",
            "is_synthetic",
            "submission_key",
            "created_at",
            "updated_at",
        ),
        iter(referral_rows),
    )
    events = _copy(
        "referrals_referralevent",
        (
            "referral_id",
            "step",
            "happened_on",
            "organisation_id",
            "reason",
            "source",
            "recorded_at",
        ),
        iter(event_rows),
    )
    return referrals, events


# ---------------------------------------------------------------- invoices


def build_invoices(contracts: list[Any], rng: random.Random, today: date) -> tuple[int, int]:
    """About ``INVOICES`` invoices, each month of five years: the prime's to its body (paid in
    about 25 days) and its sub-contractors' to it (paid in 30 to 80); the last weeks' unpaid,
    a few disputed and a few part paid."""
    from django.utils import timezone

    from commissioning.contracts.models import ContractParty

    now = timezone.now()
    first_id = _next_ids("invoices_invoice", INVOICES + 1)
    per_contract = INVOICES // len(contracts)
    invoice_rows: list[tuple[Any, ...]] = []
    payment_rows: list[tuple[Any, ...]] = []
    next_id = first_id
    for contract in contracts:
        parties = list(contract.parties.all())
        prime = next(p for p in parties if p.role == ContractParty.Role.PRIME)
        subs = [p for p in parties if p.role == ContractParty.Role.SUBCONTRACTOR]
        months = YEARS * 12
        for sequence in range(per_contract):
            month = sequence * months // per_contract
            index = contract.start_date.year * 12 + contract.start_date.month - 1 + month
            first_of = date(index // 12, index % 12 + 1, 1)
            received = first_of + timedelta(days=rng.randrange(28))
            if received > today:
                received = today
            if subs and sequence % 3:
                issuer = subs[sequence % len(subs)]
                tier, payer_id, terms, days = "subcontractor", contract.prime_id, 30, (30, 80)
            else:
                issuer, tier, payer_id = prime, "prime", contract.commissioning_body_id
                terms, days = 30, (18, 34)
            amount = Decimal(rng.randrange(200_000, 5_000_000)) / 100
            paid_after = rng.randint(*days)
            paid_on: date | None = received + timedelta(days=paid_after)
            roll = rng.random()
            status, amount_paid = "paid", amount
            disputed_on = resolved_on = None
            reason = resolution = ""
            if paid_on is not None and paid_on > today:
                status, amount_paid, paid_on = "awaiting_payment", Decimal("0.00"), None
            elif roll < 0.02:
                status, amount_paid, paid_on = "disputed", Decimal("0.00"), None
                disputed_on, reason = received + timedelta(days=5), "Outcome evidence missing"
            elif roll < 0.05:
                status, amount_paid, paid_on = (
                    "part_paid",
                    (amount / 2).quantize(Decimal("0.01")),
                    None,
                )
            invoice_rows.append(
                (
                    next_id,
                    contract.pk,
                    tier,
                    issuer.party_id,
                    issuer.organisation_id,
                    payer_id,
                    f"BENCH-{sequence:05d}",
                    month // 3 + 1,
                    amount,
                    received,
                    terms,
                    received + timedelta(days=terms),
                    status,
                    amount_paid,
                    paid_on,
                    disputed_on,
                    reason,
                    resolved_on,
                    resolution,
                    True,
                    now,
                    now,
                )
            )
            if amount_paid:
                when = paid_on or received + timedelta(
                    days=min(paid_after, (today - received).days)
                )
                payment_rows.append((next_id, when, amount_paid, "", now))
            next_id += 1
    invoices = _copy(
        "invoices_invoice",
        (
            "id",
            "contract_id",
            "tier",
            "issuer_party",
            "issuer_id",
            "payer_id",
            "reference",
            "period",
            "amount",
            "received_on",
            "terms_days",
            "due_on",
            "status",
            "amount_paid",
            "paid_on",
            "disputed_on",
            "dispute_reason",
            "resolved_on",
            "resolution",
            "is_synthetic",
            "created_at",
            "updated_at",
        ),
        iter(invoice_rows),
    )
    payments = _copy(
        "invoices_payment",
        ("invoice_id", "paid_on", "amount", "submission_key", "created_at"),
        iter(payment_rows),
    )
    return invoices, payments


def build(today: date) -> Built:
    """Replace the benchmark's delivery records; returns what was made and how long it took."""
    from django.db import connection, transaction

    from commissioning.demo.services import create_demo_users

    rng = random.Random(f"{SEED}:delivery")
    create_demo_users()
    started = time.perf_counter()
    with transaction.atomic():
        delete_bench_records()
        contracts, bodies = build_contracts(rng, today)
    made = Built(contracts=contracts, bodies=bodies)
    made.seconds["contracts"] = time.perf_counter() - started
    with transaction.atomic():
        mark = time.perf_counter()
        made.referrals, made.events = build_referrals(contracts, rng, today)
        made.seconds["referrals"] = time.perf_counter() - mark
        mark = time.perf_counter()
        made.invoices, made.payments = build_invoices(contracts, rng, today)
        made.seconds["invoices"] = time.perf_counter() - mark
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "referrals_referral",
                "referrals_referralevent",
                "invoices_invoice",
                "invoices_payment",
            ):
                cursor.execute(f"ANALYZE {table}")
    return made


def existing() -> Built | None:
    """The records an earlier run left (``BENCH_DELIVERY_REUSE=1``, to time again without
    writing them again), or None."""
    from commissioning.contracts.models import Contract
    from commissioning.invoices.models import Invoice, Payment
    from commissioning.referrals.models import Referral, ReferralEvent

    contracts = list(Contract.objects.filter(reference__startswith=PREFIX).order_by("reference"))
    if not contracts:
        return None
    made = Built(contracts=contracts, bodies=[])
    made.referrals = Referral.objects.filter(contract__in=contracts).count()
    made.events = ReferralEvent.objects.filter(referral__contract__in=contracts).count()
    made.invoices = Invoice.objects.filter(contract__in=contracts).count()
    made.payments = Payment.objects.filter(invoice__contract__in=contracts).count()
    made.seconds["reused"] = 0.0
    return made
