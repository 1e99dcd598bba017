"""Opportunities as OCDS 1.1 releases lined up with Find a Tender (LAW-1, LAW-2, PRO-9).

Maps an :class:`~commissioning.procurement.models.Opportunity` (with its lots, criteria and
date change log) onto the framework-free dataclasses of :mod:`commissioning.opendata.ocds.data`
and builds its releases: the UK3 planned procurement notice when one was published before the
tender notice (even while the opportunity is still a draft: the notice is public, points to the
exercise's page and carries no dates yet; it is served as stored when published,
:mod:`commissioning.opendata.sources.stored`), the UK4 tender notice at publication, a revised UK4
(``tenderAmendment``) for each published date change, and the UK12 procurement termination when
it is cancelled.
Each tender release carries the clarification questions answered by its date in
``tender.enquiries`` (PRO-4: the published wording and answer, never who asked); answers
published after the last of them come in a ``tenderUpdate`` release dated at the last answer.
A draft, or an opportunity cancelled before it was ever published, has no releases but its UK3.

Callers should prefetch ``lots__areas``, ``lots__specialisms``, ``criteria``, ``date_changes``
and ``questions__lot`` (see :func:`with_ocds_relations`): nothing here queries per row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from commissioning.exercises.models import PublishedNotice
from commissioning.opendata.ocds.common import JsonDict, iso, release_id
from commissioning.opendata.ocds.data import (
    Cancellation,
    Criterion,
    DocumentRef,
    Enquiry,
    Item,
    Lot,
    Notice,
    Period,
    Tender,
)
from commissioning.opendata.ocds.tender import (
    build_cancellation,
    build_planned_procurement,
    build_tender,
)
from commissioning.opendata.sources import stored as published_notices
from commissioning.opendata.sources.common import (
    is_divided,
    lot_id,
    lot_value,
    ocid_prefix,
    organisation_party,
)
from commissioning.procurement.models import Opportunity
from commissioning.procurement.services_timeline import TIMELINE_FIELDS

DEFAULT_CPV = ("75231240", "Probation services")

#: Our coded cancellation reasons → the UK12 codes of ``ocds.tender.CANCELLATION_REASONS``.
CANCELLATION_CODES = {
    "no_longer_needed": "needChanged",
    "budget_withdrawn": "fundingWithdrawn",
    "insufficient_bids": "noCompliantBids",
    "material_change": "needChanged",
    "legal_challenge": "legalChallenge",
    "other": "other",
}


def with_ocds_relations(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.select_related("exercise__commissioning_body").prefetch_related(
        "lots__areas",
        "lots__specialisms",
        "criteria",
        "date_changes",
        "questions__lot",
        "published_notices",
    )


def _lot_description(lot: Any) -> str:
    parts = [f"Lot {lot.number}: {lot.title}."]
    areas = ", ".join(area.name for area in lot.areas.all())
    if areas:
        parts.append(f"Areas: {areas}.")
    services = ", ".join(item.name for item in lot.specialisms.all())
    if services:
        parts.append(f"Services: {services}.")
    parts.append(f"Duration {lot.duration_months} months.")
    if lot.payment_model_summary:
        parts.append(f"Payment: {lot.payment_model_summary}")
    return " ".join(parts)


def _criteria(opportunity: Opportunity) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(
            name=item.name,
            type="price" if item.kind == "price" else "quality",
            weight_percent=item.weight,
            description=item.guidance or None,
        )
        for item in opportunity.criteria.all()
    )


def _absolute(site: str, path: str) -> str:
    return site.rstrip("/") + path


def enquiries_as_of(
    opportunity: Opportunity, moment: datetime, divided: bool
) -> tuple[bool, tuple[Enquiry, ...]]:
    """Whether any question had been received by ``moment``, and the questions answered by then
    as published (PRO-4): the published wording and answer, never who asked."""
    questions = [q for q in opportunity.questions.all() if q.asked_at <= moment]
    answered = sorted(
        (
            q
            for q in questions
            if q.is_published and q.answered_at is not None and q.answered_at <= moment
        ),
        key=lambda q: q.number,
    )
    return bool(questions), tuple(
        Enquiry(
            id=f"question-{q.number}",
            question=q.text,
            answer=q.answer,
            asked=q.asked_at,
            answered=q.answered_at or q.asked_at,
            related_lot=lot_id(q.lot) if divided and q.lot is not None else None,
        )
        for q in answered
    )


def last_answer(opportunity: Opportunity) -> datetime | None:
    times = [
        q.answered_at
        for q in opportunity.questions.all()
        if q.is_published and q.answered_at is not None
    ]
    return max(times, default=None)


def tender_for(
    opportunity: Opportunity,
    site: str,
    dates: dict[str, datetime | None],
    published: datetime,
    as_of: datetime | None = None,
) -> Tender:
    """The opportunity as tendered, with the given deadlines, noticed at ``published``, with
    the questions answered by ``as_of`` (default: ``published``)."""
    lots = list(opportunity.lots.all())
    divided = is_divided(opportunity, lots)
    page = _absolute(site, opportunity.get_absolute_url())
    criteria = _criteria(opportunity)
    value = opportunity.budget_total or sum((lot_value(lot) for lot in lots), Decimal(0))
    terms = "Bids name their sub-contractors, and each confirms its role before the bid is sent."
    if opportunity.consortium_encouraged:
        terms += " Consortium and partnership bids are encouraged."
    received, enquiries = enquiries_as_of(opportunity, as_of or published, divided)
    return Tender(
        reference=opportunity.reference,
        title=opportunity.title,
        description=opportunity.description or opportunity.title,
        buyer=organisation_party(opportunity.exercise.commissioning_body, "buyer"),
        value=value,
        tender_period=Period(opportunity.published_at, dates["bid_deadline"]),
        enquiry_period=Period(opportunity.published_at, dates["question_deadline"]),
        notice=Notice(published=published, url=page),
        suitable_for_sme=opportunity.sme_suitable,
        suitable_for_vcse=opportunity.vcse_suitable,
        lots=tuple(
            Lot(
                id=lot_id(lot),
                title=lot.title,
                description=_lot_description(lot),
                value=lot_value(lot),
                suitable_for_sme=lot.sme_suitable,
                suitable_for_vcse=lot.vcse_suitable,
            )
            for lot in lots
        )
        if divided
        else (),
        items=tuple(
            Item(
                id=lot_id(lot),
                description=lot.title,
                classification_id=DEFAULT_CPV[0],
                classification_description=DEFAULT_CPV[1],
                related_lot=lot_id(lot) if divided else None,
            )
            for lot in lots
        ),
        documents=(
            DocumentRef(
                id=f"{opportunity.reference}-specification",
                title="Specification, lots, criteria and timeline",
                url=f"{page}#specification",
                document_type="technicalSpecifications",
            ),
        ),
        criteria=criteria,
        award_criteria_details=", ".join(f"{c.name} {c.weight_percent:g}%" for c in criteria)
        or None,
        no_lots_rationale=None if divided else opportunity.not_divided_rationale,
        subcontracting_terms=terms,
        submission_method_details="Sealed electronic bids on the Commissioning platform.",
        enquiries=enquiries,
        has_enquiries=received,
        sme_barriers=opportunity.barriers_considered.strip() or None,
    )


def _label(field: str) -> str:
    return str(Opportunity._meta.get_field(field).verbose_name).capitalize()  # type: ignore[union-attr]


def planned_procurement_release(opportunity: Opportunity, published: datetime) -> JsonDict:
    """The UK3 as it reads when published at ``published``, with site-relative links: the lots,
    value, suitability and s.12(4) statement as planned. Nothing that is still private: no link
    to the draft's own page or its specification (the notice links to the exercise's page), no
    award criteria (they are settled in the draft until the tender notice)."""
    dates: dict[str, datetime | None] = {f: getattr(opportunity, f) for f in TIMELINE_FIELDS}
    tender = tender_for(opportunity, "", dates, published, as_of=published)
    notice = Notice(
        published=published,
        url=opportunity.exercise.get_absolute_url(),
        description=f"Planned procurement notice for {opportunity.reference}",
    )
    planned = replace(tender, notice=notice, documents=(), criteria=(), award_criteria_details=None)
    release = build_planned_procurement(planned, prefix=ocid_prefix())
    for document in release["tender"]["documents"]:
        if document["id"].endswith("-sme-barriers"):
            document.pop("url", None)  # the statement is on the draft's page, still private
    return release


def publish_planned_release(opportunity: Opportunity) -> Any:
    """Store the UK3 as published at ``opportunity.planned_notice_at`` (once)."""
    published = opportunity.planned_notice_at
    assert published is not None
    return published_notices.store(
        PublishedNotice.NoticeType.PLANNED_PROCUREMENT,
        planned_procurement_release(opportunity, published),
        published,
        opportunity.exercise,
        opportunity,
    )


def planned_release(opportunity: Opportunity, site: str) -> JsonDict | None:
    """The UK3 planned procurement notice as published, if it came before the tender notice.
    One published before notices were stored is stored at its first publication."""
    planned = opportunity.planned_notice_at
    published = opportunity.published_at
    if planned is None or (published is not None and planned >= published):
        return None
    notice = published_notices.stored(
        opportunity.published_notices, PublishedNotice.NoticeType.PLANNED_PROCUREMENT
    )
    if notice is None:
        notice = publish_planned_release(opportunity)
    return published_notices.served(notice, site)


def releases_for(opportunity: Opportunity, site: str) -> list[JsonDict]:
    """Every release of the opportunity, oldest first: the UK3 if it was published, and from
    publication the tender notices (a draft has only its UK3, if any)."""
    planned = planned_release(opportunity, site)
    announced = [planned] if planned is not None else []
    published = opportunity.published_at
    if opportunity.status == "draft" or published is None:
        return announced
    prefix = ocid_prefix()
    changes = sorted(
        (c for c in opportunity.date_changes.all() if c.changed_at >= published),
        key=lambda c: (c.changed_at, c.pk),
    )
    dates: dict[str, datetime | None] = {f: getattr(opportunity, f) for f in TIMELINE_FIELDS}
    for change in reversed(changes):
        if change.field in dates:
            dates[change.field] = change.old_value
    releases = [build_tender(tender_for(opportunity, site, dict(dates), published), prefix=prefix)]
    groups: dict[str, list[Any]] = {}
    for change in changes:
        key = change.changed_at.strftime("%Y%m%d%H%M%S")
        if key != published.strftime("%Y%m%d%H%M%S"):
            groups.setdefault(key, []).append(change)
    latest = published
    for group in groups.values():
        moment = group[0].changed_at
        for change in group:
            if change.field in dates:
                dates[change.field] = change.new_value
        release = build_tender(tender_for(opportunity, site, dict(dates), moment), prefix=prefix)
        release["tag"] = ["tenderAmendment"]
        release["tender"]["amendments"] = [
            {
                "id": f"amendment-{change.pk}",
                "date": iso(change.changed_at),
                "rationale": change.reason,
                "description": f"{_label(change.field)} changed"
                + (f" from {iso(change.old_value)}" if change.old_value else "")
                + f" to {iso(change.new_value)}"
                + (" automatically" if change.automatic else ""),
                "amendsReleaseID": releases[-1]["id"],
                "releaseID": release["id"],
            }
            for change in group
        ]
        releases.append(release)
        latest = moment
    cancelled = opportunity.status == "cancelled" and opportunity.cancelled_at is not None
    answered = last_answer(opportunity)
    if not cancelled and answered is not None and answered > latest:
        update = build_tender(
            tender_for(opportunity, site, dict(dates), latest, answered), prefix=prefix
        )
        # Not a new notice: the tender as last noticed, with the answers published since.
        update["tag"] = ["tenderUpdate"]
        update["date"] = iso(answered)
        update["id"] = release_id(update["ocid"], "enquiries", answered)
        releases.append(update)
    if cancelled and opportunity.cancelled_at is not None:
        page = _absolute(site, opportunity.get_absolute_url())
        cancellation = Cancellation(
            tender=tender_for(opportunity, site, dict(dates), latest, opportunity.cancelled_at),
            reason_code=CANCELLATION_CODES.get(opportunity.cancellation_code, "other"),
            reason=opportunity.cancellation_reason or opportunity.get_cancellation_code_display(),
            cancelled_at=opportunity.cancelled_at,
            notice=Notice(published=opportunity.cancelled_at, url=page),
        )
        releases.append(build_cancellation(cancellation, prefix=prefix))
    return announced + releases
