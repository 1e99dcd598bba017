"""Issue 13 items 1 and 2: remove email addresses (and names changed in the user admin) from the
events already written, then chain every event (in id order) so that ``audit verify`` can check
them. The scrub runs first: the hashes cover the scrubbed content."""

from typing import Any

from django.db import migrations

from commissioning.audit.hashing import GENESIS, content_of, event_hash
from commissioning.audit.privacy import scrub

# What the user admin now withholds (UserAdmin.audit_private): withheld in old events too.
PRIVATE_USER_FIELDS = {"email", "first_name", "last_name"}


def scrub_and_chain(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS
    batch: list[Any] = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        event.actor_label = scrub(event.actor_label)
        event.target_label = scrub(event.target_label)
        event.changes = scrub(event.changes)
        if event.target_type == "accounts.User" and isinstance(event.changes, dict):
            for name in PRIVATE_USER_FIELDS & set(event.changes):
                event.changes[name] = {"from": "(not recorded)", "to": "(not recorded)"}
        event.previous_hash = previous
        event.entry_hash = previous = event_hash(previous, content_of(event))
        batch.append(event)
        if len(batch) == 2000:
            _save(AuditEvent, batch)
    _save(AuditEvent, batch)


def _save(model: Any, batch: list[Any]) -> None:
    fields = ["actor_label", "target_label", "changes", "previous_hash", "entry_hash"]
    model.objects.bulk_update(batch, fields, batch_size=500)
    batch.clear()


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]

    operations = [migrations.RunPython(scrub_and_chain, migrations.RunPython.noop)]
