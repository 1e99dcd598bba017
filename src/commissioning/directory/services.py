"""Changing the provider directory (MKT-1): every change is one transaction with its audit record.

The web page and the API call :func:`update_organisation`; neither saves an organisation itself.
The admin audits its own changes (``AuditedModelAdmin``), comparing :data:`AUDITED_FIELDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from commissioning.audit import services as audit
from commissioning.audit.versions import check_version
from commissioning.directory.models import LED_BY_FIELDS, Organisation

# The account model through the kernel: the directory sits below accounts in the layers.
from commissioning.permissions import User

MANY_TO_MANY_FIELDS = ("areas", "specialisms", "cohorts")

EDITABLE_FIELDS = (
    "org_type",
    "description",
    "annual_income",
    "reserves_months",
    "areas",
    "specialisms",
    "cohorts",
    "involvement_methods",
    "involvement_description",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
)
"""The model fields a member may change, besides the led-by flags (``led_by`` on the form; see
:class:`~commissioning.directory.forms.OrganisationProfileForm`)."""

AUDITED_FIELDS = (
    "name",
    "slug",
    "org_type",
    "public_body_kind",
    "is_commissioning_body",
    "commissioning_tier",
    "is_prime",
    "charity_number",
    "company_number",
    "description",
    "annual_income",
    "size_band",
    "reserves_months",
    "stopped_operating_on",
    *MANY_TO_MANY_FIELDS,
    *LED_BY_FIELDS,
    "involvement_methods",
    "involvement_description",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_synthetic",
)
"""What an audit record compares before and after a change (size band included: it is derived
from income, and a change of band matters to the market reports)."""

UPDATABLE_FIELDS = frozenset((*EDITABLE_FIELDS, *LED_BY_FIELDS))


def snapshot(organisation: Organisation) -> dict[str, Any]:
    """The audited fields of ``organisation`` as stored, many-to-many values as sorted names."""
    return audit.snapshot(organisation, AUDITED_FIELDS)


def update_organisation(
    actor: User, organisation: Organisation, data: Mapping[str, Any], version: str | None = None
) -> dict[str, Any]:
    """Apply a member's validated profile changes and audit them, all in one transaction.

    ``data`` maps model field names (see :data:`UPDATABLE_FIELDS`) to new values, many-to-many
    fields to iterables of objects; usually :meth:`OrganisationProfileForm.service_data`. The row
    is locked and re-read, so the "before" of the audit diff is what was stored, whatever the form
    did to its in-memory instance. Returns the changes (empty when nothing changed, in which case
    no audit record is written). If anything fails, nothing is saved. ``version`` is the one the
    edit started from (:mod:`commissioning.audit.versions`): a later change raises
    ``StaleEdit`` and nothing is overwritten (issue 13 item 4).
    """
    unknown = set(data) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"Fields that cannot be updated: {', '.join(sorted(unknown))}")

    with transaction.atomic():
        stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_version(stored, version)
        before = snapshot(stored)
        for name, value in data.items():
            if name not in MANY_TO_MANY_FIELDS:
                setattr(stored, name, value)
        stored.save()
        for name in MANY_TO_MANY_FIELDS:
            if name in data:
                getattr(stored, name).set(list(data[name]))
        stored.refresh_from_db()  # compare stored values: 250000 and 250000.00 are no change
        changes = audit.diff(before, snapshot(stored))
        if changes:
            audit.record(actor, "update", stored, changes)

    _copy_stored_values(stored, organisation)
    return changes


def _copy_stored_values(source: Organisation, target: Organisation) -> None:
    """Let the caller's object show what was saved (it may hold unsaved form edits)."""
    if target is source:
        return
    for field in Organisation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    if hasattr(target, "_prefetched_objects_cache"):
        target._prefetched_objects_cache.clear()
