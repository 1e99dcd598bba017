"""Does a question's published wording name someone on the platform? (PRO-4)

A question is published without its asker unless the asker chose to be named. The commissioner
writes the published wording; before it goes out they are warned of every organisation or
person registered on the platform that it still names (the asker's own names first), and it is
published only once they confirm those names may stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from commissioning.accounts.models import User
from commissioning.clarifications.models import Question
from commissioning.directory.models import Organisation

MIN_NAME_LENGTH = 4
"""Shorter names (initials, "Ltd") would match ordinary words."""


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def names_in(text: str, candidates: Iterable[str]) -> list[str]:
    """The candidate names that ``text`` contains as whole words (case and spacing ignored), in
    the order given, each once."""
    haystack = _normalised(text)
    found: list[str] = []
    seen: set[str] = set()
    for name in candidates:
        needle = _normalised(name)
        if len(needle) < MIN_NAME_LENGTH or needle in seen or needle not in haystack:
            continue
        if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack):
            seen.add(needle)
            found.append(name.strip())
    return found


def _asker_names(question: Question) -> list[str]:
    names: list[str] = []
    if question.asker_organisation is not None:
        names.append(question.asker_organisation.name)
    person = question.asked_by
    if person is not None:
        names += [person.get_full_name(), person.email, person.get_username()]
    return names


def _registered_names(question: Question) -> Iterable[str]:
    """Every organisation but the opportunity's own commissioning body (naming the buyer gives no
    asker away), then every person with a full name."""
    body_id = question.opportunity.exercise.commissioning_body_id
    yield from (
        Organisation.objects.exclude(pk=body_id).order_by("name").values_list("name", flat=True)
    )
    for first, last in (
        User.objects.exclude(first_name="")
        .exclude(last_name="")
        .order_by("last_name", "first_name")
        .values_list("first_name", "last_name")
        .iterator()
    ):
        yield f"{first} {last}"


def registered_names(question: Question, wording: str) -> list[str]:
    """The names of registered organisations and people that ``wording`` contains: those of the
    asker and their organisation first."""
    return names_in(wording, [*_asker_names(question), *_registered_names(question)])
