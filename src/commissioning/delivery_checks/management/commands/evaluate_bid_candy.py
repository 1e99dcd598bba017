"""``manage.py evaluate_bid_candy``: evaluate every contract's bid-candy flags and tell the
people concerned of each new one (SUP-2). Safe to run as often as wanted: a flag is notified
once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commissioning.delivery_checks import services


class Command(BaseCommand):
    help = "Evaluate the bid-candy flags and notify each new one once."

    def handle(self, *args: Any, **options: Any) -> None:
        told = services.notify_new_flags()
        self.stdout.write(f"New flags notified: {told}.")
