"""The payment mechanism builder's service (PBR-1 .. PBR-4, PBR-6): a draft of answers kept
between steps, the preview (the core's statement and risk table for a scenario), and saving the
built mechanism on a contract in one audited transaction.

The subject of a draft is a contract or a lot at tender time (issue 15, PRO-9): the same steps,
check-your-answers and preview build both; only where the mechanism is stored and who may save
it differ (:func:`save` for a contract, the lot's
:func:`~commissioning.procurement.services_editing.save_lot_mechanism`).

The draft lives in the signed-in user's session, one per subject, until it is saved or the
session ends: the answers are cheap to give again, and a draft model would need its own
lifecycle and access rules for a record nobody else sees. Views stay thin: they call
:func:`draft`, :func:`store_step`, :func:`preview` and :func:`save`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from commissioning.accounts.models import User
from commissioning.audit.versions import current_version
from commissioning.contracts import presentation, services
from commissioning.contracts.builder_forms import DEFAULT_SCENARIO
from commissioning.contracts.builder_steps import STEPS, step_of
from commissioning.contracts.models import Contract
from commissioning.procurement import services_editing
from commissioning.procurement.models import Lot
from commissioning_analytics.chain import chain_risk
from commissioning_analytics.payments import PaymentsFormatError, calculate, parse_mechanism
from commissioning_analytics.payments.builder import (
    BuilderError,
    answers_from_mechanism,
    build_mechanism,
    guidance,
    scenario_observed,
)
from commissioning_analytics.payments.observed import parse_observed

SESSION_KEY = "mechanism_builder"
TERM_ANSWERS = ("name", "commissioner_name", "prime_name", "period", "term_periods")
PATH_STEPS = {
    "measures": "measure",
    "service_fee": "service-fee",
    "outcome_payments": "outcomes",
    "volume_fees": "volume-fees",
    "social_impact_bond": "social-impact-bond",
    "supply_chain": "subcontractors",
}


@dataclass
class Problem:
    """Something that stops the mechanism being built, and the step that fixes it."""

    message: str
    step: str
    href: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass
class Built:
    document: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)


Subject = Contract | Lot
"""What a draft builds the mechanism of: a contract, or a lot at tender time."""


def draft_key(subject: Subject) -> str:
    """The draft's key in the session: the contract's reference, or the lot's opportunity
    reference and number (a contract reference never contains "/")."""
    if isinstance(subject, Lot):
        return f"{subject.opportunity.reference}/lot-{subject.number}"
    return subject.reference


def stored_mechanism(subject: Subject) -> dict[str, Any] | None:
    """The subject's saved mechanism document: a contract's, or the lot's as tendered."""
    if isinstance(subject, Lot):
        return subject.tendered_mechanism
    return subject.mechanism


def _drafts(session: MutableMapping[str, Any]) -> dict[str, Any]:
    return session.setdefault(SESSION_KEY, {})


def draft(session: MutableMapping[str, Any], subject: Subject) -> dict[str, Any]:
    """The subject's draft: ``{"answers": {...}, "scenario": {...}, "left_out": [...],
    "version": ...}`` (text values); a new draft starts from the subject's stored mechanism,
    at its current version (saving checks it, issue 13 item 4)."""
    stored = _drafts(session).get(draft_key(subject))
    if stored is not None:
        return stored
    answers, left_out = answers_from_mechanism(stored_mechanism(subject) or {})
    return {
        "answers": answers,
        "scenario": dict(DEFAULT_SCENARIO),
        "left_out": left_out,
        "version": current_version(subject),
    }


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def store_step(
    session: MutableMapping[str, Any],
    subject: Subject,
    cleaned: Mapping[str, Any],
    scenario: Mapping[str, Any] | None = None,
) -> None:
    """Keep one step's answers (and the scenario, when valid) in the subject's draft."""
    current = draft(session, subject)
    current["answers"].update({name: _as_text(value) for name, value in cleaned.items()})
    if scenario is not None:
        current["scenario"] = {name: _as_text(value) for name, value in scenario.items()}
    _drafts(session)[draft_key(subject)] = current
    if hasattr(session, "modified"):
        session.modified = True


def move_on(session: MutableMapping[str, Any], subject: Subject, version: str) -> None:
    """After a refused stale save: the draft now starts from ``version``, so saving it again
    (having looked at the change) is a deliberate choice."""
    stored = _drafts(session).get(draft_key(subject))
    if stored is not None:
        stored["version"] = version
        if hasattr(session, "modified"):
            session.modified = True


def discard(session: MutableMapping[str, Any], subject: Subject) -> None:
    _drafts(session).pop(draft_key(subject), None)
    if hasattr(session, "modified"):
        session.modified = True


def build(subject: Subject, answers: Mapping[str, Any]) -> Built:
    """The mechanism the answers make, checked by the core, or the problems, each with its
    step. The subject's mechanism id is kept so a contract's observed data can still name it."""
    mechanism_id = (stored_mechanism(subject) or {}).get("id", "")
    if any(not answers.get(name) for name in TERM_ANSWERS):
        return Built(None, [Problem("Answer the questions about the term and periods", "term")])
    try:
        document = build_mechanism(answers, mechanism_id=mechanism_id)
    except BuilderError as error:
        return Built(None, [Problem(m, step_of(a)) for a, m in error.errors.items()])
    try:
        parse_mechanism(document)
    except PaymentsFormatError as error:
        return Built(
            document,
            [
                Problem(f"{problem.path}: {problem.message}", _step_of_path(problem.path))
                for problem in error.errors
            ],
        )
    if isinstance(subject, Lot):
        term = services_editing.lot_term_error(subject, document)
        if term:
            return Built(document, [Problem(term, "term")])
    return Built(document)


def _step_of_path(path: str) -> str:
    if ".tariffs_by_year" in path:
        return "tariffs-by-year"
    if path.startswith("service_fee.at_risk.targets"):
        return "at-risk-measures"
    head = path.split("[")[0].split(".")[0]
    if head == "parties" and "[" in path and not path.startswith(("parties[0]", "parties[1]")):
        return "subcontractors"
    return PATH_STEPS.get(head, "term")


@dataclass
class Preview:
    totals: list[dict[str, str]]
    risk: list[dict[str, Any]]
    guidance: list[str]
    funders_paid: str
    periods: int


def preview(document: dict[str, Any], scenario: Mapping[str, Any]) -> Preview:
    """The statement over the whole term for the scenario, the risk each organisation carries
    (a year, from that statement) and where the terms depart from the guidance (PBR-4)."""
    mechanism = parse_mechanism(document)
    observed_document = scenario_observed(
        document,
        referrals_per_year=int(scenario.get("referrals_per_year") or 0),
        outcome_rate=Decimal(scenario.get("outcome_rate") or 0),
    )
    statement = calculate(mechanism, parse_observed(observed_document, mechanism))
    risk = chain_risk(mechanism, {}, statement=statement, periods=mechanism.term_periods)
    return Preview(
        totals=presentation.statement_totals(mechanism, statement)["rows"],
        risk=presentation.risk_rows(risk),
        guidance=guidance(document),
        funders_paid=presentation.pounds(statement.funders_paid()),
        periods=mechanism.term_periods,
    )


@dataclass
class Dropped:
    observed: bool
    assumptions: bool


def dropped_documents(contract: Contract, document: dict[str, Any]) -> Dropped:
    """Which of the contract's other documents the new mechanism no longer fits (they are
    removed on saving; the audit record keeps them)."""
    observed = assumptions = False
    if contract.observed is not None:
        try:
            services.validate_documents(document, contract.observed, None)
        except services.ContractDataError:
            observed = True
    if contract.assumptions is not None:
        try:
            services.validate_documents(document, None, contract.assumptions)
        except services.ContractDataError:
            assumptions = True
    return Dropped(observed, assumptions)


@transaction.atomic
def save(
    actor: User, contract: Contract, document: dict[str, Any], version: str | None = None
) -> Contract:
    """Store the built mechanism on the contract (PBR-1): one transaction, audited by
    :func:`services.update_documents`. Observed data or assumptions the new mechanism no
    longer fits are removed with it, as the check-your-answers page says. A contract changed
    after ``version`` (the draft's) raises ``StaleDocuments`` and nothing is saved."""
    dropped = dropped_documents(contract, document)
    return services.update_documents(
        actor,
        contract,
        mechanism=document,
        observed=None if dropped.observed else contract.observed,
        assumptions=None if dropped.assumptions else contract.assumptions,
        version=version,
    )


def summary(answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The check-your-answers rows, grouped by step: each question as asked and the answer."""
    sections = []
    for step, form_class in STEPS.items():
        form = form_class()
        rows = []
        for name, form_field in form.fields.items():
            value = answers.get(name, "")
            choices = dict(getattr(form_field, "choices", []) or [])
            shown = choices.get(value, value) if value else "Not given"
            rows.append({"name": name, "question": form_field.label, "answer": shown})
        sections.append({"step": step, "title": form_class.title, "rows": rows})
    return sections
