"""A synthetic national extract and a provider cohort drawn from it (OUT-1), for the tests and
the demo of the data steward's journey: the steward loads ``people`` and ``offences`` (identified
by a raw-looking ``pnc_id``, which the platform pseudonymises on arrival), and a provider uploads
``cohort`` (``pnc_id`` and ``index_date``) naming some of the extract's people and a few it does
not hold. Everything is generated from the seed; nobody in it is real.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from commissioning_analytics.outcomes_synthetic.people import generate_people, stream

IDENTIFIER = "pnc_id"
ID_PREFIX = "SYNPNC"
"""Synthetic identifiers look like ``SYNPNC0000042``; the prefix says they are made up."""
UNKNOWN_PREFIX = "SYNPNX"


@dataclass(frozen=True)
class SyntheticExtract:
    people: pd.DataFrame
    offences: pd.DataFrame
    cohort: pd.DataFrame


def generate_extract(seed: int, n: int, cohort_size: int, unknown: int = 0) -> SyntheticExtract:
    """An extract of ``n`` people and their offences, and a cohort of ``cohort_size`` of them
    (drawn more often among higher risk scores, as services are) plus ``unknown`` people the
    extract does not hold."""
    if not 0 < cohort_size <= n:
        raise ValueError("the cohort must have between 1 and n people")
    drawn = generate_people(seed, n, id_prefix=ID_PREFIX)
    people = drawn.people.rename(columns={"person_id": IDENTIFIER})
    offences = drawn.offences.rename(columns={"person_id": IDENTIFIER})
    rng = stream(seed, 3)
    weight = people["ogrs_score"].to_numpy(dtype=np.float64) + 10.0
    chosen = np.sort(rng.choice(n, size=cohort_size, replace=False, p=weight / weight.sum()))
    cohort = people.loc[chosen, [IDENTIFIER, "index_date"]].reset_index(drop=True)
    if unknown:
        numbers = np.char.zfill(np.arange(1, unknown + 1).astype(str), 7)
        extra = pd.DataFrame(
            {
                IDENTIFIER: np.char.add(UNKNOWN_PREFIX, numbers),
                "index_date": np.resize(cohort["index_date"].to_numpy(), unknown),
            }
        )
        cohort = pd.concat([cohort, extra], ignore_index=True)
    return SyntheticExtract(people, offences, cohort)
