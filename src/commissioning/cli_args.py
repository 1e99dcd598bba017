"""Argument types shared by the ``commissioning`` sub-commands: each bad value gets one line that
names the option and says what it must be (argparse prints it and exits with status 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(name: str, minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type`` accepting whole numbers from ``minimum`` (to ``maximum``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, not {text!r}"
            ) from None
        if maximum is not None and not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{name} must be from {minimum:,} to {maximum:,}")
        if value < minimum:
            lowest = "zero" if minimum == 0 else f"{minimum:,}"
            raise argparse.ArgumentTypeError(f"{name} must be {lowest} or more")
        return value

    return parse


seed_value = whole_number("seed", 0)

DEFAULT_SEED = 2026
MAX_SCALE = 100.0


def scale_value(text: str) -> float:
    """The synthetic market's ``--scale`` (1 is about 1,700 VCS organisations)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"scale must be a number, not {text!r}") from None
    if not 0 < value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"scale must be more than 0 and at most {MAX_SCALE:g}")
    return value


def column_pair(name: str) -> Callable[[str], tuple[str, str]]:
    """An argparse ``type`` for two comma-separated column names, e.g. ``DURATION,EVENT``."""

    def parse(text: str) -> tuple[str, str]:
        columns = [c.strip() for c in text.split(",")]
        if len(columns) != 2 or not all(columns):
            raise argparse.ArgumentTypeError(
                f"{name} must be two column names separated by a comma "
                f"(DURATION,EVENT), not {text!r}"
            )
        if columns[0] == columns[1]:
            raise argparse.ArgumentTypeError(f"{name} needs two different columns, not {text!r}")
        return columns[0], columns[1]

    return parse


def setup_django() -> None:
    """Start Django for a sub-command that needs the database, once: calling ``django.setup()``
    again would configure logging again, binding its handler to whatever ``sys.stdout`` is at
    that moment (under pytest, a capture stream closed after the test)."""
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()
