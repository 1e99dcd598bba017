"""Validation errors that name the field they are about (PBR-1: clear, nothing half-valid)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def field_path(parts: Iterable[str | int]) -> str:
    """``["outcome_payments", 0, "tariff"]`` → ``"outcome_payments[0].tariff"``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


@dataclass(frozen=True)
class FieldError:
    """One problem in a document: the field's path and what is wrong with it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class PaymentsFormatError(ValueError):
    """A mechanism or observed-data document is not valid; ``errors`` lists every problem found."""

    def __init__(self, what: str, errors: Sequence[FieldError]) -> None:
        self.what = what
        self.errors = tuple(errors)
        lines = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"{what} is not valid ({len(self.errors)} problem(s)):\n{lines}")
