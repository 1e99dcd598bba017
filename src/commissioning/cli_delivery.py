"""``commissioning referrals import|purge``, ``commissioning returns draft`` and ``commissioning
monitoring send``: the delivery records from the command line (REF-1, SUP-1, SUP-7;
docs/referrals.md, docs/supply-returns.md, docs/monitoring.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commissioning.cli_args import setup_django


def register(commands: Any) -> None:
    _referrals(commands)
    _returns(commands)
    _monitoring(commands)


def _referrals(commands: Any) -> None:
    referrals = commands.add_parser(
        "referrals", help="referral events (import a CSV file, purge personal data)"
    )
    actions = referrals.add_subparsers(
        dest="action", metavar="ACTION", parser_class=type(referrals)
    )
    actions.required = True
    imports = actions.add_parser(
        "import", help="import a quarter's referral events for one organisation, all or nothing"
    )
    imports.add_argument("file", metavar="FILE", help="the CSV file (UTF-8, with a header row)")
    imports.add_argument(
        "--organisation", required=True, metavar="SLUG", help="the organisation the events are for"
    )
    actions.add_parser(
        "purge",
        help="erase the personal data of referrals whose keeping time is over (run daily)",
    )


def _returns(commands: Any) -> None:
    returns = commands.add_parser("returns", help="quarterly supply-chain returns (draft)")
    actions = returns.add_subparsers(dest="action", metavar="ACTION", parser_class=type(returns))
    actions.required = True
    draft = actions.add_parser(
        "draft", help="draft every running contract's return for a quarter that has ended"
    )
    draft.add_argument("--quarter", required=True, metavar="YYYYQN", help="for example 2026Q3")


def _monitoring(commands: Any) -> None:
    monitoring = commands.add_parser("monitoring", help="monitoring returns (report once)")
    actions = monitoring.add_subparsers(
        dest="action", metavar="ACTION", parser_class=type(monitoring)
    )
    actions.required = True
    send = actions.add_parser(
        "send", help="save an organisation's quarterly return from a JSON file, and send it"
    )
    send.add_argument("file", metavar="FILE", help="the return as the API takes it (JSON)")
    send.add_argument("--organisation", required=True, metavar="SLUG")
    send.add_argument(
        "--user", required=True, metavar="USERNAME", help="an approved member who sends it"
    )
    send.add_argument("--draft", action="store_true", help="save it as a draft, unsent")


def run(args: argparse.Namespace) -> int:
    if args.command == "monitoring":
        return _monitoring_send(args.file, args.organisation, args.user, send=not args.draft)
    if args.command == "returns":
        return _returns_draft(args.quarter)
    if args.action == "purge":
        from django.core.management import call_command

        setup_django()
        call_command("purge_referral_personal_data")
        return 0
    return _referrals_import(args.file, args.organisation)


def _referrals_import(path: str, slug: str) -> int:
    """Exit 0 with the number stored; 1 with every row's error (and nothing stored)."""
    setup_django()
    from commissioning.referrals.imports import import_file

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        print(f"commissioning referrals import: {error}", file=sys.stderr)
        return 1
    stored, errors = import_file(slug, data)
    if errors:
        print(f"commissioning referrals import: nothing stored from {path}:", file=sys.stderr)
        for problem in errors:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{stored} referral events imported from {path} for {slug}.")
    return 0


def _returns_draft(quarter: str) -> int:
    """Exit 0 with how many returns were drafted; 1 with why none could be."""
    from django.core.exceptions import ValidationError

    setup_django()
    from commissioning.kernel.text import counted
    from commissioning.supply_returns.quarters import parse_quarter
    from commissioning.supply_returns.services import draft_quarter

    try:
        start, _ = parse_quarter(quarter)
        drafted = draft_quarter(start)
    except ValueError as error:
        print(f"commissioning returns draft: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:
        print(f"commissioning returns draft: {' '.join(error.messages)}", file=sys.stderr)
        return 1
    submitted = sum(1 for r in drafted if r.status == r.Status.SUBMITTED)
    print(
        f"{counted(len(drafted), 'return')} for {quarter.upper()} drafted from the records "
        f"({submitted} already submitted, left as they were)."
    )
    return 0


def _monitoring_send(path: str, slug: str, username: str, *, send: bool) -> int:
    """Exit 0 with what was saved; 1 with every problem (and nothing stored)."""
    import json

    from django.core.exceptions import PermissionDenied, ValidationError

    setup_django()
    from commissioning.accounts.models import User
    from commissioning.directory.models import Organisation
    from commissioning.monitoring.services import save_document

    name = "commissioning monitoring send"
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        organisation = Organisation.objects.get(slug=slug)
        user = User.objects.get(username=username, is_active=True)
    except (OSError, ValueError) as error:
        print(f"{name}: {path}: {error}", file=sys.stderr)
        return 1
    except Organisation.DoesNotExist:
        print(f"{name}: no organisation {slug}", file=sys.stderr)
        return 1
    except User.DoesNotExist:
        print(f"{name}: no active user {username}", file=sys.stderr)
        return 1
    if not isinstance(document, dict):
        print(f"{name}: {path} must hold one JSON object", file=sys.stderr)
        return 1
    try:
        saved = save_document(user, organisation, {**document, "submit": send})
    except PermissionDenied as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:
        print(f"{name}: nothing stored:", file=sys.stderr)
        for field, messages in error.message_dict.items():
            for message in messages:
                print(f"  {field}: {message}", file=sys.stderr)
        return 1
    print(f"The return of {organisation.name} for {document['quarter']} is {saved.status}.")
    return 0
