"""One shape for every 4xx error of the JSON API: ``{"detail": ..., "errors": {field: [...]}}``.

Endpoints return :func:`error` (or raise PermissionDenied / Django's ValidationError from a
service, which :mod:`commissioning.api.urls` turns into 403 / 400 with :func:`validation_errors`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema, Status

INVALID = "Some of the values are not valid: see errors."

ERRORS_DOC = (
    'Every error (4xx) is JSON: `{"detail": "...", "errors": {"field": ["message"]}}`. '
    "A request body must be a JSON object in UTF-8; text with a NUL character or a lone "
    "surrogate is refused (422), as the web forms refuse it. Creating writes take an optional "
    "`Idempotency-Key` header: a repeat with the same key answers with the first result. "
    "More than 60 writes a minute from one person or address answer 429 (`Retry-After`)."
)


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages for each input field that was not valid."
    )


#: The error responses of an endpoint that needs a signed-in session.
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def error(status: int, detail: str, errors: dict[str, list[str]] | None = None) -> Status[Any]:
    return Status(status, {"detail": detail, "errors": errors or {}})


def validation_errors(exc: ValidationError) -> dict[str, Any]:
    """A service's ValidationError as ``{"detail", "errors"}``: field errors keyed by field,
    anything else under ``__all__``."""
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()), [INVALID])
    detail = first[0] if len(errors) == 1 and len(first) == 1 else INVALID
    return {"detail": detail, "errors": errors}
