"""A quarter of a contract's social value, pledged against delivered, as an OCDS implementation
update (EVA-3, LAW-1). The platform's own release, not one of the Act's notices: each commitment
is a ``contracts[].implementation.metrics`` entry (metrics extension: "reported results from the
delivery of the contracted goods, works or services") whose observations for the quarter are
the target pledged and the figure the prime reported, told apart by the ``figure`` dimension,
with the report's state in ``reportStatus``. Money is an observation's ``value``, counts its
``measure`` with the ``unit``. Observation ids name the quarter, so a record compiled from every
quarter's release keeps them all. The contract's ``agreedMetrics`` stay its KPIs (UK7).
Dataclasses in, OCDS out; no Django."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commissioning.opendata.ocds.award import award_parties, award_section
from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    iso,
    money,
    number,
    ocid_for,
    period,
)
from commissioning.opendata.ocds.data import Contract, Notice, Period


@dataclass(frozen=True)
class QuarterFigure:
    """One commitment's target and reported delivery in the quarter."""

    id: str  # the metric's id, stable across quarters: "social-value-12"
    title: str  # what the commitment measures
    description: str  # what was promised
    unit: str  # "£" for money
    target: Decimal
    delivered: Decimal
    status: str  # the report's state in words: "Submitted", "Queried", "Accepted"

    @property
    def is_money(self) -> bool:
        return self.unit == "£"


@dataclass(frozen=True)
class SocialValueQuarter:
    contract: Contract
    quarter: str  # "2026Q2"
    label: str  # "April to June 2026"
    period: Period
    notice: Notice  # the latest report of the quarter, and the contract's social value page
    figures: tuple[QuarterFigure, ...]


def _observation(
    figure: QuarterFigure, code: str, kind: str, amount: Decimal, when: JsonDict
) -> JsonDict:
    observation: JsonDict = {"id": f"{figure.id}-{code}-{kind}", "period": when}
    if figure.is_money:
        observation["value"] = money(amount)
    else:
        observation["measure"] = number(amount)
        observation["unit"] = {"name": figure.unit}
    dimensions = {"figure": kind}
    if kind == "delivered":
        dimensions["reportStatus"] = figure.status.lower()
    observation["dimensions"] = dimensions
    return observation


def _metric(figure: QuarterFigure, code: str, when: JsonDict) -> JsonDict:
    return {
        "id": figure.id,
        "title": f"Social value: {figure.title}",
        "description": figure.description,
        "observations": [
            _observation(figure, code, "target", figure.target, when),
            _observation(figure, code, "delivered", figure.delivered, when),
        ],
    }


def build_social_value_quarter(
    data: SocialValueQuarter, *, prefix: str = DEFAULT_OCID_PREFIX
) -> JsonDict:
    """The quarter's implementation update release."""
    contract = data.contract
    award = contract.award
    ocid = ocid_for(contract.reference, prefix)
    release = base_release(
        ocid, f"SV-{data.quarter}", data.notice, ["implementationUpdate"], award.buyer
    )
    release["parties"] = award_parties(award)
    release["awards"] = [award_section(award, "active")]
    when = period(data.period)
    document: JsonDict = {
        "id": f"{contract.id}-social-value-{data.quarter}",
        "title": f"Social value pledged and delivered, {data.label}",
        "description": "What the prime contractor pledged each quarter under the social value "
        "criterion and what it reported delivering.",
        "datePublished": iso(data.notice.published),
        "format": "text/html",
        "language": "en",
    }
    if data.notice.url:
        document["url"] = data.notice.url
    release["contracts"] = [
        {
            "id": contract.id,
            "awardID": award.id,
            "title": contract.title,
            "implementation": {
                "metrics": [_metric(f, data.quarter, when) for f in data.figures],
                "documents": [document],
            },
        }
    ]
    return release
