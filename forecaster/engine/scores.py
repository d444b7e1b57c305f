"""Scores and quantiles the backtest and the fit need: the CRPS of a sample, the Wilson
interval of a share, and Student's t and chi-square distribution functions.

No scipy: it would add tens of megabytes to the packaged app for three quantiles of
whole degrees of freedom, whose distribution functions have short exact closed forms
(Abramowitz & Stegun 26.7.3-4 and 26.4.4-5); the tests check them against scipy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from statistics import NormalDist
from typing import Final

import numpy as np

INTERVAL_LEVEL: Final = 0.90  # every interval in the calibration is a 90% one
MAX_DEGREES_OF_FREEDOM: Final = 1000


# --------------------------------------------------------------------------- scores


def sample_crps(draws: np.ndarray | Iterable[float], actual: float) -> float:
    """CRPS of the empirical distribution of ``draws`` at ``actual``, exact, O(n log n)."""
    x = np.sort(np.asarray(draws, dtype=float).ravel())
    if x.size == 0:
        raise ValueError("sample_crps: no draws")
    return float(crps_sorted(x[None, :], np.array([float(actual)]))[0])


def crps_sorted(sorted_rows: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Row-wise CRPS of draws already sorted ascending along axis 1, one actual per row."""
    n = sorted_rows.shape[1]
    weights = 2.0 * np.arange(1, n + 1) - n - 1.0  # (2i - n - 1), i = 1..n
    spread = (sorted_rows @ weights) / (float(n) * n)  # 1/2 mean|X - X'|
    gap = np.abs(sorted_rows - actual[:, None]).mean(axis=1)
    # Never below zero: the exact value is >= 0; rounding could leave -1e-17.
    return np.maximum(gap - spread, 0.0)


def wilson_interval(
    successes: int, trials: int, level: float = INTERVAL_LEVEL
) -> tuple[float, float]:
    """Wilson score interval for a binomial share (Wilson 1927; Brown, Cai, DasGupta 2001)."""
    if trials <= 0:
        raise ValueError("wilson_interval: no trials")
    if not 0 <= successes <= trials:
        raise ValueError(f"wilson_interval: {successes} successes out of {trials} trials")
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    share = successes / trials
    z2n = z * z / trials
    centre = (share + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * math.sqrt(share * (1.0 - share) / trials + z2n / (4.0 * trials))
    # At 0 or all successes the exact endpoint is 0 or 1; rounding would miss it by an ulp.
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == trials else min(1.0, centre + half)
    return lo, hi


# ------------------------------------------------------------- t and chi-square quantiles


def _check_df(df: int) -> None:
    if isinstance(df, bool) or not isinstance(df, int) or not 1 <= df <= MAX_DEGREES_OF_FREEDOM:
        raise ValueError(f"degrees of freedom must be a whole number 1 to {MAX_DEGREES_OF_FREEDOM}")


def t_cdf(t: float, df: int) -> float:
    """Student's t distribution function for whole ``df`` (A&S 26.7.3 and 26.7.4)."""
    _check_df(df)
    theta = math.atan(abs(t) / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    if df % 2:  # odd: A = 2/pi (theta + sin(theta) (cos + 2/3 cos^3 + ...)), df - 1 / 2 terms
        total, term = 0.0, c
        for j in range(1, (df - 1) // 2 + 1):
            total += term
            term *= c2 * (2.0 * j) / (2.0 * j + 1.0)
        inside = 2.0 / math.pi * (theta + s * total)
    else:  # even: A = sin(theta) (1 + 1/2 cos^2 + 1.3/2.4 cos^4 + ...), df / 2 terms
        total, term = 0.0, 1.0
        for j in range(1, df // 2 + 1):
            total += term
            term *= c2 * (2.0 * j - 1.0) / (2.0 * j)
        inside = s * total
    inside = min(max(inside, 0.0), 1.0)  # P(|T| <= |t|)
    return 0.5 + 0.5 * inside if t >= 0 else 0.5 - 0.5 * inside


def chi2_cdf(x: float, df: int) -> float:
    """Chi-square distribution function for whole ``df`` (A&S 26.4.4 and 26.4.5)."""
    _check_df(df)
    if x <= 0:
        return 0.0
    if df % 2 == 0:  # Q = exp(-x/2) sum_{j < df/2} (x/2)^j / j!
        term, upper = math.exp(-x / 2.0), 0.0
        for j in range(df // 2):
            upper += term
            term *= (x / 2.0) / (j + 1)
    else:  # Q = 2 Q_normal(sqrt x) + 2 phi(sqrt x) sum_{r=1}^{(df-1)/2} x^(r-1/2) / (1.3...(2r-1))
        root = math.sqrt(x)
        upper = math.erfc(root / math.sqrt(2.0))
        density = math.exp(-x / 2.0) / math.sqrt(2.0 * math.pi)
        term, total = root, 0.0
        for r in range(1, (df - 1) // 2 + 1):
            total += term
            term *= x / (2.0 * r + 1.0)
        upper += 2.0 * density * total
    return min(max(1.0 - upper, 0.0), 1.0)


def _invert(cdf, p: float, lo: float, hi: float) -> float:
    """The x with cdf(x) = p for an increasing cdf, by bisection to float precision."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability {p!r} must be strictly between 0 and 1")
    while cdf(hi) < p:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if cdf(mid) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def t_quantile(p: float, df: int) -> float:
    """Quantile of Student's t with whole ``df`` degrees of freedom."""
    _check_df(df)
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    return _invert(lambda t: t_cdf(t, df), p, 0.0, 8.0)


def chi2_quantile(p: float, df: int) -> float:
    """Quantile of the chi-square distribution with whole ``df`` degrees of freedom."""
    _check_df(df)
    return _invert(lambda x: chi2_cdf(x, df), p, 0.0, 2.0 * df + 10.0)
