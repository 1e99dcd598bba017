"""Reference test on the Rossi et al. recidivism data (OUT-1: time to first arrest after
release from prison, 432 men followed for 52 weeks; tests/data/rossi/README.md).

Published values: Fox & Weisberg, "Cox Proportional-Hazards Regression for Survival Data in R"
(appendix to *An R Companion to Applied Regression*), R ``coxph(Surv(week, arrest) ~ fin +
age + race + wexp + mar + paro + prio, ties = "efron")`` and ``survdiff(Surv(week, arrest) ~
fin)``; every number here was also reproduced with lifelines 0.30.3 (``CoxPHFitter`` on
``load_rossi()``, ``logrank_test``, ``KaplanMeierFitter``). Tolerances are the published
precision.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from commissioning_analytics.outcomes.cox import fit_cox
from commissioning_analytics.outcomes.survival import kaplan_meier, logrank_test

ROSSI = Path(__file__).resolve().parents[1] / "data" / "rossi" / "rossi.csv"
COVARIATES = ("fin", "age", "race", "wexp", "mar", "paro", "prio")

# covariate: (coef, se, p), Efron ties: lifelines 0.30.3 rounded to 5 decimals, which agree
# with R's coxph output as printed by Fox & Weisberg (coef and se to 4 decimals).
PUBLISHED = {
    "fin": (-0.37942, 0.19138, 0.04742),
    "age": (-0.05744, 0.02200, 0.00903),
    "race": (0.31390, 0.30799, 0.30812),
    "wexp": (-0.14980, 0.21222, 0.48029),
    "mar": (-0.43370, 0.38187, 0.25606),
    "paro": (-0.08487, 0.19576, 0.66461),
    "prio": (0.09150, 0.02865, 0.00140),
}


@pytest.fixture(scope="module")
def rossi() -> pd.DataFrame:
    frame = pd.read_csv(ROSSI)
    assert frame.shape == (432, 9)
    assert int(frame["arrest"].sum()) == 114
    return frame


def test_cox_with_all_seven_covariates_matches_the_published_fit(rossi: pd.DataFrame) -> None:
    fit = fit_cox(
        rossi[list(COVARIATES)].to_numpy(float),
        rossi["week"].to_numpy(float),
        rossi["arrest"].to_numpy(float),
        names=COVARIATES,
    )
    assert fit.converged and fit.warnings == ()
    # The headline numbers named in the brief, with their explicit tolerances.
    fin = COVARIATES.index("fin")
    assert fit.coefficients[fin] == pytest.approx(-0.379, abs=0.001)
    assert fit.standard_errors[fin] == pytest.approx(0.191, abs=0.001)
    assert fit.p_values[fin] == pytest.approx(0.047, abs=0.002)
    assert fit.hazard_ratios[fin] == pytest.approx(0.684, abs=0.001)  # exp(coef)
    for i, name in enumerate(COVARIATES):
        coef, se, p = PUBLISHED[name]
        assert fit.coefficients[i] == pytest.approx(coef, abs=5e-5), name
        assert fit.standard_errors[i] == pytest.approx(se, abs=5e-5), name
        assert fit.p_values[i] == pytest.approx(p, abs=5e-5), name
    # "Likelihood ratio test = 33.27 on 7 df"; lifelines: log-likelihood −658.75.
    assert fit.likelihood_ratio == pytest.approx(33.27, abs=0.005)
    assert fit.log_likelihood == pytest.approx(-658.748, abs=0.001)
    # exp(coef) 95% interval for fin: 0.470 to 0.996 (lifelines).
    assert fit.hr_ci_low[fin] == pytest.approx(0.470, abs=0.001)
    assert fit.hr_ci_high[fin] == pytest.approx(0.996, abs=0.001)


def test_log_rank_by_financial_aid_matches_survdiff(rossi: pd.DataFrame) -> None:
    """survdiff: fin=0 N 216, observed 66, expected 55.6; fin=1 N 216, observed 48, expected
    58.4; chi-square 3.8 on 1 df, p = 0.05 (lifelines: 3.8376, p = 0.0501)."""
    no_aid, aid = rossi[rossi["fin"] == 0], rossi[rossi["fin"] == 1]
    result = logrank_test(
        no_aid["week"].to_numpy(float), no_aid["arrest"].to_numpy(float),
        aid["week"].to_numpy(float), aid["arrest"].to_numpy(float),
    )  # fmt: skip
    assert result.observed == (66.0, 48.0)
    assert result.expected[0] == pytest.approx(55.6, abs=0.05)
    assert result.expected[1] == pytest.approx(58.4, abs=0.05)
    assert result.statistic == pytest.approx(3.8, abs=0.05)
    assert result.statistic == pytest.approx(3.8376, abs=1e-4)
    assert result.p_value == pytest.approx(0.05, abs=0.001)


@pytest.mark.parametrize(
    ("fin", "survival", "low", "high"),
    [(0, 150 / 216, 0.6283, 0.7512), (1, 168 / 216, 0.7162, 0.8276)],
)
def test_kaplan_meier_at_52_weeks(
    rossi: pd.DataFrame, fin: int, survival: float, low: float, high: float
) -> None:
    """No one is censored before week 52, so S(52) is the share never arrested: 150/216 =
    0.6944 without aid and 168/216 = 0.7778 with it; log(−log) 95% intervals from lifelines."""
    group = rossi[rossi["fin"] == fin]
    km = kaplan_meier(group["week"].to_numpy(float), group["arrest"].to_numpy(float))
    assert km.at(52) == pytest.approx(survival, abs=1e-12)
    assert km.ci_low[-1] == pytest.approx(low, abs=1e-4)
    assert km.ci_high[-1] == pytest.approx(high, abs=1e-4)
    assert km.median == np.inf  # fewer than half are arrested within the year
