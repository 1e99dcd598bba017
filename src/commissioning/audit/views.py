"""The audit trail page for site administrators: every recorded change, who made it and when
(the record that PRO-3's timeline changes and EVA-5's scores need)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commissioning import permissions
from commissioning.audit import services
from commissioning.audit.forms import AuditFilterForm
from commissioning.audit.models import AuditEvent
from commissioning.kernel.pagination import paginate


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Every audit event, newest first, filtered by record type, action and who."""
    if not permissions.can_view_audit(request.user):
        raise PermissionDenied("Only site administrators can see the audit trail.")
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = services.filter_events(
        events,
        target_type=filters.get("target_type", ""),
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
    )
    context = paginate(request, events.order_by("-occurred_at", "-id"))
    rows = [
        {
            "event": event,
            "action": services.action_label(event.action),
            "target_type": services.target_type_label(event.target_type),
            "changes": services.describe_changes(event.changes),
        }
        for event in context["page_obj"].object_list
    ]
    context.update(
        {
            "form": form,
            "rows": rows,
            "filtered": bool(filters and any(filters.values())),
            "crumbs": [("Audit trail", None)],
        }
    )
    return render(request, "audit/list.html", context)
