"""Demo users, one for each role, with one known password (demo only, never for a real site).

The organisations they belong to are picked from the loaded synthetic market in a fixed way, so
the same market always gives the same people the same organisations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from commissioning.accounts import lifecycle as membership_lifecycle
from commissioning.accounts import two_factor
from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Organisation

DEMO_PASSWORD = "demo-password-2026"
"""The password of every demo user. Demo only: anyone who reads the docs knows it."""

DEMO_EMAIL_DOMAIN = "demo.example"
DEMO_TWO_FACTOR_SALT = "commissioning-demo-two-factor"
"""Demo authenticator secrets are derived from this and the username: synthetic and published, so
anyone can compute a demo user's code (demo only, like the password)."""
HOME_AREA = "northumbria"
"""The demo's local commissioner and first charities work here, so their records meet."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str
    password: str
    note: str = ""
    two_factor_secret: str = ""
    """The synthetic authenticator secret (base32) of a user who must use two-factor sign-in."""


@dataclass(frozen=True)
class _Person:
    username: str
    first_name: str
    last_name: str
    role: str
    note: str
    is_superuser: bool = False


_PEOPLE = (
    _Person("admin", "Ada", "Admin", User.Role.ADMIN, "site administrator", is_superuser=True),
    _Person("commissioner", "Casey", "Morgan", User.Role.COMMISSIONER, "local (PCC) commissioner"),
    _Person(
        "commissioner-national", "Nadia", "Shah", User.Role.COMMISSIONER, "national commissioner"
    ),
    _Person("evaluator", "Evan", "Hughes", User.Role.EVALUATOR, "evaluator at the PCC"),
    _Person(
        "probation",
        "Pat",
        "Reid",
        User.Role.PROBATION,
        "probation practitioner: refers, answers escalations",
    ),
    _Person("provider", "Priya", "Patel", User.Role.PROVIDER, "charity member and org admin"),
    _Person("provider2", "Rhys", "Evans", User.Role.PROVIDER, "org admin of another charity"),
    _Person("prime", "Grace", "Okafor", User.Role.PROVIDER, "org admin of a prime"),
    _Person("reviewer", "Robin", "Clarke", User.Role.REVIEWER, "independent reviewer"),
    _Person(
        "steward",
        "Dana",
        "Okoro",
        User.Role.STEWARD,
        "data steward: loads the national extract for outcome studies",
    ),
    _Person(
        "inspector", "Ivo", "Marsh", User.Role.INSPECTOR, "inspector of commissioning standards"
    ),
    _Person("pending", "Sam", "Taylor", User.Role.PROVIDER, "waiting for approval"),
)


class DemoUsersError(Exception):
    """The synthetic market the demo users belong to is not loaded."""


def _first(queryset: QuerySet[Organisation], what: str) -> Organisation:
    org = queryset.order_by("slug").first()
    if org is None:
        raise DemoUsersError(
            f"No synthetic {what} found: load the demo market first (load_demo_market)."
        )
    return org


def _small_charities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        is_synthetic=True,
        is_prime=False,
        org_type=Organisation.OrgType.VCS_CHARITY,
        annual_income__gte=20_000,
        annual_income__lt=500_000,
    )


def demo_organisations() -> dict[str, Organisation]:
    synthetic = Organisation.objects.filter(is_synthetic=True)
    pcc = _first(
        synthetic.filter(public_body_kind="pcc", areas__slug=HOME_AREA),
        "Police and Crime Commissioner for Northumbria",
    )
    hmpps = _first(
        synthetic.filter(public_body_kind="prison_probation", commissioning_tier="national"),
        "HM Prison and Probation Service",
    )
    local = list(_small_charities().filter(areas__slug=HOME_AREA).order_by("slug")[:2])
    if len(local) < 2:  # a small market may have no two small charities in the home area
        local += list(_small_charities().exclude(pk__in=[o.pk for o in local])[: 2 - len(local)])
    if len(local) < 2:
        raise DemoUsersError("The synthetic market has fewer than two small charities.")
    prime = _first(synthetic.filter(is_prime=True), "prime contractor")
    return {
        "pcc": pcc,
        "hmpps": hmpps,
        "charity": local[0],
        "charity2": local[1],
        "prime": prime,
        "probation": _probation_service(pcc),
    }


def _probation_service(pcc: Organisation) -> Organisation:
    """The probation service for the home area's region: it serves the PCC's contracts, whose
    lots lie in the region, so it refers under them and answers their escalations (REF-1,
    REF-2). The PCC itself only in a market without one."""
    regions = pcc.areas.exclude(parent=None).values("parent")
    found = (
        Organisation.objects.filter(
            is_synthetic=True, public_body_kind="prison_probation", areas__in=regions
        )
        .order_by("slug")
        .first()
    )
    return found or pcc


# username → (organisation key, membership status, organisation administrator?)
_MEMBERSHIPS: dict[str, tuple[str, str, bool]] = {
    "commissioner": ("pcc", Membership.Status.APPROVED, False),
    "commissioner-national": ("hmpps", Membership.Status.APPROVED, False),
    "evaluator": ("pcc", Membership.Status.APPROVED, False),
    "probation": ("probation", Membership.Status.APPROVED, False),
    "steward": ("hmpps", Membership.Status.APPROVED, False),
    "provider": ("charity", Membership.Status.APPROVED, True),
    "provider2": ("charity2", Membership.Status.APPROVED, True),
    "prime": ("prime", Membership.Status.APPROVED, True),
    "pending": ("charity", Membership.Status.PENDING, False),
}


def create_demo_users() -> list[DemoUser]:
    """Create (or reset) the demo users and their memberships; idempotent."""
    with transaction.atomic():
        organisations = demo_organisations()
        password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
        now = timezone.now()
        result: list[DemoUser] = []
        for person in _PEOPLE:
            user, _ = User.objects.update_or_create(
                username=person.username,
                defaults={
                    "email": f"{person.username}@{DEMO_EMAIL_DOMAIN}",
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "role": person.role,
                    "is_staff": person.is_superuser,
                    "is_superuser": person.is_superuser,
                    "is_active": True,
                    "password": password,
                },
            )
            organisation_name = ""
            if person.username in _MEMBERSHIPS:
                key, status, is_admin = _MEMBERSHIPS[person.username]
                organisation = organisations[key]
                organisation_name = organisation.name
                approved = status == Membership.Status.APPROVED
                Membership.objects.filter(user=user).exclude(organisation=organisation).delete()
                membership_lifecycle.seed(
                    user,
                    organisation,
                    status,
                    is_org_admin=is_admin,
                    decided_at=now if approved else None,
                    job_title=person.note[:1].upper() + person.note[1:],
                )
            else:
                Membership.objects.filter(user=user).delete()
            device = _reset_two_factor(user)
            result.append(
                DemoUser(
                    username=person.username,
                    role=User.Role(person.role).label,
                    organisation=organisation_name,
                    password=DEMO_PASSWORD,
                    note=person.note,
                    two_factor_secret=two_factor.secret_text(device) if device else "",
                )
            )
        return result


def demo_authenticator_key(username: str) -> str:
    """The fixed synthetic TOTP key (hex, 20 bytes) of a demo user."""
    return hashlib.sha1(f"{DEMO_TWO_FACTOR_SALT}:{username}".encode()).hexdigest()


def _reset_two_factor(user: User) -> TOTPDevice | None:
    """Remove the demo user's authenticator and recovery codes; one who must use two-factor sign-in
    gets an authenticator with the fixed synthetic secret, so the demo can print how to sign in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if not two_factor.is_required(user):
        return None
    return TOTPDevice.objects.create(
        user=user,
        name=two_factor.AUTHENTICATOR_NAME,
        confirmed=True,
        key=demo_authenticator_key(user.username),
    )


SYNTHETIC_COMMISSIONER_PREFIX = "synthetic-commissioner-"
"""Usernames of the synthetic commissioners: one per commissioning body of the demo market."""


def demo_accounts() -> QuerySet[User]:
    """Every account the demo made (the demo users, the synthetic commissioners and any other
    account of the demo story): all have an address at :data:`DEMO_EMAIL_DOMAIN`."""
    return User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")


def synthetic_commissioners(bodies: Iterable[Organisation]) -> dict[int, User]:
    """A synthetic commissioner for each of ``bodies`` (by body id), made or reset here: the
    person the demo's stage histories name as having moved the body's exercises (CYC-1).

    They are demo records, not people: inactive and without a usable password, so nobody signs
    in as them and no notification or email is made for them. Each is an approved member of its
    body, so a history reads "Commissioner, <the body>".
    """
    by_username = {f"{SYNTHETIC_COMMISSIONER_PREFIX}{body.slug}"[:150]: body for body in bodies}
    if not by_username:
        return {}
    unusable = make_password(None)
    existing = set(User.objects.filter(username__in=by_username).values_list("username", flat=True))
    User.objects.bulk_create(
        User(
            username=username,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            first_name="Synthetic",
            last_name="commissioner",
            role=User.Role.COMMISSIONER,
            is_active=False,
            password=unusable,
        )
        for username in by_username
        if username not in existing
    )
    users = {user.username: user for user in User.objects.filter(username__in=by_username)}
    User.objects.filter(pk__in=[user.pk for user in users.values()]).update(
        role=User.Role.COMMISSIONER, is_active=False, is_staff=False, is_superuser=False
    )
    Membership.objects.filter(user__in=users.values()).delete()
    now = timezone.now()
    Membership.objects.bulk_create(
        membership_lifecycle.seeded(
            Membership.Status.APPROVED,
            user=users[username],
            organisation=body,
            decided_at=now,
            job_title="Synthetic demo commissioner",
        )
        for username, body in by_username.items()
    )
    return {body.pk: users[username] for username, body in by_username.items()}
