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

from commissioning_analytics.payments.model import (
    INSTALMENTS_PER_YEAR,
    PERIODS_PER_YEAR,
    Mechanism,
    SubcontractTerms,
)
from commissioning_analytics.payments.money import percent, pounds, to_penny
from commissioning_analytics.payments.observed import PeriodObservation
from commissioning_analytics.payments.run_state import Run
from commissioning_analytics.payments.statement import PaymentLine

ONE = Decimal(1)
RULE = "supply_chain.minimum_contract_value"
ATTRIBUTION_RULE = "supply_chain.attribution"


SHOWN = Decimal("0.000001")
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
    promised: Decimal | None  # the service fee passed to it a year, when promised as money
    attributed: dict[str, Decimal]  # payment kind → its share of what its participants earned


def _prepare(terms: SubcontractTerms) -> PreparedTerms:
    shares = dict.fromkeys(SERVICE_KINDS, terms.service_fee_share)
    shares["outcome_payment"] = terms.outcome_payment_share
    shares["volume_fee"] = terms.volume_fee_share
    # A share derived from money promised is exact; people read it to 4 decimal places.
    text = {kind: percent(share.quantize(SHOWN)) for kind, share in shares.items()}
    text["management_fee"] = percent(terms.management_fee)
    text["at_risk"] = percent(terms.at_risk_share)
    text["carried"] = percent(ONE - terms.at_risk_share)
    attributed = {
        kind: share
        for kind, share in (
            ("outcome_payment", terms.attributed_outcome_payment_share),
            ("volume_fee", terms.attributed_volume_fee_share),
        )
        if share is not None
    }
    text.update({f"attributed_{kind}": percent(share) for kind, share in attributed.items()})
    return PreparedTerms(
        sub=terms.subcontractor,
        shares=shares,
        keep=ONE - terms.management_fee,
        at_risk=terms.at_risk_share,
        at_risk_borne=terms.at_risk_borne,
        carried=ONE - terms.at_risk_share,
        delay=timedelta(days=terms.payment_terms_days),
        text=text,
        promised=terms.service_fee_value,
        attributed=attributed,
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
            if kind in terms.attributed:
                _pass_attributed(run, obs, line, terms, latest)
                continue
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
            if kind == "service_fee" and terms.promised is not None:
                amount, why = _promised_instalment(m, obs.period, terms, withheld)
            else:
                amount, why = _shared(line, withheld, share, terms)
            due = line.due + terms.delay
            run.pay(obs.period, prime, sub, amount, "pass_down", line.rule, why, due)
            run.sub_earned[sub] += amount
            if amount > 0:
                latest[sub] = max(latest.get(sub, due), due)
    run.attributions.clear()
    _minimum_values(run, obs, latest)


def _pass_attributed(
    run: Run,
    obs: PeriodObservation,
    line: PaymentLine,
    terms: PreparedTerms,
    latest: dict[str, date],
) -> None:
    """A sub-contractor's share of the part of ``line`` its own participants earned, less the
    management fee (PBR-4, PBR-6; :mod:`.attribution`); a note, and nothing passed down, when
    the observed data does not say who delivered the payment."""
    kind, sub = line.kind, terms.sub
    what = f"{pounds(line.amount)} {kind.replace('_', ' ')} ({line.rule})"
    found = run.attributions.get(id(line))
    if found is None:
        why = (
            f"the {what} has no breakdown by the organisation that delivered it, so no part "
            f"of it is attributed to {sub}'s participants and nothing of it is passed down"
        )
        run.note(obs.period, sub, ATTRIBUTION_RULE, why)
        return
    part = found.parts.get(sub)
    if not part:
        return
    earned = line.amount * part
    amount = to_penny(earned * terms.attributed[kind] * terms.keep)
    why = (
        f"{terms.text['attributed_' + kind]} of the {pounds(earned)} of the {what} its own "
        f"participants earned ({found.how[sub]}), less {terms.text['management_fee']} "
        "management fee"
    )
    due = line.due + terms.delay
    run.pay(obs.period, run.mechanism.prime, sub, amount, "pass_down", line.rule, why, due)
    run.sub_earned[sub] += amount
    if amount > 0:
        latest[sub] = max(latest.get(sub, due), due)


def _shared(
    line: PaymentLine, withheld: Decimal, share: Decimal, terms: PreparedTerms
) -> tuple[Decimal, str]:
    """A sub-contractor's share of a payment the prime received, less the management fee."""
    kind = line.kind
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
    return amount, why


def _promised_instalment(
    m: Mechanism, period: int, terms: PreparedTerms, withheld: Decimal
) -> tuple[Decimal, str]:
    """The service fee instalment passed to a sub-contractor promised ``terms.promised`` a year
    (PBR-4), and why. Instalment *i* of *n* a year pays the promise to date less what was paid
    to date, each rounded half up to the penny (``to_penny(V × i / n) − to_penny(V × (i − 1) /
    n)``), so every contract year adds up to the promise exactly. Under a withheld at-risk
    share, the sub-contractor's own part of the risk (``share × at_risk_share``) waits for the
    release like the prime's."""
    fee = m.service_fee
    assert fee is not None and terms.promised is not None  # checked by the loader
    per_year = INSTALMENTS_PER_YEAR[fee.frequency]
    step = PERIODS_PER_YEAR[m.period] // per_year
    index = (period - 1) // step + 1 if fee.timing == "advance" else period // step
    yearly = terms.promised
    amount = to_penny(yearly * index / per_year) - to_penny(yearly * (index - 1) / per_year)
    why = f"{pounds(yearly)} a year of the service fee as promised"
    if per_year > 1:
        why += f", instalment {index} at {per_year} a year"
    if withheld and fee.at_risk is not None and terms.at_risk:
        waiting = fee.at_risk.share * terms.at_risk
        amount = to_penny(amount * (ONE - waiting))
        targets = "weighted targets are" if fee.at_risk.weighted else "target is"
        why += f", less the {percent(waiting)} of it withheld until the {targets} met"
    return amount, why


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
