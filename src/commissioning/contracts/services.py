"""The service layer for contracts (PBR-1 .. PBR-6, SUP-1, SUP-3).

A contract stores its payment mechanism, what has been observed and the stress-test
assumptions as the JSON documents the analytics core validates; every figure shown (payment
statements, the chain-risk table, the working-capital stress test) is computed here by the core
from those documents, so the web pages, the API and the CLI agree. Documents are validated as a
whole before anything is saved or computed: nothing is computed from a half-valid mechanism.

Permission rules come from :mod:`commissioning.permissions`; each change is one transaction with
its audit record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.audit.versions import current_version
from commissioning.cli_payments import statement_json
from commissioning.contracts import citations, recorded
from commissioning.contracts.models import Contract
from commissioning.contracts.stale import lock_and_check_documents
from commissioning_analytics.cashflow.from_mechanism import (
    Assumptions,
    ScenarioMapping,
    parse_assumptions,
    scenario_from_mechanism,
)
from commissioning_analytics.cashflow.stress import WhatIf, what_if
from commissioning_analytics.cashflow.stress_inputs import Levers
from commissioning_analytics.chain import ChainRisk, OrgFinances, chain_risk
from commissioning_analytics.payments import (
    Mechanism,
    Observed,
    PaymentsFormatError,
    Statement,
    calculate,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.recorded import (
    MergedObserved,
    merge_recorded,
    recorded_events,
)
from commissioning_analytics.payments.schema_check import schema_errors

ACTION_UPDATE_DOCUMENTS = "contract.documents"
DOCUMENTS = ("mechanism", "observed", "assumptions")
DEFAULT_PATHS = 2000
DEFAULT_SEED = 2026


class ContractDataError(ValueError):
    """A contract's documents are not valid. ``errors`` maps "mechanism", "observed" or
    "assumptions" to every problem found in it, each naming its field path, e.g.
    ``"outcome_payments[0].tariff: must be a decimal amount in pounds like \"1200.00\""``."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {key: list(value) for key, value in errors.items()}
        lines = [
            f"{key}: {message}" for key, messages in self.errors.items() for message in messages
        ]
        super().__init__("; ".join(lines) or "invalid contract documents")


@dataclass(frozen=True)
class ParsedContract:
    mechanism: Mechanism
    observed: Observed | None
    assumptions: Assumptions | None


def _messages(error: PaymentsFormatError) -> list[str]:
    return [str(problem) for problem in error.errors]


def validate_documents(
    mechanism: object, observed: object | None, assumptions: object | None
) -> ParsedContract:
    """Parse the three documents (parsed JSON) with the core, or raise
    :class:`ContractDataError` listing every problem per document (PBR-1).

    The observed data and the assumptions are checked against the mechanism, so when the
    mechanism itself is invalid only the observed data's schema can be checked."""
    errors: dict[str, list[str]] = {}
    try:
        parsed_mechanism = parse_mechanism(mechanism)
    except PaymentsFormatError as error:
        errors["mechanism"] = _messages(error)
        if observed is not None:
            problems = schema_errors("observed", observed)
            if problems:
                errors["observed"] = [str(problem) for problem in problems]
        raise ContractDataError(errors) from error
    parsed_observed = None
    if observed is not None:
        try:
            parsed_observed = parse_observed(observed, parsed_mechanism)
        except PaymentsFormatError as error:
            errors["observed"] = _messages(error)
    parsed_assumptions = None
    if assumptions is not None:
        try:
            parsed_assumptions = parse_assumptions(
                assumptions, parsed_mechanism, source="the contract's assumptions"
            )
        except PaymentsFormatError as error:
            errors["assumptions"] = _messages(error)
    if errors:
        raise ContractDataError(errors)
    return ParsedContract(parsed_mechanism, parsed_observed, parsed_assumptions)


def parsed(contract: Contract) -> ParsedContract:
    """The contract's stored documents, parsed (they were validated when saved)."""
    return validate_documents(contract.mechanism, contract.observed, contract.assumptions)


def observed_for(contract: Contract, documents: ParsedContract | None = None) -> MergedObserved:
    """What the statement is computed from (PBR-1, PBR-3, REF-1): the volumes of every fee event
    the referral records supply counted from them, per contract period from the contract's start
    date to its last day (its end date, or the day it ended early), and the rest (other
    volumes, every outcome result) from the imported observed data. A contract with no recorded
    referrals keeps its import as it is."""
    documents = documents or parsed(contract)
    imported = MergedObserved(documents.observed or Observed(documents.mechanism.id, ()))
    if not recorded_events(documents.mechanism):
        return imported  # no fee on an event the records supply: nothing to read
    steps = recorded.recorded_steps(contract)
    if steps is None:
        return imported
    last_day = contract.ended_on or contract.end_date
    return merge_recorded(
        documents.mechanism, contract.start_date, documents.observed, steps, last_day
    )


@dataclass(frozen=True)
class ContractStatement:
    """A contract's payment statement with the mechanism and observed data it came from."""

    mechanism: Mechanism
    merged: MergedObserved
    statement: Statement
    cited: tuple[citations.CitedResult, ...] = ()


def contract_statement(contract: Contract) -> ContractStatement | None:
    """The payment statement for the periods observed or recorded so far; ``None`` when there
    are none. The page, the API, the CLI and the invoice pages all compute it here. A result
    cited from a published outcome study replaces the imported one for its measure and period
    (PBR-2, :mod:`commissioning.contracts.citations`)."""
    documents = parsed(contract)
    merged = observed_for(contract, documents)
    cited = citations.cited_results(contract, documents.mechanism)
    if cited:
        observed = citations.with_citations(
            documents.mechanism, contract.start_date, merged.observed, cited
        )
        merged = replace(merged, observed=observed)
    if not merged.observed.periods:
        return None
    statement = calculate(documents.mechanism, merged.observed)
    return ContractStatement(documents.mechanism, merged, statement, cited)


STATEMENT_CACHE_SECONDS = 24 * 60 * 60
"""How long a cached statement is kept; the key changes with everything it depends on, so this
only bounds the memory a contract nobody reads keeps."""


def statement_cache_key(contract: Contract) -> str:
    """The cache key of ``contract``'s statement (PBR-1, REF-1): it changes with everything the
    statement is computed from (the stored documents and dates, the contract's last audited
    change and its recorded referral steps), so a cache that is not shared between processes is
    still never stale. Nothing about who asks is in it."""
    parts = [
        contract.pk,
        contract.reference,
        contract.mechanism,
        contract.observed,
        contract.start_date,
        contract.end_date,
        contract.ended_on,
        contract.updated_at,
        current_version(contract),
        recorded.records_version(contract),
        citations.citations_version(contract),
    ]
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"contract-statement:{contract.pk}:{digest}"


def statement_data(computed: ContractStatement) -> dict[str, Any]:
    """The statement as the API and ``commissioning contracts statement --format json`` give
    it: the shape of ``commissioning payments calculate --format json`` (docs/payments-cli.md),
    each period with the volumes counted, where each came from ("recorded" referrals or the
    "imported" results) and by which party's participants (``delivered_by``: what volume fees
    attributed to a sub-contractor are worked out from, PBR-4), and ``sources`` naming the fee
    events of each kind (REF-1)."""
    merged = computed.merged
    data = statement_json(computed.mechanism, merged.observed, computed.statement)
    for period, observation in zip(data["periods"], merged.observed.periods, strict=True):
        period["volumes"] = [
            {
                "event": v.event,
                "need_group": v.need_group,
                "count": v.count,
                "source": merged.source_of(v.event),
                "delivered_by": v.delivered_by,
            }
            for v in observation.volumes
        ]
        period["outcome_results"] = len(observation.outcomes)
    data["sources"] = {
        "recorded": list(merged.recorded),
        "imported": list(merged.imported_events(computed.mechanism)),
        "outcomes": "imported",
        "recorded_outside_term": merged.outside_term,
    }
    data["cited_studies"] = [item.to_dict() for item in computed.cited]
    return data


def statement_for(contract: Contract) -> Statement | None:
    """The payment statement alone (see :func:`contract_statement`)."""
    computed = contract_statement(contract)
    return None if computed is None else computed.statement


def finances_for(contract: Contract) -> dict[str, OrgFinances]:
    """Each party's finances from its directory organisation (annual income and free reserves
    in months of expenditure); parties without an organisation or an income are left out. The
    risk table and the stress test both take reserves from here, so they show one figure."""
    finances: dict[str, OrgFinances] = {}
    for party in contract.parties.select_related("organisation"):
        organisation = party.organisation
        if organisation is None or not organisation.annual_income:
            continue
        if organisation.annual_income <= 0:
            continue
        finances[party.party_id] = OrgFinances(
            annual_income=organisation.annual_income,
            reserves_months=organisation.reserves_months or Decimal(0),
        )
    return finances


def risk_for(contract: Contract) -> ChainRisk:
    """Money and risk down the chain (PBR-4, PBR-6, SUP-3): from the payment statement
    (annualised) when anything is observed, otherwise from the mechanism's terms."""
    computed = contract_statement(contract)
    finances = finances_for(contract)
    if computed is not None:
        statement = computed.statement
        if statement.lines or statement.notes:
            periods = max(p.period for p in computed.merged.observed.periods)
            return chain_risk(computed.mechanism, finances, statement=statement, periods=periods)
    return chain_risk(parsed(contract).mechanism, finances)


def stress_assumptions(contract: Contract, documents: ParsedContract | None = None) -> Assumptions:
    """The contract's assumptions with each chain member's reserves taken from its directory
    finances where known (a reserves figure given in the assumptions document wins)."""
    documents = documents or parsed(contract)
    base = documents.assumptions or Assumptions()
    chain = {
        p.id for p in documents.mechanism.parties if p.role.value in ("prime", "subcontractor")
    }
    members: dict[str, dict[str, float]] = {
        party: dict(overrides) for party, overrides in base.members.items()
    }
    for party, finances in finances_for(contract).items():
        if party not in chain:
            continue
        overrides = members.setdefault(party, {})
        overrides.setdefault("reserves", float(finances.reserves))
    return Assumptions(values=base.values, members=members, source=base.source, given=base.given)


def stress_mapping(contract: Contract) -> ScenarioMapping:
    """The stress-test scenario of the contract's chain (the prime first, then each
    sub-contractor), with each member's inputs and where they came from."""
    documents = parsed(contract)
    return scenario_from_mechanism(documents.mechanism, stress_assumptions(contract, documents))


LeverMembers = Mapping[str, tuple[str, float, float]]
"""Each chain member's party id → (name, up-front share, at-risk share) as agreed (0–1)."""

SHARE_TOLERANCE = 1e-9


def lever_members(mapping: ScenarioMapping) -> dict[str, tuple[str, float, float]]:
    """What the what-if levers change, per chain member (the prime first)."""
    return {
        m.party: (m.name, m.member.upfront_share, m.member.at_risk_share) for m in mapping.members
    }


def lever_errors(
    members: LeverMembers,
    upfront_share: float | None,
    at_risk_share: float | None,
    only: str | None = None,
) -> dict[str, list[str]]:
    """The one check of the levers' shares (0–1) against each member's own, used by the web
    form and the API alike (PBR-5): a member's up-front and at-risk shares together cannot be
    more than the whole price. ``only`` limits the levers to one member. Returns the problem
    keyed by the lever that caused it, or nothing."""
    if upfront_share is None and at_risk_share is None:
        return {}
    affected = [only] if only else list(members)
    for party in affected:
        if party not in members:
            continue
        name, own_upfront, own_risk = members[party]
        up = own_upfront if upfront_share is None else upfront_share
        risk = own_risk if at_risk_share is None else at_risk_share
        if up + risk > 1 + SHARE_TOLERANCE:
            field = "at_risk_share" if at_risk_share is not None else "upfront_share"
            return {
                field: [
                    f"Up-front share plus at-risk share must be 100% or less; for {name} they "
                    f"would be {up * 100:.1f}% and {risk * 100:.1f}%"
                ]
            }
    return {}


def stress_for(
    contract: Contract,
    levers: Levers | None = None,
    *,
    paths: int = DEFAULT_PATHS,
    seed: int = DEFAULT_SEED,
) -> WhatIf:
    """The working-capital stress test (PBR-5) of every chain member, as agreed and with
    ``levers`` applied (on the same random draws). Member names are mechanism party ids."""
    mapping = stress_mapping(contract)
    return what_if(mapping.scenario, levers or Levers(), seed=seed, paths=paths, workers=1)


@transaction.atomic
def update_documents(
    actor: User,
    contract: Contract,
    *,
    mechanism: object,
    observed: object | None,
    assumptions: object | None,
    version: str | None = None,
) -> Contract:
    """Replace the contract's documents after validating them together; audited. Raises
    :class:`ContractDataError` (and saves nothing) when any is invalid, and
    :class:`~commissioning.contracts.stale.StaleDocuments` when the contract changed after
    ``version``, the one the edit started from (issue 13 item 4). Callers check
    :func:`commissioning.permissions.can_edit_contract` first."""
    validate_documents(mechanism, observed, assumptions)
    lock_and_check_documents(contract, version)
    new = {"mechanism": mechanism, "observed": observed, "assumptions": assumptions}
    changes = {
        name: {"from": getattr(contract, name), "to": new[name]}
        for name in DOCUMENTS
        if getattr(contract, name) != new[name]
    }
    for name in DOCUMENTS:
        setattr(contract, name, new[name])
    contract.save(update_fields=[*DOCUMENTS, "updated_at"])
    record(actor, ACTION_UPDATE_DOCUMENTS, contract, changes)
    return contract


def visible_contracts() -> QuerySet[Contract]:
    """Every contract: supply chains and payments are published to everyone (SUP-1)."""
    return Contract.objects.select_related("commissioning_body", "prime", "lot", "lot__opportunity")


def filter_contracts(filters: Mapping[str, Any]) -> QuerySet[Contract]:
    """Contracts matching the (validated) list filters: body and prime (Organisations) and
    q (text in the reference or title)."""
    queryset = visible_contracts()
    if filters.get("body"):
        queryset = queryset.filter(commissioning_body=filters["body"])
    if filters.get("prime"):
        queryset = queryset.filter(prime=filters["prime"])
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(reference__icontains=text))
    return queryset


def get_contract(reference: str) -> Contract:
    """One contract with what its pages show; raises ``Contract.DoesNotExist``."""
    return visible_contracts().get(reference=reference)
