"""Links into escalations from pages of apps below this one (a contract, an organisation's
profile), shown only to those who may follow them (REF-2). The pages load this library in
their templates, so the apps they belong to never import escalations."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from commissioning.escalations import access, targets

register = template.Library()


@register.inclusion_tag("escalations/_links.html", takes_context=True)
def contract_escalation_links(context: Any, contract: Any) -> dict[str, Any]:
    user = context["request"].user
    links = []
    if access.can_raise(user, contract):
        links.append(
            (
                "Raise an escalation with probation",
                reverse("escalations:raise", args=[contract.reference]),
            )
        )
    body = contract.commissioning_body
    if access.can_read_commissioned_record(user, body):
        links.append(
            (
                "Escalations record of the probation areas",
                reverse("escalations:commissioned_record", args=[body.slug]),
            )
        )
    return {"links": links}


@register.inclusion_tag("escalations/_links.html", takes_context=True)
def organisation_escalation_links(context: Any, organisation: Any) -> dict[str, Any]:
    user = context["request"].user
    slug = organisation.slug
    links = []
    if access.can_read_organisation_list(user, organisation):
        links.append(("Escalations raised", reverse("escalations:organisation", args=[slug])))
    if access.can_read_body_list(user, organisation):
        links.append(("Escalations to answer", reverse("escalations:body", args=[slug])))
    if access.can_read_body_record(user, organisation):
        links.append(("Escalations record", reverse("escalations:record", args=[slug])))
    if access.can_read_commissioned_record(user, organisation):
        links.append(
            (
                "Escalations record for the contracts it commissions",
                reverse("escalations:commissioned_record", args=[slug]),
            )
        )
    return {"links": links}


@register.simple_tag
def probation_names(contract: Any) -> str:
    """``{% probation_names contract %}``: who an escalation under ``contract`` goes to."""
    return access.probation_names(contract)


@register.simple_tag
def standing(escalation: Any, step: str) -> targets.Standing:
    """``{% standing escalation "respond" as response %}``: the step against its target now."""
    return targets.standing(escalation, step, timezone.now())
