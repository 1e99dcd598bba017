"""``commissioning``: the project's command line.

* ``commissioning demo-data --seed N --scale K [--keep] [--no-users]`` migrates the configured
  database, loads the synthetic demo market and prints the counts and the demo users;
* ``commissioning market-summary --seed N --scale K`` prints the statistics of a generated market
  without touching Django or a database (the analytics core alone, as in a notebook);
* ``commissioning outcomes evaluate COHORT.csv POOL.csv --outcome COL --covariates A,B,C
  [--caliper FLOAT|none] [--replace|--no-replace] [--ratio K] [--exact COLS] [--seed N]
  [--time-to-event DURATION,EVENT] [--subgroups COLS] [--format text|json]`` matches a cohort
  to a comparison pool and prints the effect, optionally with time to first event (Kaplan–Meier,
  log-rank, Cox) and subgroup results (OUT-1, OUT-2, EQU-2; no Django, docs/outcomes.md);
* ``commissioning outcomes measures PEOPLE.csv OFFENCES.csv [--output FILE]`` adds the
  proven-reoffending measures (reoffended, reoffences, days_to_first, first_event, custodial)
  to each person's row, ready for ``evaluate``;
* ``commissioning outcomes purge`` deletes the uploaded cohorts whose keeping time is over (run
  daily; ``OUTCOME_COHORT_RETENTION_DAYS``, docs/outcomes.md);
* ``commissioning payments validate|calculate|simulate …`` checks payment mechanisms, computes
  every payment down the chain and stress-tests cash flow (no Django, docs/payments-cli.md);
* ``commissioning outcomes synthetic-data DIR [--seed N] [--pool-size N]`` writes a synthetic
  comparison pool and demo cohorts (docs/outcomes-synthetic-data.md);
* ``commissioning contracts end REF --as EMAIL`` and ``commissioning contracts terminate REF
  --date YYYY-MM-DD --reason TEXT --as EMAIL`` record that a contract's term is over or that it
  was terminated early (same rules and audit as its page and the API); ``commissioning contracts
  statement REF [--format json]`` prints its payment statement, counted from its recorded
  referrals and its imported outcome results as its page and the API have it;
* ``commissioning keys generate`` prints a new bid-sealing key; ``commissioning keys rotate
  --new-key-file FILE`` re-wraps every opportunity's data key under it in one transaction (the
  key in use is the configured ``BID_SEALING_KEY``); ``commissioning keys check`` says whether
  the configured key opens every data key (PRO-8, docs/keys.md);
* ``commissioning referrals import FILE --organisation SLUG`` imports a quarter's referral
  events from a CSV file for one organisation: every row checked, each error naming its row and
  column, nothing stored unless every row is right (REF-1);
* ``commissioning referrals purge`` erases the protected characteristics and pseudonymous
  references of referrals that ended longer ago than ``REFERRAL_PERSONAL_DATA_RETENTION_DAYS``
  (run daily; docs/referrals.md);
* ``commissioning audit verify [--expect HEAD]`` walks the audit trail's hash chain and names the
  first event altered, inserted or removed (docs/audit-trail.md);
* ``commissioning returns draft --quarter 2026Q3`` drafts every running contract's supply-chain
  return for a quarter that has ended from the referral and payment records; safe to run again
  (SUP-1, docs/supply-returns.md);
* ``commissioning manage ARGS…`` passes ``ARGS`` to Django's ``manage.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from commissioning.cli_args import DEFAULT_SEED, scale_value, seed_value, setup_django
from commissioning.cli_audit import register as register_audit
from commissioning.cli_audit import run as run_audit
from commissioning.cli_contracts import register as register_contracts
from commissioning.cli_contracts import run as run_contracts
from commissioning.cli_delivery import register as register_delivery
from commissioning.cli_delivery import run as run_delivery
from commissioning.cli_keys import register as register_keys
from commissioning.cli_keys import run as run_keys
from commissioning.cli_outcomes import register as register_outcomes
from commissioning.cli_outcomes import run as run_outcomes
from commissioning.cli_payments import register as register_payments
from commissioning.cli_payments import run as run_payments

DEFAULT_SETTINGS = "commissioning.settings"


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line naming the problem, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


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

    register_outcomes(commands)
    register_payments(commands)
    register_contracts(commands)
    register_keys(commands)
    register_delivery(commands)
    register_audit(commands)

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
    if args.command == "payments":
        return run_payments(args)
    if args.command == "market-summary":
        return _market_summary(args.seed, args.scale)
    if args.command == "outcomes" and args.action != "purge":
        return run_outcomes(args)
    if args.command == "keys" and args.action == "generate":
        return run_keys(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    runners = {
        "outcomes": run_outcomes,
        "contracts": run_contracts,
        "audit": run_audit,
        "keys": run_keys,
        "referrals": run_delivery,
        "returns": run_delivery,
        "monitoring": run_delivery,
    }
    if args.command in runners:
        return runners[args.command](args)
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
    from django.core.management import call_command
    from django.db import DatabaseError

    setup_django()
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
