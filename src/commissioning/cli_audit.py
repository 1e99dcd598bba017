"""``commissioning audit verify [--expect HEAD]``: walk the audit trail's hash chain (issue 13
item 1; LAW-1). Exit status 0 with the number of events and the head hash when intact (keep the
head elsewhere to check against later); 1 with one line naming the first event altered, inserted
or removed. ``manage.py audit_verify`` does the same.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commissioning.cli_args import setup_django


def register(commands: Any) -> None:
    """Add ``audit verify`` to ``commands`` (``add_subparsers()``)."""
    audit = commands.add_parser(
        "audit", help="check that the audit trail has not been tampered with"
    )
    actions = audit.add_subparsers(dest="audit_action", metavar="ACTION", parser_class=type(audit))
    actions.required = True
    verify = actions.add_parser(
        "verify", help="walk the hash chain; name the first event altered, inserted or removed"
    )
    verify.add_argument(
        "--expect",
        default="",
        metavar="HEAD",
        help="the head hash printed by an earlier run and kept elsewhere: also catches a trail "
        "rewritten to the end or cut short",
    )


def run(args: argparse.Namespace) -> int:
    setup_django()
    from commissioning.audit.chain import report

    status, lines = report(args.expect)
    for line in lines:
        print(line, file=sys.stderr if status else sys.stdout)
    return status
