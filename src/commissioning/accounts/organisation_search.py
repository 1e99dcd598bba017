"""Choosing an organisation out of the whole directory without sending the whole directory.

The bid's sub-contractor picker was a <select> of about 1,800 organisations (188 KB, 1-1.5 s to
render) and the exercise form 160 partner and 55 area checkboxes (issue 11 item 21). Now:

* :class:`OrganisationChoiceField` is a text box. Without JavaScript you type a name and submit:
  an exact name (or slug) is taken, otherwise the page comes back with the organisations whose
  names contain what you typed as radios to choose from ("search, then choose"). With JavaScript
  GOV.UK's accessible autocomplete (frontend/js/app.mjs) suggests names from
  :func:`suggest` as you type. Either way only the right set is offered: providers for a
  sub-contractor, public bodies for a joint-commissioning partner.
* Several at once (partners, areas) are chosen with the kernel's
  :class:`commissioning.kernel.widgets.ChooseSeveral`, from :func:`public_bodies` or another set.

The names come from the directory and the providers' set from accounts, so this lives in accounts,
above both; the suggestions page (``web:organisation-suggest``) is the web app's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse

from commissioning.accounts.services import provider_organisations
from commissioning.directory.models import Organisation

SUGGESTIONS = 10
"""How many names the autocomplete shows for what has been typed."""
MATCHES = 20
"""How many matching organisations the no-JavaScript page offers to choose from."""


def public_bodies() -> QuerySet[Organisation]:
    """Public bodies (health, police, local authority, commissioners): possible partners."""
    return Organisation.objects.filter(org_type=Organisation.OrgType.PUBLIC_SECTOR)


ORGANISATION_SETS: dict[str, Callable[[], QuerySet[Organisation]]] = {
    "providers": provider_organisations,
    "public-bodies": public_bodies,
}


def matching(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations whose name contains ``query``: names that start with it first, then A-Z."""
    term = " ".join(query.split())
    return (
        queryset.filter(name__icontains=term)
        .annotate(
            starts=Case(
                When(name__istartswith=term, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "name", "pk")
    )


def suggest(set_name: str, query: str, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """Names for the autocomplete; nothing for fewer than 2 characters or an unknown set."""
    if set_name not in ORGANISATION_SETS or len(query.strip()) < 2:
        return []
    found = matching(ORGANISATION_SETS[set_name](), query)[:limit]
    return [{"name": o.name, "slug": o.slug} for o in found]


class OrganisationSearchInput(forms.TextInput):
    """A text box for a name, with the organisations matching it as radios after a search."""

    template_name = "accounts/widgets/organisation_search.html"
    CHOICE_SUFFIX = "__choice"

    def __init__(self, set_name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.set_name = set_name
        self.matches: list[Organisation] = []
        self.more_matches = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # A radio chosen from the matches wins over the text typed before the search.
        return data.get(name + self.CHOICE_SUFFIX) or data.get(name)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Organisation):
            return value.name
        found = ORGANISATION_SETS[self.set_name]().filter(slug=value).first() if value else None
        return found.name if found else super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"]["data-module"] = "app-organisation-search"
        widget["attrs"]["data-source"] = (
            reverse("web:organisation-suggest") + f"?set={self.set_name}"
        )
        widget["choice_name"] = name + self.CHOICE_SUFFIX
        widget["matches"] = self.matches
        widget["more_matches"] = self.more_matches
        return context


class OrganisationChoiceField(forms.ModelChoiceField):
    """One organisation of a set, found by name (or slug, which the API sends)."""

    widget: OrganisationSearchInput

    def __init__(self, set_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", ORGANISATION_SETS[set_name]())
        super().__init__(to_field_name="slug", widget=OrganisationSearchInput(set_name), **kwargs)
        self.error_messages.setdefault(
            "no_match", "No name matches “%(query)s”: check the spelling, or enter part of the name"
        )
        self.error_messages.setdefault("choose", "Choose the organisation you mean from the list")

    def offered(self) -> QuerySet[Organisation]:
        """The organisations this field may take (the set, narrowed by the form if it needs)."""
        assert self.queryset is not None
        return cast("QuerySet[Organisation]", self.queryset)

    def to_python(self, value: Any) -> Organisation | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Organisation):
            value = value.slug
        query = " ".join(str(value).split())
        offered = self.offered()
        exact = offered.filter(slug=query) or offered.filter(name__iexact=query)
        if len(exact) == 1:
            return exact[0]
        found = list(exact) or list(matching(offered, query)[: MATCHES + 1])
        if not found:
            raise ValidationError(
                self.error_messages["no_match"], code="no_match", params={"query": query}
            )
        self.widget.matches = found[:MATCHES]
        self.widget.more_matches = len(found) > MATCHES
        raise ValidationError(self.error_messages["choose"], code="choose")
