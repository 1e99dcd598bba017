"""A contract's social value reports → the builder's dataclasses (EVA-3, LAW-1): a release per
quarter the prime has reported, with every commitment reported in it, dated by the latest
report of the quarter."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time

from django.urls import reverse

from commissioning.awards.models import LotAward
from commissioning.contracts.models import Contract
from commissioning.kernel.quarters import quarter_code, quarter_end, quarter_label
from commissioning.opendata.ocds.common import JsonDict, ocid_for, release_id
from commissioning.opendata.ocds.data import Notice, Period
from commissioning.opendata.ocds.social_value import (
    QuarterFigure,
    SocialValueQuarter,
    build_social_value_quarter,
)
from commissioning.opendata.sources.common import ocid_prefix
from commissioning.opendata.sources.contract import contract_data
from commissioning.social_value.models import Commitment, QuarterlyReport
from commissioning_analytics.timelines.working_days import LONDON


def _figure(commitment: Commitment, report: QuarterlyReport) -> QuarterFigure:
    return QuarterFigure(
        id=f"social-value-{commitment.pk}",
        title=commitment.get_measure_display(),
        description=commitment.description,
        unit=commitment.unit,
        target=commitment.target_per_quarter,
        delivered=report.delivered,
        status=QuarterlyReport.Status(report.status).label,
    )


def releases_of(contract: Contract, site: str, award: LotAward | None = None) -> list[JsonDict]:
    """A release per reported quarter, oldest first; raises ``ContractOcdsError`` as the
    contract's own releases do when the contract cannot be published."""
    reported: dict[date, list[tuple[Commitment, QuarterlyReport]]] = defaultdict(list)
    for commitment in Commitment.objects.filter(contract=contract).prefetch_related("reports"):
        for report in commitment.reports.all():
            reported[report.quarter].append((commitment, report))
    if not reported:
        return []
    data = contract_data(contract, site, award)
    page = site.rstrip("/") + reverse("social_value:contract", args=[contract.reference])
    ocid = ocid_for(contract.lot.opportunity.reference, ocid_prefix())
    out = []
    for start in sorted(reported):
        pairs = reported[start]
        published = max(report.reported_at for _, report in pairs)
        quarter = SocialValueQuarter(
            contract=data,
            quarter=quarter_code(start),
            label=quarter_label(start),
            period=Period(
                datetime.combine(start, time(0, 0), LONDON),
                datetime.combine(quarter_end(start), time(23, 59, 59), LONDON),
            ),
            notice=Notice(published=published, url=page),
            figures=tuple(_figure(c, r) for c, r in pairs),
        )
        release = build_social_value_quarter(quarter, prefix=ocid_prefix())
        code = f"SV-{quarter.quarter}-{contract.reference}"
        release["id"] = release_id(ocid, code, published.astimezone(UTC))
        out.append(release)
    return out
