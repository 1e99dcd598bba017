"""Quarterly supply-chain returns (SUP-1): drafted from the referral and payment records with
the hand figures, submitted by the prime only, each line confirmed or disputed by its own
sub-contractor only; each action one transaction, audited, with its notifications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.notifications.models import Notification
from commissioning.supply_returns import services
from commissioning.supply_returns.models import ReturnLine, SupplyReturn
from tests.factories import member_of
from tests.supply_return_factories import QUARTER, TODAY, hand_quarter

pytestmark = pytest.mark.django_db


def _lines(supply_return: SupplyReturn) -> dict[str, tuple[int, int, int, Decimal]]:
    return {
        line.party.party_id: (
            line.referrals_received,
            line.referrals_started,
            line.referrals_completed,
            line.amount_paid,
        )
        for line in supply_return.lines.select_related("party")
    }


def test_a_drafted_return_gives_the_hand_figures() -> None:
    setting = hand_quarter()
    drafted = services.draft(setting.contract, QUARTER, today=TODAY)
    assert (drafted.status, drafted.quarter_end) == ("draft", date(2026, 9, 30))
    assert _lines(drafted) == {
        "housing-charity": (3, 2, 1, Decimal("500.00")),
        "womens-centre": (0, 0, 0, Decimal("1250.50")),
    }
    assert set(drafted.lines.values_list("status", flat=True)) == {"draft"}


def test_drafting_is_idempotent_and_refreshes_a_draft_only() -> None:
    setting = hand_quarter()
    first = services.draft(setting.contract, QUARTER, today=TODAY)
    again = services.draft_quarter(QUARTER, today=TODAY)
    assert [r.pk for r in again] == [first.pk]
    assert ReturnLine.objects.count() == 2
    assert AuditEvent.objects.filter(action="supply_return.draft").count() == 1
    services.submit(setting.prime, first, today=TODAY)
    from tests.referral_factories import refer

    refer(setting, case_reference="A100009", referred_on=date(2026, 9, 29))
    services.draft(setting.contract, QUARTER, today=TODAY)
    assert _lines(first)["housing-charity"][0] == 3  # fixed once submitted


def test_a_quarter_is_drafted_only_once_it_has_ended() -> None:
    setting = hand_quarter()
    with pytest.raises(ValidationError) as error:
        services.draft(setting.contract, date(2026, 10, 1), today=TODAY)
    assert error.value.message_dict == {
        "quarter": ["A return is drafted once its quarter has ended."]
    }
    assert not SupplyReturn.objects.exists()


def test_only_the_prime_submits_with_a_note_per_line_and_subs_are_told() -> None:
    setting = hand_quarter()
    drafted = services.draft(setting.contract, QUARTER, today=TODAY)
    housing = drafted.lines.get(party__party_id="housing-charity")
    for someone in (setting.housing, setting.commissioner, setting.outsider):
        with pytest.raises(PermissionDenied):
            services.submit(someone, drafted, today=TODAY)
    assert SupplyReturn.objects.get().status == "draft"
    services.submit(setting.prime, drafted, {housing.pk: "Two places held over"}, today=TODAY)
    drafted.refresh_from_db()
    housing.refresh_from_db()
    assert drafted.status == "submitted"
    assert drafted.submitted_by == setting.prime
    assert (housing.status, housing.prime_note) == ("awaiting_confirmation", "Two places held over")
    event = AuditEvent.objects.get(action="supply_return.submit")
    assert event.actor == setting.prime
    told = set(Notification.objects.filter(kind="supply_return").values_list("user", flat=True))
    assert told == {setting.housing.pk, setting.womens.pk}
    with pytest.raises(ValidationError, match="already been submitted"):
        services.submit(setting.prime, drafted, today=TODAY)


def test_a_return_is_submitted_after_its_quarter_ends() -> None:
    setting = hand_quarter()
    drafted = services.draft(setting.contract, QUARTER, today=TODAY)
    with pytest.raises(ValidationError) as error:
        services.submit(setting.prime, drafted, today=date(2026, 9, 30))
    assert error.value.message_dict == {
        "__all__": ["The quarter ends on 30 September 2026: submit its return after that."]
    }


def test_each_sub_answers_only_its_own_line_and_a_dispute_needs_a_reason() -> None:
    setting = hand_quarter()
    drafted = services.draft(setting.contract, QUARTER, today=TODAY)
    lines = {line.party.party_id: line for line in drafted.lines.select_related("party")}
    with pytest.raises(ValidationError, match="not been submitted"):
        services.answer(setting.housing, lines["housing-charity"], "confirm")
    services.submit(setting.prime, drafted, today=TODAY)
    Notification.objects.all().delete()
    for someone in (setting.womens, setting.prime, setting.outsider):
        with pytest.raises(PermissionDenied):
            services.answer(someone, lines["housing-charity"], "confirm")
    with pytest.raises(ValidationError) as error:
        services.answer(setting.womens, lines["womens-centre"], "dispute", "  ")
    assert error.value.message_dict == {"reason": ["Enter why you dispute your line"]}
    services.answer(setting.housing, lines["housing-charity"], "confirm")
    disputed = services.answer(
        setting.womens, lines["womens-centre"], "dispute", "We were paid £1,000.00 more in August"
    )
    assert (disputed.status, disputed.responded_by) == ("disputed", setting.womens)
    assert AuditEvent.objects.get(action="supply_return.dispute").changes["reason"] == (
        "We were paid £1,000.00 more in August"
    )
    told = set(Notification.objects.filter(kind="supply_return").values_list("user", flat=True))
    assert told == {setting.prime.pk, setting.commissioner.pk}
    with pytest.raises(ValidationError, match="already been confirmed"):
        services.answer(setting.housing, lines["housing-charity"], "dispute", "Changed our mind")


def test_reviewers_see_reasons_outsiders_do_not() -> None:
    from commissioning.supply_returns import access

    setting = hand_quarter()
    reviewer = member_of(setting.outsider.memberships.get().organisation, role=User.Role.REVIEWER)
    assert access.sees_dispute_reasons(reviewer, setting.contract)
    assert access.sees_dispute_reasons(setting.commissioner, setting.contract)
    assert not access.sees_dispute_reasons(setting.outsider, setting.contract)
    assert not access.sees_dispute_reasons(setting.womens, setting.contract)


def test_the_command_line_drafts_a_quarter_and_can_run_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from commissioning import cli

    hand_quarter()
    assert cli.main(["returns", "draft", "--quarter", "2026Q3"]) == 0
    assert cli.main(["returns", "draft", "--quarter", "2026q3"]) == 0
    assert SupplyReturn.objects.count() == 1
    assert "1 return for 2026Q3 drafted" in capsys.readouterr().out
    assert cli.main(["returns", "draft", "--quarter", "2031Q1"]) == 1
    assert "once its quarter has ended" in capsys.readouterr().err
    assert cli.main(["returns", "draft", "--quarter", "Q3"]) == 1
