"""Words that depend on a number, said one way everywhere (issue 11 item 23).

``counted(7, "unread notification")`` is "7 unread notifications"; ``counted(1, "person",
"people")`` is "1 person". Templates use the same rule as the builtin filter ``|counted``
(``{{ total|counted:"organisation" }}``, ``{{ n|counted:"opportunity,opportunities" }}``).
Counts are whole numbers with thousands separators; a lazily computed count (the header's
unread count) is evaluated first, which Django's ``|pluralize`` silently failed to do.
"""

from __future__ import annotations

from typing import Any


def as_count(value: Any) -> int:
    """The whole number ``value`` stands for, including a lazy object wrapping one."""
    if isinstance(value, bool):
        raise TypeError("a count cannot be True or False")
    try:
        return int(value)
    except TypeError:
        # SimpleLazyObject and friends proxy str() but not int().
        return int(str(value))


def form_for(value: Any, singular: str, plural: str = "") -> str:
    """The form of a word (noun or verb) that agrees with the count ``value``."""
    try:
        count = as_count(value)
    except (TypeError, ValueError):
        count = None
    return singular if count == 1 else (plural or f"{singular}s")


def counted(value: Any, singular: str, plural: str = "") -> str:
    """``"<n> <noun>"`` with the noun in the form the number needs (plural: singular + "s")."""
    try:
        number = f"{as_count(value):,}"
    except (TypeError, ValueError):
        number = str(value)  # not a count: shown as it is rather than failing the page
    return f"{number} {form_for(value, singular, plural)}"
