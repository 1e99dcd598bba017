"""``manage publish_payment_notices [--quarter 2026-Q2]``: publish the contract payment
notices (UK8, LAW-1) of the last quarter that has ended, or of the one named. Idempotent: run
it daily from the scheduler and each contract's quarter is published once, within the 30 days
the Procurement Act allows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commissioning.invoices import payment_notices


class Command(BaseCommand):
    help = "Publish the contract payment notices (payments over £30,000) of a quarter that ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quarter",
            help="the quarter, like 2026-Q2 (April to June); the last one that ended by default",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = (
                payment_notices.Quarter.parse(options["quarter"])
                if options["quarter"]
                else payment_notices.last_ended_quarter(timezone.localdate())
            )
            stored = payment_notices.publish_quarter(quarter)
        except ValueError as error:
            raise CommandError(str(error)) from error
        count = len(stored)
        noun = "notice" if count == 1 else "notices"
        self.stdout.write(f"{count} contract payment {noun} published for {quarter.label}.")
