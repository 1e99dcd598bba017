"""Annual money for each chain member, split into up front, in arrears and at risk (PBR-4).

Two sources, one result shape (:class:`Flows`, unrounded ``Decimal`` pounds a year):

- :func:`flows_from_mechanism`: the mechanism's terms at stated :class:`~.inputs.Assumptions`
  (every target met), following the pass-down rules of
  :mod:`commissioning_analytics.payments.chain`;
- :func:`flows_from_statement`: the lines of a calculated
  :class:`~commissioning_analytics.payments.Statement`, annualised.

Categories, by what the payment depends on:

- ``up_front``: paid before the work it funds (a service fee in advance, investors' capital);
- ``arrears``: guaranteed but paid after the work (a service fee in arrears, the part of an
  at-risk fee the prime carries, fees per referral or attachment, minimum-value top-ups);
- ``at_risk``: paid only if results are achieved (the at-risk share of a service fee passed
  down, outcome payments, volume fees for outcomes such as job outcomes or sustainment).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from commissioning_analytics.chain.inputs import Assumptions
from commissioning_analytics.payments.model import PERIODS_PER_YEAR, Mechanism
from commissioning_analytics.payments.statement import Statement

CATEGORIES = ("up_front", "arrears", "at_risk")
ACTIVITY_EVENTS = frozenset({"attachment", "referral", "start"})
"""Volume-fee events paid for activity, not results (as in ``cashflow.from_mechanism``)."""

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Flows:
    """Per chain member (prime and sub-contractors): pounds a year by category, and the
    management fee the prime takes from each sub-contractor's gross share."""

    by_party: dict[str, dict[str, Decimal]]
    management_fee: dict[str, Decimal]
    chain_value: Decimal  # what enters the chain a year (funders and investors to the prime)
    years: Decimal  # the term in years (for the minimum contract value)


def _empty(mechanism: Mechanism) -> dict[str, dict[str, Decimal]]:
    members = [mechanism.prime] + [t.subcontractor for t in mechanism.supply_chain]
    return {p: dict.fromkeys(CATEGORIES, ZERO) for p in members}


def _years(mechanism: Mechanism) -> Decimal:
    return Decimal(mechanism.term_periods) / PERIODS_PER_YEAR[mechanism.period]


def _fee_timing(mechanism: Mechanism) -> str:
    fee = mechanism.service_fee
    return "up_front" if fee is not None and fee.timing == "advance" else "arrears"


def _volume_category(mechanism: Mechanism, fee_id: str) -> str:
    fee = next(f for f in mechanism.volume_fees if f.id == fee_id)
    return "arrears" if fee.event in ACTIVITY_EVENTS else "at_risk"


def flows_from_mechanism(mechanism: Mechanism, assumptions: Assumptions) -> Flows:
    """Expected annual money at the assumptions (every target met)."""
    rules = {r.id for r in mechanism.outcome_payments} | {f.id for f in mechanism.volume_fees}
    unknown = sorted(set(assumptions.expected_annual) - rules)
    if unknown:
        raise ValueError(f"expected_annual names no outcome payment or volume fee: {unknown}")
    flows = _empty(mechanism)
    years = _years(mechanism)
    prime = flows[mechanism.prime]
    timing = _fee_timing(mechanism)
    fee = mechanism.service_fee
    fee_value = fee.annual_value if fee is not None else ZERO
    risk = fee.at_risk if fee is not None else None
    risk_value = fee_value * risk.most_lost_share if risk is not None else ZERO
    prime[timing] += fee_value - risk_value
    prime["at_risk"] += risk_value
    outcomes = sum(
        (assumptions.expected_annual.get(r.id, ZERO) for r in mechanism.outcome_payments), ZERO
    )
    prime["at_risk"] += outcomes
    volumes: dict[str, Decimal] = {"arrears": ZERO, "at_risk": ZERO}
    for vf in mechanism.volume_fees:
        volumes[_volume_category(mechanism, vf.id)] += assumptions.expected_annual.get(vf.id, ZERO)
    prime["arrears"] += volumes["arrears"]
    prime["at_risk"] += volumes["at_risk"]
    sib = mechanism.social_impact_bond
    capital = sum((a for _, a in sib.capital), ZERO) / years if sib is not None else ZERO
    prime["up_front"] += capital
    chain_value = fee_value + outcomes + volumes["arrears"] + volumes["at_risk"] + capital
    management: dict[str, Decimal] = {}
    for terms in mechanism.supply_chain:
        sub = flows[terms.subcontractor]
        keep = ONE - terms.management_fee
        ss = terms.service_fee_share
        sub[timing] += (fee_value - risk_value) * ss * keep
        # Clawback (paid its share of the whole fee, repays its net part of a clawback) and
        # withheld (the carried part paid at once, the rest on release) alike: it bears
        # ``at_risk_borne`` of the at-risk money, net of the management fee (docs/payments.md).
        sub[timing] += risk_value * (ss * keep - terms.at_risk_borne)
        sub["at_risk"] += risk_value * terms.at_risk_borne
        sub["at_risk"] += outcomes * terms.outcome_payment_share * keep
        sub["arrears"] += volumes["arrears"] * terms.volume_fee_share * keep
        sub["at_risk"] += volumes["at_risk"] * terms.volume_fee_share * keep
        sub["up_front"] += capital * ss * keep
        gross = (
            fee_value * ss
            + outcomes * terms.outcome_payment_share
            + (volumes["arrears"] + volumes["at_risk"]) * terms.volume_fee_share
            + capital * ss
        )
        management[terms.subcontractor] = gross * terms.management_fee
        for category in CATEGORIES:
            prime[category] -= sub[category]
    return Flows(flows, management, chain_value, years)


def _line_category(mechanism: Mechanism, rule: str) -> str:
    if rule == "service_fee":
        return _fee_timing(mechanism)
    if rule.startswith("volume_fees."):
        return _volume_category(mechanism, rule.removeprefix("volume_fees."))
    if rule == "social_impact_bond":
        return "up_front"
    if rule == "supply_chain.minimum_contract_value":
        return "arrears"
    return "at_risk"  # service_fee.at_risk, outcome_payments.*


def flows_from_statement(
    mechanism: Mechanism, statement: Statement, periods: int | None = None
) -> Flows:
    """Actual money in ``statement``, annualised over ``periods`` mechanism periods (default:
    the last period with a line or note). Each member's figure is what it received less what
    it paid, so the categories add up to its net receipt and money is conserved down the
    chain. The management fee on each pass-down line is reconstructed as
    ``amount × fee / (1 − fee)`` (none when the fee is 100%)."""
    if statement.mechanism != mechanism.id:
        raise ValueError(f"statement is for {statement.mechanism!r}, not {mechanism.id!r}")
    if periods is None:
        periods = max(
            [line.period for line in statement.lines] + [note.period for note in statement.notes],
            default=0,
        )
    if periods <= 0:
        raise ValueError("periods must be at least 1")
    factor = Decimal(PERIODS_PER_YEAR[mechanism.period]) / Decimal(periods)
    flows = _empty(mechanism)
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    fees = {t.subcontractor: t.management_fee for t in mechanism.supply_chain}
    management: dict[str, Decimal] = {t.subcontractor: ZERO for t in mechanism.supply_chain}
    for line in statement.lines:
        category = _line_category(mechanism, line.rule)
        if line.payee in flows:
            flows[line.payee][category] += line.amount * factor
            if line.payer not in flows:
                totals["chain_value"] += line.amount * factor
        if line.payer in flows:
            flows[line.payer][category] -= line.amount * factor
            if line.payee not in flows:
                totals["chain_value"] -= line.amount * factor
        fee = fees.get(line.payee)
        if line.kind == "pass_down" and fee is not None and fee < ONE:
            management[line.payee] += line.amount * factor * fee / (ONE - fee)
    return Flows(flows, management, totals["chain_value"], _years(mechanism))
