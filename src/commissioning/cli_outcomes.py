"""``commissioning outcomes evaluate|measures|synthetic-data|synthetic-extract|load-extract|purge``:
impact measurement with a matched comparison group (OUT-1, OUT-2, EQU-2). All but ``purge`` and
``load-extract`` run on the analytics core alone, with no Django and no database
(docs/outcomes.md, docs/outcomes-extracts.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commissioning.cli_args import DEFAULT_SEED, column_pair, seed_value, setup_django, whole_number


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


def register(commands: Any) -> None:
    outcomes = commands.add_parser(
        "outcomes", help="impact measurement with a matched comparison group (no database)"
    )
    actions = outcomes.add_subparsers(dest="action", metavar="ACTION", parser_class=type(outcomes))
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
    load = actions.add_parser(
        "load-extract",
        help="load a new version of the national extract (data steward; database)",
    )
    load.add_argument("people", metavar="PEOPLE.csv", help="identifiers, index_date, covariates")
    load.add_argument(
        "offences",
        metavar="OFFENCES.csv",
        help="identifiers, offence_date, disposal_date, disposal_type",
    )
    load.add_argument(
        "--identifiers",
        required=True,
        type=columns_value,
        metavar="A,B",
        help="the identifier columns, in both files (replaced by pseudonyms, never stored)",
    )
    load.add_argument(
        "--steward", required=True, metavar="USERNAME", help="the data steward loading it"
    )
    extract = actions.add_parser(
        "synthetic-extract",
        help="write a synthetic national extract and a cohort drawn from it (labelled synthetic)",
    )
    extract.add_argument("directory", metavar="DIR", help="folder to write the CSV files into")
    extract.add_argument(
        "--seed", type=seed_value, default=DEFAULT_SEED, help="default %(default)s"
    )
    extract.add_argument(
        "--people",
        type=whole_number("people", 100, 5_000_000),
        default=20_000,
        metavar="N",
        help="people in the extract (default %(default)s)",
    )
    extract.add_argument(
        "--cohort",
        type=whole_number("cohort", 60, 100_000),
        default=300,
        metavar="N",
        help="people of the extract in the cohort (default %(default)s)",
    )
    actions.add_parser(
        "purge",
        help="delete the uploaded cohorts whose keeping time is over (database; run daily)",
    )


def run(args: argparse.Namespace) -> int:
    if args.action == "synthetic-data":
        return _outcomes_synthetic_data(args.directory, args.seed, args.pool_size)
    if args.action == "measures":
        return _outcomes_measures(args.people, args.offences, args.output)
    if args.action == "purge":
        return _outcomes_purge()
    if args.action == "load-extract":
        return _outcomes_load_extract(args.people, args.offences, args.identifiers, args.steward)
    if args.action == "synthetic-extract":
        return _outcomes_synthetic_extract(args.directory, args.seed, args.people, args.cohort)
    return _outcomes_evaluate(args)


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


def _outcomes_purge() -> int:
    """Delete the uploaded cohorts whose keeping time is over (issue 13 item 3)."""
    from django.core.management import call_command

    setup_django()
    call_command("purge_outcome_cohorts")
    return 0


def _outcomes_load_extract(people: str, offences: str, identifiers: list[str], steward: str) -> int:
    """OUT-1: the data steward loads a version of the national extract (through the management
    command, as the CLI sits below the apps); identifiers are never printed."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    setup_django()
    try:
        call_command(
            "load_outcome_extract",
            people,
            offences,
            identifiers=",".join(identifiers),
            steward=steward,
        )
    except CommandError as error:
        print(f"commissioning: error: {error}", file=sys.stderr)
        return 1
    return 0


def _outcomes_synthetic_extract(directory: str, seed: int, people: int, cohort: int) -> int:
    """OUT-1 demo data: a synthetic national extract and a provider cohort drawn from it."""
    from pathlib import Path

    from commissioning_analytics.outcomes_synthetic.extract import generate_extract
    from commissioning_analytics.outcomes_synthetic.writers import write_csv

    if cohort > people:
        print("commissioning: error: the cohort cannot be larger than the extract", file=sys.stderr)
        return 1
    folder = Path(directory)
    drawn = generate_extract(seed, people, cohort, unknown=max(1, cohort // 50))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("people", "offences", "cohort"):
            write_csv(getattr(drawn, name), folder / f"extract_{name}.csv")
    except OSError as error:
        print(f"commissioning outcomes synthetic-extract: {error}", file=sys.stderr)
        return 1
    print(f"Synthetic national extract (seed {seed}; generated, not real people) in {folder}:")
    for name in ("people", "offences", "cohort"):
        print(f"  {folder / f'extract_{name}.csv'}")
    return 0
