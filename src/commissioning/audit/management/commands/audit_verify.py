"""``manage.py audit_verify [--expect HEAD]``: check the audit trail's hash chain (issue 13
item 1); the same as ``commissioning audit verify``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commissioning.audit.chain import report


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain and name the first event altered, inserted or removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect",
            default="",
            metavar="HEAD",
            help="the head hash printed by an earlier run and kept elsewhere",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status, lines = report(options["expect"])
        stream = self.stdout if status == 0 else self.stderr
        for line in lines:
            stream.write(line)
        if status:
            sys.exit(status)
