"""Money and risk down the supply chain (PBR-4) and the minimum contract value (PBR-6).

For each payment the prime receives, each sub-contractor gets its share (service fee, outcome or
volume) less the prime's management fee, as one line quantised once; the prime keeps the rest
(its retained margin). When the prime repays a clawback, each sub-contractor repays its
service-fee share of it times its ``at_risk_share``, net of the management fee the prime kept
(``SubcontractTerms.at_risk_borne``, the rule the stress test uses too). Under a
withheld at-risk share, the prime pays each sub-contractor the part of the withheld amount it does
not pass down the risk on at once, and the rest when the withheld money is released.
After that, any sub-contractor whose receipts to date fall below its guaranteed minimum, pro rata
to the periods of the term elapsed, is topped up by the prime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from commissioning_analytics.payments.model import SubcontractTerms
from commissioning_analytics.payments.money import percent, pounds, to_penny
from commissioning_analytics.payments.observed import PeriodObservation
from commissioning_analytics.payments.run_state import Run
from commissioning_analytics.payments.statement import PaymentLine

ONE = Decimal(1)
RULE = "supply_chain.minimum_contract_value"


SERVICE_KINDS = ("service_fee", "fee_release", "sib_capital", "clawback")


@dataclass(frozen=True, slots=True)
class PreparedTerms:
    """One sub-contractor's terms, with what every line needs worked out once per calculation."""

    sub: str
    shares: dict[str, Decimal]
    keep: Decimal  # 1 - management fee
    at_risk: Decimal
    at_risk_borne: Decimal  # the share of a clawback it repays: SubcontractTerms.at_risk_borne
    carried: Decimal  # 1 - at-risk share: the part of a withheld amount the prime carries
    delay: timedelta
    text: dict[str, str]


def _prepare(terms: SubcontractTerms) -> PreparedTerms:
    shares = dict.fromkeys(SERVICE_KINDS, terms.service_fee_share)
    shares["outcome_payment"] = terms.outcome_payment_share
    shares["volume_fee"] = terms.volume_fee_share
    text = {kind: percent(share) for kind, share in shares.items()}
    text["management_fee"] = percent(terms.management_fee)
    text["at_risk"] = percent(terms.at_risk_share)
    text["carried"] = percent(ONE - terms.at_risk_share)
    return PreparedTerms(
        sub=terms.subcontractor,
        shares=shares,
        keep=ONE - terms.management_fee,
        at_risk=terms.at_risk_share,
        at_risk_borne=terms.at_risk_borne,
        carried=ONE - terms.at_risk_share,
        delay=timedelta(days=terms.payment_terms_days),
        text=text,
    )


def pass_down(
    run: Run, obs: PeriodObservation, upstream: list[tuple[PaymentLine, Decimal]]
) -> None:
    m = run.mechanism
    if not m.supply_chain:
        return
    if run.chain is None:
        run.chain = tuple(_prepare(terms) for terms in m.supply_chain)
    prime = m.prime
    latest: dict[str, date] = {}  # the latest pass-down to each sub-contractor this period
    for line, withheld in upstream:
        kind = line.kind
        for terms in run.chain:
            share = terms.shares.get(kind)
            if not share:
                continue
            sub = terms.sub
            if kind == "clawback":
                amount = to_penny(line.amount * terms.at_risk_borne)
                why = (
                    f"repays {terms.text[kind]} × {terms.text['at_risk']} at-risk share "
                    f"of the {pounds(line.amount)} clawback, less the "
                    f"{terms.text['management_fee']} management fee the prime kept"
                )
                run.pay(
                    obs.period,
                    sub,
                    prime,
                    amount,
                    "clawback_pass_down",
                    line.rule,
                    why,
                    line.due + terms.delay,
                )
                run.sub_earned[sub] -= amount
                continue
            base, extra = line.amount, ""
            if withheld:
                base += withheld * terms.carried
                extra = (
                    f" plus the {terms.text['carried']} of {pounds(withheld)} withheld "
                    "that the prime carries"
                )
            elif kind == "fee_release":
                base = line.amount * terms.at_risk
                extra = f" × {terms.text['at_risk']} at-risk share passed down"
            amount = to_penny(base * share * terms.keep)
            why = (
                f"{terms.text[kind]} of the {pounds(line.amount)} {kind.replace('_', ' ')}{extra}, "
                f"less {terms.text['management_fee']} management fee"
            )
            run.pay(
                obs.period, prime, sub, amount, "pass_down", line.rule, why, line.due + terms.delay
            )
            run.sub_earned[sub] += amount
            if amount > 0:
                due = line.due + terms.delay
                latest[sub] = max(latest.get(sub, due), due)
    _minimum_values(run, obs, latest)


def _minimum_values(run: Run, obs: PeriodObservation, latest: dict[str, date]) -> None:
    """PBR-6: top up to the guarantee pro rata; net earlier top-ups off once earnings catch up,
    so that over the contract a sub-contractor receives the greater of what it earned and its
    guaranteed minimum. An offset is netted against the period's pass-downs, so it is never due
    before the latest of them (``latest``, by sub-contractor)."""
    m = run.mechanism
    elapsed = min(obs.period, m.term_periods)
    for terms in m.supply_chain:
        if terms.minimum_contract_value is None:
            continue
        sub = terms.subcontractor
        guaranteed = to_penny(terms.minimum_contract_value * elapsed / m.term_periods)
        earned, topped = run.sub_earned[sub], run.sub_top_ups[sub]
        shortfall = guaranteed - earned - topped
        due = obs.end + timedelta(days=terms.payment_terms_days)
        status = (
            f"guaranteed minimum {pounds(terms.minimum_contract_value)} over {m.term_periods} "
            f"periods: {pounds(guaranteed)} by period {elapsed}; earned {pounds(earned)}, "
            f"topped up {pounds(topped)} so far"
        )
        if shortfall > 0:
            why = f"{status}: the prime tops up the shortfall"
            run.pay(obs.period, m.prime, sub, shortfall, "minimum_value_top_up", RULE, why, due)
            run.sub_top_ups[sub] += shortfall
        elif topped > 0:
            offset = min(-shortfall, topped)
            due = max(due, latest.get(sub, due))
            why = f"{status}: earnings now exceed the guarantee, so earlier top-ups are netted off"
            run.pay(obs.period, sub, m.prime, offset, "minimum_value_offset", RULE, why, due)
            run.sub_top_ups[sub] -= offset
