"""The tender's notices: UK3 planned procurement, UK4 tender and UK12 procurement termination
(LAW-1, LAW-2, PRO-4).

All three carry the same ``tender`` object (:func:`tender_section`) in a different status:

======  ========================  ==================  =========
notice  documentType              tag                 status
======  ========================  ==================  =========
UK3     plannedProcurementNotice  planning            planned
UK4     tenderNotice              tender              active
UK12    tenderCancellationNotice  tenderCancellation  cancelled
======  ========================  ==================  =========
"""

from __future__ import annotations

from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    criteria_section,
    iso,
    money,
    notice_document,
    ocid_for,
    org_ref,
    parties,
    period,
    with_roles,
)
from commissioning.opendata.ocds.data import Cancellation, Criterion, Enquiry, Lot, Tender

#: Coded reasons for a procurement termination (UK12), published with the notice.
CANCELLATION_REASONS: dict[str, str] = {
    "noCompliantBids": "No bids, or no bids that met the conditions, were received",
    "needChanged": "The requirement has changed or is no longer needed",
    "fundingWithdrawn": "The funding for the contract is no longer available",
    "marketResponse": "Market engagement or bids showed the lots should be redesigned",
    "legalChallenge": "The procurement was stopped following a challenge",
    "other": "Another reason, given in the notice",
}


def _lot(lot: Lot, criteria: tuple[Criterion, ...], status: str) -> JsonDict:
    out: JsonDict = {
        "id": lot.id,
        "title": lot.title,
        "description": lot.description,
        "status": status,
        "value": money(lot.value),
        "suitability": {"sme": lot.suitable_for_sme, "vcse": lot.suitable_for_vcse},
    }
    if lot.contract_period is not None:
        out["contractPeriod"] = period(lot.contract_period)
    if criteria:
        out["awardCriteria"] = criteria_section(criteria)
    if lot.subcontracting_terms:
        out["subcontractingTerms"] = {"description": lot.subcontracting_terms}
    return out


def _enquiry(item: Enquiry) -> JsonDict:
    """A published question and answer (enquiries extension); never its author (PRO-4)."""
    out: JsonDict = {
        "id": item.id,
        "date": iso(item.asked),
        "description": item.question,
        "answer": item.answer,
        "dateAnswered": iso(item.answered),
    }
    if item.related_lot:
        out["relatedLot"] = item.related_lot
    return out


def sme_barriers_document(tender: Tender, ocid: str) -> JsonDict:
    """The s.12(4) statement (LAW-2): how barriers facing SMEs and VCSEs were considered.

    Neither the UK extension nor the extensions it depends on has a field for it (its SME and
    VCSE fields are the ``suitability`` flags and the parties' ``details``), so it is published
    as the core ``Document`` that explains the basis of this contracting process
    (``procurementPlan``), in the tender beside those flags, linked to the statement on the
    opportunity's page.
    """
    doc: JsonDict = {
        "id": f"{ocid}-sme-barriers",
        "documentType": "procurementPlan",
        "title": "How barriers facing SMEs and VCSEs were considered",
        "description": tender.sme_barriers,
        "datePublished": iso(tender.notice.published),
        "format": "text/html",
        "language": "en",
    }
    if tender.notice.url:
        doc["url"] = f"{tender.notice.url}#barriers"
    return doc


def tender_section(tender: Tender, ocid: str, status: str) -> JsonDict:
    """The ``tender`` object shared by the UK4 and UK12 releases."""
    if not tender.lots and not tender.no_lots_rationale:
        raise ValueError("a tender without lots must say why it is not divided (no_lots_rationale)")
    out: JsonDict = {
        "id": tender.reference,
        "title": tender.title,
        "description": tender.description,
        "status": status,
        "value": money(tender.value),
        "procurementMethod": tender.procurement_method,
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria" if tender.criteria else "bestValueToGovernment",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": period(tender.tender_period),
        "enquiryPeriod": period(tender.enquiry_period),
        "hasEnquiries": tender.has_enquiries or bool(tender.enquiries),
        "suitability": {"sme": tender.suitable_for_sme, "vcse": tender.suitable_for_vcse},
    }
    optional = {
        "procurementMethodDetails": tender.procurement_method_details,
        "submissionMethodDetails": tender.submission_method_details,
        "awardCriteriaDetails": tender.award_criteria_details,
    }
    out.update({key: value for key, value in optional.items() if value})
    if tender.items:
        out["items"] = [
            {
                "id": item.id,
                "description": item.description,
                "classification": {
                    "scheme": "CPV",
                    "id": item.classification_id,
                    **(
                        {"description": item.classification_description}
                        if item.classification_description
                        else {}
                    ),
                },
                **({"relatedLot": item.related_lot} if item.related_lot else {}),
            }
            for item in tender.items
        ]
    lot_status = status if status in ("cancelled", "planned") else "active"
    if tender.lots:
        out["lots"] = [_lot(lot, tender.criteria, lot_status) for lot in tender.lots]
    else:
        out["lotDetails"] = {"noLotsDivisionRationale": tender.no_lots_rationale}
    if tender.subcontracting_terms:
        out["subcontractingTerms"] = {"description": tender.subcontracting_terms}
    if tender.enquiries:
        out["enquiries"] = [_enquiry(item) for item in tender.enquiries]
    out["documents"] = [
        notice_document(ocid, "UK4", "tenderNotice", "Tender notice", tender.notice),
        *(
            {
                "id": doc.id,
                "documentType": doc.document_type,
                "title": doc.title,
                "url": doc.url,
                **({"relatedLots": list(doc.related_lots)} if doc.related_lots else {}),
            }
            for doc in tender.documents
        ),
    ]
    if tender.sme_barriers:
        out["documents"].append(sme_barriers_document(tender, ocid))
    return out


def build_planned_procurement(tender: Tender, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK3 planned procurement notice: the tender as planned (status ``planned``, its lots,
    value, suitability and the s.12(4) statement) before its tender notice; no tender or enquiry
    period yet, those come with the UK4 (LAW-1, LAW-2)."""
    ocid = ocid_for(tender.reference, prefix)
    release = base_release(ocid, "UK3", tender.notice, ["planning"], tender.buyer)
    release["parties"] = parties(with_roles(tender.buyer, "buyer", "procuringEntity"))
    section = tender_section(tender, ocid, "planned")
    for key in ("tenderPeriod", "enquiryPeriod", "enquiries", "hasEnquiries"):
        section.pop(key, None)
    if not tender.criteria:  # not decided yet: the tender notice publishes them
        section.pop("awardCriteria", None)
    section["documents"][0] = notice_document(
        ocid, "UK3", "plannedProcurementNotice", "Planned procurement notice", tender.notice
    )
    section["procuringEntity"] = org_ref(tender.buyer)
    release["tender"] = section
    return release


def build_tender(tender: Tender, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK4 tender notice: lots with SME/VCSE suitability, items, periods, documents (LAW-2)."""
    ocid = ocid_for(tender.reference, prefix)
    release = base_release(ocid, "UK4", tender.notice, ["tender"], tender.buyer)
    release["parties"] = parties(with_roles(tender.buyer, "buyer", "procuringEntity"))
    release["tender"] = tender_section(tender, ocid, "active")
    release["tender"]["procuringEntity"] = org_ref(tender.buyer)
    return release


def build_cancellation(cancel: Cancellation, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK12 procurement termination notice, with a coded, published reason."""
    if cancel.reason_code not in CANCELLATION_REASONS:
        raise ValueError(f"unknown cancellation reason code {cancel.reason_code!r}")
    tender = cancel.tender
    ocid = ocid_for(tender.reference, prefix)
    release = base_release(ocid, "UK12", cancel.notice, ["tenderCancellation"], tender.buyer)
    release["parties"] = parties(with_roles(tender.buyer, "buyer", "procuringEntity"))
    section = tender_section(tender, ocid, "cancelled")
    section["finalStatusDate"] = iso(cancel.cancelled_at)
    label = CANCELLATION_REASONS[cancel.reason_code]
    section["documents"].append(
        notice_document(
            ocid,
            "UK12",
            "tenderCancellationNotice",
            "Procurement termination notice",
            cancel.notice,
            f"Reason {cancel.reason_code} ({label}): {cancel.reason}",
        )
    )
    release["tender"] = section
    return release
