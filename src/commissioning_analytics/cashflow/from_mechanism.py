"""From a payment mechanism (PBR-1) to a working-capital stress-test scenario (PBR-5).

A mechanism says how money flows, not how much work arrives or what it costs, so the mapping
needs **simulation assumptions** (referral volumes, outcome rates, reserves, costs), read from
an optional JSON document (format in ``docs/payments-cli.md``) or taken from labelled defaults.
Every :class:`~.stress_inputs.Member` field carries its provenance: ``mechanism`` (worked out
from the mechanism's terms), ``assumed (default)`` or ``assumed (<source>)``.

The chain members are the prime and each sub-contractor; funders and investors are not
simulated. Money from the mechanism, per month, with ``R`` referrals a month and outcome rate
``p`` (the contract-level assumptions):

* the service fee's guaranteed part (``1 − at_risk.share``, or ``1 − share × cap`` on a sliding
  scale) and any social impact bond capital,
  spread evenly over the term, are the member's ``service_fee_monthly``;
* volume fees for ``attachment``, ``referral`` or ``start`` are paid up front per referral;
  other volume fees (``× max_units_per_person``) and ``per_person_achieving`` /
  ``per_unit_improvement`` outcome tariffs are paid per person achieving the outcome;
* the at-risk part of the service fee is paid per person achieving, at ``Fr / (R × p)``, so at
  the assumed rate it is paid in full on average and in proportion on paths with a lower rate
  (an approximation of a pass/fail target).

A sub-contractor receives its shares (``service_fee_share``, ``volume_fee_share``,
``outcome_payment_share``) less its management fee, carries ``at_risk_share`` of its part of
the at-risk fee (the rest is guaranteed by the prime), net of its management fee as on the
payment statement (``SubcontractTerms.at_risk_borne``), and is paid ``payment_terms_days`` after
the prime. The prime keeps the rest and the management fees; the at-risk money it guarantees
to sub-contractors is a fixed cost to it when its fixed income does not cover it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from commissioning_analytics.cashflow.stress_inputs import Member, Scenario
from commissioning_analytics.payments.errors import FieldError, PaymentsFormatError
from commissioning_analytics.payments.loader import read_json
from commissioning_analytics.payments.model import PERIODS_PER_YEAR, Mechanism, Role

UPFRONT_EVENTS = frozenset({"attachment", "referral", "start"})
LAG_BINARY_OR_FREQUENCY = 12
"""Months from referral to a reconviction result: reoffending is counted over a year."""
LAG_INTERMEDIATE = 3
LAG_VOLUME_OUTCOME = 6
DEFAULT = "assumed (default)"
FROM_MECHANISM = "mechanism"

CONTRACT_FIELDS: dict[str, float | None] = {
    "referrals_per_month": 100.0,
    "referrals_dispersion": 5.0,
    "outcome_rate": 0.5,
    "outcome_rate_concentration": 20.0,
    "outcome_lag_months": None,  # None: worked out from the mechanism
    "reserves_months": 3.0,
    "improvement_per_referral": 0.05,
    "cost_ratio": 1.0,
    "fixed_cost_share": None,  # None: the fixed share of the member's planned income
}
MEMBER_FIELDS = (
    "reserves",
    "fixed_costs_monthly",
    "cost_per_referral",
    "referrals_mean",
    "referrals_dispersion",
    "outcome_rate",
    "outcome_rate_concentration",
    "outcome_lag_months",
)
_SHARES = frozenset({"outcome_rate", "fixed_cost_share", "improvement_per_referral"})
_INFINITE_ALLOWED = frozenset({"referrals_dispersion", "outcome_rate_concentration"})
_WHOLE = frozenset({"outcome_lag_months"})


@dataclass(frozen=True)
class Assumptions:
    """What the simulation assumes beyond the mechanism; ``given`` names the fields read from
    ``source`` (the others are defaults). ``members`` overrides values per party id."""

    values: Mapping[str, float | None] = field(default_factory=lambda: dict(CONTRACT_FIELDS))
    members: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    source: str = "defaults"
    given: frozenset[str] = frozenset()

    def label(self, name: str) -> str:
        return f"assumed ({self.source})" if name in self.given else DEFAULT


@dataclass(frozen=True)
class MemberMapping:
    """One chain member: its party, the stress-test inputs and where each came from."""

    party: str
    name: str
    role: str
    member: Member
    provenance: Mapping[str, str]


@dataclass(frozen=True)
class ScenarioMapping:
    scenario: Scenario
    members: tuple[MemberMapping, ...]
    assumptions: Assumptions
    not_modelled: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.assumptions.source,
            "contract": {
                name: {
                    "value": _json_number(self.assumptions.values[name]),
                    "from": FROM_MECHANISM
                    if self.assumptions.values[name] is None
                    else self.assumptions.label(name),
                }
                for name in CONTRACT_FIELDS
            },
            "members": [
                {
                    "party": m.party,
                    "name": m.name,
                    "role": m.role,
                    "inputs": {
                        key: {"value": _json_number(getattr(m.member, key)), "from": origin}
                        for key, origin in m.provenance.items()
                    },
                }
                for m in self.members
            ],
            "not_modelled": list(self.not_modelled),
        }


def _json_number(value: float | int | None) -> float | int | None:
    return None if value is None or value == math.inf else value


def load_assumptions(path: str | Path, mechanism: Mechanism) -> Assumptions:
    """Read and check an assumptions file for ``mechanism``; raise with every problem."""
    return parse_assumptions(read_json(path, f"Assumptions {path}"), mechanism, source=str(path))


def parse_assumptions(document: object, mechanism: Mechanism, *, source: str) -> Assumptions:
    """Check ``document`` (parsed JSON); raise :class:`PaymentsFormatError` naming each field."""
    errors: list[FieldError] = []
    if not isinstance(document, dict):
        problem = FieldError("(document)", "must be an object")
        raise PaymentsFormatError("Simulation assumptions", [problem])
    allowed = {"format_version", "mechanism", "members", *CONTRACT_FIELDS}
    unknown = sorted(set(document) - allowed)
    if unknown:
        errors.append(FieldError("(document)", f"has unknown field(s) {', '.join(unknown)}"))
    if document.get("format_version") != 1:
        errors.append(FieldError("format_version", "is required and must be 1"))
    if document.get("mechanism") != mechanism.id:
        found = document.get("mechanism")
        errors.append(FieldError("mechanism", f"is {found!r}, not {mechanism.id!r}"))
    values = dict(CONTRACT_FIELDS)
    for name in CONTRACT_FIELDS:
        if name in document:
            values[name] = _number(name, document[name], name, errors)
    chain = {p.id for p in mechanism.parties if p.role in (Role.PRIME, Role.SUBCONTRACTOR)}
    members: dict[str, dict[str, float]] = {}
    raw_members = document.get("members", {})
    if not isinstance(raw_members, dict):
        errors.append(FieldError("members", "must be an object keyed by party id"))
        raw_members = {}
    for party, overrides in raw_members.items():
        here = f"members.{party}"
        if party not in chain:
            errors.append(FieldError(here, "names no prime or sub-contractor of the mechanism"))
            continue
        if not isinstance(overrides, dict):
            errors.append(FieldError(here, "must be an object"))
            continue
        for key in sorted(set(overrides) - set(MEMBER_FIELDS)):
            errors.append(FieldError(f"{here}.{key}", "is not a member assumption"))
        members[party] = {
            key: _number(key, overrides[key], f"{here}.{key}", errors)
            for key in MEMBER_FIELDS
            if key in overrides
        }
    if errors:
        raise PaymentsFormatError("Simulation assumptions", errors)
    given = frozenset(n for n in CONTRACT_FIELDS if n in document)
    return Assumptions(values, members, source, given)


def _number(name: str, value: object, path: str, errors: list[FieldError]) -> float:
    if value is None and name in _INFINITE_ALLOWED:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.append(FieldError(path, "must be a number"))
        return 0.0
    if name in _WHOLE and (not float(value).is_integer() or not 0 <= value <= 120):
        errors.append(FieldError(path, "must be a whole number of months from 0 to 120"))
    elif name in _SHARES and not 0 <= value <= 1:
        errors.append(FieldError(path, "must be between 0 and 1"))
    elif name in _INFINITE_ALLOWED and value <= 0:
        errors.append(FieldError(path, "must be more than 0 (null for no uncertainty)"))
    elif value < 0:
        errors.append(FieldError(path, "must not be negative"))
    return float(value)


@dataclass
class _Flows:
    """Gross money per month from the funders, by kind, and per person or referral."""

    fixed: float = 0.0  # guaranteed service fee + social impact bond capital, per month
    at_risk_fee: float = 0.0  # at-risk part of the service fee, per month
    upfront: float = 0.0  # volume fees per referral
    volume_outcome: float = 0.0  # volume fees per person achieving
    outcome: float = 0.0  # outcome payments per person achieving
    lags: list[tuple[float, int]] = field(default_factory=list)  # (amount, months) for weights


def months_in_term(mechanism: Mechanism) -> int:
    """The contract term in months (13 four-week periods make 12 months)."""
    return max(1, round(mechanism.term_periods * 12 / PERIODS_PER_YEAR[mechanism.period]))


def _flows(
    mechanism: Mechanism, months: int, assumed: Assumptions, not_modelled: list[str]
) -> _Flows:
    flows = _Flows()
    rate = float(assumed.values["outcome_rate"] or 0.0)
    improvement = float(assumed.values["improvement_per_referral"] or 0.0)
    fee = mechanism.service_fee
    if fee is not None:
        share = fee.at_risk.most_lost_share if fee.at_risk else Decimal(0)
        flows.fixed += float(fee.annual_value * (1 - share)) / 12
        flows.at_risk_fee = float(fee.annual_value * share) / 12
        if fee.at_risk is not None:
            kind = mechanism.measures[fee.at_risk.measure].kind
            flows.lags.append((flows.at_risk_fee, _measure_lag(kind)))
            target = f"a target of {fee.at_risk.target}"
            if fee.at_risk.weighted:
                target = f"{len(fee.at_risk.targets)} weighted targets"
            not_modelled.append(
                f"service_fee.at_risk: the {fee.at_risk.mode} share on {target} is "
                "approximated by paying it in proportion to the outcome rate"
            )
    for vf in mechanism.volume_fees:
        if vf.event in UPFRONT_EVENTS:
            flows.upfront += float(vf.tariff)
        else:
            amount = float(vf.tariff) * (vf.max_units_per_person or 1)
            flows.volume_outcome += amount
            flows.lags.append((amount, LAG_VOLUME_OUTCOME))
        if vf.need_group_tariffs:
            not_modelled.append(f"volume_fees.{vf.id}: need-group tariffs (default tariff used)")
        if vf.tariffs_by_year:
            not_modelled.append(f"volume_fees.{vf.id}: tariffs by contract year (year 1 used)")
    for op in mechanism.outcome_payments:
        rule = f"outcome_payments.{op.id}"
        if op.tariffs_by_year:
            not_modelled.append(f"{rule}: tariffs by contract year (year 1 used)")
        if op.basis == "fixed":
            not_modelled.append(f"{rule}: a fixed payment is not tied to referrals")
            continue
        amount = float(op.tariff)
        if op.basis == "per_unit_improvement":
            amount = amount * improvement / rate if rate > 0 else 0.0
        flows.outcome += amount
        flows.lags.append((amount, _measure_lag(mechanism.measures[op.measure].kind)))
        if op.need_group_tariffs:
            not_modelled.append(f"{rule}: need-group tariffs (default tariff used)")
        if any(v is not None for v in (op.threshold, op.floor, op.cap, op.total_cap)):
            not_modelled.append(f"{rule}: threshold, floor and caps are not applied")
    sib = mechanism.social_impact_bond
    if sib is not None:
        flows.fixed += float(sum(amount for _, amount in sib.capital)) / months
        not_modelled.append(
            "social_impact_bond: capital is spread evenly over the term; investors and their "
            "repayments are not simulated"
        )
    if any(t.minimum_contract_value is not None for t in mechanism.supply_chain):
        not_modelled.append("supply_chain: minimum contract values are not applied")
    return flows


def _measure_lag(kind: str) -> int:
    return LAG_INTERMEDIATE if kind == "intermediate" else LAG_BINARY_OR_FREQUENCY


def _derived_lag(flows: _Flows) -> int:
    total = sum(amount for amount, _ in flows.lags)
    if total <= 0:
        return 0
    return round(sum(amount * lag for amount, lag in flows.lags) / total)


def scenario_from_mechanism(
    mechanism: Mechanism, assumptions: Assumptions | None = None
) -> ScenarioMapping:
    """The stress-test scenario for ``mechanism``'s chain under ``assumptions`` (PBR-5)."""
    assumed = assumptions or Assumptions()
    months = months_in_term(mechanism)
    not_modelled: list[str] = []
    flows = _flows(mechanism, months, assumed, not_modelled)
    a = assumed.values
    referrals = float(a["referrals_per_month"] or 0.0)
    rate = float(a["outcome_rate"] or 0.0)
    achieving = referrals * rate
    risk_fee_per_person = flows.at_risk_fee / achieving if achieving > 0 else 0.0
    lag = a["outcome_lag_months"]
    contract_lag = _derived_lag(flows) if lag is None else int(lag)
    mapped: list[MemberMapping] = []
    prime_fixed_net = flows.fixed
    prime_upfront = flows.upfront
    prime_risk = flows.volume_outcome + flows.outcome + risk_fee_per_person
    guaranteed_cost = 0.0
    for terms in mechanism.supply_chain:
        keep = 1 - float(terms.management_fee)
        sigma, rho = float(terms.service_fee_share), float(terms.at_risk_share)
        nu, omega = float(terms.volume_fee_share), float(terms.outcome_payment_share)
        fixed = sigma * (flows.fixed + (1 - rho) * flows.at_risk_fee)
        upfront = nu * flows.upfront
        risk = nu * flows.volume_outcome + omega * flows.outcome
        # The member's price is gross of the management fee (the stress test takes it off), so
        # the at-risk money it bears, net, is the one rule's ``at_risk_borne`` grossed up.
        borne = float(terms.at_risk_borne) / keep if keep > 0 else 0.0
        risk += borne * risk_fee_per_person
        prime_fixed_net -= keep * sigma * flows.fixed
        guaranteed_cost += keep * sigma * (1 - rho) * flows.at_risk_fee
        prime_upfront -= keep * upfront
        prime_risk -= keep * risk
        terms_days = mechanism.payment_terms_days + terms.payment_terms_days
        mapped.append(
            _member(
                mechanism,
                terms.subcontractor,
                assumed,
                contract_lag,
                fixed,
                upfront,
                risk,
                float(terms.management_fee),
                terms_days,
                0.0,
            )
        )
    prime_fixed_net -= guaranteed_cost
    prime = _member(
        mechanism,
        mechanism.prime,
        assumed,
        contract_lag,
        max(prime_fixed_net, 0.0),
        max(prime_upfront, 0.0),
        max(prime_risk, 0.0),
        0.0,
        mechanism.payment_terms_days,
        max(-prime_fixed_net, 0.0),
    )
    ordered = (prime, *mapped)
    scenario = Scenario(tuple(m.member for m in ordered), months)
    return ScenarioMapping(scenario, ordered, assumed, tuple(not_modelled))


def _member(
    mechanism: Mechanism,
    party: str,
    assumed: Assumptions,
    lag: int,
    fixed: float,
    upfront: float,
    risk: float,
    management_fee: float,
    terms_days: int,
    extra_fixed_cost: float,
) -> MemberMapping:
    a = assumed.values
    referrals = float(a["referrals_per_month"] or 0.0)
    rate = float(a["outcome_rate"] or 0.0)
    keep = 1 - management_fee
    planned_income = keep * (fixed + referrals * (upfront + rate * risk))
    planned_costs = planned_income * float(a["cost_ratio"] or 0.0)
    if referrals <= 0 or planned_income <= 0:
        fixed_share = 1.0
    elif a["fixed_cost_share"] is None:
        fixed_share = keep * fixed / planned_income
    else:
        fixed_share = float(a["fixed_cost_share"])
    costs = assumed.label("cost_ratio")
    lag_origin = FROM_MECHANISM if a["outcome_lag_months"] is None else None
    price = upfront + risk
    inputs: dict[str, tuple[Any, str]] = {
        # Free reserves in months of expenditure: the contract's planned spending stands in
        # for the member's when its directory figure is not given (services.stress_assumptions).
        "reserves": (planned_costs * float(a["reserves_months"] or 0.0), "reserves_months"),
        "fixed_costs_monthly": (planned_costs * fixed_share + extra_fixed_cost, costs),
        "cost_per_referral": (
            planned_costs * (1 - fixed_share) / referrals if referrals > 0 else 0.0,
            costs,
        ),
        "referrals_mean": (referrals, "referrals_per_month"),
        "referrals_dispersion": (a["referrals_dispersion"] or math.inf, "referrals_dispersion"),
        "outcome_rate_mean": (rate, "outcome_rate"),
        "outcome_rate_concentration": (
            a["outcome_rate_concentration"] or math.inf,
            "outcome_rate_concentration",
        ),
        "outcome_lag_months": (lag, lag_origin or "outcome_lag_months"),
        "price_per_referral": (price, FROM_MECHANISM),
        "upfront_share": (upfront / price if price > 0 else 0.0, FROM_MECHANISM),
        "at_risk_share": (risk / price if price > 0 else 0.0, FROM_MECHANISM),
        "payment_terms_days": (float(terms_days), FROM_MECHANISM),
        "management_fee_share": (management_fee, FROM_MECHANISM),
        "service_fee_monthly": (fixed, FROM_MECHANISM),
    }
    for key, (value, origin) in inputs.items():
        if origin in CONTRACT_FIELDS:
            inputs[key] = (value, assumed.label(origin))
    for key, value in assumed.members.get(party, {}).items():
        name = "outcome_rate_mean" if key == "outcome_rate" else key
        inputs[name] = (int(value) if name in _WHOLE else value, f"assumed ({assumed.source})")
    member = Member(name=party, **{key: value for key, (value, _) in inputs.items()})
    info = mechanism.party(party)
    provenance = {key: origin for key, (_, origin) in inputs.items()}
    return MemberMapping(party, info.name, info.role.value, member, provenance)
