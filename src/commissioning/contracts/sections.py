"""The sections of a contract's pages, each a page linked from the others (PBR-1 .. PBR-6,
SUP-1, REF-1, LAW-3). A later app that adds a section (referrals, invoices and payments) builds
its page's context here too, so every section shows the same header and navigation."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse

from commissioning import permissions
from commissioning.contracts import access, services
from commissioning.contracts.models import Contract

#: (URL name, label): a name without a namespace is one of the contract pages'.
SECTIONS = (
    ("detail", "Summary and supply chain"),
    ("mechanism", "Payment mechanism"),
    ("statements", "Payment statements"),
    ("risk", "Money and risk down the chain"),
    ("stress", "Cash-flow stress test"),
    ("subcontracts", "Model sub-contracts"),
    ("performance", "Performance"),
    ("referrals:contract", "Referrals"),
    ("referrals:equality", "Equality monitoring"),
    ("invoices:contract", "Invoices and payments"),
    ("delivery_checks:contract", "Promised and received"),
    ("supply_returns:contract", "Supply-chain returns"),
    ("monitoring:contract", "Monitoring returns"),
    ("delivery_checks:code_of_conduct", "Code of conduct"),
    ("social_value:contract", "Social value"),
    ("stewardship:footprint", "Local market footprint"),
    ("ringfences:contract", "Ring-fenced money and small grants"),
)

#: The sections only some people see, each with the rule that says who: no one else is shown
#: the link.
RESTRICTED = {"delivery_checks:code_of_conduct": access.can_see_code_of_conduct}


def contract_or_404(reference: str) -> Contract:
    """The contract a section page is about, or 404."""
    try:
        return services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404("No contract with that reference") from None


def _url_name(name: str) -> str:
    return name if ":" in name else f"contracts:{name}"


def section_context(
    user: permissions.Visitor, contract: Contract, section: str, **extra: Any
) -> dict[str, Any]:
    """The header, section navigation and breadcrumbs of the ``section`` page of ``contract``."""
    label = dict(SECTIONS)[section]
    return {
        "contract": contract,
        "section_label": label,
        "sections": [
            {
                "label": text,
                "url": reverse(_url_name(name), args=[contract.reference]),
                "current": name == section,
            }
            for name, text in SECTIONS
            if name not in RESTRICTED or RESTRICTED[name](user, contract)
        ],
        "can_edit": permissions.can_edit_contract(user, contract),
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url() if section != "detail" else None),
            *([(label, None)] if section != "detail" else []),
        ],
        **extra,
    }
