"""A published outcome study as the observed result an outcome payment rests on (PBR-2, OUT-1).

A commissioner of the contract chooses, for one outcome measure and one period of the
mechanism, a published study of the contract's own service users: its uploading organisation
must be the prime or a sub-contractor of the contract. The statement then pays on the study's
figures instead of an imported result for that measure and period, mapped explicitly
(:func:`study_figures`, docs/payments.md "Outcome results cited from a published study"):

* a ``binary`` measure takes a study of proven reoffending within one year (``reoffended``):
  observed = the matched cohort's rate, reference = the matched comparison's rate, both in %;
* a ``frequency`` measure takes a study of the number of proven reoffences (``reoffences``):
  observed and reference = the mean per person × 100, in reoffences per 100 people;
* the cohort size is the matched cohort's size; the figures are the study's, to one decimal
  place (``ROUND_HALF_UP``), as it is published.

A measure compared with a ``baseline`` uses the study's observed figure against the measure's
fixed baseline. A study something cites is not unpublished or deleted
(``outcomes_web.citations.withdrawal_refusal``), so the statement never pays on a withdrawn one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract, ContractParty, StudyCitation
from commissioning.outcomes_web.citations import Citing
from commissioning.outcomes_web.models import OutcomeStudy
from commissioning_analytics.payments import Mechanism, Observed
from commissioning_analytics.payments.model import Measure
from commissioning_analytics.payments.observed import OutcomeResult, PeriodObservation
from commissioning_analytics.payments.recorded import period_span

ONE_DECIMAL = Decimal("0.1")
STUDY_OUTCOME_FOR_KIND = {"binary": "reoffended", "frequency": "reoffences"}
"""Which study outcome each reoffending measure kind takes (PBR-2)."""
NOT_A_COMMISSIONER = "Only commissioners of the contract's commissioning body can cite a study"
DELIVERING_ROLES = (ContractParty.Role.PRIME, ContractParty.Role.SUBCONTRACTOR)


class CitationError(ValueError):
    """A study's result cannot stand for the measure (wrong outcome, not finished)."""


@dataclass(frozen=True)
class CitedResult:
    """A citation with the figures the statement pays on."""

    citation: StudyCitation
    study: OutcomeStudy
    cohort_size: int
    observed: Decimal
    reference: Decimal | None

    @property
    def cohort(self) -> str:
        return f"study-{self.study.pk}"

    @property
    def study_url(self) -> str:
        return reverse("outcomes:detail", args=[self.study.pk])

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.citation.measure,
            "period": self.citation.period,
            "cohort": self.cohort,
            "cohort_size": self.cohort_size,
            "observed": str(self.observed),
            "reference": None if self.reference is None else str(self.reference),
            "study": {
                "id": self.study.pk,
                "title": self.study.title,
                "organisation": self.study.organisation.name,
                "url": self.study_url,
            },
        }


def _percent(value: Any) -> Decimal:
    return (Decimal(str(value)) * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def study_figures(measure: Measure, result: dict[str, Any] | None) -> tuple[int, Decimal, Decimal]:
    """The matched cohort's size, its figure and the matched comparison's figure, in the
    measure's units (binary: % reoffending; frequency: reoffences per 100 people); raise
    :class:`CitationError` when the study does not measure what the measure counts."""
    wanted = STUDY_OUTCOME_FOR_KIND.get(measure.kind)
    if wanted is None:
        raise CitationError(
            "This measure is not a reoffending measure: an outcome study can only stand for "
            "a measure of reoffending or of the number of reoffences"
        )
    if not result:
        raise CitationError("This study has no result yet")
    if result.get("outcome") != wanted:
        what = "whether people reoffended" if wanted == "reoffended" else "how many reoffences"
        raise CitationError(
            f"This measure needs a study of {what} within one year; "
            f"this study measured {result.get('outcome')!s}"
        )
    return (
        int(result["n_matched_treated"]),
        _percent(result["treated_mean"]),
        _percent(result["comparison_mean"]),
    )


def _mechanism(contract: Contract) -> Mechanism:
    from commissioning.contracts.services import parsed

    return parsed(contract).mechanism


def _delivering_organisations(contract: Contract) -> set[int]:
    ids = {contract.prime_id}
    ids |= set(
        contract.parties.filter(role__in=DELIVERING_ROLES, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    return ids


def citable_studies(contract: Contract) -> list[OutcomeStudy]:
    """Published studies of the contract's prime and sub-contractors, newest first."""
    return list(
        OutcomeStudy.objects.filter(
            published_at__isnull=False,
            organisation_id__in=_delivering_organisations(contract),
        )
        .select_related("organisation")
        .order_by("-published_at", "-pk")
    )


def _check(
    contract: Contract, mechanism: Mechanism, measure_id: str, period: int | None, study_id: Any
) -> tuple[Measure, OutcomeStudy]:
    errors: dict[str, list[str]] = {}
    measure = mechanism.measures.get(measure_id)
    if measure is None:
        errors["measure"] = ["Choose one of the mechanism's outcome measures"]
    if period is None or not 1 <= period <= mechanism.term_periods:
        errors["period"] = [
            f"Enter a contract period from 1 to {mechanism.term_periods}, the periods of the term"
        ]
    study = None
    try:
        study = OutcomeStudy.objects.select_related("organisation").get(pk=int(study_id))
    except (TypeError, ValueError, OutcomeStudy.DoesNotExist):
        errors["study"] = ["Enter the number of a published outcome study"]
    if study is not None:
        if not study.is_published:
            errors["study"] = [
                "This study is not published: only a published study can be cited, so that "
                "everyone can check the figures a payment rests on"
            ]
        elif study.organisation_id not in _delivering_organisations(contract):
            errors["study"] = [
                f"This study is of {study.organisation.name}'s service users, and "
                f"{study.organisation.name} is not a party to this contract: cite a study by the "
                "prime or a sub-contractor"
            ]
        elif measure is not None:
            try:
                study_figures(measure, study.result)
            except CitationError as error:
                errors["study"] = [str(error)]
            if measure.comparison == "baseline" and measure.baseline is None:
                errors["measure"] = [
                    "This measure takes its baseline from each result; a study gives a matched "
                    "comparison instead: cite it for a measure with a matched comparison"
                ]
    if errors:
        raise ValidationError(errors)
    assert measure is not None and study is not None
    return measure, study


def cite_study(
    actor: User, contract: Contract, measure_id: str, period: int | None, study_id: Any
) -> StudyCitation:
    """Cite a published study for one measure and period, replacing any study cited there
    before, in one audited transaction; ``PermissionDenied`` for anyone but the contract's
    commissioners, ``ValidationError`` naming each field otherwise (PBR-2)."""
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied(NOT_A_COMMISSIONER)
    mechanism = _mechanism(contract)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        _measure, study = _check(contract, mechanism, measure_id, period, study_id)
        assert period is not None  # _check refused a missing period
        previous = StudyCitation.objects.filter(
            contract=contract, measure=measure_id, period=period
        ).first()
        citation, _created = StudyCitation.objects.update_or_create(
            contract=contract,
            measure=measure_id,
            period=period,
            defaults={"study": study, "cited_by": actor},
        )
        record(
            actor,
            "cite_study",
            contract,
            {
                "measure": measure_id,
                "period": period,
                "study": {"from": previous.study_id if previous else None, "to": study.pk},
            },
        )
    return citation


def remove_citation(actor: User, contract: Contract, citation_id: int) -> None:
    """Stop citing a study (the statement goes back to the imported result), audited."""
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied(NOT_A_COMMISSIONER)
    with transaction.atomic():
        citation = StudyCitation.objects.filter(contract=contract, pk=citation_id).first()
        if citation is None:
            raise ValidationError({"citation": ["This study is no longer cited"]})
        record(
            actor,
            "uncite_study",
            contract,
            {"measure": citation.measure, "period": citation.period, "study": citation.study_id},
        )
        citation.delete()


def cited_results(contract: Contract, mechanism: Mechanism) -> tuple[CitedResult, ...]:
    """The contract's citations with the figures each gives; a citation of a measure the
    mechanism no longer has is left out (the page lists it as not used)."""
    measures = mechanism.measures
    found: list[CitedResult] = []
    for citation in contract.citations.select_related("study__organisation"):
        measure = measures.get(citation.measure)
        if measure is None or citation.period > mechanism.term_periods:
            continue
        try:
            size, observed, comparison = study_figures(measure, citation.study.result)
        except CitationError:
            continue
        reference = None if measure.comparison == "baseline" else comparison
        found.append(CitedResult(citation, citation.study, size, observed, reference))
    return tuple(found)


def with_citations(
    mechanism: Mechanism, term_start: date, observed: Observed, cited: tuple[CitedResult, ...]
) -> Observed:
    """``observed`` with each cited study's result in place of the results of its measure in
    its period; a period not observed yet is added with its dates from the term's start."""
    if not cited:
        return observed
    periods = {p.period: p for p in observed.periods}
    for item in cited:
        number = item.citation.period
        period = periods.get(number)
        if period is None:
            start, end = period_span(mechanism, term_start, number)
            period = PeriodObservation(number, f"Period {number}", start, end)
        result = OutcomeResult(
            measure=item.citation.measure,
            cohort=item.cohort,
            cohort_size=item.cohort_size,
            observed=item.observed,
            reference=item.reference,
        )
        kept = tuple(o for o in period.outcomes if o.measure != item.citation.measure)
        periods[number] = replace(period, outcomes=(*kept, result))
    return replace(observed, periods=tuple(periods[n] for n in sorted(periods)))


def citations_version(contract: Contract) -> str:
    """Changes whenever a citation is added, replaced or removed: part of the statement's key."""
    rows = contract.citations.order_by("pk").values_list("pk", "measure", "period", "study_id")
    return ";".join(",".join(str(v) for v in row) for row in rows)


def contracts_citing(study: OutcomeStudy) -> list[Citing]:
    """The contracts whose payments rest on ``study`` (registered with outcomes_web)."""
    contracts = Contract.objects.filter(citations__study=study).distinct().order_by("reference")
    return [
        Citing(f"contract {c.reference}", reverse("contracts:statements", args=[c.reference]))
        for c in contracts
    ]
