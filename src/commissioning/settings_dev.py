"""Settings for development tools and the test suite: the production settings
(``commissioning.settings``) with the development keys asked for explicitly and the https-only
protections off, for plain http on 127.0.0.1. Never for a deployment: the keys here are public.

pytest selects this module (``--ds`` in pyproject.toml), as do mypy's Django plugin, `make
migrations-check` and `make bench`. The values go into the environment before the production
settings read it, so subprocesses the tests start (the command line) inherit the same
configuration. Whatever the environment already says wins.
"""

from __future__ import annotations

import os

DEVELOPMENT_ENVIRONMENT = {
    # The "django-insecure-" prefix makes `check --deploy` flag this key wherever it leaks.
    "SECRET_KEY": "django-insecure-development-only-never-deploy-0123456789abcdefghijkl",
    "BID_SEALING_ALLOW_DEV_KEY": "1",
    "REFERRAL_PSEUDONYM_ALLOW_DEV_KEY": "1",
    "OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY": "1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "0",
}

for _name, _value in DEVELOPMENT_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

from commissioning.settings import *  # noqa: E402, F403

# Public development settings: the cheapest Argon2id cost for concerns' keys (tests, demo).
CONCERNS_KDF_COST = "min"
CONCERNS_CHALLENGE_BITS = 10
