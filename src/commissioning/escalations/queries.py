"""Read queries shared by the escalation pages and the API (REF-2): the lists for a provider
organisation and a probation body, a body's record against the response targets, and each
probation area's record over the contracts a commissioning body commissions. A
probation body's escalations are those under the contracts it serves
(:mod:`commissioning.contracts.probation`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from commissioning.contracts.models import Contract
from commissioning.contracts.probation import contracts_served_by, probation_bodies_serving
from commissioning.escalations import targets
from commissioning.escalations.models import Escalation
from commissioning_analytics.timelines.response_targets import Record, describe_duration, summarise


def _listed() -> QuerySet[Escalation]:
    return Escalation.objects.select_related("contract", "organisation")


def for_organisation(organisation: Any) -> QuerySet[Escalation]:
    return _listed().filter(organisation=organisation)


def _to_body(body: Any) -> Q:
    """The escalations that go to the probation body ``body``: under the contracts it serves."""
    return Q(contract__in=contracts_served_by(body).values("pk"))


def for_body(body: Any) -> QuerySet[Escalation]:
    return _listed().filter(_to_body(body))


def waiting_first(escalations: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """Those waiting for acknowledgement, then for a response, then the answered; newest first
    within each."""
    order = Case(
        When(status=Escalation.Status.RAISED, then=Value(0)),
        When(status=Escalation.Status.ACKNOWLEDGED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return escalations.order_by(order, "-raised_at", "-pk")


def late(escalations: QuerySet[Escalation], now: datetime) -> QuerySet[Escalation]:
    """Those acknowledged or responded to after the deadline, or still unanswered past it."""
    ack_late = Q(acknowledged_at__gt=F("acknowledge_by")) | Q(
        acknowledged_at__isnull=True, acknowledge_by__lt=now
    )
    respond_late = Q(responded_at__gt=F("respond_by")) | Q(
        responded_at__isnull=True, respond_by__lt=now
    )
    return escalations.filter(ack_late | respond_late)


@dataclass(frozen=True)
class UrgencyRow:
    urgency: str
    label: str
    acknowledge_target: str
    respond_target: str
    raised: int
    acknowledge_share: str
    acknowledge_counts: str
    acknowledge_median: str
    respond_share: str
    respond_counts: str
    respond_median: str


def _share(share: float | None) -> str:
    return "No figures yet" if share is None else f"{round(share * 100)}%"


def _median(value: Any) -> str:
    return "No figures yet" if value is None else describe_duration(value)


def _row(record: Record, label: str, ack_target: str, respond_target: str) -> UrgencyRow:
    return UrgencyRow(
        urgency=record.urgency,
        label=label,
        acknowledge_target=ack_target,
        respond_target=respond_target,
        raised=record.raised,
        acknowledge_share=_share(record.acknowledge.share_within_target),
        acknowledge_counts=f"{record.acknowledge.within_target} of {record.acknowledge.measured}",
        acknowledge_median=_median(record.acknowledge.median),
        respond_share=_share(record.respond.share_within_target),
        respond_counts=f"{record.respond.within_target} of {record.respond.measured}",
        respond_median=_median(record.respond.median),
    )


@dataclass(frozen=True)
class LateEscalation:
    escalation: Escalation
    acknowledgement: targets.Standing
    response: targets.Standing


@dataclass(frozen=True)
class BodyRecord:
    rows: list[UrgencyRow]
    overall: UrgencyRow
    late: list[LateEscalation]


def body_record(body: Any, now: datetime) -> BodyRecord:
    """The body's record: for each urgency and in all, the escalations raised, the share
    acknowledged and responded to within target (of those answered or past due) and the median
    times; and the late ones, newest first."""
    return _record(_to_body(body), now)


@dataclass(frozen=True)
class AreaRecord:
    """One probation body's record over the escalations under one commissioner's contracts."""

    probation_body: Any
    record: BodyRecord


def commissioned_record(body: Any, now: datetime) -> list[AreaRecord]:
    """For the commissioning body ``body``: each probation area's record (REF-2) over the
    escalations under the contracts ``body`` commissions and that area serves, by area name.
    An escalation under a contract two areas serve counts in both."""
    commissioned = Q(contract__commissioning_body=body)
    contract_ids = set(
        Escalation.objects.filter(commissioned).values_list("contract_id", flat=True)
    )
    areas: dict[int, Any] = {}
    for contract in Contract.objects.filter(pk__in=contract_ids).select_related("lot"):
        for area in probation_bodies_serving(contract):
            areas.setdefault(area.pk, area)
    return [
        AreaRecord(area, _record(commissioned & _to_body(area), now))
        for area in sorted(areas.values(), key=lambda area: (area.name, area.pk))
    ]


def _record(chosen: Q, now: datetime) -> BodyRecord:
    escalations = _listed().filter(chosen)
    timings = [
        targets.timing(e)
        for e in Escalation.objects.filter(chosen).only(
            "urgency",
            "raised_at",
            "acknowledge_by",
            "acknowledged_at",
            "respond_by",
            "responded_at",
        )
    ]
    by_urgency, overall = summarise(timings, now, Escalation.Urgency.values)
    configured = targets.targets()
    labels = dict(Escalation.Urgency.choices)
    rows = [
        _row(
            record,
            str(labels.get(record.urgency, record.urgency)),
            configured[record.urgency]["acknowledge"].describe(),
            configured[record.urgency]["respond"].describe(),
        )
        for record in by_urgency
        if record.urgency in configured
    ]
    return BodyRecord(
        rows=rows,
        overall=_row(overall, "All escalations", "", ""),
        late=[
            LateEscalation(
                e,
                targets.standing(e, "acknowledge", now),
                targets.standing(e, "respond", now),
            )
            for e in late(escalations, now)
        ],
    )
