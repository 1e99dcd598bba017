"""The evidence for a prime's code of conduct with its supply chain (SUP-3): the four principles
of the DWP Merlin Standard — supply chain design, commitment, conduct, review — as criteria,
each with the figure the platform already holds, per sub-contractor and for the whole chain.

Nothing here is worked out afresh: the referrals against the bid's promise are the
"Promised and received" check's (:func:`services.promises_kept`), the payment times the
invoices' compliance figures (:func:`invoice_compliance.core_invoices` through the core's
``payments_against_terms``), the management fee and the risk passed down the contract's
"Money and risk down the chain" table (:func:`contract_services.risk_for`), the mediation
requests the sub-contractors made and how they ended (:mod:`commissioning.mediation`), and the
prime's latest published supply-chain survey (SUP-4), whose counts are shown only from five
answers (ADR 0011). This module gathers them and turns shares into percentages, once, rounding
half up to a tenth of a percent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.delivery_checks import services
from commissioning.invoices import compliance as invoice_compliance
from commissioning.invoices.models import Invoice
from commissioning.kernel.text import counted
from commissioning.mediation.models import MediationRequest
from commissioning.supply_returns.models import ReturnLine
from commissioning.supply_survey import services as survey_services
from commissioning.supply_survey.models import QUESTIONS, SurveyRound
from commissioning_analytics.cashflow.prompt_payment import (
    AgainstTerms,
    ReportingPeriod,
    payments_against_terms,
)
from commissioning_analytics.payments.money import pounds

#: Percentages are shown to a tenth of a percent, half up.
PERCENT_PLACES = Decimal("0.1")
PERCENT_ROUNDING = ROUND_HALF_UP
#: Average days to pay, to a tenth of a day, half up.
DAYS_PLACES = Decimal("0.1")


class Principle(StrEnum):
    """The four principles of the DWP Merlin Standard."""

    DESIGN = "Supply chain design"
    COMMITMENT = "Commitment"
    CONDUCT = "Conduct"
    REVIEW = "Review"


def as_percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage, rounded once; ``None`` without a whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_PLACES, PERCENT_ROUNDING)


def _shown(value: Decimal | None) -> str:
    return "Not known" if value is None else f"{value.normalize():f}%"


@dataclass(frozen=True)
class Criterion:
    """One line of the table: what is measured, the principle it evidences, its figure and a
    sentence that says what the figure means."""

    principle: Principle
    name: str
    figure: str
    statement: str


@dataclass(frozen=True)
class Evidence:
    """The figures for one sub-contractor (``party_id``) or, with ``party_id`` empty, the
    chain's total."""

    party_id: str
    name: str
    referrals_promised: Decimal | None
    referrals_received: int
    referrals_received_percent: Decimal | None
    referrals_flagged: bool
    invoices_paid: int
    average_days_to_pay: Decimal | None
    terms_days: int | None
    paid_within_terms: int
    paid_within_terms_percent: Decimal | None
    management_fee_percent: Decimal | None
    management_fee: Decimal
    at_risk: Decimal
    annual_income: Decimal | None
    at_risk_of_income_percent: Decimal | None
    invoice_disputes: int
    invoice_disputes_resolved: int
    return_lines_disputed: int
    criteria: tuple[Criterion, ...]
    mediations: dict[str, int] = field(default_factory=dict)
    """The sub-contractor's mediation requests by status (the status's label)."""


@dataclass(frozen=True)
class Mediation:
    """One mediation request as the evidence lists it: whose, about what, how it ended."""

    reference: str
    subcontractor: str
    category: str
    status: str
    outcome: str


@dataclass(frozen=True)
class SurveyEvidence:
    """The prime's latest published supply-chain survey in the contract's term: the agreeing
    count of each question, only from five answers (ADR 0011)."""

    year: int
    respondents: int
    shown: bool
    agreeing: tuple[tuple[str, str, int], ...]
    """(field, question, how many agree or strongly agree), when shown."""


@dataclass(frozen=True)
class CodeOfConductEvidence:
    subcontractors: tuple[Evidence, ...]
    total: Evidence
    payments_from: date | None
    payments_to: date
    mediations: tuple[Mediation, ...] = ()
    survey: SurveyEvidence | None = None


#: The principle of the Merlin Standard each survey question evidences.
SURVEY_PRINCIPLES = {
    "fair_terms": Principle.COMMITMENT,
    "prompt_payment": Principle.CONDUCT,
    "proportionate_monitoring": Principle.CONDUCT,
    "fair_risk": Principle.COMMITMENT,
    "would_recommend": Principle.REVIEW,
}
#: Mediation outcomes in the order the evidence names them.
MEDIATION_ORDER = (
    MediationRequest.Status.RESOLVED,
    MediationRequest.Status.NOT_RESOLVED,
    MediationRequest.Status.ACCEPTED,
    MediationRequest.Status.REQUESTED,
    MediationRequest.Status.DECLINED,
    MediationRequest.Status.WITHDRAWN,
)


def _payment_times(contract: Contract, today: date) -> tuple[dict[str, AgainstTerms], date | None]:
    """Each sub-contractor's invoices paid so far against its terms (a disputed invoice counts
    from the day its dispute was resolved; one still disputed is left out)."""
    records = invoice_compliance.core_invoices(
        Invoice.objects.filter(contract=contract, tier=Invoice.Tier.SUBCONTRACTOR)
    )
    if not records:
        return {}, None
    first = min(r.received for r in records)
    return payments_against_terms(records, ReportingPeriod(first, max(first, today))), first


def _disputes(contract: Contract) -> dict[str, tuple[int, int]]:
    rows = (
        Invoice.objects.filter(
            contract=contract, tier=Invoice.Tier.SUBCONTRACTOR, disputed_on__isnull=False
        )
        .values("issuer_party")
        .annotate(raised=Count("pk"), resolved=Count("pk", filter=Q(resolved_on__isnull=False)))
    )
    return {row["issuer_party"]: (row["raised"], row["resolved"]) for row in rows}


def _return_disputes(contract: Contract) -> dict[str, int]:
    rows = (
        ReturnLine.objects.filter(
            supply_return__contract=contract, status=ReturnLine.Status.DISPUTED
        )
        .values("party__party_id")
        .annotate(count=Count("pk"))
    )
    return {row["party__party_id"]: row["count"] for row in rows}


def _mediations(contract: Contract) -> tuple[tuple[Mediation, ...], dict[int, dict[str, int]]]:
    """The contract's mediation requests, oldest first, and each sub-contractor's (by its
    directory entry) counted by status."""
    requests = list(
        MediationRequest.objects.filter(contract=contract)
        .select_related("subcontractor")
        .order_by("requested_at", "pk")
    )
    counts: dict[int, dict[str, int]] = {}
    for request in requests:
        by_status = counts.setdefault(request.subcontractor_id, {})
        by_status[request.status] = by_status.get(request.status, 0) + 1
    lines = tuple(
        Mediation(
            reference=r.reference,
            subcontractor=r.subcontractor.name,
            category=r.get_category_display(),
            status=r.get_status_display(),
            outcome=r.outcome or r.decline_reason,
        )
        for r in requests
    )
    return lines, counts


def _mediation_criterion(counts: dict[str, int], who: str) -> Criterion:
    asked = sum(counts.values())
    resolved = counts.get(MediationRequest.Status.RESOLVED, 0)
    if not asked:
        statement = f"No mediation with the prime was asked for by {who}."
    else:
        outcomes = ", ".join(
            f"{counts[status]} {status.label.lower()}"
            for status in MEDIATION_ORDER
            if status in counts
        )
        statement = (
            f"{who[0].upper() + who[1:]} asked for mediation with the prime "
            f"{counted(asked, 'time')}: {outcomes}."
        )
    return Criterion(
        Principle.REVIEW,
        "Mediation requests and their outcomes",
        f"{resolved} of {asked} resolved",
        statement,
    )


def _survey(contract: Contract) -> SurveyEvidence | None:
    """The prime's latest published survey of a year the contract ran in (SUP-4)."""
    last_day = contract.ended_on or contract.end_date
    survey_round = (
        SurveyRound.objects.filter(
            prime=contract.prime,
            status=SurveyRound.Status.PUBLISHED,
            year__gte=contract.start_date.year,
            year__lte=last_day.year,
        )
        .order_by("-year")
        .first()
    )
    if survey_round is None:
        return None
    results = survey_services.results(AnonymousUser(), survey_round)
    return SurveyEvidence(
        year=survey_round.year,
        respondents=results.respondents,
        shown=results.shown,
        agreeing=tuple(
            (name, question.question, question.agreeing)
            for (name, _), question in zip(QUESTIONS, results.questions, strict=True)
        )
        if results.shown
        else (),
    )


def _survey_criteria(survey: SurveyEvidence | None, prime: str) -> tuple[Criterion, ...]:
    """One line per survey question, under the principle it evidences; its counts only from
    five answers."""
    if survey is None:
        return (
            Criterion(
                Principle.REVIEW,
                "Supply-chain survey",
                "None published",
                f"No supply-chain survey of {prime} has been published for a year of this "
                "contract.",
            ),
        )
    if not survey.shown:
        return tuple(
            Criterion(
                SURVEY_PRINCIPLES[name],
                f"Survey {survey.year}: {question}",
                "Not shown",
                "Fewer than five answers: not shown.",
            )
            for name, question in QUESTIONS
        )
    return tuple(
        Criterion(
            SURVEY_PRINCIPLES[name],
            f"Survey {survey.year}: {question}",
            f"{agreeing} of {survey.respondents}",
            f"{agreeing} of the {survey.respondents} sub-contractors who answered the "
            f"{survey.year} survey of {prime} agree or strongly agree "
            f"({_shown(as_percent(agreeing, survey.respondents))}).",
        )
        for name, question, agreeing in survey.agreeing
    )


def _criteria(e: Evidence, who: str) -> tuple[Criterion, ...]:
    """The sentences for ``e``; ``who`` names the sub-contractor, or "the sub-contractors"."""
    if e.referrals_promised is None:
        referrals = f"No number of referrals was promised to {who}; {e.referrals_received} arrived."
    else:
        referrals = (
            f"{who[0].upper() + who[1:]} received {e.referrals_received} of the "
            f"{e.referrals_promised.normalize():f} referrals promised in the bid for the quarters "
            f"ended{' and was flagged for receiving too few' if e.referrals_flagged else ''}."
        )
    if e.invoices_paid:
        paying = (
            f"The prime took {e.average_days_to_pay} days on average to pay "
            f"{counted(e.invoices_paid, 'invoice')} from {who}; {e.paid_within_terms} of them "
            f"within the {e.terms_days}-day terms."
        )
    else:
        paying = f"No invoice from {who} has been paid yet."
    fee = (
        f"The prime keeps {_shown(e.management_fee_percent)} of {who}'s money as a management "
        f"fee: {pounds(e.management_fee)} a year."
        if e.party_id
        else f"The prime keeps {pounds(e.management_fee)} a year as management fees, "
        f"{_shown(e.management_fee_percent)} of the chain's value."
    )
    risk = (
        f"{pounds(e.at_risk)} a year of {who}'s money is at risk, "
        + (
            f"{_shown(e.at_risk_of_income_percent)} of its annual income."
            if e.at_risk_of_income_percent is not None
            else "against an annual income that is not known."
        )
        if e.party_id
        else f"{pounds(e.at_risk)} a year of the sub-contractors' money is at risk."
    )
    disputes = (
        f"{e.invoice_disputes_resolved} of {counted(e.invoice_disputes, 'invoice dispute')} "
        f"resolved; {counted(e.return_lines_disputed, 'supply-chain return line')} disputed."
    )
    return (
        Criterion(
            Principle.DESIGN,
            "Referrals received against the promise",
            _shown(e.referrals_received_percent),
            referrals,
        ),
        Criterion(Principle.COMMITMENT, "Management fee", _shown(e.management_fee_percent), fee),
        Criterion(
            Principle.COMMITMENT,
            "Risk passed down against its size",
            _shown(e.at_risk_of_income_percent) if e.party_id else pounds(e.at_risk),
            risk,
        ),
        Criterion(
            Principle.CONDUCT,
            "Invoices paid within terms",
            _shown(e.paid_within_terms_percent),
            paying,
        ),
        Criterion(
            Principle.REVIEW,
            "Disputes and their resolution",
            f"{e.invoice_disputes_resolved} of {e.invoice_disputes} resolved",
            disputes,
        ),
        _mediation_criterion(e.mediations, who),
    )


def evidence_for(contract: Contract, today: date | None = None) -> CodeOfConductEvidence:
    """The code-of-conduct evidence of ``contract``'s prime, from the records (SUP-3)."""
    today = today or timezone.localdate()
    promises = services.promises_kept(contract, today)
    paid, first = _payment_times(contract, today)
    risk = contract_services.risk_for(contract)
    risk_rows = {row.party: row for row in risk.rows}
    disputes = _disputes(contract)
    returns = _return_disputes(contract)
    mediations, mediation_counts = _mediations(contract)
    rows = []
    for promise in promises:
        party = promise.party.party_id
        lines = promise.record.quarters
        promised = (
            None
            if promise.party.promised_referrals_per_year is None
            else sum((line.promised_referrals or Decimal(0) for line in lines), Decimal(0))
        )
        received = sum(line.referrals for line in lines)
        times = paid.get(party)
        on_time = 0 if times is None else times.invoices_paid - times.paid_after_due
        row = risk_rows.get(party)
        rate = None if row is None else row.management_fee_rate
        raised, resolved = disputes.get(party, (0, 0))
        income = None if row is None else row.annual_income
        at_risk = Decimal("0.00") if row is None else row.at_risk
        evidence = Evidence(
            party_id=party,
            name=promise.name,
            referrals_promised=promised,
            referrals_received=received,
            referrals_received_percent=None if promised is None else as_percent(received, promised),
            referrals_flagged=promise.record.referral_flag is not None,
            invoices_paid=0 if times is None else times.invoices_paid,
            average_days_to_pay=None
            if times is None
            else Decimal(str(times.average_days_to_pay)).quantize(DAYS_PLACES, ROUND_HALF_UP),
            terms_days=None if times is None else times.terms_days,
            paid_within_terms=on_time,
            paid_within_terms_percent=None
            if times is None
            else as_percent(on_time, times.invoices_paid),
            management_fee_percent=None if rate is None else as_percent(rate, 1),
            management_fee=Decimal("0.00") if row is None else row.management_fee,
            at_risk=at_risk,
            annual_income=income,
            at_risk_of_income_percent=None if income is None else as_percent(at_risk, income),
            invoice_disputes=raised,
            invoice_disputes_resolved=resolved,
            return_lines_disputed=returns.get(party, 0),
            criteria=(),
            mediations=mediation_counts.get(promise.party.organisation_id or 0, {}),
        )
        rows.append(_with_criteria(evidence, promise.name))
    survey = _survey(contract)
    total = _total(rows, paid, risk.management_fee_share)
    total = replace(total, criteria=total.criteria + _survey_criteria(survey, contract.prime.name))
    return CodeOfConductEvidence(
        subcontractors=tuple(rows),
        total=total,
        payments_from=first,
        payments_to=today,
        mediations=mediations,
        survey=survey,
    )


def _with_criteria(evidence: Evidence, who: str) -> Evidence:
    return replace(evidence, criteria=_criteria(evidence, who))


def _total(
    rows: list[Evidence], paid: dict[str, AgainstTerms], fee_share: Decimal | None
) -> Evidence:
    promised = [r.referrals_promised for r in rows if r.referrals_promised is not None]
    promised_total = sum(promised, Decimal(0)) if promised else None
    received = sum(r.referrals_received for r in rows)
    counted = [paid[r.party_id] for r in rows if r.party_id in paid]
    invoices = sum(t.invoices_paid for t in counted)
    days = (
        (
            sum(
                (Decimal(str(t.average_days_to_pay)) * t.invoices_paid for t in counted), Decimal(0)
            )
            / invoices
        ).quantize(DAYS_PLACES, ROUND_HALF_UP)
        if invoices
        else None
    )
    on_time = sum(r.paid_within_terms for r in rows)
    total = Evidence(
        party_id="",
        name="All sub-contractors",
        referrals_promised=promised_total,
        referrals_received=received,
        referrals_received_percent=None
        if promised_total is None
        else as_percent(received, promised_total),
        referrals_flagged=any(r.referrals_flagged for r in rows),
        invoices_paid=invoices,
        average_days_to_pay=days,
        terms_days=max((t.terms_days for t in counted), default=None),
        paid_within_terms=on_time,
        paid_within_terms_percent=as_percent(on_time, invoices),
        management_fee_percent=None if fee_share is None else as_percent(fee_share, 1),
        management_fee=sum((r.management_fee for r in rows), Decimal("0.00")),
        at_risk=sum((r.at_risk for r in rows), Decimal("0.00")),
        annual_income=None,
        at_risk_of_income_percent=None,
        invoice_disputes=sum(r.invoice_disputes for r in rows),
        invoice_disputes_resolved=sum(r.invoice_disputes_resolved for r in rows),
        return_lines_disputed=sum(r.return_lines_disputed for r in rows),
        criteria=(),
        mediations=_summed([r.mediations for r in rows]),
    )
    return _with_criteria(total, "the sub-contractors")


def _summed(counts: list[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for by_status in counts:
        for status, count in by_status.items():
            out[status] = out.get(status, 0) + count
    return out
