"""``commissioning referrals import|purge`` and ``commissioning returns draft``: the delivery
records from the command line (REF-1, SUP-1; docs/referrals.md, docs/supply-returns.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commissioning.cli_args import setup_django


def register(commands: Any) -> None:
    _referrals(commands)
    _returns(commands)


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


def run(args: argparse.Namespace) -> int:
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
