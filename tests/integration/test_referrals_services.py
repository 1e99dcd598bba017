"""Referring and moving referrals through the services, and who may do and see what (REF-1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.directory.models import Organisation
from commissioning.referrals import access, pseudonyms, services
from commissioning.referrals.lifecycle import Status
from commissioning.referrals.models import Referral, ReferralEvent
from tests.factories import AreaFactory, CommissioningBodyFactory, member_of
from tests.referral_factories import refer, referral_setting

pytestmark = pytest.mark.django_db


def test_probation_refers_a_pseudonymous_person_and_the_step_is_kept() -> None:
    setting = referral_setting()
    referral = refer(setting, case_reference=" x123 456 ", characteristics={"sex": "female"})

    assert referral.status == Status.REFERRED
    assert referral.provider == setting.housing_party.organisation
    assert referral.referrer == setting.contract.commissioning_body
    assert referral.person == pseudonyms.pseudonym("X123456")
    assert len(referral.person) == 64 and "X123456" not in referral.person
    assert referral.characteristics == {"sex": "female"}
    event = referral.events.get()
    assert (event.step, event.happened_on, event.recorded_by) == (
        Status.REFERRED,
        date(2026, 6, 1),
        setting.probation,
    )
    assert AuditEvent.objects.filter(action="referral.refer", target_id=str(referral.pk)).exists()


@override_settings(REFERRAL_PSEUDONYM_KEY="", REFERRAL_PSEUDONYM_ALLOW_DEV_KEY=False)
def test_without_a_key_outside_development_nobody_is_referred() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        pseudonyms.pseudonym("X1")


def test_the_pseudonym_depends_on_the_key() -> None:
    with override_settings(REFERRAL_PSEUDONYM_KEY="one-secret"):
        first = pseudonyms.pseudonym("X1")
    with override_settings(REFERRAL_PSEUDONYM_KEY="another-secret"):
        assert pseudonyms.pseudonym("X1") != first
        assert pseudonyms.pseudonym(" x1 ") == pseudonyms.pseudonym("X1")


def test_a_refusal_names_every_field_and_writes_nothing() -> None:
    setting = referral_setting()
    with pytest.raises(ValidationError) as refused:
        services.refer(
            setting.probation,
            setting.contract,
            services.NewReferral(
                party_id=None,
                case_reference="",
                need_group="nobody",
                referred_on=date(2026, 3, 1),
                characteristics={"age": "ancient"},
            ),
        )
    assert set(refused.value.message_dict) == {
        "party",
        "case_reference",
        "need_group",
        "referred_on",
        "age",
    }
    assert not Referral.objects.exists() and not ReferralEvent.objects.exists()


def test_need_groups_come_from_the_mechanism() -> None:
    setting = referral_setting()
    assert services.need_groups(setting.contract) == ["standard", "high-need"]


def test_who_may_refer() -> None:
    setting = referral_setting()
    assert access.referring_organisations(setting.probation, setting.contract) == [
        setting.contract.commissioning_body
    ]
    assert access.referring_organisations(setting.prime, setting.contract) == [
        setting.contract.prime
    ]
    for user in (setting.housing, setting.commissioner, setting.outsider):
        assert not access.may_refer(user, setting.contract)
    with pytest.raises(PermissionDenied):
        refer(setting.__class__(**{**setting.__dict__, "probation": setting.outsider}))


def test_a_probation_body_serving_the_lots_region_may_refer() -> None:
    setting = referral_setting()
    region = AreaFactory(name="North East region", kind="probation_region")
    lot_area = setting.contract.lot.areas.first() or AreaFactory()
    lot_area.parent = region
    lot_area.save()
    setting.contract.lot.areas.add(lot_area)
    serving = CommissioningBodyFactory(
        public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION, areas=[region]
    )
    elsewhere = CommissioningBodyFactory(
        public_body_kind=Organisation.PublicBodyKind.PRISON_PROBATION, areas=[AreaFactory()]
    )
    assert access.referring_organisations(
        member_of(serving, role=User.Role.PROBATION), setting.contract
    ) == [serving]
    assert not access.may_refer(member_of(elsewhere, role=User.Role.PROBATION), setting.contract)
    # A provider member of a probation body is not a probation practitioner.
    assert not access.may_refer(member_of(serving), setting.contract)


def test_the_receiver_moves_it_the_referrer_withdraws_and_others_are_refused() -> None:
    setting = referral_setting()
    referral = refer(setting)
    with pytest.raises(PermissionDenied):
        services.move(setting.prime, referral, "accepted", happened_on=date(2026, 6, 2))
    with pytest.raises(PermissionDenied):
        services.move(setting.housing, referral, "withdrawn", happened_on=date(2026, 6, 2))
    services.move(setting.housing, referral, "accepted", happened_on=date(2026, 6, 2))
    services.move(setting.housing, referral, "started", happened_on=date(2026, 6, 9))
    with pytest.raises(ValidationError) as refused:
        services.move(setting.housing, referral, "engaged", happened_on=date(2026, 6, 8))
    assert "happened_on" in refused.value.message_dict
    services.move(
        setting.probation,
        referral,
        "withdrawn",
        happened_on=date(2026, 6, 10),
        reason="Recalled to prison",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.status_on) == (Status.WITHDRAWN, date(2026, 6, 10))
    assert [(e.step, e.organisation) for e in referral.events.all()] == [
        (Status.REFERRED, setting.contract.commissioning_body),
        (Status.ACCEPTED, setting.housing_party.organisation),
        (Status.STARTED, setting.housing_party.organisation),
        (Status.WITHDRAWN, setting.contract.commissioning_body),
    ]
    assert referral.events.last().reason == "Recalled to prison"
    assert AuditEvent.objects.filter(action="referral.withdraw").count() == 1


def test_who_sees_a_referral() -> None:
    setting = referral_setting()
    referral = refer(setting)
    for user in (setting.probation, setting.prime, setting.housing, setting.commissioner):
        assert access.can_see(user, referral)
        assert list(access.visible_referrals(user, setting.contract)) == [referral]
    for user in (setting.womens, setting.outsider):
        assert not access.can_see(user, referral)
        assert not access.visible_referrals(user, setting.contract).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not access.can_see(AnonymousUser(), referral)
    assert access.sees_characteristics(setting.probation, referral)
    assert not access.sees_characteristics(setting.housing, referral)


def test_nobody_refers_under_a_contract_that_has_ended() -> None:
    setting = referral_setting()
    from commissioning.contracts import lifecycle as contract_lifecycle

    contract_lifecycle.transition(
        setting.commissioner,
        setting.contract,
        "terminated",
        reason="Provider failure",
        today=date(2026, 9, 1),
    )
    assert not access.may_refer(setting.probation, setting.contract)
    assert not access.may_refer(setting.prime, setting.contract)
