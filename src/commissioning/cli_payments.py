"""``commissioning payments …``: payment mechanisms from the command line, without Django.

* ``payments validate MECHANISM.json`` checks a mechanism (PBR-1) and summarises it;
* ``payments calculate MECHANISM.json OBSERVED.json [--format text|json]`` prints the payment
  statement: every payment per period with its explanation, totals per party and the
  conservation check (PBR-1 .. PBR-4, PBR-6);
* ``payments simulate MECHANISM.json [--assumptions FILE] [--paths N] [--seed S]
  [--format text|json]`` runs the working-capital stress test for every member of the chain
  (PBR-5) under labelled simulation assumptions.

Bad arguments (including a file that does not exist): one line, exit status 2. An invalid
document: every problem on its own line, naming the field, exit status 1; nothing is computed
from a half-valid document. The analytics core is imported only when a command runs, and
nothing here imports Django. Output formats are documented in ``docs/payments-cli.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commissioning.cli_args import seed_value, whole_number

if TYPE_CHECKING:
    from commissioning_analytics.cashflow.from_mechanism import ScenarioMapping
    from commissioning_analytics.cashflow.stress import StressResult
    from commissioning_analytics.payments import Mechanism, Observed, Statement

DEFAULT_PATHS = 10_000
MAX_PATHS = 100_000
PROG = "commissioning payments"
PERIOD_WORDS = {"month": "month", "four_weeks": "four-week period", "quarter": "quarter"}
PERIOD_WORDS["year"] = "year"
DERIVED = {
    "outcome_lag_months": "worked out from the measures and fees at risk",
    "fixed_cost_share": "the fixed share of each member's planned income",
}


class DocumentError(Exception):
    """A document could not be read or is not valid; ``lines`` are printed one per line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def register(subcommands: Any) -> None:
    """Add ``payments`` and its three sub-commands to ``subcommands`` (``add_subparsers()``)."""
    payments = subcommands.add_parser(
        "payments", help="validate payment mechanisms, calculate payments, stress-test cash"
    )
    commands = payments.add_subparsers(
        dest="payments_command", metavar="SUBCOMMAND", parser_class=type(payments)
    )
    commands.required = True

    validate = commands.add_parser("validate", help="check a payment mechanism file")
    validate.add_argument("mechanism", type=existing_file, metavar="MECHANISM.json")

    calculate = commands.add_parser(
        "calculate", help="print every payment each party is owed, per period"
    )
    calculate.add_argument("mechanism", type=existing_file, metavar="MECHANISM.json")
    calculate.add_argument("observed", type=existing_file, metavar="OBSERVED.json")
    _format_option(calculate)

    simulate = commands.add_parser(
        "simulate", help="working-capital stress test for every member of the supply chain"
    )
    simulate.add_argument("mechanism", type=existing_file, metavar="MECHANISM.json")
    simulate.add_argument(
        "--assumptions",
        type=existing_file,
        metavar="FILE.json",
        help="simulation assumptions (volumes, outcome rates, free reserves in months of "
        "expenditure, costs); "
        "default: labelled defaults, see docs/payments-cli.md",
    )
    simulate.add_argument(
        "--paths", type=paths_value, default=DEFAULT_PATHS, help="default %(default)s"
    )
    simulate.add_argument("--seed", type=seed_value, default=0, help="default %(default)s")
    _format_option(simulate)

    validate.set_defaults(handler=validate_command)
    calculate.set_defaults(handler=calculate_command)
    simulate.set_defaults(handler=simulate_command)


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="default %(default)s"
    )


def existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise argparse.ArgumentTypeError(f"{text} {problem}")
    return path


paths_value = whole_number("paths", 1, MAX_PATHS)


def run(args: argparse.Namespace) -> int:
    """Run the ``payments`` sub-command that ``args`` (from the parser) names."""
    try:
        code: int = args.handler(args)
    except DocumentError as error:
        print(f"{PROG} {args.payments_command}: error: {error.lines[0]}", file=sys.stderr)
        for line in error.lines[1:]:
            print(line, file=sys.stderr)
        return 1
    return code


def _read(kind: str, path: Path, parse: Any) -> Any:
    """Read ``path`` with ``parse``; an unreadable or invalid file raises :class:`DocumentError`."""
    from commissioning_analytics.payments import PaymentsFormatError

    try:
        return parse(path)
    except PaymentsFormatError as error:
        count = len(error.errors)
        lines = [f"{path} is not a valid {kind} ({count} problem{'s' if count > 1 else ''}):"]
        raise DocumentError(lines + [f"  {problem}" for problem in error.errors]) from error
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "is not UTF-8 text"
        raise DocumentError([f"cannot read {path}: {reason}"]) from error


def load_mechanism(path: Path) -> Mechanism:
    from commissioning_analytics.payments import load_mechanism as load

    mechanism: Mechanism = _read("payment mechanism", path, load)
    return mechanism


def validate_command(args: argparse.Namespace) -> int:
    mechanism = load_mechanism(args.mechanism)
    print(
        f"valid: {mechanism.id} (format version {mechanism.format_version}): {summary(mechanism)}"
    )
    return 0


def summary(mechanism: Mechanism) -> str:
    """``2 parties, 1 measure, service fee, …, 4 year periods`` for ``validate``."""

    def count(n: int, word: str, plural: str = "") -> str:
        return f"{n} {word if n == 1 else plural or word + 's'}"

    parts = [count(len(mechanism.parties), "party", "parties")]
    parts.append(count(len(mechanism.measures), "measure"))
    if mechanism.service_fee is not None:
        risk = mechanism.service_fee.at_risk
        parts.append("service fee" + (f" with a share at risk ({risk.mode})" if risk else ""))
    if mechanism.outcome_payments:
        parts.append(count(len(mechanism.outcome_payments), "outcome payment"))
    if mechanism.volume_fees:
        parts.append(count(len(mechanism.volume_fees), "volume fee"))
    if mechanism.social_impact_bond is not None:
        parts.append("social impact bond")
    parts.append(count(len(mechanism.supply_chain), "sub-contractor"))
    word = PERIOD_WORDS[mechanism.period]
    parts.append(f"{count(mechanism.term_periods, word)} in the term")
    return ", ".join(parts)


def calculate_command(args: argparse.Namespace) -> int:
    from commissioning_analytics.payments import calculate, load_observed

    mechanism = load_mechanism(args.mechanism)
    observed: Observed = _read(
        "observed data file", args.observed, lambda path: load_observed(path, mechanism)
    )
    statement = calculate(mechanism, observed)
    if args.format == "json":
        print(json.dumps(statement_json(mechanism, observed, statement), indent=2))
    else:
        print(statement_text(mechanism, observed, statement))
    if not statement.is_conserved():
        print(f"{PROG} calculate: error: money is not conserved", file=sys.stderr)
        return 1
    return 0


def statement_json(
    mechanism: Mechanism, observed: Observed, statement: Statement
) -> dict[str, Any]:
    """The statement as one JSON object (documented in ``docs/payments-cli.md``)."""
    data = statement.to_dict()
    return {
        "format_version": 1,
        "mechanism": mechanism.id,
        "name": mechanism.name,
        "rounding": data["rounding"],
        "periods": [
            {
                "period": p.period,
                "label": p.label,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "totals": _totals(statement, p.period),
            }
            for p in observed.periods
        ],
        "lines": data["lines"],
        "notes": data["notes"],
        "totals": _totals(statement, None),
        "funders_paid": data["funders_paid"],
        "chain_received": data["chain_received"],
        "prime_retained_margin": data["prime_retained_margin"],
        "conserved": data["conserved"],
    }


def _totals(statement: Statement, period: int | None) -> list[dict[str, str]]:
    return [
        {"party": t.party, "received": str(t.received), "paid": str(t.paid), "net": str(t.net)}
        for t in statement.totals(period).values()
    ]


def statement_text(mechanism: Mechanism, observed: Observed, statement: Statement) -> str:
    from commissioning_analytics.payments.money import pounds

    out = [
        f"Payment statement: {mechanism.id} ({mechanism.name})",
        f"Each amount is rounded once to the penny ({statement.rounding}).",
    ]
    for obs in observed.periods:
        out.append("")
        out.append(f"Period {obs.period}: {obs.label} ({obs.start} to {obs.end})")
        lines = [line for line in statement.lines if line.period == obs.period]
        notes = [note for note in statement.notes if note.period == obs.period]
        if not lines and not notes:
            out.append("  no payments")
        for line in lines:
            out.append(
                f"  {line.payer} → {line.payee}: {pounds(line.amount)} {line.kind}"
                f" [{line.rule}], due {line.due}"
            )
            out.append(f"      {line.explanation}")
        for note in notes:
            out.append(f"  note [{note.rule}] for {note.party}: {note.explanation}")
    out.append("")
    out.append("Totals for the periods above")
    width = max(len(party) for party in statement.parties)
    out.append(f"  {'Party':<{width}} {'Received':>16} {'Paid':>16} {'Net':>16}")
    for t in statement.totals().values():
        out.append(
            f"  {t.party:<{width}} {pounds(t.received):>16} {pounds(t.paid):>16}"
            f" {_signed(t.net):>16}"
        )
    verdict = "conserved" if statement.is_conserved() else "NOT conserved"
    out.append("")
    out.append(
        f"Conservation: funders paid {pounds(statement.funders_paid())}, the chain received "
        f"{pounds(statement.chain_received())} (the prime kept "
        f"{pounds(statement.retained_margin())}): {verdict}"
    )
    return "\n".join(out)


def simulate_command(args: argparse.Namespace) -> int:
    from commissioning_analytics.cashflow.from_mechanism import (
        load_assumptions,
        scenario_from_mechanism,
    )
    from commissioning_analytics.cashflow.stress import run_stress_test

    mechanism = load_mechanism(args.mechanism)
    assumptions = None
    if args.assumptions is not None:
        assumptions = _read(
            "assumptions file",
            args.assumptions,
            lambda path: load_assumptions(path, mechanism),
        )
    mapping = scenario_from_mechanism(mechanism, assumptions)
    result = run_stress_test(mapping.scenario, seed=args.seed, paths=args.paths)
    if args.format == "json":
        print(json.dumps(stress_json(mechanism, mapping, result)))
    else:
        print(stress_text(mechanism, mapping, result))
    return 0


def stress_json(
    mechanism: Mechanism, mapping: ScenarioMapping, result: StressResult
) -> dict[str, Any]:
    """The stress test as one JSON object (documented in ``docs/payments-cli.md``)."""
    from commissioning_analytics.cashflow.stress import FAN_PERCENTILES

    members = []
    for mapped, stress in zip(mapping.members, result.members, strict=True):
        data = stress.to_dict()
        members.append(
            {
                "party": mapped.party,
                "name": mapped.name,
                "role": mapped.role,
                "reserves": round(stress.reserves, 2),
                "ruin_probability": stress.ruin_probability,
                "ruin_month_percentiles": data["ruin_month_percentiles"],
                "lowest_cash_percentiles": {
                    str(q): round(v, 2) for q, v in data["lowest_cash_percentiles"].items()
                },
                "fan": {
                    str(q): [round(v, 2) for v in row]
                    for q, row in zip(FAN_PERCENTILES, stress.fan.tolist(), strict=True)
                },
            }
        )
    return {
        "format_version": 1,
        "mechanism": mechanism.id,
        "name": mechanism.name,
        "paths": result.paths,
        "months": result.months,
        "seed": result.seed,
        "assumptions": mapping.to_dict(),
        "members": members,
    }


def stress_text(mechanism: Mechanism, mapping: ScenarioMapping, result: StressResult) -> str:
    assumed = mapping.assumptions
    out = [
        f"Working-capital stress test: {mechanism.id} ({mechanism.name})",
        f"{result.paths:,} paths × {result.months} months, seed {result.seed}",
        "",
        f"Assumptions (not in the mechanism; from {assumed.source}):",
    ]
    for name, value in assumed.values.items():
        if value is None:
            out.append(f"  {name.replace('_', ' ')}: {DERIVED[name]} [mechanism]")
        else:
            out.append(f"  {name.replace('_', ' ')}: {value:g} [{assumed.label(name)}]")
    for party, overrides in assumed.members.items():
        given = ", ".join(f"{key} {value:g}" for key, value in overrides.items())
        out.append(f"  {party}: {given} [assumed ({assumed.source})]")
    out.append(
        "Free reserves (months of expenditure) and costs are worked out from these and the "
        "mechanism's money."
    )
    out.append("")
    header = (
        f"{'Organisation':<40} {'Free reserves':>13} {'P(run out)':>10} {'Month p10/50/90':>16}"
    )
    out.append(f"{header} {'Lowest cash p10 / p50 / p90':>40}")
    for mapped, stress in zip(mapping.members, result.members, strict=True):
        months = (
            "never"
            if stress.ruin_month_percentiles is None
            else "/".join(map(str, stress.ruin_month_percentiles))
        )
        lowest = " / ".join(_money(v) for v in stress.lowest_cash_percentiles)
        role = f" ({mapped.role})"
        label = mapped.name[: 40 - len(role)] + role
        out.append(
            f"{label[:40]:<40} {_money(stress.reserves):>13} {stress.ruin_probability:>10.1%}"
            f" {months:>16} {lowest:>40}"
        )
    if mapping.not_modelled:
        out.append("")
        out.append("Approximations (see docs/payments-cli.md):")
        out.extend(f"  - {item}" for item in mapping.not_modelled)
    return "\n".join(out)


def _signed(amount: Decimal) -> str:
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def _money(value: float) -> str:
    return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"
