"""Shared pieces of the OCDS release builders: ids, dates, money, parties, notice documents."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from commissioning.opendata.ocds.data import Criterion, Notice, Party, Period

DEFAULT_OCID_PREFIX = "ocds-commissioning-"
CURRENCY = "GBP"
JsonDict = dict[str, Any]


def ocid_for(reference: str, prefix: str = DEFAULT_OCID_PREFIX) -> str:
    return f"{prefix}{reference}"


def iso(moment: datetime) -> str:
    """ISO 8601 with its UTC offset; naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime {moment!r} must be timezone-aware")
    return moment.isoformat()


def release_id(ocid: str, notice_code: str, published: datetime) -> str:
    iso(published)
    return f"{ocid}-{notice_code}-{published.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def money(amount: Decimal, currency: str = CURRENCY) -> JsonDict:
    return {"amount": number(amount), "currency": currency}


def period(value: Period) -> JsonDict:
    out: JsonDict = {}
    if value.start is not None:
        out["startDate"] = iso(value.start)
    if value.end is not None:
        out["endDate"] = iso(value.end)
    return out


def party(value: Party) -> JsonDict:
    """An OCDS party; ``details.scale`` and the UK ``details.vcse`` carry LAW-2 statuses."""
    out: JsonDict = {"id": value.id, "name": value.name, "roles": list(value.roles)}
    if value.identifier_scheme and value.identifier_id:
        out["identifier"] = {
            "scheme": value.identifier_scheme,
            "id": value.identifier_id,
            "legalName": value.name,
        }
    if value.region:
        out["address"] = {"region": value.region, "countryName": "United Kingdom"}
    details: JsonDict = {}
    if value.scale is not None:
        details["scale"] = value.scale
    if value.vcse is not None:
        details["vcse"] = value.vcse
    if details:
        out["details"] = details
    if value.role_details:
        out["roleDetails"] = value.role_details  # UK extension: a consortium's lead and members
    return out


def org_ref(value: Party) -> JsonDict:
    return {"id": value.id, "name": value.name}


def with_roles(value: Party, *roles: str) -> Party:
    merged = tuple(dict.fromkeys((*value.roles, *roles)))
    return Party(**{**value.__dict__, "roles": merged})


def parties(*groups: Party) -> list[JsonDict]:
    """Parties by id in first-seen order, roles of repeated ids combined."""
    seen: dict[str, Party] = {}
    for item in groups:
        seen[item.id] = with_roles(seen[item.id], *item.roles) if item.id in seen else item
    return [party(item) for item in seen.values()]


def notice_document(
    ocid: str, code: str, document_type: str, title: str, notice: Notice, description: str = ""
) -> JsonDict:
    doc: JsonDict = {
        "id": f"{ocid}-{code}",
        "documentType": document_type,
        "noticeType": code,
        "title": title,
        "datePublished": iso(notice.published),
        "format": "text/html",
        "language": "en",
    }
    text = description or notice.description
    if text:
        doc["description"] = text
    if notice.url:
        doc["url"] = notice.url
    return doc


def base_release(ocid: str, code: str, notice: Notice, tag: list[str], buyer: Party) -> JsonDict:
    return {
        "ocid": ocid,
        "id": release_id(ocid, code, notice.published),
        "date": iso(notice.published),
        "tag": tag,
        "initiationType": "tender",
        "language": "en",
        "buyer": org_ref(buyer),
    }


def criteria_section(criteria: tuple[Criterion, ...]) -> JsonDict:
    return {
        "criteria": [
            {
                "type": item.type,
                "name": item.name,
                **({"description": item.description} if item.description else {}),
                "numbers": [{"number": number(item.weight_percent), "weight": "percentageExact"}],
            }
            for item in criteria
        ]
    }
