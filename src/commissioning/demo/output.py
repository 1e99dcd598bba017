"""Plain-text tables of a load and of the demo users, shared by the command and the CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from commissioning.demo.services import LoadReport
from commissioning.demo.users import DemoUser

DEMO_URL = "http://127.0.0.1:8000"


def format_report(report: LoadReport) -> str:
    if not report.loaded:
        head = (
            f"Synthetic data is already loaded; nothing changed (use --replace to reload the "
            f"market for seed {report.seed}, scale {report.scale:g})."
        )
    else:
        head = (
            f"Loaded the synthetic market (seed {report.seed}, scale {report.scale:g}) "
            f"in {report.seconds:.1f} s."
        )
    lines = [head, "Synthetic records now in the database:"]
    lines += [f"  {name.replace('_', ' ')}: {count:,}" for name, count in report.counts.items()]
    if report.deleted:
        removed = sum(report.deleted.values())
        lines.append(f"Removed {removed:,} rows of the previous synthetic data.")
    if report.kept_in_use:
        lines.append(
            f"Kept {report.kept_in_use} synthetic organisations that people's records refer to."
        )
    return "\n".join(lines)


def format_users(users: Sequence[DemoUser]) -> str:
    """The demo users as an aligned table; every one signs in with the same demo password."""
    header = ("Username", "Role", "Organisation", "Password")
    rows = [(u.username, u.role, u.organisation or "-", u.password) for u in users]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines + format_two_factor(users))


def format_two_factor(users: Sequence[DemoUser]) -> list[str]:
    """How the demo users who must use two-factor sign-in get their code (demo only)."""
    secured = [u for u in users if u.two_factor_secret]
    if not secured:
        return []
    names = ", ".join(u.username for u in secured)
    width = max(len(u.username) for u in secured)
    return [
        "",
        f"Two-factor sign-in: {names} enter a 6-digit code after the password.",
        "Print a demo user's current code with:",
        "  .venv/bin/commissioning manage demo_two_factor_code USERNAME",
        "or add their synthetic secret key (demo only) to an authenticator app, time-based:",
        *(f"  {u.username.ljust(width)}  {u.two_factor_secret}" for u in secured),
    ]


def format_procurement(made: Mapping[str, int]) -> str:
    """One line on the demo opportunities (``load_demo_procurement``'s counts)."""
    return (
        f"Synthetic opportunities: {made['opportunities']} (draft, open, closed, in evaluation, "
        f"cancelled, evaluated, awarded) with {made['questions']} questions, "
        f"{made['interests']} interests and {made['bids']} bids ({made['submitted_bids']} "
        f"submitted); moderated and awaiting award: {made['evaluated_opportunities']}, "
        f"awarded: {made['awarded_opportunities']}, contracts created from awards: "
        f"{made['award_contracts']}."
    )
