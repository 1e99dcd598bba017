"""Published records are never deleted (PRO-3, PRO-9, LAW-1; issue 11 item 3).

An opportunity once published, its lots and its public change log of dates, an award decision, a
contract, a published consultation or market engagement event, and a stored UK1 or UK3 notice
(``exercises.PublishedNotice``), a contract payment notice (UK8) and the payments it lists, and
the independent reviewer's code-of-conduct ratings are public: they are withdrawn, corrected or
superseded with a public reason through their lifecycle (cancellation, a date change,
a corrected notice), never deleted. The admin refuses to delete them, and this guard refuses on
every other path: a ``pre_delete`` receiver runs for ``Model.delete()`` and ``QuerySet.delete()``
alike, cascades included, and raises :class:`PermanentRecordError` before anything is removed.

The one exception is the demo loader replacing its own synthetic records
(:func:`replacing_synthetic_demo`): inside that block only records marked synthetic may go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import pre_delete

_replacing_synthetic: ContextVar[bool] = ContextVar("replacing_synthetic", default=False)


class PermanentRecordError(Exception):
    """Someone (or some code) tried to delete a published record."""


@contextmanager
def replacing_synthetic_demo() -> Iterator[None]:
    """Let the demo loader delete the synthetic records it made before, and nothing else."""
    token = _replacing_synthetic.set(True)
    try:
        yield
    finally:
        _replacing_synthetic.reset(token)


def _opportunity_published(opportunity: Any) -> bool:
    return bool(opportunity.status != "draft")


def _published_at_set(record: Any) -> bool:
    return record.published_at is not None


# model label → (is it published?, is it synthetic?, what it is called in the error)
RULES: dict[str, tuple[Callable[[Any], bool], Callable[[Any], bool], str]] = {
    "procurement.Opportunity": (
        _opportunity_published,
        lambda o: bool(o.is_synthetic),
        "a published opportunity",
    ),
    "procurement.Lot": (
        lambda lot: _opportunity_published(lot.opportunity),
        lambda lot: bool(lot.opportunity.is_synthetic),
        "a lot of a published opportunity",
    ),
    "procurement.DateChange": (
        lambda change: _opportunity_published(change.opportunity),
        lambda change: bool(change.opportunity.is_synthetic),
        "an entry in an opportunity's public change log",
    ),
    "awards.LotAward": (
        lambda award: True,
        lambda award: bool(award.lot.opportunity.is_synthetic),
        "an award decision",
    ),
    "contracts.Contract": (
        lambda contract: True,
        lambda contract: bool(contract.is_synthetic),
        "a contract",
    ),
    "engagement.Consultation": (
        _published_at_set,
        lambda consultation: bool(consultation.is_synthetic),
        "a published consultation",
    ),
    "exercises.PublishedNotice": (
        lambda notice: True,
        lambda notice: bool(notice.exercise.is_synthetic),
        "a published notice",
    ),
    "engagement.MarketEvent": (
        _published_at_set,
        lambda event: bool(event.is_synthetic),
        "a published market engagement event",
    ),
    "invoices.PaymentNotice": (
        lambda notice: True,
        lambda notice: bool(notice.contract.is_synthetic),
        "a published contract payment notice",
    ),
    # A payment a published notice lists: deleting it would silently shrink the notice.
    "invoices.Payment": (
        lambda payment: payment.notices.exists(),
        lambda payment: bool(payment.invoice.contract.is_synthetic),
        "a payment in a published contract payment notice",
    ),
    # The independent reviewer's rating of a prime (SUP-3) is published when recorded; a newer
    # rating supersedes it and the earlier one stays as the prime's history.
    "delivery_checks.CodeOfConductRating": (
        lambda rating: True,
        lambda rating: bool(rating.contract.is_synthetic),
        "a published code-of-conduct rating",
    ),
    "delivery_checks.PrincipleRating": (
        lambda item: True,
        lambda item: bool(item.rating.contract.is_synthetic),
        "a principle of a published code-of-conduct rating",
    ),
    # A commissioning cycle's review (CYC-4) is public once published, and the next cycle's
    # needs assessment opens with it.
    "reviews.ExerciseReview": (
        lambda review: review.published_at is not None,
        lambda review: bool(review.exercise.is_synthetic),
        "a published review of a commissioning cycle",
    ),
}


def refuse_deleting_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_delete`` receiver: raise unless ``instance`` may be deleted."""
    rule = RULES.get(sender._meta.label)
    if rule is None:
        return
    is_published, is_synthetic, what = rule
    if not is_published(instance):
        return
    if _replacing_synthetic.get() and is_synthetic(instance):
        return
    raise PermanentRecordError(
        f"{instance} is {what}, and published records are never deleted: withdraw, cancel or "
        "correct it through its lifecycle, with a public reason."
    )


def connect() -> None:
    """Called once from the audit app's ``ready()``."""
    for label in RULES:
        pre_delete.connect(
            refuse_deleting_published, sender=label, dispatch_uid=f"permanence:{label}"
        )
