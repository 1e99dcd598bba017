"""A repeated submit creates one record (issue 11 item 25), as bid submission always has.

Where a record has a natural key (one interest per organisation and lot, one place per person at
an event, one bid per organisation and lot) the database's unique constraint is the guard. Where
it has none (a question, a message, a consultation response), the form carries a *submission
key* — a random token made when the form is shown (:class:`SubmissionKeyFormMixin`), or the API's
``Idempotency-Key`` header — stored on the record under a unique constraint scoped to its owner.

Creating services call :func:`create_once`: it returns the record an earlier submit with the
same key made, or creates one in a savepoint; when a concurrent submit wins the race, the
constraint refuses the second insert and the winner's record is returned. Either way the second
submit has the first one's result and nothing is written twice — on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

KEY_MAX_LENGTH = 64
KEY_HEADER = "Idempotency-Key"
_KEY_CHARACTERS = re.compile(r"^[A-Za-z0-9._:-]+$")
KEY_PROBLEM = (
    f"Use up to {KEY_MAX_LENGTH} letters, digits, dots, colons, hyphens or underscores "
    "(a UUID is best)."
)


def new_key() -> str:
    return uuid.uuid4().hex


def key_field() -> models.CharField[str, str]:
    return models.CharField(
        max_length=KEY_MAX_LENGTH,
        blank=True,
        default="",
        editable=False,
        help_text="The submitting form's or API call's key: a repeat with it creates nothing.",
    )


def key_constraint(scope: str, name: str) -> models.UniqueConstraint:
    """One record per ``scope`` (its owner) and non-empty submission key."""
    return models.UniqueConstraint(
        fields=[scope, "submission_key"], condition=~models.Q(submission_key=""), name=name
    )


def clean_key(key: str | None, field: str = "submission_key") -> str:
    """The key as stored ("" for none), or ValidationError naming ``field``."""
    key = (key or "").strip()
    if key and (len(key) > KEY_MAX_LENGTH or not _KEY_CHARACTERS.match(key)):
        raise ValidationError({field: KEY_PROBLEM})
    return key


def header_key(request: HttpRequest) -> str:
    """The API call's ``Idempotency-Key`` header, checked (400 naming the header if unusable)."""
    return clean_key(request.headers.get(KEY_HEADER), KEY_HEADER)


def create_once(find: Callable[[], T | None], create: Callable[[], T]) -> tuple[T, bool]:
    """``(record, created)``: ``find()`` the record an earlier submit made, else ``create()`` it
    in a savepoint; if the insert breaks a unique constraint because a concurrent submit made it
    first, that one. ``find`` returns None when there is nothing to find by (no key), so an
    IntegrityError that is not a repeat still propagates."""
    existing = find()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = find()
        if existing is None:
            raise
        return existing, False


def create_keyed(
    records: models.QuerySet[M], data: Mapping[str, Any], create: Callable[[str], M]
) -> M:
    """The record ``create(key)`` makes from a create form's ``data`` (its cleaned
    ``submission_key``, stored by ``create`` on the record), made once: a repeat with the same
    key returns the one among ``records`` (the scope of the record's key constraint) that the
    first submit made."""
    key = clean_key(data.get("submission_key"))

    def made_before() -> M | None:
        return records.filter(submission_key=key).first() if key else None

    record, _ = create_once(made_before, lambda: create(key))
    return record


def submission_key_field() -> forms.CharField:
    """A hidden field whose value is made fresh each time its form is first shown and kept when
    it is shown again with errors, so pressing submit twice (or resending the page) sends the
    same key twice."""
    return forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=KEY_MAX_LENGTH, initial=new_key
    )


class SubmissionKeyForm(forms.Form):
    """Mixed into a create form: its hidden ``submission_key`` (:func:`submission_key_field`)."""

    submission_key = submission_key_field()

    def clean_submission_key(self) -> str:
        try:
            return clean_key(self.cleaned_data.get("submission_key"))
        except ValidationError as problem:
            raise ValidationError(KEY_PROBLEM) from problem
