"""How long a referral's personal data is kept (issue 13, REF-1): its protected
characteristics, and its pseudonymous reference, are erased a set period after the referral
reaches a final state (declined, completed, withdrawn, disengaged).

Until then the characteristics feed the published equality counts and the reference recognises
the same person referred again while their referral is open or recent. After it, neither is
needed for the referral itself: its answers are added to its contract's kept totals
(:class:`~commissioning.referrals.models.ErasedCharacteristicCount`), so the published counts do
not change, and both are blanked. Each erasure is one audit event that says what was erased and
why, never the data. ``commissioning referrals purge`` runs it daily, like
``commissioning outcomes purge`` for outcome cohorts."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commissioning.audit.services import record
from commissioning.referrals import characteristics
from commissioning.referrals.lifecycle import FINAL
from commissioning.referrals.models import ErasedCharacteristicCount, Referral

DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    """Days a finished referral keeps its personal data (``REFERRAL_PERSONAL_DATA_RETENTION_DAYS``;
    0 erases it the day the referral ends)."""
    return max(
        0, int(getattr(settings, "REFERRAL_PERSONAL_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    )


def due_for_erasure(today: date | None = None) -> list[int]:
    """The ids of referrals whose keeping time is over: final, for longer than the period, and
    not yet erased."""
    today = today or timezone.localdate()
    ended_by = today - timedelta(days=retention_days())
    return list(
        Referral.objects.filter(
            status__in=FINAL, status_on__lte=ended_by, personal_data_erased_on__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _keep_counts(referral: Referral) -> None:
    answers = referral.characteristics or {}
    for item in characteristics.CHARACTERISTICS:
        kept, _ = ErasedCharacteristicCount.objects.get_or_create(
            contract_id=referral.contract_id,
            characteristic=item.name,
            answer=answers.get(item.name, characteristics.NOT_RECORDED),
        )
        ErasedCharacteristicCount.objects.filter(pk=kept.pk).update(count=F("count") + 1)


def erase(referral_id: int, today: date) -> bool:
    """Erase one referral's personal data in one transaction, counts kept, audited without the
    data. False when it was erased meanwhile."""
    days = retention_days()
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if referral.personal_data_erased_on is not None:
            return False
        _keep_counts(referral)
        Referral.objects.filter(pk=referral.pk).update(
            characteristics={}, person="", personal_data_erased_on=today
        )
        record(
            None,
            "referral.personal_data_erase",
            referral,
            {
                "protected characteristics and pseudonymous reference": {
                    "from": "kept",
                    "to": f"erased {days} days after the referral ended",
                }
            },
        )
    return True


def purge_expired_personal_data(today: date | None = None) -> int:
    """Erase the personal data of every referral whose keeping time is over; how many."""
    today = today or timezone.localdate()
    return sum(erase(pk, today) for pk in due_for_erasure(today))
