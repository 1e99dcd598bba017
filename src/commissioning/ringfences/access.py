"""Who may earmark money and say what was spent from it (CYC-5, ADR 0007). Every ring-fence
is public with its spend; only the commissioners of the body whose money it is (or a site
administrator) create one, charge invoices to it and count grant rounds against it, and only
they see the warning when it is under-spent."""

from __future__ import annotations

from commissioning import permissions
from commissioning.directory.models import Organisation
from commissioning.ringfences.models import RingFence


def can_manage_for(user: permissions.Visitor, body: Organisation) -> bool:
    return permissions.is_site_admin(user) or permissions.is_commissioner_of(user, body.pk)


def can_manage(user: permissions.Visitor, ring_fence: RingFence) -> bool:
    return permissions.is_site_admin(user) or permissions.is_commissioner_of(
        user, ring_fence.commissioning_body_id
    )
