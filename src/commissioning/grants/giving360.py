"""Awarded grants in the 360Giving Data Standard 1.4 (CYC-6): a grants package (JSON) and the
flat CSV with the standard's column headings. Framework-free (dataclasses in, dicts and text
out); :mod:`commissioning.grants.publication` reads the records into these dataclasses.

Identifiers, as the standard's organisation identifier guidance expects:

* a registered charity is ``GB-CHC-<charity number>``; otherwise a registered company is
  ``GB-COH-<company number>``;
* any other organisation (a public body, an unregistered group) gets the platform's own prefix,
  ``360G-commissioning-org-<its slug on the platform>``;
* a grant is ``360G-commissioning-<round reference>-<application number>``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

#: The platform's 360Giving prefix, for grants and for organisations with no registered number.
PREFIX = "360G-commissioning"
SCHEMA_VERSION = "1.4"
CURRENCY = "GBP"

CSV_HEADINGS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "From An Open Call?",
    "Last Modified",
)


@dataclass(frozen=True)
class Org:
    slug: str
    name: str
    charity_number: str = ""
    company_number: str = ""

    @property
    def identifier(self) -> str:
        return organisation_identifier(self.charity_number, self.company_number, self.slug)


@dataclass(frozen=True)
class AwardedGrant:
    round_reference: str
    round_title: str
    application_number: int
    title: str
    description: str
    amount_applied_for: Decimal
    amount_awarded: Decimal
    awarded_at: datetime
    recipient: Org
    funder: Org
    url: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    modified_at: datetime | None = None


def organisation_identifier(charity_number: str, company_number: str, slug: str) -> str:
    charity = "".join(charity_number.split())
    company = "".join(company_number.split()).upper()
    if charity:
        return f"GB-CHC-{charity}"
    if company:
        return f"GB-COH-{company}"
    return f"{PREFIX}-org-{slug}"


def grant_identifier(round_reference: str, application_number: int) -> str:
    return f"{PREFIX}-{round_reference}-{application_number}"


def _when(value: datetime | date) -> str:
    """A full date-time (UTC): the standard accepts it for every date, unambiguously."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _amount(value: Decimal) -> int | float:
    """A JSON number: whole pounds as integers, pence kept (the amounts have two places)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _organisation(org: Org) -> dict[str, Any]:
    out: dict[str, Any] = {"id": org.identifier, "name": org.name}
    if org.charity_number.strip():
        out["charityNumber"] = "".join(org.charity_number.split())
    if org.company_number.strip():
        out["companyNumber"] = "".join(org.company_number.split()).upper()
    return out


def build_grant(grant: AwardedGrant) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": grant_identifier(grant.round_reference, grant.application_number),
        "title": grant.title,
        "description": grant.description,
        "currency": CURRENCY,
        "amountAppliedFor": _amount(grant.amount_applied_for),
        "amountAwarded": _amount(grant.amount_awarded),
        "awardDate": _when(grant.awarded_at),
        "recipientOrganization": [_organisation(grant.recipient)],
        "fundingOrganization": [_organisation(grant.funder)],
        "grantProgramme": [{"code": grant.round_reference, "title": grant.round_title}],
        "fromOpenCall": "Yes",
    }
    if grant.url:
        out["url"] = grant.url
    if grant.starts_on and grant.ends_on:
        out["plannedDates"] = [
            {"startDate": _when(grant.starts_on), "endDate": _when(grant.ends_on)}
        ]
    if grant.modified_at:
        out["dateModified"] = _when(grant.modified_at)
    return out


def grants_package(
    grants: Iterable[AwardedGrant], *, title: str, publisher_name: str
) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "title": title,
        "publisher": {"name": publisher_name},
        "grants": [build_grant(grant) for grant in grants],
    }


def csv_row(grant: AwardedGrant) -> dict[str, str]:
    built = build_grant(grant)
    planned = built.get("plannedDates", [{}])[0]
    return {
        "Identifier": built["id"],
        "Title": grant.title,
        "Description": grant.description,
        "Currency": CURRENCY,
        "Amount Applied For": f"{grant.amount_applied_for:.2f}",
        "Amount Awarded": f"{grant.amount_awarded:.2f}",
        "Award Date": built["awardDate"],
        "Planned Dates:Start Date": planned.get("startDate", ""),
        "Planned Dates:End Date": planned.get("endDate", ""),
        "Recipient Org:Identifier": grant.recipient.identifier,
        "Recipient Org:Name": grant.recipient.name,
        "Recipient Org:Charity Number": built["recipientOrganization"][0].get("charityNumber", ""),
        "Recipient Org:Company Number": built["recipientOrganization"][0].get("companyNumber", ""),
        "Funding Org:Identifier": grant.funder.identifier,
        "Funding Org:Name": grant.funder.name,
        "Grant Programme:Code": grant.round_reference,
        "Grant Programme:Title": grant.round_title,
        "From An Open Call?": "Yes",
        "Last Modified": built.get("dateModified", ""),
    }


def grants_csv(grants: Sequence[AwardedGrant]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_HEADINGS, lineterminator="\r\n")
    writer.writeheader()
    for grant in grants:
        writer.writerow(csv_row(grant))
    return buffer.getvalue()
