"""Reference test (OUT-1) on data nobody here wrote: LaLonde's National Supported Work
experiment, Dehejia–Wahba sample, as shipped in the PyPI package ``causaldata``
(``nsw_mixtape``: the experiment; ``cps_mixtape``: the CPS observational comparison group).

The experimental effect of the programme on 1978 earnings is $1,794. The naive comparison of
NSW participants with the CPS is about −$8,498. Dehejia & Wahba (1999, 2002) showed that
nearest-neighbour propensity-score matching on their specification (age, education, their
squares, race, marriage, no degree, 1974/75 earnings, their squares, zero-earnings indicators,
education × 1974 earnings) brings the observational estimate back near the experimental one.

Tolerances: the estimate within $700 of $1,794 and its 95% interval covering $1,794.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from commissioning_analytics.outcomes.evaluation import evaluate
from commissioning_analytics.outcomes.io import PeopleTable

causaldata = pytest.importorskip("causaldata")

EXPERIMENTAL = 1794.0
TOLERANCE = 700.0
COVARIATES = [
    "age",
    "age2",
    "educ",
    "educ2",
    "marr",
    "nodegree",
    "black",
    "hisp",
    "re74k",
    "re75k",
    "re74k2",
    "re75k2",
    "u74",
    "u75",
    "educ_re74",
]


def _table(name: str, frame: Any) -> PeopleTable:
    f = {c: frame[c].to_numpy(float) for c in ["age", "educ", "black", "hisp", "marr"]}
    f["nodegree"] = frame["nodegree"].to_numpy(float)
    f["age2"], f["educ2"] = f["age"] ** 2, f["educ"] ** 2
    f["re74k"] = frame["re74"].to_numpy(float) / 1000
    f["re75k"] = frame["re75"].to_numpy(float) / 1000
    f["re74k2"], f["re75k2"] = f["re74k"] ** 2, f["re75k"] ** 2
    f["u74"], f["u75"] = (f["re74k"] == 0).astype(float), (f["re75k"] == 0).astype(float)
    f["educ_re74"] = f["educ"] * f["re74k"]
    f["re78"] = frame["re78"].to_numpy(float)
    return PeopleTable(name, len(frame), f, {})


@pytest.fixture(scope="module")
def data() -> tuple[PeopleTable, PeopleTable, PeopleTable]:
    nsw = causaldata.nsw_mixtape.load_pandas().data
    cps = causaldata.cps_mixtape.load_pandas().data
    return (
        _table("nsw_treated", nsw[nsw.treat == 1]),
        _table("nsw_control", nsw[nsw.treat == 0]),
        _table("cps", cps),
    )


def test_the_data_give_the_published_benchmarks(
    data: tuple[PeopleTable, PeopleTable, PeopleTable],
) -> None:
    treated, control, cps = data
    earnings = treated.numbers["re78"].mean()
    assert earnings - control.numbers["re78"].mean() == pytest.approx(EXPERIMENTAL, abs=1)
    assert earnings - cps.numbers["re78"].mean() == pytest.approx(-8498, abs=1)


@pytest.mark.parametrize(("replace", "caliper"), [(True, 0.2), (True, None), (False, None)])
def test_matching_on_the_cps_recovers_the_experimental_effect(
    data: tuple[PeopleTable, PeopleTable, PeopleTable], replace: bool, caliper: float | None
) -> None:
    treated, _, cps = data
    result = evaluate(
        treated, cps, outcome="re78", covariates=COVARIATES, replace=replace, caliper=caliper
    )
    effect = result.effect
    assert result.fit.converged
    assert not any("separation" in w for w in result.warnings)
    assert effect.effect == pytest.approx(EXPERIMENTAL, abs=TOLERANCE)
    assert effect.ci_low < EXPERIMENTAL < effect.ci_high
    assert not effect.binary
    smd_after = np.array([abs(b.smd_after) for b in result.balance.covariates])
    smd_before = np.array([abs(b.smd_before) for b in result.balance.covariates])
    assert smd_before.max() > 1.0  # the CPS is very unlike the NSW participants
    if replace:  # without replacement, greedy matching leaves u74/u75 at |SMD| ≈ 0.2–0.26
        assert smd_after.max() <= 0.1
