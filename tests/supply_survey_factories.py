"""A prime, its sub-contractors' members and the independent reviewer for the supply-chain
survey tests (SUP-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commissioning.accounts.models import User
from commissioning.directory.models import Organisation
from commissioning.supply_survey.models import QUESTIONS
from tests.contract_factories import ContractFactory, ContractPartyFactory
from tests.factories import OrganisationFactory, UserFactory, member_of

YEAR = 2026


@dataclass
class Chain:
    prime: Organisation
    prime_member: User
    reviewer: User
    subs: list[Organisation]
    members: list[User]
    round_url: str


def chain(subs: int = 6) -> Chain:
    """A prime with two contracts running in 2026 and ``subs`` sub-contractors across them."""
    prime = OrganisationFactory(name="Northern Resettlement Ltd", is_prime=True)
    first = ContractFactory(prime=prime)
    second = ContractFactory(prime=prime, start_date=date(2025, 4, 1))
    organisations = []
    for n in range(subs):
        organisation = OrganisationFactory(name=f"Charity {n}")
        ContractPartyFactory(contract=first if n % 2 else second, organisation=organisation)
        organisations.append(organisation)
    return Chain(
        prime=prime,
        prime_member=member_of(prime),
        reviewer=UserFactory(role=User.Role.REVIEWER),
        subs=organisations,
        members=[member_of(o) for o in organisations],
        round_url=f"/supply-survey/{prime.slug}/{YEAR}/",
    )


def ratings(value: int) -> dict[str, str]:
    """The same answer (1 strongly disagree … 5 strongly agree) to all five questions."""
    return {field: str(value) for field, _ in QUESTIONS}
