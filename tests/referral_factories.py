"""A contract ready for referrals (REF-1): the contract's parties from its mechanism, a probation
practitioner of the commissioning body, and members of the prime and of each sub-contractor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.referrals import services
from commissioning.referrals.models import Referral
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory, member_of


@dataclass
class ReferralSetting:
    contract: Contract
    probation: User
    prime: User
    housing: User
    womens: User
    commissioner: User
    outsider: User
    housing_party: ContractParty
    womens_party: ContractParty


def referral_setting(**kwargs: object) -> ReferralSetting:
    contract = contract_with_parties(**kwargs)
    parties = {party.party_id: party for party in contract.parties.select_related("organisation")}
    housing, womens = parties["housing-charity"], parties["womens-centre"]
    assert housing.organisation is not None and womens.organisation is not None
    return ReferralSetting(
        contract=contract,
        probation=member_of(contract.commissioning_body, role=User.Role.PROBATION),
        prime=member_of(contract.prime),
        housing=member_of(housing.organisation),
        womens=member_of(womens.organisation),
        commissioner=member_of(contract.commissioning_body, role=User.Role.COMMISSIONER),
        outsider=member_of(OrganisationFactory()),
        housing_party=housing,
        womens_party=womens,
    )


def refer(
    setting: ReferralSetting,
    *,
    party: ContractParty | None = None,
    case_reference: str = "X123456",
    referred_on: date = date(2026, 6, 1),
    characteristics: dict[str, str] | None = None,
    need_group: str = "standard",
) -> Referral:
    return services.refer(
        setting.probation,
        setting.contract,
        services.NewReferral(
            party_id=(party or setting.housing_party).pk,
            case_reference=case_reference,
            need_group=need_group,
            referred_on=referred_on,
            characteristics=characteristics,
        ),
    )
