"""Every awarded grant, read from the records into the 360Giving builder's dataclasses (CYC-6)."""

from __future__ import annotations

from commissioning.grants import giving360
from commissioning.grants.models import GrantApplication

PUBLISHER = "Commissioning (rehabilitation services, England and Wales)"


def _org(organisation: object) -> giving360.Org:
    return giving360.Org(
        slug=organisation.slug,  # type: ignore[attr-defined]
        name=organisation.name,  # type: ignore[attr-defined]
        charity_number=organisation.charity_number,  # type: ignore[attr-defined]
        company_number=organisation.company_number,  # type: ignore[attr-defined]
    )


def awarded_grants(site: str = "") -> list[giving360.AwardedGrant]:
    """Every awarded grant, oldest decision first, with its agreement's dates where made."""
    applications = (
        GrantApplication.objects.filter(status=GrantApplication.Status.AWARDED)
        .select_related(
            "organisation",
            "grant_round",
            "grant_round__exercise__commissioning_body",
            "grant_round__contract__prime",
        )
        .prefetch_related("agreement")
        .order_by("decided_at", "pk")
    )
    grants = []
    for application in applications:
        agreement = getattr(application, "agreement", None)
        grant_round = application.grant_round
        assert application.amount_awarded is not None and application.decided_at is not None
        grants.append(
            giving360.AwardedGrant(
                round_reference=grant_round.reference,
                round_title=grant_round.title,
                application_number=application.pk,
                title=application.title,
                description=application.activity,
                amount_applied_for=application.amount_requested,
                amount_awarded=application.amount_awarded,
                awarded_at=application.decided_at,
                recipient=_org(application.organisation),
                funder=_org(grant_round.funder),
                url=f"{site}{grant_round.get_absolute_url()}" if site else "",
                starts_on=agreement.starts_on if agreement else None,
                ends_on=agreement.ends_on if agreement else None,
                modified_at=application.updated_at,
            )
        )
    return grants
