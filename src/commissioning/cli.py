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

from commissioning.cli_args import column_pair, seed_value, whole_number
from commissioning.cli_audit import register as register_audit
from commissioning.cli_audit import run as run_audit
from commissioning.cli_contracts import register as register_contracts
from commissioning.cli_contracts import run as run_contracts
from commissioning.cli_payments import register as register_payments
from commissioning.cli_payments import run as run_payments

DEFAULT_SETTINGS = "commissioning.settings"
DEFAULT_SEED = 2026
MAX_SCALE = 100.0


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line naming the problem, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


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

    _outcomes_parser(commands)
    register_payments(commands)
    register_contracts(commands)
    _keys_parser(commands)

    _referrals_parser(commands)
    register_audit(commands)
    _returns_parser(commands)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER, help="the command and its arguments")
    return parser


def _referrals_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    referrals = commands.add_parser(
        "referrals", help="referral events (import a CSV file, purge personal data)"
    )
    actions = referrals.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
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


def _returns_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    returns = commands.add_parser("returns", help="quarterly supply-chain returns (draft)")
    actions = returns.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    draft = actions.add_parser(
        "draft", help="draft every running contract's return for a quarter that has ended"
    )
    draft.add_argument("--quarter", required=True, metavar="YYYYQN", help="for example 2026Q3")


def _market_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=seed_value, default=DEFAULT_SEED, help="default %(default)s")
    parser.add_argument(
        "--scale",
        type=scale_value,
        default=1.0,
        help="1 gives about 1,700 VCS organisations; 10 about 17,000 (default %(default)s)",
    )


def caliper_value(text: str) -> float | None:
    if text.strip().lower() == "none":
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"caliper must be a number or 'none', not {text!r}"
        ) from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("caliper must be more than 0 (or 'none')")
    return value


ratio_value = whole_number("ratio", 1)


def columns_value(text: str) -> list[str]:
    columns = [c.strip() for c in text.split(",")]
    if not all(columns):
        raise argparse.ArgumentTypeError(f"empty column name in {text!r}")
    return columns


def _outcomes_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    outcomes = commands.add_parser(
        "outcomes", help="impact measurement with a matched comparison group (no database)"
    )
    actions = outcomes.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    evaluate = actions.add_parser(
        "evaluate", help="match a cohort to a comparison pool and estimate the effect"
    )
    evaluate.add_argument("cohort", metavar="COHORT.csv", help="one row per person supported")
    evaluate.add_argument("pool", metavar="POOL.csv", help="one row per comparison person")
    evaluate.add_argument(
        "--outcome", required=True, metavar="COL", help="outcome column (0/1 or a number)"
    )
    evaluate.add_argument(
        "--covariates",
        required=True,
        type=columns_value,
        metavar="A,B,C",
        help="comma-separated covariate columns to match on",
    )
    evaluate.add_argument(
        "--caliper",
        type=caliper_value,
        default=0.2,
        metavar="FLOAT|none",
        help="in SDs of the logit of the score (default %(default)s)",
    )
    evaluate.add_argument(
        "--replace",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="match with replacement (default: without)",
    )
    evaluate.add_argument(
        "--ratio",
        type=ratio_value,
        default=1,
        metavar="K",
        help="comparison people per cohort member (default %(default)s)",
    )
    evaluate.add_argument(
        "--exact",
        type=columns_value,
        default=[],
        metavar="COLS",
        help="comma-separated columns to match exactly on (e.g. sex,area)",
    )
    evaluate.add_argument(
        "--seed",
        type=seed_value,
        default=None,
        metavar="N",
        help="process the cohort in a random order from this seed (default: by score)",
    )
    evaluate.add_argument(
        "--time-to-event",
        type=column_pair("time-to-event"),
        default=None,
        metavar="DURATION,EVENT",
        help="duration and 0/1 event columns (e.g. days_to_first,first_event): adds "
        "Kaplan–Meier, log-rank and Cox results on the matched sample",
    )
    evaluate.add_argument(
        "--subgroups",
        type=columns_value,
        default=[],
        metavar="COLS",
        help="comma-separated text columns to break the effect down by (e.g. sex,ethnicity,area)",
    )
    evaluate.add_argument(
        "--format", choices=["text", "json"], default="text", help="default %(default)s"
    )
    measures = actions.add_parser(
        "measures", help="compute proven-reoffending measures from offence records"
    )
    measures.add_argument("people", metavar="PEOPLE.csv", help="person_id, index_date, …")
    measures.add_argument(
        "offences",
        metavar="OFFENCES.csv",
        help="person_id, offence_date, disposal_date, disposal_type",
    )
    measures.add_argument("--output", metavar="FILE", default=None, help="default: standard output")
    synthetic = actions.add_parser(
        "synthetic-data",
        help="write a synthetic comparison pool and demo cohorts as CSV (labelled synthetic)",
    )
    synthetic.add_argument("directory", metavar="DIR", help="folder to write the CSV files into")
    synthetic.add_argument(
        "--seed", type=seed_value, default=DEFAULT_SEED, help="default %(default)s"
    )
    synthetic.add_argument(
        "--pool-size",
        type=whole_number("pool size", 1_000, 5_000_000),
        default=200_000,
        metavar="N",
        help="people in the comparison pool (default %(default)s)",
    )
    actions.add_parser(
        "purge",
        help="delete the uploaded cohorts whose keeping time is over (database; run daily)",
    )


def _keys_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    keys = commands.add_parser("keys", help="the bid-sealing key: generate, rotate, check")
    actions = keys.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    actions.add_parser("generate", help="print a new random bid-sealing key")
    rotate = actions.add_parser(
        "rotate",
        help="re-wrap every bid's data key under a new key (the key in use: BID_SEALING_KEY)",
    )
    rotate.add_argument(
        "--new-key-file",
        required=True,
        metavar="FILE",
        help="file holding the new key ('-' reads standard input); never give a key as an argument",
    )
    actions.add_parser("check", help="check the configured key opens every bid's data key")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "payments":
        return run_payments(args)
    if args.command == "market-summary":
        return _market_summary(args.seed, args.scale)
    if args.command == "outcomes" and args.action == "synthetic-data":
        return _outcomes_synthetic_data(args.directory, args.seed, args.pool_size)
    if args.command == "outcomes" and args.action == "measures":
        return _outcomes_measures(args.people, args.offences, args.output)
    if args.command == "outcomes" and args.action != "purge":
        return _outcomes_evaluate(args)
    if args.command == "keys" and args.action == "generate":
        return _keys_generate()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if args.command == "outcomes":
        return _outcomes_purge()
    if args.command == "contracts":
        return run_contracts(args)
    if args.command == "audit":
        return run_audit(args)
    if args.command == "manage":
        return _manage(args.args)
    if args.command == "keys":
        return _keys_rotate(args.new_key_file) if args.action == "rotate" else _keys_check()
    if args.command == "referrals" and args.action == "purge":
        return _call("purge_referral_personal_data")
    if args.command == "referrals":
        return _referrals_import(args.file, args.organisation)
    if args.command == "returns":
        return _returns_draft(args.quarter)
    return _demo_data(args.seed, args.scale, replace=not args.keep, users=not args.no_users)


def _market_summary(seed: int, scale: float) -> int:
    from commissioning_analytics.market.synthetic import generate_market
    from commissioning_analytics.market.synthetic_stats import format_summary, market_summary

    print(format_summary(market_summary(generate_market(seed, scale))))
    return 0


def _outcomes_synthetic_data(directory: str, seed: int, pool_size: int) -> int:
    """OUT-1 demo data: a synthetic pool and provider cohorts, ready for ``outcomes measures``."""
    from commissioning_analytics.outcomes_synthetic.writers import write_demo_files

    try:
        written = write_demo_files(directory, seed, pool_size)
    except OSError as error:
        print(f"commissioning outcomes synthetic-data: {error}", file=sys.stderr)
        return 1
    print(f"Synthetic data (seed {seed}; generated, not real people) written to {directory}:")
    for path in written.values():
        print(f"  {path}")
    return 0


def _outcomes_evaluate(args: argparse.Namespace) -> int:
    from commissioning_analytics.outcomes.evaluation import EvaluationError, evaluate
    from commissioning_analytics.outcomes.io import InputError, read_people
    from commissioning_analytics.outcomes.matching import MatchingError
    from commissioning_analytics.outcomes.propensity import PropensityError
    from commissioning_analytics.outcomes.report import to_json, to_text
    from commissioning_analytics.outcomes.safeguards import SafeguardError

    numeric = list(dict.fromkeys([args.outcome, *args.covariates, *(args.time_to_event or ())]))
    text = list(dict.fromkeys([*args.exact, *args.subgroups]))
    try:
        if args.outcome in args.covariates:
            raise InputError(f"the outcome {args.outcome!r} cannot also be a covariate")
        cohort = read_people(args.cohort, numeric, text)
        pool = read_people(args.pool, numeric, text)
        result = evaluate(
            cohort,
            pool,
            outcome=args.outcome,
            covariates=args.covariates,
            exact=args.exact,
            caliper=args.caliper,
            replace=args.replace,
            ratio=args.ratio,
            seed=args.seed,
            time_to_event=args.time_to_event,
            subgroups=args.subgroups,
        )
    except (InputError, SafeguardError, EvaluationError, MatchingError, PropensityError) as error:
        message = " ".join(str(error).split())
        print(f"commissioning: error: {message}", file=sys.stderr)
        return 1
    print(to_json(result) if args.format == "json" else to_text(result))
    return 0


def _outcomes_measures(people: str, offences: str, output: str | None) -> int:
    from commissioning_analytics.outcomes.io import InputError
    from commissioning_analytics.outcomes.measures import add_measures

    try:
        measured = add_measures(people, offences)
        if output is None:
            measured.to_csv(sys.stdout)
        else:
            measured.to_csv(output)
    except (InputError, OSError) as error:
        message = " ".join(str(error).split())
        print(f"commissioning: error: {message}", file=sys.stderr)
        return 1
    return 0


def _keys_generate() -> int:
    from commissioning.bids.sealing import encode_key, generate_key

    print(encode_key(generate_key()))
    return 0


def _read_key_file(path: str) -> str:
    if path == "-":
        return sys.stdin.read().strip()
    with open(path, encoding="ascii") as handle:
        return handle.read().strip()


def _keys_rotate(new_key_file: str) -> int:
    """PRO-8: a new key-encryption key for every opportunity's data key; bids stay as sealed."""
    import django

    django.setup()
    from django.core.exceptions import ImproperlyConfigured

    from commissioning.bids import keys, sealing

    try:
        new = sealing.decode_key(_read_key_file(new_key_file))
        count = keys.rotate(keys.kek(), new)
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"cannot read the new key from {new_key_file}: {error}")
    except (sealing.SealingError, keys.RotationError, ImproperlyConfigured) as error:
        return _fail(str(error))
    print(
        f"Re-wrapped the data keys of {count} opportunities under the new key. Now set "
        "BID_SEALING_KEY to the new key and restart the web and task workers; keep the old key "
        "with the backups taken before today (docs/keys.md)."
    )
    return 0


def _keys_check() -> int:
    import django

    django.setup()
    from django.core.exceptions import ImproperlyConfigured

    from commissioning.bids import keys
    from commissioning.bids.models import BidKey

    try:
        failed = keys.unreadable(keys.kek())
    except ImproperlyConfigured as error:
        return _fail(str(error))
    if failed:
        return _fail(
            f"the configured BID_SEALING_KEY does not open the bids of {len(failed)} "
            f"opportunities: {', '.join(failed)}"
        )
    print(f"The configured key opens the data keys of all {BidKey.objects.count()} opportunities.")
    return 0


def _fail(message: str) -> int:
    print(f"commissioning: error: {' '.join(message.split())}", file=sys.stderr)
    return 1


def _outcomes_purge() -> int:
    """Delete the uploaded cohorts whose keeping time is over (issue 13 item 3)."""
    return _call("purge_outcome_cohorts")


def _call(command: str) -> int:
    """Run a daily management command (the purges of personal data, issue 13)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command(command)
    return 0


def _manage(args: Sequence[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commissioning manage", *args])
    return 0


def _referrals_import(path: str, slug: str) -> int:
    """Exit 0 with the number stored; 1 with every row's error (and nothing stored)."""
    import django

    django.setup()
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
    import django
    from django.core.exceptions import ValidationError

    django.setup()
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
