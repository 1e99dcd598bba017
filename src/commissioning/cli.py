"""``commissioning``: the project's command line.

* ``commissioning demo-data --seed N --scale K [--keep] [--no-users]`` migrates the configured
  database, loads the synthetic demo market and prints the counts and the demo users;
* ``commissioning market-summary --seed N --scale K`` prints the statistics of a generated market
  without touching Django or a database (the analytics core alone, as in a notebook);
* ``commissioning manage ARGS…`` passes ``ARGS`` to Django's ``manage.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

DEFAULT_SETTINGS = "commissioning.settings"
DEFAULT_SEED = 2026
MAX_SCALE = 100.0


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line naming the problem, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed must be a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("seed must be zero or more")
    return value


def scale_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"scale must be a number, not {text!r}") from None
    if not 0 < value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"scale must be more than 0 and at most {MAX_SCALE:g}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="commissioning", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    demo = commands.add_parser(
        "demo-data", help="migrate the database and load the synthetic demo market"
    )
    _market_options(demo)
    demo.add_argument(
        "--keep",
        action="store_true",
        help="leave synthetic data already loaded as it is (default: replace it)",
    )
    demo.add_argument("--no-users", action="store_true", help="do not create the demo users")

    summary = commands.add_parser(
        "market-summary", help="print a generated market's statistics (no database)"
    )
    _market_options(summary)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER, help="the command and its arguments")
    return parser


def _market_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=seed_value, default=DEFAULT_SEED, help="default %(default)s")
    parser.add_argument(
        "--scale",
        type=scale_value,
        default=1.0,
        help="1 gives about 1,700 VCS organisations; 10 about 17,000 (default %(default)s)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "market-summary":
        return _market_summary(args.seed, args.scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if args.command == "manage":
        return _manage(args.args)
    return _demo_data(args.seed, args.scale, replace=not args.keep, users=not args.no_users)


def _market_summary(seed: int, scale: float) -> int:
    from commissioning_analytics.market.synthetic import generate_market
    from commissioning_analytics.market.synthetic_stats import format_summary, market_summary

    print(format_summary(market_summary(generate_market(seed, scale))))
    return 0


def _manage(args: Sequence[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commissioning manage", *args])
    return 0


def _demo_data(seed: int, scale: float, *, replace: bool, users: bool) -> int:
    import django
    from django.core.management import call_command
    from django.db import DatabaseError

    django.setup()
    from commissioning.demo.output import DEMO_URL, format_report, format_users
    from commissioning.demo.services import LoadError, create_demo_users, load_market
    from commissioning.demo.users import DemoUsersError
    from commissioning_analytics.market.synthetic import generate_market

    try:
        call_command("migrate", interactive=False, verbosity=0)
        report = load_market(generate_market(seed, scale), replace=replace)
        print(format_report(report))
        if users:
            table = format_users(create_demo_users())
            print("\nDemo users (demo only: every one has the same known password):")
            print(table)
            print(f"\nSign in at {DEMO_URL}/account/sign-in/ once the server is running.")
    except (LoadError, DemoUsersError, DatabaseError) as error:
        message = " ".join(str(error).split())
        print(f"commissioning: error: {message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
