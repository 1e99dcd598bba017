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
VersionSource = Callable[[Contract], str]
"""A short text that changes whenever a contract's records that a source reads change (a new or
removed step, a referral updated): what cached statements are keyed by."""
"""A contract's recorded steps that may earn a volume fee, or ``None`` when it has no records
at all (its volumes then stay as imported)."""

_sources: list[StepSource] = []
_versions: list[VersionSource] = []


def register(source: StepSource, version: VersionSource | None = None) -> None:
    if source not in _sources:
        _sources.append(source)
    if version is not None and version not in _versions:
        _versions.append(version)


def recorded_steps(contract: Contract) -> list[RecordedStep] | None:
    """Every registered source's steps for ``contract``; ``None`` when none has records."""
    found: list[RecordedStep] | None = None
    for source in _sources:
        steps = source(contract)
        if steps is not None:
            found = [*(found or []), *steps]
    return found


def records_version(contract: Contract) -> str:
    """Every registered source's version of ``contract``'s records, joined: a cached statement
    keyed by it is never read after the records changed."""
    return "/".join(version(contract) for version in _versions)
