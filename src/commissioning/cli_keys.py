"""``commissioning keys generate|rotate|check``: the bid-sealing key (PRO-8, docs/keys.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commissioning.cli_args import setup_django


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="the bid-sealing key: generate, rotate, check")
    actions = keys.add_subparsers(dest="action", metavar="ACTION", parser_class=type(keys))
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


def run(args: argparse.Namespace) -> int:
    if args.action == "generate":
        return _keys_generate()
    return _keys_rotate(args.new_key_file) if args.action == "rotate" else _keys_check()


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
    setup_django()
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
    setup_django()
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
