"""A proof-of-work challenge that needs no third party (SUP-5 abuse controls).

The server signs a random challenge; the reporter's browser (frontend/js/proof-of-work.mjs)
finds a number whose SHA-256 with the challenge starts with :func:`difficulty` zero bits (about
a second of work) and sends it back. Each challenge is good for one submission within an hour:
its random part is remembered in the cache until then. Nothing about the sender is kept.

Without JavaScript the form still works: it arrives without a solution and is held to the
stricter :data:`NO_SCRIPT_RATE` instead (docs/concerns.md).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "commissioning.concerns.challenge"
MAX_AGE_SECONDS = 60 * 60
SOLVED_RATE = "10/h"
"""Reports (or returns) with a solved challenge from one address in an hour."""
NO_SCRIPT_RATE = "3/h"
"""Reports without a solved challenge (no JavaScript) from one address in an hour."""


def difficulty() -> int:
    return int(getattr(settings, "CONCERNS_CHALLENGE_BITS", 16))


def issue() -> str:
    return signing.dumps({"n": secrets.token_hex(16), "b": difficulty()}, salt=SALT)


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def is_solved(challenge: str, solution: str) -> bool:
    """The solution is right for a challenge we issued in the last hour, not used before."""
    if not challenge or not solution or len(solution) > 20:
        return False
    try:
        payload = signing.loads(challenge, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    if _leading_zero_bits(digest) < int(payload.get("b", difficulty())):
        return False
    return bool(cache.add(f"concerns-challenge:{payload['n']}", 1, MAX_AGE_SECONDS))


def solve(challenge: str) -> str:
    """What the browser does, for the tests and the command line."""
    payload = signing.loads(challenge, salt=SALT, max_age=MAX_AGE_SECONDS)
    counter = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{counter}".encode()).digest()
        if _leading_zero_bits(digest) >= int(payload["b"]):
            return str(counter)
        counter += 1
