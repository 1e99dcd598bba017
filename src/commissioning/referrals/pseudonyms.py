"""A person referred is a pseudonymous reference, never a name or a date of birth (REF-1): the
HMAC-SHA256 of the referrer's case reference under a key only the platform holds, so the same
case reference always gives the same person and nobody without the key can go back from it.

The key is ``settings.REFERRAL_PSEUDONYM_KEY``; the platform refuses to start without it unless
``REFERRAL_PSEUDONYM_ALLOW_DEV_KEY`` asks for the public development key explicitly (the tests,
the local demo), as for the key that seals bids (settings.py).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from commissioning.kernel.secrets import configured_key

DEV_KEY = "development-only-referral-pseudonym-key"
MAX_CASE_REFERENCE = 40
_SPACES = re.compile(r"\s+")


def key() -> bytes:
    missing = "Set REFERRAL_PSEUDONYM_KEY (a long random secret) to record referrals."
    return configured_key("REFERRAL_PSEUDONYM_KEY", DEV_KEY, missing).encode()


def normalise(case_reference: str) -> str:
    """Case references are compared without spaces and case: ``x123 456`` is ``X123456``."""
    return _SPACES.sub("", case_reference).upper()


_NAME = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})\b")


def case_reference_problem(case_reference: str) -> str | None:
    """Why ``case_reference`` cannot be used; it is refused where it looks like a name (two
    words) or holds a date, which would be a date of birth."""
    text = normalise(case_reference)
    if not text:
        return "Enter the person's case reference"
    if _NAME.search(case_reference):
        return "Enter only your case reference, never the person's name"
    if _DATE.search(case_reference):
        return "Enter only your case reference, never a date such as a date of birth"
    if len(text) > MAX_CASE_REFERENCE:
        return f"The case reference must be {MAX_CASE_REFERENCE} characters or fewer"
    if not re.fullmatch(r"[A-Z0-9/_.-]+", text):
        return (
            "The case reference can only have letters, numbers, slashes, dots, dashes and "
            "underscores"
        )
    return None


def pseudonym(case_reference: str) -> str:
    """The person's pseudonymous reference: 64 hexadecimal characters."""
    return hmac.new(key(), normalise(case_reference).encode(), hashlib.sha256).hexdigest()
