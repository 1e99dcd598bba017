"""A short summary of a contract's bid-candy flags on its summary page (SUP-2), and the published
code-of-conduct ratings (SUP-3) on the contract page, the prime's profile and the evaluators'
page. Those templates load this library, so contracts, directory and evaluation (all below
delivery_checks in the layers) never import it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from commissioning.delivery_checks import conduct_ratings, services
from commissioning.supply_survey.models import SurveyRound

register = template.Library()


@register.inclusion_tag("delivery_checks/_flag_summary.html")
def contract_promise_flags(contract: Any) -> dict[str, Any]:
    """The sub-contractors flagged as receiving less than promised, with a link to the section."""
    flagged = [
        {"name": p.name, "measures": [services.flag_words(f)["measure"] for f in p.flags]}
        for p in services.promises_kept(contract)
        if p.flags
    ]
    return {
        "flagged": flagged,
        "url": reverse("delivery_checks:contract", args=[contract.reference]),
    }


@register.inclusion_tag("delivery_checks/_conduct_rating_public.html")
def contract_conduct_rating(contract: Any) -> dict[str, Any]:
    """The independent reviewer's rating in force on ``contract`` (SUP-3), public; nothing if
    the prime has not been rated under it."""
    ratings = conduct_ratings.history(contract)
    return {"rating": ratings[0] if ratings else None, "superseded": len(ratings) - 1}


@register.inclusion_tag("delivery_checks/_conduct_track_record.html")
def conduct_track_record(
    organisation: Any, heading: str = "How it treats its supply chain", always: bool = False
) -> dict[str, Any]:
    """A prime's published code-of-conduct ratings, one per rated contract, and a link to its
    published supply-chain surveys (SUP-3, SUP-4): on its directory profile, and for the
    evaluators of its bids as its track record of working fairly with the sector (EVA-3). The
    directory and evaluation templates load this library, so neither imports delivery_checks."""
    published = SurveyRound.objects.filter(
        prime=organisation, status=SurveyRound.Status.PUBLISHED
    ).exists()
    return {
        "organisation": organisation,
        "ratings": conduct_ratings.latest_for_prime(organisation),
        "survey_url": reverse("supply_survey:prime", args=[organisation.slug]) if published else "",
        "heading": heading,
        "always": always,
    }
