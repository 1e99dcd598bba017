"""Load a payment mechanism (format version 1): schema, cross-references, then dataclasses.

Nothing is computed from a half-valid mechanism (PBR-1): :func:`parse_mechanism` either returns a
whole :class:`~.model.Mechanism` or raises :class:`~.errors.PaymentsFormatError` listing every
problem with its field path, e.g. ``outcome_payments[0].tariff: must be a decimal amount in
pounds like "1200.00"``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from commissioning_analytics.payments.errors import FieldError, PaymentsFormatError
from commissioning_analytics.payments.model import (
    INSTALMENTS_PER_YEAR,
    PERIODS_PER_YEAR,
    AtRisk,
    Measure,
    Mechanism,
    OutcomePayment,
    Party,
    Role,
    ServiceFee,
    SlidingScale,
    SocialImpactBond,
    SubcontractTerms,
    VolumeFee,
    WeightedTarget,
    YearTariffs,
    contract_year,
)
from commissioning_analytics.payments.money import percent
from commissioning_analytics.payments.schema_check import load_schema, schema_errors

PAYERS = {Role.COMMISSIONER, Role.OUTCOME_PAYER}


def mechanism_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of the mechanism format."""
    return load_schema("mechanism")


def read_json(path: str | Path, what: str) -> object:
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise PaymentsFormatError(
            what, [FieldError("(document)", f"is not JSON: {where}")]
        ) from exc


def load_mechanism(path: str | Path) -> Mechanism:
    """Read, validate and parse a mechanism file."""
    return parse_mechanism(read_json(path, f"Mechanism {path}"))


def example_names() -> list[str]:
    """Names of the mechanism examples shipped with the package (``examples/<name>.json``)."""
    folder = resources.files(__package__).joinpath("examples")
    return sorted(
        item.name.removesuffix(".json")
        for item in folder.iterdir()
        if item.name.endswith(".json") and not item.name.endswith(".observed.json")
    )


def example_document(name: str) -> object:
    """The raw JSON of a shipped example, e.g. ``"hmp-doncaster.observed"``."""
    text = resources.files(__package__).joinpath("examples", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def load_example(name: str) -> Mechanism:
    return parse_mechanism(example_document(name))


def parse_mechanism(document: object) -> Mechanism:
    """Validate ``document`` (parsed JSON) and build the mechanism, or raise with every problem."""
    errors = schema_errors("mechanism", document)
    if not errors:
        assert isinstance(document, dict)
        errors = _reference_errors(document)
    if errors:
        raise PaymentsFormatError("Payment mechanism", errors)
    assert isinstance(document, dict)
    return _build(document)


def _reference_errors(doc: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []

    def bad(path: str, message: str) -> None:
        errors.append(FieldError(path, message))

    roles: dict[str, str] = {}
    for i, party in enumerate(doc["parties"]):
        if party["id"] in roles:
            bad(f"parties[{i}].id", f"repeats the party id {party['id']!r}")
        roles[party["id"]] = party["role"]
    for role in (Role.COMMISSIONER, Role.PRIME):
        if list(roles.values()).count(role) != 1:
            bad("parties", f"must have exactly one party with role {role.value!r}")

    def payer(path: str, party_id: str | None) -> None:
        if party_id is not None and roles.get(party_id) not in PAYERS:
            bad(
                path,
                f"must name a party with role 'commissioner' or 'outcome_payer', not {party_id!r}",
            )

    measures: dict[str, dict[str, Any]] = {}
    for i, m in enumerate(doc.get("measures", [])):
        here = f"measures[{i}]"
        if m["id"] in measures:
            bad(f"{here}.id", f"repeats the measure id {m['id']!r}")
        measures[m["id"]] = m
        for key in ("unit", "better"):
            if m["kind"] == "quantity" and key not in m:
                bad(f"{here}.{key}", "is required for a quantity measure")
            elif m["kind"] != "quantity" and key in m:
                bad(f"{here}.{key}", "applies only to a quantity measure")
        if m["kind"] == "intermediate":
            for key in ("comparison", "improvement", "baseline"):
                if key in m:
                    bad(f"{here}.{key}", "does not apply to an intermediate measure")
            continue
        for key in ("comparison", "improvement"):
            if key not in m:
                bad(f"{here}.{key}", f"is required for a {m['kind']} measure")
        allowed = {
            "binary": "percentage_points",
            "frequency": "events_per_100",
            "quantity": "per_person",
        }[m["kind"]]
        if m.get("improvement") not in (None, allowed, "relative_percent"):
            bad(f"{here}.improvement", f"must be {allowed!r} or 'relative_percent' here")
        if "baseline" in m and m.get("comparison") != "baseline":
            bad(f"{here}.baseline", "is only for comparison 'baseline'")

    def measure(path: str, measure_id: str, kinds: set[str]) -> None:
        kind = measures.get(measure_id, {}).get("kind")
        if kind is None:
            bad(path, f"names no measure in 'measures': {measure_id!r}")
        elif kind not in kinds:
            *most, last = sorted(kinds)
            named = f"{', '.join(most)} or {last}" if most else last
            bad(path, f"must name a {named} measure; {measure_id!r} is {kind}")

    period = doc["period"]
    fee = doc.get("service_fee")
    if fee is not None:
        payer("service_fee.payer", fee.get("payer"))
        if PERIODS_PER_YEAR[period] % INSTALMENTS_PER_YEAR[fee["frequency"]]:
            bad("service_fee.frequency", f"cannot be paid {fee['frequency']} with {period} periods")
        if "at_risk" in fee:
            kinds = {"binary", "frequency", "intermediate", "quantity"}
            _at_risk_target_errors(fee["at_risk"], lambda path, m: measure(path, m, kinds), bad)

    years = contract_year(period, doc["term_periods"])
    ids: set[str] = set()
    basis_kinds = {
        "per_person_achieving": {"intermediate"},
        "per_unit_improvement": {"binary", "frequency", "quantity"},
        "fixed": {"binary", "frequency", "intermediate", "quantity"},
    }
    for i, op in enumerate(doc.get("outcome_payments", [])):
        here = f"outcome_payments[{i}]"
        if op["id"] in ids:
            bad(f"{here}.id", f"repeats the payment id {op['id']!r}")
        ids.add(op["id"])
        payer(f"{here}.payer", op.get("payer"))
        measure(f"{here}.measure", op["measure"], basis_kinds[op["basis"]])
        if "floor" in op and "cap" in op and Decimal(op["floor"]) > Decimal(op["cap"]):
            bad(f"{here}.floor", "must not be more than the cap")
        _tariff_year_errors(here, op, years, bad)
    for i, vf in enumerate(doc.get("volume_fees", [])):
        here = f"volume_fees[{i}]"
        if vf["id"] in ids:
            bad(f"{here}.id", f"repeats the payment id {vf['id']!r}")
        ids.add(vf["id"])
        payer(f"{here}.payer", vf.get("payer"))
        if ("max_units_per_person" in vf) != ("per_person_event" in vf):
            bad(here, "needs both max_units_per_person and per_person_event, or neither")
        _tariff_year_errors(here, vf, years, bad)

    sib = doc.get("social_impact_bond")
    if sib is not None:
        if roles.get(sib["investor"]) != Role.INVESTOR:
            bad("social_impact_bond.investor", "must name a party with role 'investor'")
        payer("social_impact_bond.outcome_payer", sib.get("outcome_payer"))
        measure("social_impact_bond.measure", sib["measure"], {"binary", "frequency"})
        if "single_cohort_threshold" not in sib and "all_cohorts_threshold" not in sib:
            bad("social_impact_bond", "needs a single_cohort_threshold or all_cohorts_threshold")
        for j, item in enumerate(sib["capital"]):
            if item["period"] > doc["term_periods"]:
                bad(
                    f"social_impact_bond.capital[{j}].period",
                    "is after the last period of the term",
                )
        if sib["final_period"] > doc["term_periods"]:
            bad("social_impact_bond.final_period", "is after the last period of the term")

    subs: set[str] = set()
    totals = {"service_fee_share": Decimal(0), "outcome_payment_share": Decimal(0)}
    totals["volume_fee_share"] = Decimal(0)
    for i, terms in enumerate(doc.get("supply_chain", [])):
        here = f"supply_chain[{i}].subcontractor"
        if roles.get(terms["subcontractor"]) != Role.SUBCONTRACTOR:
            bad(here, "must name a party with role 'subcontractor'")
        if terms["subcontractor"] in subs:
            bad(here, f"repeats the sub-contractor {terms['subcontractor']!r}")
        subs.add(terms["subcontractor"])
        for key in totals:
            totals[key] += Decimal(terms.get(key, "0"))
        if "service_fee_value" in terms:
            promise = f"supply_chain[{i}].service_fee_value"
            if "service_fee_share" in terms:
                bad(promise, "give either the value a year or service_fee_share, not both")
            elif fee is None:
                bad(promise, "needs a service_fee to be paid from")
            else:
                share = _promised_share(terms, Decimal(fee["annual_value"]))
                if share is None:
                    bad(promise, "cannot be paid when the management fee is 1 (100%)")
                else:
                    totals["service_fee_share"] += share
    for key, total in totals.items():
        if total > 1 + SHARE_TOLERANCE:
            bad(f"supply_chain.{key}", f"shares add up to {total:.6g}, more than 1")
    _attribution_errors(doc, totals, bad)
    return errors


ATTRIBUTED = {
    "attributed_outcome_payment_share": ("outcome_payment_share", "outcome_payments", "outcome"),
    "attributed_volume_fee_share": ("volume_fee_share", "volume_fees", "volume"),
}


def _attribution_errors(
    doc: dict[str, Any], totals: dict[str, Decimal], bad: Callable[[str, str], None]
) -> None:
    """A share of what a sub-contractor's own participants earned (PBR-4, PBR-6) replaces its
    share of everything, needs payments of that kind, and with every sub-contractor's share of
    everything must leave the prime no less than nothing of its participants' payments."""
    for i, terms in enumerate(doc.get("supply_chain", [])):
        for key, (everything, payments, kind) in ATTRIBUTED.items():
            if key not in terms:
                continue
            here = f"supply_chain[{i}].{key}"
            if everything in terms:
                bad(
                    here,
                    f"give either {everything} (a share of every {kind} payment the prime "
                    f"receives) or {key} (a share of those its own participants earned), not both",
                )
            elif not doc.get(payments):
                bad(here, f"has no {payments} to share: the mechanism has none")
            passed = totals[everything] + Decimal(terms[key])
            if passed > 1 + SHARE_TOLERANCE:
                bad(
                    here,
                    f"with the other sub-contractors' shares of every {kind} payment "
                    f"({totals[everything]:.6g}) passes down {passed:.6g} of what its "
                    "participants earn, more than 1",
                )


def _at_risk_target_errors(
    risk: dict[str, Any],
    measure: Callable[[str, str], None],
    bad: Callable[[str, str], None],
) -> None:
    """One target (``measure`` and ``target``), or several weighted ``targets`` on different
    measures whose weights add up to exactly 1 (PBR-1, PBR-2); weighted targets are judged on
    each period's results, so not with a sliding scale or a window of years."""
    here = "service_fee.at_risk"
    if "targets" not in risk:
        for key in ("measure", "target"):
            if key not in risk:
                bad(f"{here}.{key}", "is required (or give several weighted targets)")
        if "measure" in risk:
            measure(f"{here}.measure", risk["measure"])
        return
    for key in ("measure", "target"):
        if key in risk:
            bad(f"{here}.{key}", "give either measure and target, or targets, not both")
    for key in ("sliding_scale", "measured_over_years"):
        if key in risk:
            bad(f"{here}.{key}", "cannot be combined with several weighted targets")
    seen: set[str] = set()
    for j, target in enumerate(risk["targets"]):
        if target["measure"] in seen:
            bad(f"{here}.targets[{j}].measure", f"repeats the measure {target['measure']!r}")
        seen.add(target["measure"])
        measure(f"{here}.targets[{j}].measure", target["measure"])
    total = sum((Decimal(t["weight"]) for t in risk["targets"]), Decimal(0))
    if total != 1:
        bad(f"{here}.targets", f"weights add up to {percent(total)}, not 100%")


def _tariff_year_errors(
    here: str, rule: dict[str, Any], years: int, bad: Callable[[str, str], None]
) -> None:
    """Tariffs by contract year (PBR-1, PBR-3): each entry after the one before, within the
    term, and naming the same need groups as the rule, so no group falls silently to the
    default tariff in a later year."""
    groups = set(rule.get("need_group_tariffs", {}))
    previous = 1
    for j, entry in enumerate(rule.get("tariffs_by_year", [])):
        path = f"{here}.tariffs_by_year[{j}]"
        if entry["from_year"] <= previous:
            bad(f"{path}.from_year", f"must be later than year {previous}, the year before it")
        elif entry["from_year"] > years:
            bad(f"{path}.from_year", f"is after the last contract year of the term ({years})")
        previous = max(previous, entry["from_year"])
        named = set(entry.get("need_group_tariffs", {}))
        if named != groups:
            expected = ", ".join(sorted(groups)) or "none"
            bad(
                f"{path}.need_group_tariffs",
                f"must name the same need groups as the rule's need_group_tariffs ({expected})",
            )


SHARE_TOLERANCE = Decimal("1e-20")
"""Shares derived from money promised are exact to 28 digits; sums may be off in the last."""


def _promised_share(terms: dict[str, Any], annual_value: Decimal) -> Decimal | None:
    """The share of the service fee that pays ``service_fee_value`` after the management fee:
    ``value / (annual_value × (1 − management_fee))``; ``None`` when no share can."""
    value = Decimal(terms["service_fee_value"])
    keep = 1 - Decimal(terms.get("management_fee", "0"))
    if value == 0:
        return Decimal(0)
    if keep <= 0 or annual_value <= 0:
        return None
    return value / (annual_value * keep)


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _group_tariffs(rule: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in rule.get("need_group_tariffs", {}).items()}


def _tariffs_by_year(rule: dict[str, Any]) -> tuple[YearTariffs, ...]:
    return tuple(
        YearTariffs(entry["from_year"], Decimal(entry["tariff"]), _group_tariffs(entry))
        for entry in rule.get("tariffs_by_year", [])
    )


def _at_risk(risk: dict[str, Any]) -> AtRisk:
    scale = risk.get("sliding_scale")
    targets = tuple(
        WeightedTarget(t["measure"], Decimal(t["target"]), Decimal(t["weight"]))
        for t in risk.get("targets", [])
    ) or (WeightedTarget(risk["measure"], Decimal(risk["target"])),)
    return AtRisk(
        share=Decimal(risk["share"]),
        mode=risk["mode"],
        targets=targets,
        sliding_scale=None
        if scale is None
        else SlidingScale(
            share_per_unit=_money(scale.get("share_per_unit")),
            amount_per_unit=_money(scale.get("amount_per_unit")),
            cap=Decimal(scale.get("cap", "1")),
        ),
        measured_over_years=risk.get("measured_over_years"),
    )


def _build(doc: dict[str, Any]) -> Mechanism:
    parties = tuple(Party(p["id"], p["name"], Role(p["role"])) for p in doc["parties"])
    commissioner = next(p.id for p in parties if p.role == Role.COMMISSIONER)
    prime = next(p.id for p in parties if p.role == Role.PRIME)
    measures = {
        m["id"]: Measure(
            id=m["id"],
            kind=m["kind"],
            comparison=m.get("comparison"),
            improvement=m.get("improvement"),
            baseline=_money(m.get("baseline")),
            indicator=m.get("indicator"),
            description=m.get("description", ""),
            unit=m.get("unit", ""),
            better=m.get("better", "lower"),
        )
        for m in doc.get("measures", [])
    }
    fee = doc.get("service_fee")
    service_fee = None
    if fee is not None:
        risk = fee.get("at_risk")
        service_fee = ServiceFee(
            payer=fee.get("payer", commissioner),
            annual_value=Decimal(fee["annual_value"]),
            frequency=fee["frequency"],
            timing=fee["timing"],
            at_risk=None if risk is None else _at_risk(risk),
        )
    outcome_payments = tuple(
        OutcomePayment(
            id=op["id"],
            measure=op["measure"],
            payer=op.get("payer", commissioner),
            basis=op["basis"],
            tariff=Decimal(op["tariff"]),
            need_group_tariffs=_group_tariffs(op),
            cohorts=tuple(op["cohorts"]) if "cohorts" in op else None,
            threshold=_money(op.get("threshold")),
            floor=_money(op.get("floor")),
            cap=_money(op.get("cap")),
            total_cap=_money(op.get("total_cap")),
            tariffs_by_year=_tariffs_by_year(op),
        )
        for op in doc.get("outcome_payments", [])
    )
    volume_fees = tuple(
        VolumeFee(
            id=vf["id"],
            event=vf["event"],
            payer=vf.get("payer", commissioner),
            tariff=Decimal(vf["tariff"]),
            need_group_tariffs=_group_tariffs(vf),
            max_units_per_person=vf.get("max_units_per_person"),
            per_person_event=vf.get("per_person_event"),
            tariffs_by_year=_tariffs_by_year(vf),
        )
        for vf in doc.get("volume_fees", [])
    )
    sib_doc = doc.get("social_impact_bond")
    sib = None
    if sib_doc is not None:
        sib = SocialImpactBond(
            investor=sib_doc["investor"],
            outcome_payer=sib_doc.get("outcome_payer", commissioner),
            capital=tuple((c["period"], Decimal(c["amount"])) for c in sib_doc["capital"]),
            measure=sib_doc["measure"],
            tariff=Decimal(sib_doc["tariff"]),
            final_period=sib_doc["final_period"],
            single_cohort_threshold=_money(sib_doc.get("single_cohort_threshold")),
            all_cohorts_threshold=_money(sib_doc.get("all_cohorts_threshold")),
            max_return=_money(sib_doc.get("max_return")),
            cap=_money(sib_doc.get("cap")),
        )
    terms_days = doc.get("payment_terms_days", 30)
    supply_chain = tuple(
        SubcontractTerms(
            subcontractor=t["subcontractor"],
            service_fee_share=_promised_share(t, service_fee.annual_value) or Decimal(0)
            if "service_fee_value" in t and service_fee is not None
            else Decimal(t.get("service_fee_share", "0")),
            service_fee_value=_money(t.get("service_fee_value")),
            outcome_payment_share=Decimal(t.get("outcome_payment_share", "0")),
            volume_fee_share=Decimal(t.get("volume_fee_share", "0")),
            attributed_outcome_payment_share=_money(t.get("attributed_outcome_payment_share")),
            attributed_volume_fee_share=_money(t.get("attributed_volume_fee_share")),
            management_fee=Decimal(t.get("management_fee", "0")),
            at_risk_share=Decimal(t.get("at_risk_share", "1")),
            minimum_contract_value=_money(t.get("minimum_contract_value")),
            payment_terms_days=t.get("payment_terms_days", 30),
        )
        for t in doc.get("supply_chain", [])
    )
    return Mechanism(
        format_version=doc["format_version"],
        id=doc["id"],
        name=doc["name"],
        period=doc["period"],
        term_periods=doc["term_periods"],
        parties=parties,
        commissioner=commissioner,
        prime=prime,
        payment_terms_days=terms_days,
        measures=measures,
        service_fee=service_fee,
        outcome_payments=outcome_payments,
        volume_fees=volume_fees,
        social_impact_bond=sib,
        supply_chain=supply_chain,
        description=doc.get("description", ""),
        source=doc.get("source", ""),
    )
