"""What the contract pages show, worked out from the core's results (PBR-1 .. PBR-6, SUP-1,
SUP-3): pure functions returning plain rows of text, so templates only lay them out.

Amounts are the core's (already to the penny) formatted with
:func:`commissioning_analytics.payments.money.pounds`; nothing is recomputed here except sums
the core defines (the statement's totals and conservation figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from commissioning.contracts.models import Contract
from commissioning_analytics.cashflow.stress import WhatIf
from commissioning_analytics.chain import ChainRisk
from commissioning_analytics.payments import Mechanism, Observed, Statement
from commissioning_analytics.payments.money import percent, pounds
from commissioning_analytics.payments.observed import Volume
from commissioning_analytics.payments.recorded import RECORDED_STEPS, MergedObserved

from .describe import EVENT_WORDS, PAYMENT_KINDS, attributed_share, party_name, share_words

KIND_LABELS = {
    "service_fee": "Service fee",
    "fee_release": "Withheld fee released",
    "clawback": "Clawback",
    "outcome_payment": "Outcome payment",
    "volume_fee": "Volume fee",
    "sib_capital": "Social investment capital",
    "sib_outcome_payment": "Social impact bond repayment",
    "pass_down": "Passed down the chain",
    "clawback_pass_down": "Clawback passed down",
    "minimum_value_top_up": "Minimum contract value top-up",
    "minimum_value_offset": "Offset against an earlier top-up",
}
ROLE_ORDER = {"commissioner": 0, "outcome_payer": 1, "investor": 2, "prime": 3, "subcontractor": 4}


def signed_pounds(amount: Decimal) -> str:
    """``-12.5`` → ``"−£12.50"`` (a true minus sign)."""
    return f"−{pounds(-amount)}" if amount < 0 else pounds(amount)


def share(value: Decimal | None) -> str:
    """A 0–1 share as a percentage, or "Not known"."""
    return "Not known" if value is None else percent(value)


def probability(value: float) -> str:
    return f"{value:.1%}"


def probability_change(value: float) -> str:
    points = value * 100
    if abs(points) < 0.05:
        return "no change"
    word = "up" if points > 0 else "down"
    return f"{word} {abs(points):.1f} percentage points"


def mechanism_kind(document: Any) -> str:
    """What kind of payment mechanism a stored (valid) document is, for the contract list:
    "Service fee (10% at risk), outcome payments, social impact bond"."""
    if not isinstance(document, dict):
        return "Not known"
    parts = []
    fee = document.get("service_fee")
    if fee:
        risk = fee.get("at_risk")
        parts.append(
            f"Service fee ({percent(Decimal(risk['share']))} at risk)" if risk else "Service fee"
        )
    if document.get("outcome_payments"):
        parts.append("outcome payments")
    if document.get("volume_fees"):
        parts.append("volume fees")
    if document.get("social_impact_bond"):
        parts.append("social impact bond")
    text = ", ".join(parts) or "No payments"
    return text[0].upper() + text[1:]


# ------------------------------------------------------------------- parties and supply chain


def party_rows(mechanism: Mechanism, parties: Iterable[Any]) -> list[dict[str, Any]]:
    """The supply chain as bid (SUP-1, PBR-4, PBR-6): each mechanism party with its directory
    organisation, role, services, what it was promised, and for a sub-contractor its terms."""
    parties = list(parties)  # read twice: the mechanism's parties, then consortium members
    linked = {p.party_id: p for p in parties}
    terms = {t.subcontractor: t for t in mechanism.supply_chain}
    rows = []
    for party in sorted(mechanism.parties, key=lambda p: ROLE_ORDER.get(p.role.value, 9)):
        link = linked.get(party.id)
        sub = terms.get(party.id)
        promised_value = getattr(link, "promised_value_per_year", None)
        rows.append(
            {
                "party": party.id,
                "name": party.name,
                "role": party.role.value.replace("_", " ")
                .capitalize()
                .replace("Subcontractor", "Sub-contractor"),
                "organisation": getattr(link, "organisation", None),
                "role_as_bid": getattr(link, "role_as_bid", ""),
                "services": getattr(link, "services", ""),
                "promised_referrals": getattr(link, "promised_referrals_per_year", None),
                "promised_value": None if promised_value is None else pounds(promised_value),
                "terms": None if sub is None else _terms(sub),
                "share_of_work": getattr(link, "share_of_work", None),
            }
        )
    return rows + consortium_member_rows(parties, {p.id for p in mechanism.parties})


def consortium_member_rows(parties: Iterable[Any], in_mechanism: set[str]) -> list[dict[str, Any]]:
    """The members of a consortium that bid together beside the lead (PRO-6): parties of the
    contract, not of the payment mechanism (the lead is paid), with their role and share."""
    return [
        {
            "party": p.party_id,
            "name": p.organisation.name if p.organisation else p.party_id,
            "role": p.get_role_display(),
            "organisation": p.organisation,
            "role_as_bid": p.role_as_bid,
            "services": p.services,
            "promised_referrals": None,
            "promised_value": None,
            "terms": None,
            "share_of_work": p.share_of_work,
        }
        for p in parties
        if getattr(p, "role", "") == "consortium_member" and p.party_id not in in_mechanism
    ]


def _terms(sub: Any) -> list[tuple[str, str]]:
    return [
        (
            ("Service fee passed to it a year", pounds(sub.service_fee_value))
            if sub.service_fee_value is not None
            else ("Share of the service fee", percent(sub.service_fee_share))
        ),
        ("Share of outcome payments", share_words(sub, "outcome")),
        ("Share of volume fees", share_words(sub, "volume")),
        ("Management fee kept by the prime", percent(sub.management_fee)),
        ("Share of its money at risk it carries", percent(sub.at_risk_share)),
        (
            "Minimum contract value",
            "None guaranteed"
            if sub.minimum_contract_value is None
            else pounds(sub.minimum_contract_value),
        ),
        ("Paid after the prime", f"{sub.payment_terms_days} days"),
    ]


# ------------------------------------------------------------------------------ statements


def _conservation(mechanism: Mechanism, statement: Statement, period: int | None) -> dict[str, Any]:
    funders = statement.funders_paid(period)
    chain = statement.chain_received(period)
    margin = statement.retained_margin(period)
    return {
        "funders_paid": signed_pounds(funders),
        "others_received": signed_pounds(chain - margin),
        "retained_margin": signed_pounds(margin),
        "prime": party_name(mechanism, mechanism.prime),
        "conserved": funders == chain,
    }


def _party_block(
    mechanism: Mechanism, statement: Statement, party: str, period: int
) -> dict[str, Any] | None:
    lines = statement.lines_for(party, period)
    notes = [n for n in statement.notes if n.party == party and n.period == period]
    if not lines and not notes:
        return None
    totals = statement.totals(period)[party]
    return {
        "party": party,
        "name": party_name(mechanism, party),
        "lines": [
            {
                "direction": "Received from" if line.payee == party else "Paid to",
                "other": party_name(mechanism, line.payer if line.payee == party else line.payee),
                "amount": signed_pounds(line.amount if line.payee == party else -line.amount),
                "kind": KIND_LABELS.get(line.kind, line.kind),
                "rule": line.rule,
                "explanation": line.explanation,
                "due": line.due,
            }
            for line in lines
        ],
        "notes": [note.explanation for note in notes],
        "received": pounds(totals.received),
        "paid": pounds(totals.paid),
        "net": signed_pounds(totals.net),
    }


def _event_words(event: str) -> str:
    return EVENT_WORDS.get(event, event.replace("_", " "))


RECORDED_FROM = "Recorded referrals"
IMPORTED_FROM = "Imported results"


def _volumes(merged: MergedObserved, volumes: Iterable[Volume]) -> list[dict[str, Any]]:
    return [
        {
            "event": _event_words(v.event),
            "need_group": v.need_group or "",
            "count": v.count,
            "source": RECORDED_FROM if merged.source_of(v.event) == "recorded" else IMPORTED_FROM,
        }
        for v in volumes
    ]


def statement_periods(
    mechanism: Mechanism, observed: Observed | MergedObserved, statement: Statement
) -> list[dict[str, Any]]:
    """Per observed period: the volumes counted and where each came from, how many outcome
    results were imported, each party's lines (received and paid) with their explanations, its
    totals, and the period's conservation check (PBR-1, PBR-4)."""
    merged = observed if isinstance(observed, MergedObserved) else MergedObserved(observed)
    periods = []
    for obs in merged.observed.periods:
        blocks = [_party_block(mechanism, statement, p, obs.period) for p in statement.parties]
        periods.append(
            {
                "period": obs.period,
                "label": obs.label,
                "start": obs.start,
                "end": obs.end,
                "volumes": _volumes(merged, obs.volumes),
                "outcome_results": len(obs.outcomes),
                "parties": [b for b in blocks if b is not None],
                "conservation": _conservation(mechanism, statement, obs.period),
            }
        )
    return periods


def statement_sources(mechanism: Mechanism, merged: MergedObserved) -> dict[str, Any]:
    """Which figures come from the recorded referrals (each fee event with the referral step
    that counts as one) and which from the imported results (PBR-1, REF-1), and which
    sub-contractors are paid on what their own participants earned (PBR-4, PBR-6)."""
    return {
        "recorded": [
            {"event": _event_words(e), "step": RECORDED_STEPS[e]} for e in merged.recorded
        ],
        "imported": [_event_words(e) for e in merged.imported_events(mechanism)],
        "has_outcomes": bool(mechanism.outcome_payments or mechanism.social_impact_bond),
        "outside_term": merged.outside_term,
        "attributed": [
            {"name": party_name(mechanism, terms.subcontractor), "what": " and ".join(kinds)}
            for terms in mechanism.supply_chain
            if (
                kinds := [
                    PAYMENT_KINDS[kind][0]
                    for kind in PAYMENT_KINDS
                    if attributed_share(terms, kind) is not None
                ]
            )
        ],
    }


def statement_totals(mechanism: Mechanism, statement: Statement) -> dict[str, Any]:
    """Totals per party over the observed periods and the overall conservation check."""
    return {
        "rows": [
            {
                "name": party_name(mechanism, t.party),
                "received": pounds(t.received),
                "paid": pounds(t.paid),
                "net": signed_pounds(t.net),
            }
            for t in statement.totals().values()
        ],
        "conservation": _conservation(mechanism, statement, None),
        "rounding": statement.rounding,
    }


# ------------------------------------------------------------------------------- risk table


def risk_rows(risk: ChainRisk) -> list[dict[str, Any]]:
    """The chain-risk table (PBR-4, PBR-6, SUP-3): one row per organisation, with its flags."""
    return [
        {
            "party": r.party,
            "name": r.name,
            "role": "Prime contractor" if r.role == "prime" else "Sub-contractor",
            "receipts": pounds(r.expected_receipts),
            "up_front": pounds(r.up_front),
            "arrears": pounds(r.arrears),
            "at_risk": pounds(r.at_risk),
            "at_risk_share": share(r.at_risk_share),
            "income": "Not known" if r.annual_income is None else pounds(r.annual_income),
            "reserves": "Not known" if r.reserves is None else pounds(r.reserves),
            "at_risk_of_income": share(r.at_risk_of_income),
            "at_risk_of_reserves": share(r.at_risk_of_reserves),
            "small_charity": {True: "Yes", False: "No", None: "Not known"}[r.is_small_charity],
            "payment_terms_days": r.payment_terms_days,
            "management_fee": pounds(r.management_fee),
            "flags": [f.message for f in risk.flags_for(r.party)],
        }
        for r in risk.rows
    ]


def risk_summary(risk: ChainRisk) -> dict[str, str]:
    return {
        "basis": "the payments so far, for a year"
        if risk.basis == "statement"
        else "the mechanism's terms, for a year with every target met",
        "chain_value": pounds(risk.chain_value),
        "management_fee_total": pounds(risk.management_fee_total),
        "management_fee_share": share(risk.management_fee_share),
        "threshold": percent(risk.policy.management_fee_threshold),
        "prompt_days": str(risk.policy.prompt_payment_days),
        "floor": percent(risk.policy.minimum_value_floor),
    }


# ------------------------------------------------------------------------------ stress test


def ruin_months(percentiles: Sequence[int] | None) -> str:
    """When reserves run out, among the paths where they do: "month 9 (months 5 to 14)"."""
    if percentiles is None:
        return "Never, in any simulated path"
    low, middle, high = percentiles
    return f"Typically month {middle} (between months {low} and {high})"


def stress_rows(result: WhatIf, names: Mapping[str, str], changed: bool) -> list[dict[str, Any]]:
    """Each member's chance of running out of reserves as agreed and (when ``changed``) with
    the levers, and when (PBR-5)."""
    change = result.ruin_probability_change()
    rows = []
    for base, variant in zip(result.baseline.members, result.variant.members, strict=True):
        rows.append(
            {
                "party": base.name,
                "name": names.get(base.name, base.name),
                "reserves": pounds(Decimal(str(round(base.reserves, 2)))),
                "baseline": probability(base.ruin_probability),
                "baseline_when": ruin_months(base.ruin_month_percentiles),
                "variant": probability(variant.ruin_probability) if changed else None,
                "variant_when": ruin_months(variant.ruin_month_percentiles) if changed else None,
                "change": probability_change(change[base.name]) if changed else None,
            }
        )
    return rows


def ending_sentence(contract: Contract) -> str:
    """What the page and the command line say once ``contract`` has come to a close."""
    assert contract.ended_on is not None
    day = f"{contract.ended_on.day} {contract.ended_on:%B %Y}"
    if contract.status == Contract.Status.TERMINATED:
        return f"{contract.reference} is terminated: its last day was {day}."
    return f"{contract.reference} is marked ended: it ran to {day}."
