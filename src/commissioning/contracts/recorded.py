"""Where a contract's recorded referral steps come from (PBR-1, PBR-3, REF-1).

Referrals are recorded by an app above contracts in the layers (docs/architecture.md), so
contracts cannot read them. That app registers a source here when it starts
(:meth:`commissioning.referrals.apps.ReferralsConfig.ready`), the way features register their
health checks with the kernel; the payment statement asks :func:`recorded_steps`. With no
source registered, or none that has records for the contract, the statement is computed from
the imported observed data alone.
"""

from __future__ import annotations

from collections.abc import Callable

from commissioning.contracts.models import Contract
from commissioning_analytics.payments.recorded import RecordedStep

StepSource = Callable[[Contract], list[RecordedStep] | None]
"""A contract's recorded steps that may earn a volume fee, or ``None`` when it has no records
at all (its volumes then stay as imported)."""

_sources: list[StepSource] = []


def register(source: StepSource) -> None:
    if source not in _sources:
        _sources.append(source)


def recorded_steps(contract: Contract) -> list[RecordedStep] | None:
    """Every registered source's steps for ``contract``; ``None`` when none has records."""
    found: list[RecordedStep] | None = None
    for source in _sources:
        steps = source(contract)
        if steps is not None:
            found = [*(found or []), *steps]
    return found
