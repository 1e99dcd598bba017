"""``manage.py purge_referral_personal_data`` (also ``commissioning referrals purge``): erase the
protected characteristics and pseudonymous references of referrals that ended longer ago than
``REFERRAL_PERSONAL_DATA_RETENTION_DAYS`` (issue 13); run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commissioning.kernel.text import counted
from commissioning.referrals.retention import purge_expired_personal_data, retention_days


class Command(BaseCommand):
    help = "Erase the personal data of referrals whose keeping time is over."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = purge_expired_personal_data()
        self.stdout.write(
            f"Personal data erased from {counted(erased, 'referral')} (kept "
            f"{counted(retention_days(), 'day')} after a referral ends)"
        )
