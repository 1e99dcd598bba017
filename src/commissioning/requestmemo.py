"""What a request has read already, kept for the rest of that request (issue 21, speed).

A page asks the database the same question more than once: its access check asks whether the
person is an approved member of an organisation, then its menu asks which organisations they
belong to. :func:`remembered` lets the second answer come from the first read.

An answer is kept only

* inside a request (:class:`RequestMemoMiddleware` opens the memo and drops it when the
  response is made): the command line, tasks and services called directly read every time;
* until the request writes: every statement on a connection but a plain ``SELECT`` empties the
  memo, so nothing read before a change is used after it;
* when read outside any transaction the request opened: a read inside one may see a write that
  is then rolled back, and is not kept.

So an answer is never older than the request itself, and never one the database did not keep.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")


class _Memo:
    def __init__(self, depth: int) -> None:
        self.answers: dict[Hashable, Any] = {}
        #: Transactions open when the request began (the test suite's own, for one).
        self.depth = depth


_current: ContextVar[_Memo | None] = ContextVar("request_memo", default=None)

#: A statement that may only read: any other empties the memo (a write, a ``WITH … UPDATE``,
#: ``TRUNCATE``, or one that starts with a comment).
_READS = ("SELECT",)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``'s answer, or the answer it gave earlier in this request under ``key``."""
    memo = _current.get()
    if (
        memo is None
        or len(connection.atomic_blocks) > memo.depth
        or _forget_on_write not in connection.execute_wrappers
    ):
        return read()
    if key not in memo.answers:
        memo.answers[key] = read()
    answer: T = memo.answers[key]
    return answer


def forget() -> None:
    """Drop every answer this request has kept."""
    memo = _current.get()
    if memo is not None:
        memo.answers.clear()


class RequestMemoMiddleware:
    """Opens a memo for each request and drops it with the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(_Memo(len(connection.atomic_blocks)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def _forget_on_write(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
    try:
        return execute(sql, params, many, context)
    finally:
        if not (isinstance(sql, str) and sql.lstrip()[:6].upper() in _READS):
            forget()


def _install(sender: Any = None, connection: Any = None, **_: Any) -> None:
    if connection is not None and _forget_on_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_forget_on_write)


def connect_signals() -> None:
    """Watch every database connection's writes (see the module's docstring)."""
    connection_created.connect(_install, dispatch_uid="requestmemo-writes")
