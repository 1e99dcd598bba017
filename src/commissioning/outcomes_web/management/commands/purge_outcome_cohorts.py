"""``manage.py purge_outcome_cohorts`` (also ``commissioning outcomes purge``): delete the
uploaded cohorts whose keeping time is over (issue 13 item 3); run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commissioning.outcomes_web.services import cohort_retention_days, purge_expired_cohorts


class Command(BaseCommand):
    help = "Delete the uploaded outcome cohorts whose keeping time is over."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired_cohorts()
        days = cohort_retention_days()
        rule = f"kept {days} days after upload" if days else "deleted when their study finishes"
        self.stdout.write(f"{deleted} outcome cohorts deleted (cohorts are {rule})")
