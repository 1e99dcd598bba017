"""The documents of the synthetic demo contracts (PBR-1, PBR-2, PBR-3, PBR-4, PBR-6).

Each kind of mechanism shipped as an example of the analytics core is adapted to synthetic
parties, 2025–2026 dates and a value that fits its lot, and given several periods of observed
volumes and outcomes generated deterministically from a seed (``random.Random``). Nothing here
touches the database: :mod:`commissioning.demo.contracts` picks the organisations and saves.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from commissioning_analytics.payments.loader import example_document

PENNY = Decimal("0.01")
SYNTHETIC = "Synthetic demo data: invented organisations and figures, not a real contract."


@dataclass(frozen=True)
class Party:
    """A party of the mechanism: ``id`` as in the document, ``name`` the organisation's."""

    id: str
    name: str


@dataclass(frozen=True)
class Chain:
    commissioner: Party
    prime: Party
    subcontractors: tuple[Party, ...] = ()
    investor: Party | None = None


@dataclass(frozen=True)
class Promise:
    """What a sub-contractor was promised in the bid (PRO-7, SUP-1)."""

    services: str
    referrals_per_year: int
    value_per_year: Decimal


@dataclass(frozen=True)
class DemoDocuments:
    kind: str
    """The core's example it is adapted from."""
    label: str
    mechanism: dict[str, Any]
    observed: dict[str, Any]
    assumptions: dict[str, Any]
    start: date
    end: date
    annual_value: Decimal
    duration_months: int
    promises: dict[str, Promise] = field(default_factory=dict)


def money(value: Decimal | float | int) -> str:
    """Pounds as the format writes them: a string with 2 decimal places."""
    return str(Decimal(str(value)).quantize(PENNY, rounding=ROUND_HALF_UP))


def whole_pounds(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def _periods(start: date, count: int, months: int) -> list[tuple[date, date]]:
    """``count`` consecutive periods of ``months`` calendar months from the 1st ``start``."""
    return [
        (add_months(start, i * months), add_months(start, (i + 1) * months) - timedelta(days=1))
        for i in range(count)
    ]


def _period(number: int, label: str, span: tuple[date, date], **rest: Any) -> dict[str, Any]:
    return {
        "period": number,
        "label": label,
        "start": span[0].isoformat(),
        "end": span[1].isoformat(),
        **{key: value for key, value in rest.items() if value},
    }


def _base(kind: str, mechanism_id: str, name: str, chain: Chain) -> dict[str, Any]:
    document: dict[str, Any] = copy.deepcopy(example_document(kind))  # type: ignore[arg-type]
    document.pop("source", None)
    document["id"] = mechanism_id
    document["name"] = name
    parties = [
        {"id": chain.commissioner.id, "name": chain.commissioner.name, "role": "commissioner"},
        {"id": chain.prime.id, "name": chain.prime.name, "role": "prime"},
    ]
    parties += [{"id": s.id, "name": s.name, "role": "subcontractor"} for s in chain.subcontractors]
    if chain.investor is not None:
        parties.append({"id": chain.investor.id, "name": chain.investor.name, "role": "investor"})
    document["parties"] = parties
    return document


def _assumptions(mechanism_id: str, referrals_per_month: float, rate: float) -> dict[str, Any]:
    return {
        "format_version": 1,
        "mechanism": mechanism_id,
        "referrals_per_month": round(referrals_per_month, 1),
        "outcome_rate": round(rate, 2),
    }


def _quarter_label(span: tuple[date, date]) -> str:
    return f"{span[0]:%b %Y} to {span[1]:%b %Y}"


def doncaster(mechanism_id: str, chain: Chain, value: Decimal, rng: random.Random) -> DemoDocuments:
    """At-risk service fee (HMP Doncaster-style): 10% of a year's fee clawed back for each
    annual cohort that misses a 5-point cut in the binary reconviction rate (PBR-1, PBR-2)."""
    start, term = date(2025, 4, 1), 12
    doc = _base("hmp-doncaster", mechanism_id, "At-risk service fee (HMP Doncaster-style)", chain)
    baseline = round(rng.uniform(46.0, 60.0), 1)
    doc["description"] = (
        f"{SYNTHETIC} A quarterly service fee paid in advance; 10% of a year's fee is repaid for "
        f"each annual cohort whose one-year reconviction rate is not at least 5 percentage "
        f"points below the {baseline:.1f}% baseline, as in the HMP Doncaster pilot."
    )
    doc["period"], doc["term_periods"] = "quarter", term
    doc["measures"][0]["baseline"] = f"{baseline:.1f}"
    doc["service_fee"].update(annual_value=money(value), frequency="quarterly")
    spans = _periods(start, 6, 3)
    cohort_size = rng.randint(350, 900)
    reconvicted = round(baseline - rng.uniform(2.5, 8.0), 1)
    result = {
        "measure": "binary-reconviction",
        "cohort": "1",
        "cohort_size": cohort_size,
        "observed": f"{reconvicted:.1f}",
    }
    periods = [
        _period(
            i + 1,
            f"Quarter {i + 1}: {_quarter_label(span)}" + (" (cohort 1 result)" if i == 3 else ""),
            span,
            outcomes=[result] if i == 3 else None,
        )
        for i, span in enumerate(spans)
    ]
    return DemoDocuments(
        kind="hmp-doncaster",
        label="At-risk service fee (HMP Doncaster-style)",
        mechanism=doc,
        observed={"format_version": 1, "mechanism": mechanism_id, "periods": periods},
        assumptions=_assumptions(mechanism_id, cohort_size / 12, 0.45),
        start=start,
        end=add_months(start, term * 3) - timedelta(days=1),
        annual_value=value,
        duration_months=term * 3,
    )


def peterborough(
    mechanism_id: str, chain: Chain, value: Decimal, rng: random.Random
) -> DemoDocuments:
    """Social impact bond (Peterborough-style): investors' capital repaid per reconviction event
    prevented against a matched comparison group (PBR-1, PBR-2)."""
    start, term = date(2025, 7, 1), 28
    doc = _base("peterborough-sib", mechanism_id, "Social impact bond (Peterborough-style)", chain)
    doc["description"] = (
        f"{SYNTHETIC} Investors fund the service for its first two years; the commissioner "
        "repays them per reconviction event prevented if a cohort has at least 10% fewer "
        "reconviction events than its matched comparison group, or all cohorts together at "
        "least 7.5% fewer at the final evaluation."
    )
    doc["period"], doc["term_periods"] = "quarter", term
    quarterly = whole_pounds(value / 4)
    bond = doc["social_impact_bond"]
    assert chain.investor is not None
    bond["investor"], bond["outcome_payer"] = chain.investor.id, chain.commissioner.id
    bond["capital"] = [{"period": p, "amount": money(quarterly)} for p in range(1, 9)]
    bond["final_period"] = term
    bond["cap"] = money(quarterly * 8 * Decimal("1.6"))
    spans = _periods(start, 5, 3)
    cohort_size = max(120, min(1000, int(value / 2500)))
    reference = round(rng.uniform(130.0, 170.0), 1)
    events = round(reference * (1 - rng.uniform(0.05, 0.14)), 1)
    result = {
        "measure": "reconviction-frequency",
        "cohort": "1",
        "cohort_size": cohort_size,
        "observed": f"{events:.1f}",
        "reference": f"{reference:.1f}",
    }
    periods = [
        _period(
            i + 1,
            f"Quarter {i + 1}: {_quarter_label(span)}" + (" (cohort 1 result)" if i == 4 else ""),
            span,
            outcomes=[result] if i == 4 else None,
        )
        for i, span in enumerate(spans)
    ]
    return DemoDocuments(
        kind="peterborough-sib",
        label="Social impact bond (Peterborough-style)",
        mechanism=doc,
        observed={"format_version": 1, "mechanism": mechanism_id, "periods": periods},
        assumptions=_assumptions(mechanism_id, cohort_size / 12, 0.3),
        start=start,
        end=add_months(start, term * 3) - timedelta(days=1),
        annual_value=value,
        duration_months=term * 3,
    )


def work_programme(
    mechanism_id: str, chain: Chain, value: Decimal, rng: random.Random
) -> DemoDocuments:
    """Volume fees (Work Programme-style): attachment, job outcome and up to 13 sustainment
    payments per person (PBR-1)."""
    start, term, observed_periods = date(2025, 6, 2), 65, 18
    doc = _base("work-programme-jsa-18-24", mechanism_id, "Attachment and job outcome fees", chain)
    doc["description"] = (
        f"{SYNTHETIC} Work Programme-style volume fees: £400 when a person joins, £1,200 for a "
        "job outcome, then £170 for every four weeks in work, at most 13 times."
    )
    attachments_mean = max(20.0, min(2000.0, float(value) / 13 / 1100))
    attachments: list[int] = []
    job_outcomes: list[int] = []
    periods = []
    for i in range(observed_periods):
        first = start + timedelta(days=28 * i)
        attachments.append(round(attachments_mean * rng.uniform(0.85, 1.15)))
        earlier = attachments[i - 6] if i >= 6 else 0
        job_outcomes.append(round(earlier * rng.uniform(0.18, 0.26)))
        in_work = sum(job_outcomes[max(0, i - 13) : i])
        volumes = [
            {"event": "attachment", "count": attachments[i]},
            {"event": "job_outcome", "count": job_outcomes[i]},
            {"event": "sustainment", "count": int(in_work * rng.uniform(0.7, 0.9))},
        ]
        span = (first, first + timedelta(days=27))
        label = f"Weeks {4 * i + 1}-{4 * i + 4}"
        periods.append(_period(i + 1, label, span, volumes=[v for v in volumes if v["count"]]))
    return DemoDocuments(
        kind="work-programme-jsa-18-24",
        label="Attachment and job outcome fees (Work Programme-style)",
        mechanism=doc,
        observed={"format_version": 1, "mechanism": mechanism_id, "periods": periods},
        assumptions=_assumptions(mechanism_id, attachments_mean * 13 / 12, 0.22),
        start=start,
        end=start + timedelta(days=28 * term - 1),
        annual_value=value,
        duration_months=round(term * 28 / 30.44),
    )


#: The specialisms of the smaller sub-contractors the local supply chain adds to the example's
#: two, with the services each provides.
MORE_SUBCONTRACTORS: dict[str, str] = {
    "education-training-and-employment": "Employment and training support",
    "substance-misuse": "Drug and alcohol recovery support",
    "mental-health": "Counselling and emotional wellbeing support",
}
#: Each smaller sub-contractor's terms: 5% of the service fee and of the outcome payments, an
#: 8% management fee, nothing at risk, paid within 30 days.
SMALLER_TERMS = {
    "service_fee_share": "0.05",
    "outcome_payment_share": "0.05",
    "management_fee": "0.08",
    "at_risk_share": "0",
    "payment_terms_days": 30,
}


#: The least share of the contract's referrals a sub-contractor is promised.
SMALLEST_REFERRAL_SHARE = 0.10


def supply_chain(
    mechanism_id: str, chain: Chain, value: Decimal, rng: random.Random
) -> DemoDocuments:
    """A prime with five sub-contractors: a withheld at-risk fee, need-group tariffs, pass-down
    shares, management fees and a minimum contract value (PBR-1, PBR-3, PBR-4, PBR-6)."""
    start, term = date(2025, 10, 1), 24
    housing, *smaller, centre = chain.subcontractors
    doc = _base(
        "illustrative-supply-chain",
        mechanism_id,
        "Resettlement contract with a supply chain",
        chain,
    )
    doc["description"] = (
        f"{SYNTHETIC} A quarterly service fee in arrears with 10% withheld until 40% of the "
        "quarter's cohort is in settled accommodation; payments per person housed (more for "
        "the high-need group) and per reconviction prevented; shares passed down to five local "
        "sub-contractors, one with a guaranteed minimum contract value."
    )
    scale = value / Decimal(600_000)
    doc["service_fee"]["annual_value"] = money(value)
    housed, reconviction = doc["outcome_payments"]
    housed["cap"] = money(whole_pounds(40_000 * scale))
    reconviction["floor"] = money(whole_pounds(5_000 * scale))
    reconviction["total_cap"] = money(whole_pounds(150_000 * scale))
    first, second = doc["supply_chain"]
    first["subcontractor"], second["subcontractor"] = housing.id, centre.id
    added = [{"subcontractor": party.id, **SMALLER_TERMS} for party in smaller]
    doc["supply_chain"] = [first, *added, second]
    minimum = whole_pounds(60_000 * scale)
    second["minimum_contract_value"] = money(minimum)
    spans = _periods(start, 12, 1)
    periods = []
    cohorts: list[int] = []
    for i, span in enumerate(spans):
        outcomes: list[dict[str, Any]] = []
        if i % 3 == 2:
            size = max(20, int(rng.uniform(60, 110) * float(scale) ** 0.5))
            cohorts.append(size)
            achieving = round(size * rng.uniform(0.36, 0.58))
            high_need = round(achieving * rng.uniform(0.25, 0.45))
            outcomes.append(
                {
                    "measure": "settled-accommodation",
                    "cohort": f"q{len(cohorts)}",
                    "cohort_size": size,
                    "achieved": {"standard": achieving - high_need, "high-need": high_need},
                }
            )
        if i % 6 == 5:
            reference = round(rng.uniform(40.0, 50.0), 1)
            outcomes.append(
                {
                    "measure": "binary-reconviction",
                    "cohort": f"{span[1]:%Y-%m}",
                    "cohort_size": rng.randint(200, 400),
                    "observed": f"{reference - rng.uniform(0.5, 6.0):.1f}",
                    "reference": f"{reference:.1f}",
                }
            )
        periods.append(_period(i + 1, f"{span[0]:%B %Y}", span, outcomes=outcomes))
    referrals = sum(cohorts) / len(cohorts) / 3
    promises = {}
    for terms, party, services in (
        (first, housing, "Accommodation support and tenancy sustainment"),
        *zip(added, smaller, MORE_SUBCONTRACTORS.values(), strict=True),
        (second, centre, "Support for women leaving custody"),
    ):
        share = Decimal(terms["service_fee_share"]) * (1 - Decimal(terms["management_fee"]))
        promised = value * share
        if "minimum_contract_value" in terms:
            promised = max(promised, minimum * 12 / term)
        promises[party.id] = Promise(
            services=services,
            # A smaller sub-contractor is promised a tenth of the referrals at least: its fee
            # share would promise a handful, which chance alone would leave unmet.
            referrals_per_year=round(
                referrals * 12 * max(float(terms["service_fee_share"]), SMALLEST_REFERRAL_SHARE)
            ),
            value_per_year=whole_pounds(promised),
        )
    return DemoDocuments(
        kind="illustrative-supply-chain",
        label="Resettlement contract with a supply chain",
        mechanism=doc,
        observed={"format_version": 1, "mechanism": mechanism_id, "periods": periods},
        assumptions=_assumptions(mechanism_id, referrals, 0.42),
        start=start,
        end=add_months(start, term) - timedelta(days=1),
        annual_value=value,
        duration_months=term,
        promises=promises,
    )


Builder = Callable[[str, Chain, Decimal, random.Random], DemoDocuments]
BUILDERS: dict[str, Builder] = {
    "hmp-doncaster": doncaster,
    "peterborough-sib": peterborough,
    "work-programme-jsa-18-24": work_programme,
    "illustrative-supply-chain": supply_chain,
}
KINDS: Sequence[str] = tuple(BUILDERS)
