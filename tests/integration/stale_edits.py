"""A shared check for "no lost updates" (issue 13): two people open the same edit page, the
second saves, and the first's save — made from the version before — is refused with 409, saying
who changed what, with the form kept as typed and nothing overwritten.

The edit form is submitted as the page shows it (every field's shown value, read from the HTML),
with only the named fields changed, so a test names just what each person types."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from typing import Any

from django.test import Client

REFUSAL = "Someone changed this after you started editing, so nothing was saved"


class _EditForm(HTMLParser):
    """The fields of the page's form that carries a ``version``, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.setdefault(name, []).append(found.get("value", default))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = found.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in found:
                self._form.setdefault(self._select, []).append(value)
                self._select_chosen = True

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
            if self._form is not None:
                for name, values in self._form.items():
                    if values and values[-1].startswith("\n"):
                        self._form[name][-1] = values[-1][1:]
        elif tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "form":
            self._form = None


def shown_form(client: Client, url: str) -> dict[str, list[str]]:
    """The edit form on ``url`` as ``client`` sees it, with its version."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _EditForm()
    parser.feed(response.content.decode())
    versioned = [form for form in parser.forms if "version" in form]
    assert versioned, f"the edit form on {url} carries the record's version"
    assert versioned[0]["version"][0], "the version is set"
    return versioned[0]


def _problems(page: str) -> str:
    """The error messages on a page, for a failing check's message."""
    return (
        " | ".join(
            [
                re.sub(r"<[^>]+>", "", m).strip()
                for m in re.findall(r"govuk-error-message[^>]*>(.*?)</p>", page, re.S)
            ]
        )
        or page[-2000:]
    )


def _typed(form: dict[str, list[str]], changes: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = dict(form)
    data.update(changes)
    return data


def assert_stale_edit_refused(
    url: str,
    first: Client,
    second: Client,
    *,
    typed_first: Mapping[str, Any],
    typed_second: Mapping[str, Any],
    saved: Callable[[], Any],
    shows: str,
) -> str:
    """Both open ``url``; ``second`` saves ``typed_second`` (accepted), then ``first`` saves
    ``typed_first`` from the older version: refused with 409 naming the change (``shows``: a
    value ``second`` typed), the first's typing kept on the form, and ``saved()`` (the stored
    value) still what ``second`` saved. Returns the refusal page."""
    opened_by_first = shown_form(first, url)
    opened_by_second = shown_form(second, url)
    accepted = second.post(url, _typed(opened_by_second, typed_second))
    assert accepted.status_code == 302, _problems(accepted.content.decode())
    kept = saved()

    refused = first.post(url, _typed(opened_by_first, typed_first))

    page = refused.content.decode()
    assert refused.status_code == 409, _problems(page)
    assert REFUSAL in page
    assert shows in page, page[page.index(REFUSAL) : page.index(REFUSAL) + 600]
    for value in typed_first.values():
        if isinstance(value, str) and value:
            assert value in page, "the form is kept as typed"
    assert saved() == kept, "nothing was overwritten"
    return page
