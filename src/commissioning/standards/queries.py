"""Each national standard computed from the records for every commissioning body at once
(MKT-3): one query per standard, never one per body. :func:`compliance` is what the inspector's
report and the public summary both show, so their figures are the same."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from commissioning.clarifications.models import Question
from commissioning.directory.models import Organisation
from commissioning.equality.models import Assessment
from commissioning.exercises.models import CommissioningExercise
from commissioning.invoices.models import Invoice, Payment
from commissioning.procurement.models import Lot, Opportunity
from commissioning.standards.rules import Result, Standard, load

Tally = dict[int, list[Decimal]]
"""Body id → [passed, counted]."""


def national_standards() -> list[Standard]:
    return load(getattr(settings, "NATIONAL_STANDARDS_FILE", None))


def _tally(pairs: list[tuple[int, bool]]) -> Tally:
    tally: Tally = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for body_id, passed in pairs:
        tally[body_id][0] += 1 if passed else 0
        tally[body_id][1] += 1
    return tally


def bid_window(standard: Standard, today: date) -> Tally:
    """Published tenders whose bid deadline is at least ``minimum_weeks`` after publication."""
    window = timedelta(weeks=int(standard.params["minimum_weeks"]))
    rows = Opportunity.objects.filter(
        published_at__isnull=False, bid_deadline__isnull=False
    ).values_list("exercise__commissioning_body_id", "published_at", "bid_deadline")
    return _tally(
        [
            (body, deadline - published >= window)
            for body, published, deadline in rows
            if published is not None and deadline is not None
        ]
    )


def clarifications_on_time(standard: Standard, today: date) -> Tally:
    """Questions answered, or awaiting an answer past their due date: on time when answered on
    or before the day promised (London time)."""
    rows = Question.objects.filter(
        Q(status=Question.Status.ANSWERED, answered_at__isnull=False)
        | Q(status=Question.Status.AWAITING, due_on__lt=today)
    ).values_list("opportunity__exercise__commissioning_body_id", "answered_at", "due_on")
    return _tally(
        [
            (body, answered is not None and timezone.localdate(answered) <= due)
            for body, answered, due in rows
        ]
    )


def small_lots(standard: Standard, today: date) -> Tally:
    """Lots of published tenders worth at most ``lot_value_limit`` a year."""
    limit = Decimal(str(standard.params["lot_value_limit"]))
    rows = Lot.objects.filter(opportunity__published_at__isnull=False).values_list(
        "opportunity__exercise__commissioning_body_id", "estimated_annual_value"
    )
    return _tally([(body, value <= limit) for body, value in rows])


def prompt_payment(standard: Standard, today: date) -> Tally:
    """The body's own suppliers' invoices, paid in full or overdue by ``days``: on time when
    paid within ``days`` of receipt."""
    days = int(standard.params["days"])
    rows = Invoice.objects.filter(
        Q(paid_on__isnull=False) | Q(received_on__lt=today - timedelta(days=days)),
        payer__is_commissioning_body=True,
    ).values_list("payer_id", "received_on", "paid_on")
    return _tally(
        [
            (body, paid is not None and (paid - received).days <= days)
            for body, received, paid in rows
        ]
    )


def equality_assessments(standard: Standard, today: date) -> Tally:
    """Exercises with a published tender: passed when an assessment has been published."""
    published = Assessment.objects.filter(exercise=OuterRef("pk"), published_at__isnull=False)
    rows = (
        CommissioningExercise.objects.filter(opportunities__published_at__isnull=False)
        .distinct()
        .annotate(assessed=Exists(published))
        .values_list("commissioning_body_id", "assessed")
    )
    return _tally(list(rows))


def vcs_spend(standard: Standard, today: date) -> Tally:
    """Pounds the body paid its suppliers, and those paid to the listed kinds of organisation."""
    kinds = list(standard.params["org_types"])
    rows = (
        Payment.objects.filter(invoice__payer__is_commissioning_body=True)
        .values("invoice__payer_id")
        .annotate(
            total=Sum("amount"), vcs=Sum("amount", filter=Q(invoice__issuer__org_type__in=kinds))
        )
        .values_list("invoice__payer_id", "vcs", "total")
    )
    tally: Tally = {}
    for body, vcs, total in rows:
        tally[body] = [vcs or Decimal(0), total or Decimal(0)]
    return tally


MEASURES: dict[str, Callable[[Standard, date], Tally]] = {
    "bid_window": bid_window,
    "clarifications_on_time": clarifications_on_time,
    "small_lots": small_lots,
    "prompt_payment": prompt_payment,
    "equality_assessments": equality_assessments,
    "vcs_spend": vcs_spend,
}


@dataclass(frozen=True)
class BodyCompliance:
    body: Organisation
    results: list[Result]

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.standing == "met")

    @property
    def not_met(self) -> int:
        return sum(1 for r in self.results if r.standing == "not_met")


@dataclass(frozen=True)
class Compliance:
    standards: list[Standard]
    bodies: list[BodyCompliance]

    def by_standard(self) -> list[tuple[Standard, list[tuple[Organisation, Result]]]]:
        return [
            (standard, [(b.body, b.results[index]) for b in self.bodies])
            for index, standard in enumerate(self.standards)
        ]


def compliance(today: date | None = None, standards: list[Standard] | None = None) -> Compliance:
    """Every commissioning body against every standard: one query per standard and one for the
    bodies."""
    today = today or timezone.localdate()
    standards = national_standards() if standards is None else standards
    tallies = [MEASURES[s.key](s, today) for s in standards]
    bodies = Organisation.objects.filter(is_commissioning_body=True).order_by("name", "pk")
    zero = [Decimal(0), Decimal(0)]
    return Compliance(
        standards=standards,
        bodies=[
            BodyCompliance(
                body=body,
                results=[
                    Result(standard, *tally.get(body.pk, zero))
                    for standard, tally in zip(standards, tallies, strict=True)
                ],
            )
            for body in bodies
        ],
    )
