"""``demo_two_factor_code USERNAME``: the code a demo user's authenticator shows now.

Demo only: it answers only for the demo users, whose authenticator secrets are synthetic and
published (``commissioning.demo.users.demo_authenticator_key``); any other account is refused.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.demo.users import demo_accounts, demo_authenticator_key


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (demo users only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="A demo user, for example commissioner")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = demo_accounts().filter(username=username).first()
        if user is None:
            raise CommandError(f"{username!r} is not a demo user: only demo users' codes are shown")
        device = TOTPDevice.objects.filter(
            user=user, confirmed=True, key=demo_authenticator_key(username)
        ).first()
        if device is None:
            raise CommandError(
                f"{username!r} signs in without a two-factor code (or set up their own "
                "authenticator, whose secret only they hold)"
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
        totp.time = time.time()
        seconds_left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"Valid for {seconds_left} more seconds; each code signs in once.")
