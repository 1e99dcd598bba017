"""Removing the synthetic data loaded before (``load_market(..., replace=True)``).

Synthetic contracts let for synthetic lots and the award decisions on them go first (they
protect lots and winning bids), then the bids on synthetic opportunities and the other synthetic
contracts, then synthetic opportunities (with their lots) and synthetic exercises that nothing
people made still needs, then the synthetic organisations that nothing else needs, with their
dependants (memberships, many-to-many links). Records people made (``is_synthetic=False``) are
never deleted: a synthetic organisation such a record still refers to is kept. The
notifications the demo's accounts were sent go too: the demo story sends them again.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet

from commissioning.audit.permanence import replacing_synthetic_demo
from commissioning.awards.models import LotAward
from commissioning.bids.models import Bid
from commissioning.contracts.models import Contract
from commissioning.demo.grants import delete_synthetic_rounds
from commissioning.demo.monitoring import delete_synthetic_returns
from commissioning.demo.ringfences import delete_synthetic_ring_fences
from commissioning.demo.users import demo_accounts
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.notifications.models import Notification
from commissioning.procurement.models import Opportunity
from commissioning.referrals.models import Referral
from commissioning.supply_survey.models import SurveyRound


def delete_synthetic() -> tuple[dict[str, int], dict[str, Organisation]]:
    """Delete synthetic exercises, then the synthetic organisations no one else refers to.

    Returns what was deleted (by model) and the synthetic organisations kept because a
    non-synthetic record still refers to them (by slug). Published records are otherwise
    never deleted (:mod:`commissioning.audit.permanence`); only synthetic ones go here.
    """
    with replacing_synthetic_demo():
        return _delete_synthetic()


def _delete_synthetic() -> tuple[dict[str, int], dict[str, Organisation]]:
    deleted: dict[str, int] = {}
    _merge(deleted, {"notifications.Notification": delete_demo_notifications()})
    # A ring-fence and a prime's small-grants pot protect their contract, which the
    # opportunities' awards take with them.
    _merge(deleted, delete_synthetic_ring_fences())
    for queryset in awards_first(Opportunity.objects.filter(is_synthetic=True)):
        _, by_model = queryset.delete()
        _merge(deleted, by_model)
    # Bids protect their lots: the bids on synthetic opportunities go with them.
    _, by_model = Bid.objects.filter(lot__opportunity__is_synthetic=True).delete()
    _merge(deleted, by_model)
    # A synthetic survey protects its prime and the organisations that answered it.
    _, by_model = SurveyRound.objects.filter(is_synthetic=True).delete()
    _merge(deleted, by_model)
    # A grant round protects its exercise, an application its organisation.
    _merge(deleted, delete_synthetic_rounds())
    # A monitoring return protects its organisation.
    _merge(deleted, delete_synthetic_returns())
    # A referral protects its contract: those under synthetic contracts go first.
    _, by_model = Referral.objects.filter(contract__is_synthetic=True).delete()
    _merge(deleted, by_model)
    _, by_model = Contract.objects.filter(is_synthetic=True).delete()
    _merge(deleted, by_model)
    _, by_model = (
        Opportunity.objects.filter(is_synthetic=True)
        .exclude(pk__in=Contract.objects.values("lot__opportunity_id"))
        .delete()
    )
    _merge(deleted, by_model)
    _, by_model = (
        CommissioningExercise.objects.filter(is_synthetic=True)
        .exclude(pk__in=Opportunity.objects.values("exercise_id"))
        .delete()
    )
    _merge(deleted, by_model)
    in_use = synthetic_organisations_in_use()
    for through in (
        Organisation.areas.through,
        Organisation.specialisms.through,
        Organisation.cohorts.through,
    ):
        # One statement each, rather than the collector's batches of primary keys.
        _, by_model = (
            through.objects.filter(organisation__is_synthetic=True)
            .exclude(organisation_id__in=in_use)
            .delete()
        )
        _merge(deleted, by_model)
    _, by_model = (
        Organisation.objects.filter(is_synthetic=True).exclude(pk__in=in_use).only("pk").delete()
    )
    _merge(deleted, by_model)
    kept = {org.slug: org for org in Organisation.objects.filter(pk__in=in_use)}
    return deleted, kept


def delete_demo_notifications() -> int:
    """The notifications the demo's accounts were sent (issue 11 item 27): the demo story sends
    them again each time it is made, so reloading replaces them instead of adding to them, and
    none is left pointing at a record that was replaced. Returns how many were deleted."""
    deleted, _ = Notification.objects.filter(user__in=demo_accounts()).delete()
    return deleted


def awards_first(opportunities: QuerySet[Opportunity]) -> list[QuerySet[Any]]:
    """What must go before the bids and lots of ``opportunities``: the referrals under the
    synthetic contracts let for their lots, those contracts (a contract protects its lot), then
    the award decisions (an award protects its winning bid). Price adjustments, scores and
    moderation go with the bids."""
    return [
        Referral.objects.filter(
            contract__is_synthetic=True, contract__lot__opportunity__in=opportunities
        ),
        Contract.objects.filter(is_synthetic=True, lot__opportunity__in=opportunities),
        LotAward.objects.filter(lot__opportunity__in=opportunities),
    ]


def _merge(total: dict[str, int], by_model: dict[str, int]) -> None:
    for label, count in by_model.items():
        if count:
            total[label] = total.get(label, 0) + count


def synthetic_organisations_in_use() -> set[int]:
    """Synthetic organisations that remaining records protect (``PROTECT``/``RESTRICT`` foreign
    keys, e.g. an exercise a person created for a synthetic PCC) or name in a many-to-many
    relation (e.g. as a joint-commissioning partner)."""
    ids: set[int] = set()
    for relation in Organisation._meta.related_objects:
        related: Any = relation.related_model
        if relation.many_to_many:
            name = relation.field.name
            ids.update(
                related._base_manager.filter(**{f"{name}__is_synthetic": True}).values_list(
                    f"{name}__pk", flat=True
                )
            )
        elif getattr(relation, "on_delete", None) in (models.PROTECT, models.RESTRICT):
            name = relation.field.name
            ids.update(
                related._base_manager.filter(**{f"{name}__is_synthetic": True}).values_list(
                    relation.field.attname, flat=True
                )
            )
    return ids
