"""The UK1 pipeline notice: a procurement the buyer expects to run (LAW-1; PA 2023 s.93).

Section ``planning``, documentType ``plannedProcurementNotice``, tag ``planning``.
"""

from __future__ import annotations

from decimal import Decimal

from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    money,
    notice_document,
    ocid_for,
    parties,
    with_roles,
)
from commissioning.opendata.ocds.data import Pipeline

#: The procurement threshold for light-touch contracts (PA 2023 Sch. 1, from 1 January 2024,
#: VAT included): rehabilitation and probation services are light-touch services, so an expected
#: procurement worth at least this is a public contract and is announced in the pipeline (UK1).
LIGHT_TOUCH_THRESHOLD = Decimal("663540")


def above_threshold(estimated_value: Decimal | None) -> bool:
    return estimated_value is not None and estimated_value >= LIGHT_TOUCH_THRESHOLD


def build_pipeline(pipeline: Pipeline, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK1 pipeline notice: a procurement above the threshold the buyer expects to run (LAW-1)."""
    if not above_threshold(pipeline.estimated_value):
        raise ValueError(
            f"{pipeline.reference} is below the procurement threshold, so it has no pipeline notice"
        )
    ocid = ocid_for(pipeline.reference, prefix)
    release = base_release(ocid, "UK1", pipeline.notice, ["planning"], pipeline.buyer)
    release["parties"] = parties(with_roles(pipeline.buyer, "buyer"))
    release["planning"] = {
        "budget": {
            "amount": money(pipeline.estimated_value),
            "description": "Estimated annual value",
        },
        "documents": [
            notice_document(
                ocid, "UK1", "plannedProcurementNotice", "Pipeline notice", pipeline.notice
            )
        ],
    }
    release["tender"] = {
        "id": pipeline.reference,
        "title": pipeline.title,
        "description": pipeline.description,
        "status": "planning",
        "mainProcurementCategory": "services",
        "aboveThreshold": True,
    }
    return release
