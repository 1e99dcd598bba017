"""Synthetic referrals for the demo contracts (REF-1), labelled synthetic, from each contract's
start to today: probation (a probation body serving the lot's area, else the commissioning
body) and the prime refer people to the prime's and each sub-contractor's service, roughly at
the rate each was promised in the bid, and each referral moves on as real ones do — accepted or
declined, started, engaged, completed, or withdrawn or disengaged. High-need people are accepted
and complete less often (the pattern creaming analysis looks for).

The story the seeds tell of "bid candy": on the contract with a local supply chain, the women's
centre named in the winning bid gets **no referrals in the contract's first two quarters**.
Referrals from the last fortnight are still waiting for a decision.

People are synthetic: each pseudonymous reference is a hash of an invented case reference
(no key needed, nobody real behind it). Runs after :func:`load_demo_contracts`; the loaders
delete a synthetic contract's referrals before the contract (:func:`delete_demo_referrals`).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract, ContractParty
from commissioning.contracts.probation import probation_bodies_serving
from commissioning.directory.models import Organisation
from commissioning.kernel.quarters import quarter_start, quarters
from commissioning.referrals import access, characteristics, lifecycle
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral, ReferralEvent
from commissioning.referrals.services import need_groups
from commissioning_analytics.payments.recorded import period_span

QUIET_QUARTERS = 2
MAX_A_QUARTER = 24
PRIME_SHARE = 0.3
"""Of the referrals to a sub-contractor, the share the prime makes (the rest: probation)."""

DECLINE_REASONS = (
    "No places left this quarter",
    "Outside the area the service covers",
    "Needs are better met by a specialist service",
)
WITHDRAW_REASONS = ("Recalled to prison", "Moved out of the area", "Referred elsewhere instead")
DISENGAGE_REASONS = (
    "Stopped attending after three missed appointments",
    "Could not be contacted",
    "Chose to leave the service",
)


def delete_demo_referrals() -> int:
    """Every referral under a synthetic contract (a referral protects its contract)."""
    deleted, _ = Referral.objects.filter(contract__is_synthetic=True).delete()
    return deleted


def load_demo_referrals(*, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    """Make the demo referrals, replacing earlier ones; returns counts."""
    today = today or timezone.localdate()
    with transaction.atomic():
        delete_demo_referrals()
        made = {"referrals": 0, "events": 0}
        for contract in Contract.objects.filter(is_synthetic=True).order_by("reference"):
            rng = random.Random(f"{seed}:referrals:{contract.reference}")
            referrals, events = _contract_referrals(contract, rng, today)
            Referral.objects.bulk_create(referrals, batch_size=500)
            for event in events:
                event.referral_id = event.referral.pk
            ReferralEvent.objects.bulk_create(events, batch_size=1000)
            made["referrals"] += len(referrals)
            made["events"] += len(events)
            _follow_recorded_attachments(contract, random.Random(f"{seed}:results:{contract.pk}"))
        return made


JOB_OUTCOME_LAG = 6
"""Four-week periods from attachment to a job outcome in the demo's Work Programme-style data."""
SUSTAINMENT_PERIODS = 13


def _follow_recorded_attachments(contract: Contract, rng: random.Random) -> None:
    """On a contract paying per attachment and per job outcome (the Work Programme-style demo),
    the statement counts attachments from the referrals just made (PBR-1, REF-1), so the
    imported job outcomes and sustainment payments are redrawn to follow them: about a fifth of
    a period's attachments find work six periods later, most of them stay in work."""
    events = {fee.get("event") for fee in contract.mechanism.get("volume_fees", [])}
    if not {"attachment", "job_outcome"} <= events:
        return
    computed = contract_services.contract_statement(contract)
    if computed is None:
        return
    attached = {
        p.period: sum(v.count for v in p.volumes if v.event == "attachment")
        for p in computed.merged.observed.periods
    }
    periods: list[dict[str, object]] = []
    jobs: list[int] = []
    for number in range(1, max(attached) + 1):
        jobs.append(round(attached.get(number - JOB_OUTCOME_LAG, 0) * rng.uniform(0.18, 0.26)))
        in_work = sum(jobs[max(0, number - 1 - SUSTAINMENT_PERIODS) : number - 1])
        volumes = [
            {"event": "job_outcome", "count": jobs[-1]},
            {"event": "sustainment", "count": int(in_work * rng.uniform(0.7, 0.9))},
        ]
        first, last = period_span(computed.mechanism, contract.start_date, number)
        period: dict[str, object] = {
            "period": number,
            "label": f"Weeks {4 * number - 3}-{4 * number}",
            "start": first.isoformat(),
            "end": last.isoformat(),
        }
        if any(v["count"] for v in volumes):
            period["volumes"] = [v for v in volumes if v["count"]]
        periods.append(period)
    observed = {"format_version": 1, "mechanism": computed.mechanism.id, "periods": periods}
    contract_services.validate_documents(contract.mechanism, observed, contract.assumptions)
    contract.observed = observed
    contract.save(update_fields=["observed", "updated_at"])


def _probation(contract: Contract) -> Organisation:
    serving = probation_bodies_serving(contract).order_by("slug").first()
    return serving or contract.commissioning_body


def bid_candy_party(contract: Contract) -> str | None:
    """The party id of the sub-contractor that gets no referrals at first: the last one named in
    a supply chain of two or more (the women's centre of the local supply-chain contract)."""
    chain = contract.mechanism.get("supply_chain") or []
    return chain[-1]["subcontractor"] if len(chain) >= 2 else None


def _per_quarter(party: ContractParty) -> float:
    promised = party.promised_referrals_per_year
    if party.role == ContractParty.Role.PRIME:
        return 12.0
    return min(MAX_A_QUARTER, (promised or 40) / 4)


def _contract_referrals(
    contract: Contract, rng: random.Random, today: date
) -> tuple[list[Referral], list[ReferralEvent]]:
    last = min(today, contract.end_date)
    if contract.start_date > last:
        return [], []
    probation = _probation(contract)
    groups = need_groups(contract)
    first_quarter = quarter_start(contract.start_date)
    quiet = bid_candy_party(contract)
    referrals: list[Referral] = []
    events: list[ReferralEvent] = []
    for party in access.receiving_parties(contract):
        assert party.organisation is not None
        for start in quarters(contract.start_date, last):
            index = (start.year - first_quarter.year) * 4 + (start.month - first_quarter.month) // 3
            if party.party_id == quiet and index < QUIET_QUARTERS:
                continue
            length = (quarter_start(start + timedelta(days=92)) - start).days
            wanted = max(0, round(rng.gauss(_per_quarter(party), 3)))
            for _ in range(wanted):
                day = start + timedelta(days=rng.randrange(length))
                if day < contract.start_date or day > last:
                    continue
                by_prime = (
                    party.role == ContractParty.Role.SUBCONTRACTOR and rng.random() < PRIME_SHARE
                )
                referrer = contract.prime if by_prime else probation
                sequence = len(referrals) + 1
                referral = _referral(contract, party, referrer, rng, groups, day, sequence)
                events.extend(
                    lifecycle.seeded(referral, _steps(referral, rng, last), source="demo")
                )
                referrals.append(referral)
    return referrals, events


def _referral(
    contract: Contract,
    party: ContractParty,
    referrer: Organisation,
    rng: random.Random,
    groups: list[str],
    day: date,
    sequence: int,
) -> Referral:
    """The ``sequence``th synthetic referral under ``contract`` (its reference is unique: the
    contract's id and the sequence)."""
    case = f"synthetic:{contract.reference}:{rng.randrange(10**9)}"
    return Referral(
        reference=f"RF-S{contract.pk:03d}{sequence:05d}",
        contract=contract,
        party=party,
        provider=party.organisation,
        referrer=referrer,
        person=hashlib.sha256(case.encode()).hexdigest(),
        need_group=groups[-1] if len(groups) > 1 and rng.random() < 0.3 else groups[0],
        characteristics=_answers(rng),
        referred_on=day,
        is_synthetic=True,
    )


def _answers(rng: random.Random) -> dict[str, str]:
    answers = {}
    for item in characteristics.CHARACTERISTICS:
        roll = rng.random()
        if roll < 0.15:
            continue  # not recorded
        if roll < 0.22:
            answers[item.name] = characteristics.PREFER_NOT_TO_SAY
        else:
            weights = [len(item.options) - i for i in range(len(item.options))]
            answers[item.name] = rng.choices([c for c, _ in item.options], weights)[0]
    return answers


def _steps(
    referral: Referral, rng: random.Random, last: date
) -> list[tuple[Status, date, str, Organisation]]:
    """The steps a synthetic referral took, none after ``last``."""
    provider, referrer = referral.provider, referral.referrer
    high_need = referral.need_group != "standard"
    steps: list[tuple[Status, date, str, Organisation]] = []
    day = referral.referred_on

    def later(low: int, high: int) -> date:
        return day + timedelta(days=rng.randint(low, high))

    roll = rng.random()
    decision = later(1, 10)
    if decision > last:
        return steps
    if roll < 0.04:
        return [(Status.WITHDRAWN, decision, rng.choice(WITHDRAW_REASONS), referrer)]
    if roll < (0.25 if high_need else 0.1):
        return [(Status.DECLINED, decision, rng.choice(DECLINE_REASONS), provider)]
    day = decision
    steps.append((Status.ACCEPTED, day, "", provider))
    for target, low, high, stay in (
        (Status.STARTED, 2, 14, 0.85),
        (Status.ENGAGED, 7, 28, 0.7 if high_need else 0.85),
        (Status.COMPLETED, 30, 120, 0.6 if high_need else 0.8),
    ):
        when = later(low, high)
        if when > last:
            return steps
        if rng.random() > stay:
            steps.append((Status.DISENGAGED, when, rng.choice(DISENGAGE_REASONS), provider))
            return steps
        day = when
        steps.append((target, day, "", provider))
    return steps
