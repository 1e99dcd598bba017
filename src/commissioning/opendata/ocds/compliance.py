"""The UK17 payments compliance notice (LAW-3): a buyer's Procurement Act payment figures for
one six-month reporting period (PA 2023 s.69), as a release of the buyer's own process.

The notice is about the buyer, not one contract, and neither OCDS 1.1.5 nor the UK extension
has a field for these figures or a buyer-level section (docs/open-data.md): the release has the
ocid ``<prefix>payments-<buyer reference>`` (one process per buyer, gathering its notices, one
release per reporting period, so its record is the buyer's reporting history), tag
``implementation`` (the figures are about payments under its contracts) and the notice document
(``noticeType`` ``UK17``, ``implementationNotice``) in ``planning.documents``, the only
section that asks for no tender, award or contract; the figures are the document's description.
"""

from __future__ import annotations

from decimal import Decimal

from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    iso,
    notice_document,
    ocid_for,
    parties,
)
from commissioning.opendata.ocds.data import PaymentsCompliance


def _share(value: Decimal | None) -> str:
    return "none" if value is None else f"{value:.1f}%"


def _description(figures: PaymentsCompliance) -> str:
    start, end = figures.period.start, figures.period.end
    assert start is not None and end is not None
    average = figures.average_days_to_pay
    paid = (
        f"{figures.invoices_paid} invoices paid, on average {average:.1f} days after they were "
        "received (day 1 is the day after an invoice is received)"
        if average is not None
        else "no invoice paid"
    )
    return (
        f"Payments compliance, {start.day} {start:%B %Y} to {end.day} {end:%B %Y}: {paid}; "
        f"paid within 1 to 30 days: {_share(figures.paid_in_1_to_30_days)}; "
        f"31 to 60 days: {_share(figures.paid_in_31_to_60_days)}; "
        f"61 days or more: {_share(figures.paid_in_61_days_or_more)}; "
        f"{figures.invoices_fell_due} invoices fell due, "
        f"due but not paid by the period's end: {_share(figures.due_but_unpaid)}."
    )


def payments_ocid(reference: str, prefix: str = DEFAULT_OCID_PREFIX) -> str:
    return ocid_for(f"payments-{reference}", prefix)


def build_payments_compliance(
    figures: PaymentsCompliance, *, prefix: str = DEFAULT_OCID_PREFIX
) -> JsonDict:
    """UK17 payments compliance notice for one reporting period of one buyer; refuses a
    notice published before the period has ended."""
    start, end = figures.period.start, figures.period.end
    if start is None or end is None:
        raise ValueError("a payments compliance notice covers a period with a start and an end")
    if figures.notice.published <= end:
        raise ValueError(
            f"the payments compliance notice for the period ending {iso(end)} is published "
            "after the period has ended"
        )
    ocid = payments_ocid(figures.reference, prefix)
    release = base_release(ocid, "UK17", figures.notice, ["implementation"], figures.buyer)
    release["id"] = f"{ocid}-UK17-{start:%Y%m%d}-{end:%Y%m%d}"
    release["parties"] = parties(figures.buyer)
    release["planning"] = {
        "documents": [
            notice_document(
                ocid,
                "UK17",
                "implementationNotice",
                "Payments compliance notice",
                figures.notice,
                _description(figures),
            )
        ]
    }
    return release
