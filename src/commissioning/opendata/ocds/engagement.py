"""The UK2 preliminary market engagement notice (CYC-2, CYC-3, LAW-1).

Section ``planning``, documentType ``marketEngagementNotice``, tag ``planning``: each published
consultation or market engagement event is a planning milestone of type ``engagement``.
"""

from __future__ import annotations

from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    iso,
    money,
    notice_document,
    ocid_for,
    parties,
    with_roles,
)
from commissioning.opendata.ocds.data import PlanningStage


def build_planning(stage: PlanningStage, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK2 preliminary market engagement notice (CYC-3, LAW-1)."""
    ocid = ocid_for(stage.reference, prefix)
    release = base_release(ocid, "UK2", stage.notice, ["planning"], stage.buyer)
    release["parties"] = parties(with_roles(stage.buyer, "buyer"))
    milestone: JsonDict = {
        "id": f"{ocid}-engagement",
        "title": "Preliminary market engagement closes",
        "type": "engagement",
        "status": "scheduled",
    }
    if stage.engagement_period.end is not None:
        milestone["dueDate"] = iso(stage.engagement_period.end)
    milestones = [milestone] + [
        {
            "id": f"{ocid}-{activity.id}",
            "title": activity.title,
            "description": activity.description,
            "type": "engagement",
            "dueDate": iso(activity.due),
            "status": "met" if activity.met else "scheduled",
        }
        for activity in stage.activities
    ]
    planning: JsonDict = {
        "milestones": milestones,
        "documents": [
            notice_document(
                ocid,
                "UK2",
                "marketEngagementNotice",
                "Preliminary market engagement notice",
                stage.notice,
            )
        ],
    }
    if stage.rationale:
        planning["rationale"] = stage.rationale
    if stage.estimated_value is not None:
        planning["budget"] = {"amount": money(stage.estimated_value)}
        if stage.budget_description:
            planning["budget"]["description"] = stage.budget_description
    release["planning"] = planning
    release["tender"] = {
        "id": stage.reference,
        "title": stage.title,
        "description": stage.description,
        "status": "planning",
    }
    return release
