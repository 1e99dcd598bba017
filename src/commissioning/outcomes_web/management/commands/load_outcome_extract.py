"""``manage.py load_outcome_extract`` (also ``commissioning outcomes load-extract``): the data
steward loads a version of the national extract (OUT-1); identifiers are pseudonymised on arrival
and never printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.outcomes_web.extracts import ExtractError, load_extract


class Command(BaseCommand):
    help = "Load a new version of the national extract of people and proven offences."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("people", help="identifiers, index_date, covariates (CSV)")
        parser.add_argument("offences", help="identifiers and offence records (CSV)")
        parser.add_argument("--identifiers", required=True, help="identifier columns, with commas")
        parser.add_argument("--steward", required=True, help="the data steward's username")

    def handle(self, *args: Any, **options: Any) -> None:
        steward = options["steward"]
        user = User.objects.filter(username=steward).first()
        if user is None or not permissions.is_data_steward(user):
            raise CommandError(f"{steward!r} is not an active data steward")
        identifiers = [c.strip() for c in options["identifiers"].split(",") if c.strip()]
        try:
            extract = load_extract(
                user, Path(options["people"]), Path(options["offences"]), identifiers
            )
        except ExtractError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"National extract version {extract.version} loaded: {extract.people_rows:,} "
            f"people, {extract.offence_rows:,} offences; content hash {extract.content_hash}"
        )
