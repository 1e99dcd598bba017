"""One gate for every JSON request body (and query string, and path) of the API, before any
endpoint sees it.

The web forms only ever receive text fields; a JSON body can be anything. So every body is read
here (django-ninja's parser, set on the API in :mod:`commissioning.api.urls`) and refused unless
it is strict UTF-8 JSON whose top level is an object, without NaN or Infinity, and whose text
holds no NUL character and no lone surrogate — what the forms refuse (Django's
``ProhibitNullCharactersValidator``) or what cannot be stored. A refusal is in the one error
shape (:mod:`commissioning.api.errors`): 400 when the body cannot be read at all (not UTF-8, not
JSON), 422 when it can but is not acceptable, like any other invalid value — naming the field,
or ``__all__`` for the body as a whole. A query parameter with such text is a 400 naming it, as
the filter forms refuse it; a path with it names nothing, so it is a 404 (PostgreSQL cannot even
compare a NUL).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser
from ninja.types import DictStrAny

NOT_AN_OBJECT = 'Send a JSON object, such as {"field": "value"}.'
NOT_JSON = "The request body is not valid JSON."
NOT_UTF8 = "The request body is not valid UTF-8 text."
NULL_CHARACTER = "Null characters are not allowed."  # the forms' own message
LONE_SURROGATE = "Contains a character that is not valid Unicode (a lone surrogate)."
NOT_A_NUMBER = "Numbers must be finite: NaN and Infinity are not allowed."


class BodyRefused(Exception):
    """Why a body or a query string was refused: ``status``, ``detail`` and ``errors``."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}


def unacceptable(detail: str) -> BodyRefused:
    """A readable body that is not acceptable as a whole (422)."""
    return BodyRefused(422, detail, {"__all__": [detail]})


def _refuse_constant(name: str) -> Any:
    raise unacceptable(NOT_A_NUMBER)


def text_problem(text: str) -> str | None:
    """What is wrong with a piece of text that the forms would refuse or the database cannot
    store, or None."""
    if "\x00" in text:
        return NULL_CHARACTER
    if any("\ud800" <= character <= "\udfff" for character in text):
        return LONE_SURROGATE
    return None


def _text_problems(value: Any, path: tuple[str, ...], found: dict[str, list[str]]) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            found.setdefault(".".join(path) or "__all__", []).append(problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key)
            if problem:
                found.setdefault(".".join(path) or "__all__", []).append(problem)
                continue
            _text_problems(item, (*path, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _text_problems(item, (*path, str(index)), found)


def parse_object(raw: bytes) -> DictStrAny:
    """The body as a dict, or :class:`BodyRefused` saying why not."""
    try:
        text = raw.decode("utf-8")  # strict: no surrogates smuggled in as UTF-8 bytes
    except UnicodeDecodeError:
        raise BodyRefused(400, NOT_UTF8) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except BodyRefused:
        raise
    except (ValueError, RecursionError):
        raise BodyRefused(400, NOT_JSON) from None
    if not isinstance(data, dict):
        raise unacceptable(NOT_AN_OBJECT)
    problems: dict[str, list[str]] = {}
    _text_problems(data, (), problems)
    if problems:
        first = next(iter(problems.values()))[0]
        detail = first if len(problems) == 1 else "Some of the values are not valid: see errors."
        raise BodyRefused(422, detail, problems)
    return cast(DictStrAny, data)


class StrictJSONParser(Parser):
    """django-ninja's parser for every body of the API: :func:`parse_object`. Ninja turns any
    exception here into a 400 ``HttpError`` raised from it; the API's ``HttpError`` handler
    gives a :class:`BodyRefused` cause its own detail and errors."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        return parse_object(request.body)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        """Query parameters, refusing text the filter forms refuse: 400 naming the parameter,
        as an invalid filter is."""
        problems: dict[str, list[str]] = {}
        for key in data:
            for value in data.getlist(key):
                problem = text_problem(value) if isinstance(value, str) else None
                if problem:
                    problems.setdefault(key, []).append(problem)
        if problems:
            raise BodyRefused(400, "Check these fields: " + ", ".join(problems), problems)
        return super().parse_querydict(data, list_fields, request)


def refuse_unusable_path_text(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps every operation (django-ninja's "view" decorators run before anything is read): a
    path whose parameters hold a NUL or a lone surrogate names nothing — 404."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **path: Any) -> HttpResponse:
        if any(isinstance(value, str) and text_problem(value) for value in path.values()):
            return JsonResponse({"detail": "Not found", "errors": {}}, status=404)
        return run(request, *args, **path)

    return checked
