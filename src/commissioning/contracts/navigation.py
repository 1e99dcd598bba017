"""A contract's pages, linked from each other (PBR-1 .. PBR-6, SUP-1, LAW-3): the sections the
contract pages and the pages above them (its invoices and payments) list in one navigation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

SECTIONS = (
    ("contracts:detail", "Summary and supply chain"),
    ("contracts:mechanism", "Payment mechanism"),
    ("contracts:statements", "Payment statements"),
    ("contracts:risk", "Money and risk down the chain"),
    ("contracts:stress", "Cash-flow stress test"),
    ("invoices:contract", "Invoices and payments"),
)


def sections(reference: str, current: str) -> list[dict[str, Any]]:
    """Each section's label and link, ``current`` (a URL name) marked."""
    return [
        {"label": text, "url": reverse(name, args=[reference]), "current": name == current}
        for name, text in SECTIONS
    ]


def label(current: str) -> str:
    return dict(SECTIONS)[current]
