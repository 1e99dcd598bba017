"""What a commissioning cycle taught, assembled from the records (CYC-4).

Each section is one table drawn from one source app through its own services: outcome studies
and KPI ratings; the supply chain's record (quarterly returns, promises below their thresholds,
payment times, the code-of-conduct rating, the annual survey); equality monitoring; the outcomes
of concerns; and what people said in the exercise's consultations with what was done. Every
section names where its figures come from and says so when there is no record, so a reader can
tell "nothing went wrong" from "nothing was recorded". The figures are stored with the draft (a
list of plain dicts) and frozen when the review is published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.concerns.services import published_summary
from commissioning.contracts.models import Contract, KpiAssessment
from commissioning.delivery_checks import conduct_ratings, kpi_figures
from commissioning.delivery_checks import services as delivery_checks
from commissioning.engagement.models import SummaryTheme
from commissioning.exercises.models import CommissioningExercise
from commissioning.kernel.quarters import quarter_label
from commissioning.outcomes_web.services import exercise_studies
from commissioning.referrals import equality
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from commissioning.supply_survey import services as survey
from commissioning.supply_survey.models import SurveyRound


@dataclass
class Section:
    """One table of the review: its rows are strings, as the page and the CSV show them."""

    key: str
    title: str
    source: str
    empty: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def exercise_contracts(exercise: CommissioningExercise) -> QuerySet[Contract]:
    """The contracts awarded under ``exercise``'s opportunities."""
    return (
        Contract.objects.filter(lot__opportunity__exercise=exercise)
        .select_related("prime")
        .order_by("reference")
    )


def assemble(exercise: CommissioningExercise, today: date | None = None) -> list[dict[str, Any]]:
    """Every section of the review of ``exercise``'s cycle, as stored with the draft."""
    today = today or timezone.localdate()
    contracts = list(exercise_contracts(exercise))
    builders: Sequence[Callable[[], Section]] = (
        lambda: outcome_studies(exercise),
        lambda: kpi_ratings(contracts),
        lambda: supply_returns(contracts),
        lambda: promises_below_threshold(contracts, today),
        lambda: payment_times(contracts, today),
        lambda: code_of_conduct(contracts),
        lambda: supply_chain_survey(contracts),
        lambda: equality_monitoring(exercise),
        lambda: concerns(exercise, contracts),
        lambda: you_said_we_did(exercise),
    )
    return [asdict(build()) for build in builders]


def outcome_studies(exercise: CommissioningExercise) -> Section:
    section = Section(
        "outcome-studies",
        "Outcome studies",
        "Providers' matched-comparison studies linked to this exercise, as published.",
        "No outcome study linked to this exercise has been published.",
        ["Study", "Provider", "Result"],
    )
    for study in exercise_studies(AnonymousUser(), exercise):
        statement = (study.result or {}).get("statement") or "No result yet"
        section.rows.append([study.title, study.organisation.name, statement])
    return section


def kpi_ratings(contracts: Sequence[Contract]) -> Section:
    section = Section(
        "kpi-ratings",
        "KPI ratings",
        "Each contract's latest KPI assessment, as published in its performance notice.",
        "No KPI assessment has been recorded on this exercise's contracts.",
        ["Contract", "KPI", "Target", "Period assessed", "Rating", "Result"],
    )
    for contract in contracts:
        latest = (
            KpiAssessment.objects.filter(contract=contract)
            .prefetch_related("ratings__kpi")
            .order_by("-period_end", "-pk")
            .first()
        )
        if latest is None:
            continue
        period = f"{long_date(latest.period_start)} to {long_date(latest.period_end)}"
        for rating in latest.ratings.all():
            section.rows.append(
                [
                    contract.reference,
                    rating.kpi.name,
                    rating.kpi.target,
                    period,
                    rating.get_rating_display(),
                    rating.result,
                ]
            )
    return section


def supply_returns(contracts: Sequence[Contract]) -> Section:
    section = Section(
        "supply-returns",
        "Supply-chain returns",
        "The primes' submitted quarterly returns and each sub-contractor's answer to its line.",
        "No supply-chain return has been submitted on this exercise's contracts.",
        [
            "Contract",
            "Quarter",
            "Referrals received",
            "Paid to sub-contractors (£)",
            "Lines confirmed",
            "Lines disputed",
        ],
    )
    submitted = (
        SupplyReturn.objects.filter(contract__in=contracts, status=SupplyReturn.Status.SUBMITTED)
        .select_related("contract")
        .prefetch_related("lines")
        .order_by("contract__reference", "quarter_start")
    )
    for found in submitted:
        lines = list(found.lines.all())
        section.rows.append(
            [
                found.contract.reference,
                quarter_label(found.quarter_start),
                str(sum(line.referrals_received for line in lines)),
                f"{sum(line.amount_paid for line in lines):,.2f}",
                str(sum(1 for line in lines if line.status == ReturnLine.Status.CONFIRMED)),
                str(sum(1 for line in lines if line.status == ReturnLine.Status.DISPUTED)),
            ]
        )
    return section


MEASURE_WORDS = {"referrals": "Referrals", "money": "Money"}


def promises_below_threshold(contracts: Sequence[Contract], today: date) -> Section:
    section = Section(
        "promises",
        "Promises to sub-contractors below the threshold",
        "What each sub-contractor named in the winning bid was promised against the referrals "
        "and money it received, flagged below the policy thresholds.",
        "No sub-contractor's referrals or money fell below the thresholds, or none was named.",
        ["Contract", "Sub-contractor", "Measure", "Window ending", "Received of promised"],
    )
    kept = delivery_checks.promises_kept_of(contracts, today)
    for contract in contracts:
        for promise in kept.get(contract.pk, []):
            for flag in promise.flags:
                share = (flag.share * 100).quantize(1)
                section.rows.append(
                    [
                        contract.reference,
                        promise.name,
                        MEASURE_WORDS.get(flag.measure, flag.measure),
                        quarter_label(flag.quarter),
                        f"{share}%",
                    ]
                )
    return section


def payment_times(contracts: Sequence[Contract], today: date) -> Section:
    section = Section(
        "payment-times",
        "Payment of sub-contractors",
        "The sub-contractors' invoices the prime paid from the contract's start, counted as the "
        "prompt-payment figures count them.",
        "No sub-contractor's invoice has been paid on this exercise's contracts.",
        ["Contract", "Days to pay", "Paid within 30 days"],
    )
    for contract in contracts:
        last = min(today, contract.end_date)
        average = kpi_figures.average_days_to_pay(contract, contract.start_date, last)
        if average is None:
            continue
        prompt = kpi_figures.paid_within_30_days(contract, contract.start_date, last) or ""
        section.rows.append([contract.reference, average, prompt])
    return section


def code_of_conduct(contracts: Sequence[Contract]) -> Section:
    section = Section(
        "code-of-conduct",
        "Code-of-conduct rating",
        "The independent reviewer's rating in force of how each prime treats its supply chain.",
        "The independent reviewer has not rated this exercise's contracts.",
        ["Contract", "Assessed on", "Principle", "Level"],
    )
    for contract in contracts:
        rating = conduct_ratings.latest_rating(contract)
        if rating is None:
            continue
        for principle in rating.principles.all():
            section.rows.append(
                [
                    contract.reference,
                    long_date(rating.assessed_on),
                    principle.principle,
                    principle.get_level_display(),
                ]
            )
    return section


def supply_chain_survey(contracts: Sequence[Contract]) -> Section:
    section = Section(
        "survey",
        "Supply-chain survey",
        "The primes' published annual surveys of their sub-contractors (shown from five answers).",
        "No survey of these primes' sub-contractors has been published.",
        ["Prime", "Year", "Question", "Agreeing", "Answers"],
    )
    primes = sorted({contract.prime_id for contract in contracts})
    rounds = (
        SurveyRound.objects.filter(prime_id__in=primes, status=SurveyRound.Status.PUBLISHED)
        .select_related("prime")
        .order_by("prime__name", "year")
    )
    for survey_round in rounds:
        found = survey.results(AnonymousUser(), survey_round)
        if not found.shown:
            continue
        for question in found.questions:
            section.rows.append(
                [
                    survey_round.prime.name,
                    str(survey_round.year),
                    question.question,
                    str(question.agreeing),
                    f"{found.respondents} of {found.asked}",
                ]
            )
    return section


def equality_monitoring(exercise: CommissioningExercise) -> Section:
    section = Section(
        "equality",
        "Equality monitoring",
        "The referrals under this exercise's contracts by protected characteristic: rates with "
        "95% intervals, groups whose rate differs from everyone else's, nothing below 5 shown.",
        "No referral has been recorded under this exercise's contracts.",
        ["Characteristic", "Group", "Referrals", "Accepted", "Engaged", "Completed", "Differs"],
    )
    found = equality.report(exercise_contracts(exercise))
    if not found.referred:
        return section
    section.rows.append(
        ["Everyone", "All referrals", str(found.referred)]
        + [cell.text for cell in found.overall]
        + [""]
    )
    for characteristic in found.flagged:
        for line in characteristic.lines:
            if not line.flagged:
                continue
            differs = "; ".join(
                f"{equality.STAGE_LABELS[cell.stage]}: {cell.disparity.lower()}"
                for cell in line.cells
                if cell.disparity
            )
            section.rows.append(
                [characteristic.label, line.answer, line.referred]
                + [cell.text for cell in line.cells]
                + [differs]
            )
    return section


def concerns(exercise: CommissioningExercise, contracts: Sequence[Contract]) -> Section:
    section = Section(
        "concerns",
        "Concerns raised with the independent reviewers",
        "The published outcomes of closed concerns about this exercise and its contracts; a "
        "subject with fewer than 5 closed concerns is not shown on its own.",
        "No closed concern about this exercise or its contracts can be shown.",
        ["Subject", "Closed", "Outcome", "Concerns"],
    )
    references = [exercise.reference, *(contract.reference for contract in contracts)]
    rows, withheld = published_summary(references)
    for row in rows:
        for outcome, count in row.outcomes:
            section.rows.append([row.subject, str(row.closed), outcome, str(count)])
    if withheld:
        section.rows.append(["Subjects with fewer than 5", str(withheld), "Not shown", ""])
    return section


def you_said_we_did(exercise: CommissioningExercise) -> Section:
    section = Section(
        "you-said-we-did",
        "You said, we did",
        "The published summaries of this exercise's consultations: what people said and what "
        "was done.",
        "No consultation summary of this exercise has been published.",
        ["Consultation", "You said", "We did"],
    )
    themes = (
        SummaryTheme.objects.filter(
            consultation__exercise=exercise, consultation__summary_published_at__isnull=False
        )
        .select_related("consultation")
        .order_by("consultation__closes_at", "consultation__pk", "position", "pk")
    )
    for theme in themes:
        section.rows.append([theme.consultation.title, theme.you_said, theme.we_did])
    return section
