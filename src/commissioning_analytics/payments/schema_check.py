"""JSON Schema validation (Draft 2020-12) with messages that name the field's path."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from commissioning_analytics.payments.errors import FieldError, field_path


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in this package, e.g. ``"mechanism"`` → ``schema/mechanism.schema.json``."""
    text = resources.files(__package__).joinpath("schema", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _message(error: ValidationError) -> tuple[str, str]:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return field_path([*path, missing]), "is required"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = (
            set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        )
        unknown = sorted(k for k in error.instance if k not in allowed)
        names = ", ".join(unknown)
        return field_path(path), f"has unknown field(s) {names}; see docs/payments.md"
    custom = _x_error(error)
    if "propertyNames" in error.schema_path:
        return field_path(path), f"has a key {error.instance!r} that {custom or 'is not allowed'}"
    if custom:
        return field_path(path), custom
    if error.validator == "type":
        return field_path(path), f"must be of type {error.validator_value}"
    if error.validator == "minItems":
        return field_path(path), f"must have at least {error.validator_value} item(s)"
    return field_path(path), str(error.message)


def _x_error(error: ValidationError) -> str | None:
    for candidate in (error.schema, *(e.schema for e in (error.context or ()))):
        if isinstance(candidate, dict) and "x-error" in candidate:
            return str(candidate["x-error"])
    return None


def schema_errors(name: str, document: object) -> list[FieldError]:
    """Every schema problem in ``document``, in document order, one per field."""
    seen: dict[str, str] = {}
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(map(str, e.path)))
    for error in errors:
        path, message = _message(error)
        seen.setdefault(path, message)
    return [FieldError(path, message) for path, message in seen.items()]
