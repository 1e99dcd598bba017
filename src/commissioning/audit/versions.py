"""No lost updates (issue 13 item 4): an edit carries the version of the record it started
from, and a save made from a stale version is refused, saying what changed and by whom.

A record's version is the id of the last audit event about it. Every change is audited in its
own transaction (ADR 0005), so the version moves on with every saved change, needs no column in
the record's table, and the events after a stale version say exactly what changed, when and by
whom. How a form or service adopts it:

* the form mixes in :class:`VersionedFormMixin` (a hidden ``version`` field set to the record's
  current version when the page is shown);
* the service locks the record (``select_for_update``) and calls :func:`check_version` with the
  version the edit carried, before writing anything; :class:`StaleEdit` leaves the transaction
  with nothing saved;
* the view shows :attr:`StaleEdit.message` as a form error (status 409) with the form's version
  moved on, so that saving again (having looked) is a deliberate choice; the API answers 409.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.db import models

from commissioning.audit.models import AuditEvent
from commissioning.audit.services import describe_changes


def current_version(record: models.Model) -> str:
    """The id of the last audit event about ``record`` ("0" when it has none)."""
    last = (
        AuditEvent.objects.filter(target_type=record._meta.label, target_id=str(record.pk))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return str(last or 0)


class StaleEdit(Exception):
    """The record changed after the edit started; nothing was saved."""

    def __init__(self, events: list[AuditEvent], version: str) -> None:
        self.events = events
        self.version = version
        super().__init__(self.message)

    def describe(self, event: AuditEvent) -> str:
        """What ``event`` changed, as the message says it; a record whose changes need a
        shorter account (whole documents) overrides this."""
        return "; ".join(describe_changes(event.changes))

    @property
    def message(self) -> str:
        parts = []
        for event in self.events:
            when = f"{event.occurred_at:%d %B %Y at %H:%M}"
            what = self.describe(event) or "a change"
            parts.append(f"{event.actor_label or 'system'} changed it on {when} ({what})")
        return (
            "Someone changed this after you started editing, so nothing was saved: "
            + "; then ".join(parts)
            + ". Check your changes against theirs, then save again."
        )


def check_version(record: models.Model, version: str | None, actions: Collection[str] = ()) -> None:
    """Raise :class:`StaleEdit` when audit events about ``record`` came after ``version``.
    Call inside the saving transaction with the record's row locked. ``None`` or "" (an API
    client that sent no version) is not checked. ``actions``, when given, limits the check to
    those events: for a record edited in sections that are saved separately, each keeping the
    others (a bid's price and its answers), only a change to the same section is a conflict."""
    if not version:
        return
    since = int(version) if version.strip().isdigit() else 0
    events = AuditEvent.objects.filter(
        target_type=record._meta.label, target_id=str(record.pk), id__gt=since
    )
    if actions:
        events = events.filter(action__in=list(actions))
    later = list(events.order_by("id"))
    if later:
        raise StaleEdit(later, str(later[-1].pk))


def lock_and_check(record: models.Model, version: str | None) -> None:
    """Lock ``record``'s row and :func:`check_version`: the first step of a versioned save,
    inside its transaction. A record not saved yet (being added) has no version to check."""
    if record.pk is None:
        return
    type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
    check_version(record, version)


class VersionedFormMixin:
    """Adds a hidden ``version`` field carrying the edited record's version
    (:func:`current_version`); pass ``versioned=record`` to the form. Mix in before the form
    class."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    data: Any
    stale: StaleEdit | None = None

    def __init__(self, *args: Any, versioned: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        initial = ""
        if versioned is not None and versioned.pk is not None:
            initial = current_version(versioned)
        self.fields["version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=initial
        )
        layout = getattr(getattr(self, "helper", None), "layout", None)
        if layout is not None:  # a crispy layout made before the field existed
            layout.append("version")

    def edited_version(self) -> str:
        return str(self.cleaned_data.get("version") or "")

    def refuse_stale(self, error: StaleEdit) -> None:
        """Show the refusal; the next save from this form overwrites, knowingly. The page
        answers with :func:`page_status` (409)."""
        self.stale = error
        self.add_error(None, error.message)  # type: ignore[attr-defined]
        data = self.data.copy()
        data[self.add_prefix("version")] = error.version  # type: ignore[attr-defined]
        self.data = data


def page_status(form: object) -> int:
    """The status of a page showing ``form``: 409 when it shows a refused stale save."""
    return 409 if getattr(form, "stale", None) is not None else 200
