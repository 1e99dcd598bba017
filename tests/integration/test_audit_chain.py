"""The audit trail is a hash chain (issue 13 items 1 and 2; LAW-1): ``audit verify`` names the
first event altered, removed or inserted with SQL, and the trail names people by account id,
never by email address."""

from __future__ import annotations

import importlib
import json
import threading
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.db import connection, transaction

from commissioning.accounts.services import register_provider_member
from commissioning.audit.chain import chain_head, report, verify
from commissioning.audit.models import AuditEvent
from commissioning.audit.services import record
from commissioning.cli import main
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _three_events() -> list[AuditEvent]:
    target = OrganisationFactory(name="Tyne Test Trust")
    actor = UserFactory(username="kestrel")
    return [record(actor, f"test.step{n}", target, {"step": n, "score": "1.50"}) for n in range(3)]


def test_an_untouched_trail_is_intact_and_reports_its_head(capsys: Any) -> None:
    events = _three_events()

    assert main(["audit", "verify"]) == 0

    head = events[-1].entry_hash
    assert capsys.readouterr().out.strip() == (
        f"audit trail intact: {AuditEvent.objects.count()} events, head {head}"
    )
    assert events[1].previous_hash == events[0].entry_hash
    assert events[2].previous_hash == events[1].entry_hash
    assert chain_head() == head
    assert main(["audit", "verify", "--expect", head]) == 0


def test_an_event_edited_with_sql_is_named(capsys: Any) -> None:
    events = _three_events()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET changes = %s WHERE id = %s",
            [json.dumps({"step": 1, "score": "9.50"}), events[1].pk],
        )

    assert main(["audit", "verify"]) == 1

    error = capsys.readouterr().err
    assert f"event {events[1].pk} " in error
    assert "was altered or inserted" in error
    assert verify().event_id == events[1].pk


def test_an_event_rewritten_with_its_hash_recomputed_breaks_the_next_link() -> None:
    events = _three_events()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.changes = {"step": 1, "score": "9.50"}
    from commissioning.audit.hashing import content_of, event_hash

    new_hash = event_hash(forged.previous_hash, content_of(forged))
    AuditEvent.objects.filter(pk=forged.pk).update(changes=forged.changes, entry_hash=new_hash)

    verdict = verify()

    assert verdict.event_id == events[2].pk
    assert f"does not follow event {events[1].pk}" in verdict.problem


def test_an_event_deleted_with_sql_is_found(capsys: Any) -> None:
    events = _three_events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])

    assert main(["audit", "verify"]) == 1

    error = capsys.readouterr().err
    assert f"event {events[2].pk} " in error
    assert f"does not follow event {events[0].pk}: an event between them was removed" in error


def test_a_forged_row_inserted_with_sql_is_named(capsys: Any) -> None:
    events = _three_events()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (actor_label, occurred_at, action, target_type, "
            "target_id, target_label, changes, previous_hash, entry_hash) "
            "VALUES ('kestrel', %s, 'test.forged', 'directory.Organisation', '1', 'x', '{}', "
            "%s, %s)",
            [events[-1].occurred_at, events[-1].entry_hash, "f" * 64],
        )
    forged = AuditEvent.objects.get(action="test.forged")

    assert main(["audit", "verify"]) == 1

    error = capsys.readouterr().err
    assert f"event {forged.pk} " in error
    assert "was altered or inserted" in error


def test_a_trail_cut_short_is_caught_only_against_an_exported_head() -> None:
    events = _three_events()
    exported = chain_head()
    AuditEvent.objects.filter(pk=events[-1].pk).delete()

    assert verify().intact  # a shorter chain is still a chain
    status, lines = report(expect_head=exported)
    assert status == 1
    assert f"no longer passes through the expected head {exported}" in lines[0]


def test_events_appended_after_the_exported_head_are_allowed() -> None:
    events = _three_events()
    exported = events[1].entry_hash

    assert report(expect_head=exported) == (
        0,
        [f"audit trail intact: {AuditEvent.objects.count()} events, head {events[2].entry_hash}"],
    )
    assert report(expect_head="ab" * 32)[0] == 1


def test_events_are_never_changed_through_the_model() -> None:
    event = _three_events()[0]
    event.action = "test.changed"
    with pytest.raises(ValueError, match="never changed"):
        event.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_records_do_not_fork_the_chain() -> None:
    """Eight requests recording at once each link to a different predecessor: appends are
    serialised by an advisory lock on PostgreSQL (SQLite's in-memory test database cannot be
    shared by threads; its IMMEDIATE transactions serialise writers anyway)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared between threads (PostgreSQL)")
    target = OrganisationFactory(name="Tyne Test Trust")
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def record_five() -> None:
        try:
            start.wait()
            for n in range(5):
                with transaction.atomic():
                    record(None, f"test.race{n}", target)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record_five) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert AuditEvent.objects.filter(action__startswith="test.race").count() == 40
    links = list(AuditEvent.objects.values_list("previous_hash", flat=True))
    assert len(links) == len(set(links))
    assert verify().intact


def test_registration_records_the_account_id_not_the_email_address() -> None:
    organisation = OrganisationFactory()
    membership = register_provider_member(
        username="heron",
        email="heron.private@example.org",
        password="long-enough-passphrase-42",
        first_name="Hero",
        last_name="Heron",
        organisation=organisation,
        job_title="Volunteer coordinator",
    )

    event = AuditEvent.objects.get(target_type="accounts.Membership", target_id=membership.pk)
    stored = json.dumps(event.changes) + event.target_label + event.actor_label
    assert "heron.private@example.org" not in stored
    assert event.changes["user_id"] == {"from": None, "to": membership.user_id}
    assert event.actor_id == membership.user_id


def test_any_email_address_passed_to_record_is_not_stored() -> None:
    target = OrganisationFactory(name="Tyne Test Trust")
    event = record(
        None, "test.contact", target, {"contact_email": {"from": "a.b@example.org", "to": "c@d.uk"}}
    )

    event.refresh_from_db()
    assert event.changes == {
        "contact_email": {
            "from": "(email address not recorded)",
            "to": "(email address not recorded)",
        }
    }
    assert verify().intact


def test_the_migration_scrubs_old_events_then_chains_them() -> None:
    """Events written before the chain (no hashes, email addresses in them) are scrubbed and
    chained by the data migration, scrub first, so that the chain verifies."""
    target = OrganisationFactory(name="Tyne Test Trust")
    record(None, "test.first", target)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (actor_label, occurred_at, action, target_type, "
            "target_id, target_label, changes, previous_hash, entry_hash) "
            "VALUES ('system', %s, 'account.register', 'accounts.Membership', '7', "
            "'old@example.org at Tyne', %s, '', '')",
            [
                AuditEvent.objects.get().occurred_at,
                json.dumps({"email": {"to": "old@example.org"}}),
            ],
        )
        cursor.execute("UPDATE audit_auditevent SET previous_hash = '', entry_hash = ''")
    assert not verify().intact

    migration = importlib.import_module(
        "commissioning.audit.migrations.0003_scrub_emails_and_chain"
    )
    migration.scrub_and_chain(current_apps, None)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET previous_hash = '', entry_hash = '', "
            "target_type = 'accounts.User', changes = %s WHERE action = 'test.first'",
            [json.dumps({"first_name": {"from": "Olwen", "to": "Nerys"}, "role": "x"})],
        )
    migration.scrub_and_chain(current_apps, None)

    renamed = AuditEvent.objects.get(action="test.first")
    assert renamed.changes == {
        "first_name": {"from": "(not recorded)", "to": "(not recorded)"},
        "role": "x",
    }
    old = AuditEvent.objects.get(action="account.register")
    assert old.changes == {"email": {"to": "(email address not recorded)"}}
    assert old.target_label == "(email address not recorded) at Tyne"
    assert verify().intact
