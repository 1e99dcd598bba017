"""Ending a contract (PBR-1, SUP-1, LAW-1; issue 12): its commissioners mark it ended once its
term is over, or record that it was terminated early with the date and the reason — on its
page, through the API and from the command line, with the same rules and errors, in one audited
transaction. The page shows how it ended, and its OCDS package gains a UK11 contract
termination release whose contract status is ``terminated``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.cli import main
from commissioning.contracts.models import Contract
from commissioning.opendata.ocds.packaging import build_record
from commissioning.opendata.ocds.validate import validate_package
from tests.contract_factories import contract_with_parties
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

Status = Contract.Status
REASON = "The provider went into administration."


def _today() -> datetime.date:
    return timezone.localdate()


def _running() -> Contract:
    """A contract that started a year ago and runs for another year."""
    today = _today()
    return contract_with_parties(
        start_date=today - datetime.timedelta(days=365),
        end_date=today + datetime.timedelta(days=365),
    )


def _over() -> Contract:
    """A contract whose term ended yesterday."""
    today = _today()
    return contract_with_parties(
        start_date=today - datetime.timedelta(days=730),
        end_date=today - datetime.timedelta(days=1),
    )


def _commissioner(contract: Contract) -> User:
    return member_of(contract.commissioning_body, role=User.Role.COMMISSIONER)


def _text(response: Any) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _split(value: datetime.date) -> dict[str, str]:
    return {
        "terminated_on_0": str(value.day),
        "terminated_on_1": str(value.month),
        "terminated_on_2": str(value.year),
    }


def test_a_commissioner_terminates_a_contract_early_on_its_page(client: Client) -> None:
    contract = _running()
    last_day = _today() - datetime.timedelta(days=10)
    client.force_login(_commissioner(contract))
    page = client.get(contract.get_absolute_url())
    assert f'href="/contracts/{contract.reference}/end/"' in page.content.decode()

    response = client.post(
        f"/contracts/{contract.reference}/end/",
        {"status": "terminated", "reason": REASON, **_split(last_day)},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Status.TERMINATED
    assert contract.ended_on == last_day
    assert contract.termination_reason == REASON
    event = AuditEvent.objects.get(action="contract.terminate")
    assert event.changes == {
        "status": {"from": "active", "to": "terminated"},
        "reason": {"from": "", "to": REASON},
        "ended_on": {"from": None, "to": last_day.isoformat()},
    }

    page = _text(client.get(contract.get_absolute_url()))
    assert f"{contract.reference} is terminated: its last day was {_day(last_day)}." in page
    assert f"Status Terminated early: its last day was {_day(last_day)}" in page
    assert f"Why it was terminated early {REASON}" in page
    assert "End or terminate the contract" not in page  # it can no longer change


def test_the_page_refuses_what_the_rules_refuse_and_writes_nothing(client: Client) -> None:
    contract = _running()
    client.force_login(_commissioner(contract))
    url = f"/contracts/{contract.reference}/end/"

    response = client.post(url, {"status": "terminated", "reason": " "})
    assert response.status_code == 200
    text = _text(response)
    assert text.startswith("Error: ") or "There is a problem" in text
    assert "Enter the date the contract was terminated" in text
    assert "Enter why the contract is ending early" in text

    response = client.post(url, {"status": "ended"})
    assert f"The contract runs until {_day(contract.end_date)}: end it early" in _text(response)

    future = _today() + datetime.timedelta(days=3)
    response = client.post(url, {"status": "terminated", "reason": REASON, **_split(future)})
    assert "The date the contract was terminated must be today or in the past" in _text(response)

    contract.refresh_from_db()
    assert contract.status == Status.ACTIVE and contract.ended_on is None
    assert not AuditEvent.objects.filter(action__startswith="contract.").exists()


def test_only_the_bodys_commissioners_reach_the_page(client: Client) -> None:
    contract = _running()
    url = f"/contracts/{contract.reference}/end/"
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(member_of(OrganisationFactory(), role=User.Role.COMMISSIONER))
    assert client.get(url).status_code == 403
    assert "End or terminate the contract" not in _text(client.get(contract.get_absolute_url()))
    client.force_login(_commissioner(contract))
    assert client.get(url).status_code == 200


def test_a_contract_whose_term_is_over_is_marked_ended(client: Client) -> None:
    contract = _over()
    client.force_login(_commissioner(contract))
    response = client.post(f"/contracts/{contract.reference}/end/", {"status": "ended"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Status.ENDED
    assert contract.ended_on == contract.end_date
    assert contract.termination_reason == ""
    page = _text(client.get(contract.get_absolute_url()))
    assert f"Status Ended on {_day(contract.end_date)}, at the end of its term" in page


def _post(client: Client, contract: Contract, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/contracts/{contract.reference}/end", body, content_type="application/json"
    )


def test_the_api_refuses_what_the_page_refuses(client: Client) -> None:
    contract = _running()
    body = {"status": "terminated", "reason": REASON, "terminated_on": "2026-01-01"}
    assert _post(client, contract, body).status_code == 401

    client.force_login(member_of(OrganisationFactory(), role=User.Role.COMMISSIONER))
    refused = _post(client, contract, body)
    assert refused.status_code == 403
    assert set(refused.json()) == {"detail", "errors"}

    client.force_login(_commissioner(contract))
    missing = _post(client, contract, {"status": "terminated"})
    assert missing.status_code == 400
    assert missing.json()["errors"] == {
        "terminated_on": ["Enter the date the contract was terminated"],
        "reason": ["Enter why the contract is ending early"],
    }
    no_reason = _post(client, contract, {"status": "terminated", "terminated_on": "2026-01-01"})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"] == {"reason": ["Enter why the contract is ending early"]}
    garbled = _post(client, contract, {**body, "terminated_on": "1 June"})
    assert garbled.status_code == 400
    assert garbled.json()["errors"]["terminated_on"] == [
        "Enter the date the contract was terminated as YYYY-MM-DD, like 2027-06-01"
    ]
    before = contract.start_date - datetime.timedelta(days=1)
    early = _post(client, contract, {**body, "terminated_on": before.isoformat()})
    assert early.status_code == 400
    assert early.json()["errors"] == {
        "terminated_on": [
            "The date the contract was terminated must be on or after its start date, "
            f"{_day(contract.start_date)}"
        ]
    }
    not_yet = _post(client, contract, {"status": "ended"})
    assert not_yet.status_code == 400
    assert not_yet.json()["errors"]["status"] == [
        f"The contract runs until {_day(contract.end_date)}: end it early by terminating it."
    ]
    contract.refresh_from_db()
    assert contract.status == Status.ACTIVE

    last_day = _today() - datetime.timedelta(days=1)
    done = _post(client, contract, {**body, "terminated_on": last_day.isoformat()})
    assert done.status_code == 200
    assert done.json()["status"] == "terminated"
    assert done.json()["ended_on"] == last_day.isoformat()
    assert done.json()["termination_reason"] == REASON
    again = _post(client, contract, {**body, "terminated_on": last_day.isoformat()})
    assert again.status_code == 400
    assert again.json()["errors"] == {
        "status": ["The contract has terminated: it can no longer change."]
    }


def test_the_published_release_says_the_contract_is_terminated(client: Client) -> None:
    contract = _running()
    before = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    assert [r["tag"] for r in before["releases"]] == [["awardUpdate", "contract"]]

    client.force_login(_commissioner(contract))
    last_day = _today() - datetime.timedelta(days=2)
    body = {"status": "terminated", "reason": REASON, "terminated_on": last_day.isoformat()}
    assert _post(client, contract, body).status_code == 200
    client.logout()

    package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
    uk7, uk17 = package["releases"]
    assert uk7["contracts"][0]["status"] == "active"  # the UK7 stays as published
    assert uk17["tag"] == ["contractTermination"]
    assert uk17["ocid"] == uk7["ocid"]
    ended = uk17["contracts"][0]
    assert ended["status"] == "terminated"
    assert ended["period"]["endDate"].startswith(f"{last_day.isoformat()}T23:59:59")
    (notice,) = ended["implementation"]["documents"]
    assert (notice["noticeType"], notice["documentType"]) == ("UK11", "contractTerminationNotice")
    assert notice["description"] == (
        f"Terminated early; its last day was {_day(last_day)}. Reason: {REASON}"
    )
    result = validate_package(package)
    assert result.error_count == 0, result.summary()

    compiled = build_record(package["releases"])["compiledRelease"]
    assert compiled["contracts"][0]["status"] == "terminated"
    bulk = client.get("/opendata/ocds/releases.json").json()["releases"]
    assert [r["tag"] for r in bulk if r["ocid"] == uk7["ocid"]][-1] == ["contractTermination"]


def test_the_command_line_ends_and_terminates_with_the_same_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = _running()
    email = _commissioner(contract).email
    outsider = member_of(OrganisationFactory(), role=User.Role.COMMISSIONER).email
    last_day = _today() - datetime.timedelta(days=5)
    args = ["contracts", "terminate", contract.reference, "--date", last_day.isoformat()]

    assert main([*args, "--reason", REASON, "--as", outsider]) == 1
    assert f"{outsider} cannot end this contract" in capsys.readouterr().err
    assert main([*args, "--reason", " ", "--as", email]) == 1
    assert capsys.readouterr().err == (
        "commissioning contracts terminate: error: Enter why the contract is ending early\n"
    )
    assert main(["contracts", "end", contract.reference, "--as", email]) == 1
    assert "The contract runs until" in capsys.readouterr().err
    assert main(["contracts", "end", "CT-NOPE", "--as", email]) == 1
    assert "no contract CT-NOPE" in capsys.readouterr().err
    contract.refresh_from_db()
    assert contract.status == Status.ACTIVE

    assert main([*args, "--reason", REASON, "--as", email]) == 0
    assert capsys.readouterr().out == (
        f"{contract.reference} is terminated: its last day was {_day(last_day)}.\n"
    )
    contract.refresh_from_db()
    assert (contract.status, contract.ended_on) == (Status.TERMINATED, last_day)
    assert AuditEvent.objects.get(action="contract.terminate").actor.email == email

    over = _over()
    assert main(["contracts", "end", over.reference, "--as", _commissioner(over).email]) == 0
    over.refresh_from_db()
    assert over.status == Status.ENDED


def test_the_command_line_needs_the_date_and_reason_to_terminate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["contracts", "terminate", "CT-1", "--as", "someone@example.org"])
    assert info.value.code == 2
    assert "--date" in capsys.readouterr().err
