"""Money and risk down the chain (PBR-4, PBR-6, SUP-3): for each organisation in a contract's
supply chain, what it receives in a year, when, and how much of it is at risk, against its
annual income and reserves, with flags where the chain's terms load risk onto small charities.

Money is computed unrounded and quantised once, to the penny with ``ROUND_HALF_UP``, when a
row is built; shares are quantised once to 4 decimal places (0.01%). Flags are decided on the
unrounded figures. Formulas in ``docs/chain-risk.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from commissioning_analytics.chain.flows import (
    Flows,
    flows_from_mechanism,
    flows_from_statement,
)
from commissioning_analytics.chain.inputs import Assumptions, OrgFinances, Policy
from commissioning_analytics.payments.model import Mechanism, SubcontractTerms
from commissioning_analytics.payments.money import percent, pounds, to_penny
from commissioning_analytics.payments.statement import Statement

SHARE = Decimal("0.0001")
PERCENT = Decimal("0.01")
ZERO = Decimal(0)

FLAG_SMALL_CHARITY_RISK = "small_charity_risk"
FLAG_MANAGEMENT_FEE = "management_fee_above_threshold"
FLAG_MINIMUM_VALUE = "minimum_value_missing_or_low"
FLAG_PAYMENT_TERMS = "payment_terms_too_long"


def _share(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return (numerator / denominator).quantize(SHARE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Flag:
    party: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class RiskRow:
    """One organisation's year. Shares are of its expected receipts (``*_share``), its annual
    income and its reserves; ``None`` where the figure is unknown or the base is zero."""

    party: str
    name: str
    role: str
    expected_receipts: Decimal
    up_front: Decimal
    arrears: Decimal
    at_risk: Decimal
    up_front_share: Decimal | None
    arrears_share: Decimal | None
    at_risk_share: Decimal | None
    annual_income: Decimal | None
    reserves: Decimal | None
    is_small_charity: bool | None
    at_risk_of_income: Decimal | None
    at_risk_of_reserves: Decimal | None
    payment_terms_days: int
    management_fee: Decimal  # prime: taken from all subs; sub: taken from it
    management_fee_rate: Decimal | None  # sub only: its terms' share
    minimum_contract_value: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}


@dataclass(frozen=True)
class ChainRisk:
    mechanism: str
    basis: str  # "assumptions" or "statement"
    rows: tuple[RiskRow, ...]
    chain_value: Decimal
    management_fee_total: Decimal
    management_fee_share: Decimal | None  # of the chain's value
    flags: tuple[Flag, ...]
    policy: Policy

    def row(self, party: str) -> RiskRow:
        return next(r for r in self.rows if r.party == party)

    def flags_for(self, party: str) -> list[Flag]:
        return [f for f in self.flags if f.party == party]

    def chart_data(self) -> list[dict[str, Any]]:
        """Per organisation: the stacked £ bars (up front, in arrears, at risk) and at-risk as
        a percentage of annual income (``None`` when the income is unknown)."""
        return [
            {
                "party": r.party,
                "name": r.name,
                "up_front": str(r.up_front),
                "arrears": str(r.arrears),
                "at_risk": str(r.at_risk),
                "at_risk_percent_of_income": (
                    None
                    if r.at_risk_of_income is None
                    else str((r.at_risk_of_income * 100).quantize(PERCENT))
                ),
            }
            for r in self.rows
        ]

    def summary(self) -> str:
        lines = [
            f"Money and risk down the chain for {self.mechanism} (a year, from {self.basis}):",
            f"  chain value {pounds(self.chain_value)}; management fees "
            f"{pounds(self.management_fee_total)}"
            + (
                f" ({percent(self.management_fee_share)} of the chain's value)"
                if self.management_fee_share is not None
                else ""
            ),
        ]
        for r in self.rows:
            size = (
                f"; at risk = {percent(r.at_risk_of_income)} of income"
                if r.at_risk_of_income is not None
                else "; finances not given"
            )
            lines.append(
                f"  {r.name} ({r.role}): {pounds(r.expected_receipts)} — up front "
                f"{pounds(r.up_front)}, in arrears {pounds(r.arrears)}, at risk "
                f"{pounds(r.at_risk)}{size}; paid in {r.payment_terms_days} days"
            )
        lines.extend(f"  FLAG {f.party}: {f.message}" for f in self.flags)
        if not self.flags:
            lines.append("  No flags.")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mechanism": self.mechanism,
            "basis": self.basis,
            "rounding": "ROUND_HALF_UP",
            "chain_value": str(self.chain_value),
            "management_fee_total": str(self.management_fee_total),
            "management_fee_share": (
                None if self.management_fee_share is None else str(self.management_fee_share)
            ),
            "rows": [r.to_dict() for r in self.rows],
            "flags": [{"party": f.party, "code": f.code, "message": f.message} for f in self.flags],
            "chart": self.chart_data(),
        }


def chain_risk(
    mechanism: Mechanism,
    finances: Mapping[str, OrgFinances],
    assumptions: Assumptions | None = None,
    *,
    statement: Statement | None = None,
    periods: int | None = None,
    policy: Policy | None = None,
) -> ChainRisk:
    """The risk table for the prime and each sub-contractor of ``mechanism``.

    From ``statement`` (annualised over ``periods``) when given, otherwise from the
    mechanism's terms at ``assumptions``. ``finances`` maps party ids to their finances; an
    organisation without finances gets no size-based figures or size-based flag.
    """
    policy = policy or Policy()
    if statement is not None:
        flows, basis = flows_from_statement(mechanism, statement, periods), "statement"
    else:
        flows, basis = flows_from_mechanism(mechanism, assumptions or Assumptions()), "assumptions"
    terms = {t.subcontractor: t for t in mechanism.supply_chain}
    rows = tuple(
        _row(mechanism, flows, party, finances.get(party), terms) for party in flows.by_party
    )
    total_fee = sum(flows.management_fee.values(), ZERO)
    flags = _flags(mechanism, flows, finances, policy)
    return ChainRisk(
        mechanism=mechanism.id,
        basis=basis,
        rows=rows,
        chain_value=to_penny(flows.chain_value),
        management_fee_total=to_penny(total_fee),
        management_fee_share=_share(total_fee, flows.chain_value),
        flags=tuple(flags),
        policy=policy,
    )


def _row(
    mechanism: Mechanism,
    flows: Flows,
    party: str,
    fin: OrgFinances | None,
    terms: Mapping[str, SubcontractTerms],
) -> RiskRow:
    money = flows.by_party[party]
    total = sum(money.values(), ZERO)
    sub = terms.get(party)
    if sub is None:
        fee = sum(flows.management_fee.values(), ZERO)
        days = mechanism.payment_terms_days
    else:
        fee = flows.management_fee[party]
        days = sub.payment_terms_days
    return RiskRow(
        party=party,
        name=mechanism.party(party).name,
        role=str(mechanism.party(party).role),
        expected_receipts=to_penny(total),
        up_front=to_penny(money["up_front"]),
        arrears=to_penny(money["arrears"]),
        at_risk=to_penny(money["at_risk"]),
        up_front_share=_share(money["up_front"], total),
        arrears_share=_share(money["arrears"], total),
        at_risk_share=_share(money["at_risk"], total),
        annual_income=None if fin is None else to_penny(fin.annual_income),
        reserves=None if fin is None else to_penny(fin.reserves),
        is_small_charity=None if fin is None else fin.is_small_charity,
        at_risk_of_income=None if fin is None else _share(money["at_risk"], fin.annual_income),
        at_risk_of_reserves=None if fin is None else _share(money["at_risk"], fin.reserves),
        payment_terms_days=days,
        management_fee=to_penny(fee),
        management_fee_rate=None if sub is None else sub.management_fee,
        minimum_contract_value=None if sub is None else sub.minimum_contract_value,
    )


def _flags(
    mechanism: Mechanism,
    flows: Flows,
    finances: Mapping[str, OrgFinances],
    policy: Policy,
) -> list[Flag]:
    flags: list[Flag] = []
    prime_fin = finances.get(mechanism.prime)
    prime_ratio = (
        None
        if prime_fin is None
        else flows.by_party[mechanism.prime]["at_risk"] / prime_fin.annual_income
    )
    for terms in mechanism.supply_chain:
        party = terms.subcontractor
        money = flows.by_party[party]
        fin = finances.get(party)
        if fin is not None and fin.is_small_charity and prime_ratio is not None:
            ratio = money["at_risk"] / fin.annual_income
            if ratio > prime_ratio:
                flags.append(
                    Flag(
                        party,
                        FLAG_SMALL_CHARITY_RISK,
                        f"a small charity with {pounds(to_penny(money['at_risk']))} at risk, "
                        f"{_pct(ratio)} of its income, against {_pct(prime_ratio)} for the prime",
                    )
                )
        if terms.management_fee > policy.management_fee_threshold:
            flags.append(
                Flag(
                    party,
                    FLAG_MANAGEMENT_FEE,
                    f"management fee {percent(terms.management_fee)} exceeds the policy "
                    f"threshold of {percent(policy.management_fee_threshold)}",
                )
            )
        expected_term = sum(money.values(), ZERO) * flows.years
        floor = expected_term * policy.minimum_value_floor
        mcv = terms.minimum_contract_value
        if mcv is None:
            flags.append(Flag(party, FLAG_MINIMUM_VALUE, "no guaranteed minimum contract value"))
        elif mcv < floor:
            flags.append(
                Flag(
                    party,
                    FLAG_MINIMUM_VALUE,
                    f"guaranteed minimum {pounds(mcv)} is below the policy floor of "
                    f"{pounds(to_penny(floor))} ({percent(policy.minimum_value_floor)} of the "
                    f"{pounds(to_penny(expected_term))} expected over the term)",
                )
            )
        if terms.payment_terms_days > policy.prompt_payment_days:
            flags.append(
                Flag(
                    party,
                    FLAG_PAYMENT_TERMS,
                    f"paid {terms.payment_terms_days} days after the prime, longer than "
                    f"{policy.prompt_payment_days} days",
                )
            )
    return flags


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
