"""Projection of yearly turnover with uncertainty bands and the odds of the target.

The model (see README, "The model"):

    organic(t)    = base * (1 + growth) ** (t - base_year)
    multiplier(t) = prod over shocks started by t of (1 - depth * 0.5 ** ((t - start) / half_life))
    currency(t)   = (1 - share) + share * (1 - depreciation) ** (t - base_year)
    path(t)       = organic * multiplier * currency + debt trade(t)
    draw(t)       = organic * multiplier * currency * exp(sigma * W(t)) + debt trade(t)

W(t) is a random walk of standard normal yearly steps, fixed once per
(seed, draws, years) - common random numbers, so bands never jitter when a
slider moves. Because draw(t) is increasing in W(t), quantiles of the draws are
the transformed quantiles of W(t); those are computed once per seed, and each
projection is then O(years) plus one pass over the draws for the odds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np

from .debt import DebtSchedule, debt_schedule
from .params import Number, Scenario, Shock

PERCENTILES = (10, 25, 50, 75, 90)
# "inverted_cdf" picks an actual draw, never interpolates between two, so the
# quantile of transformed draws equals the transform of the quantile exactly.
QUANTILE_METHOD: Final = "inverted_cdf"


@dataclass(frozen=True)
class Projection:
    """Per-year results and the target figures of one scenario. Money in $M."""

    years: np.ndarray
    deterministic: np.ndarray
    bands: dict[int, np.ndarray]  # percentile -> per-year values
    debt: DebtSchedule
    cumulative: np.ndarray  # cumulative deterministic turnover after the base year
    target_musd: float
    target_year: int
    crossing_year: int | None  # first year P50 >= target, None if not by the horizon
    p_reach_in_target_year: float
    p_reach_by_target_year: float
    required_growth_pct: float  # growth needed from base to target with nothing else

    @property
    def p10(self) -> np.ndarray:
        return self.bands[10]

    @property
    def p50(self) -> np.ndarray:
        return self.bands[50]

    @property
    def p90(self) -> np.ndarray:
        return self.bands[90]

    def at_target_year(self, percentile: int) -> float:
        return float(self.bands[percentile][self.target_year - int(self.years[0])])


@dataclass(frozen=True)
class Draws:
    """Random walks W for one (seed, draws, steps); row 0 is the base year (W=0)."""

    walks: np.ndarray  # shape (steps + 1, draws)
    quantiles: dict[int, np.ndarray]  # percentile -> per-year quantile of W


@lru_cache(maxsize=4)
def draws_for(seed: int, n_draws: int, steps: int) -> Draws:
    rng = np.random.default_rng(seed)
    # Year-major order: the first k years of draws are the same whatever the horizon.
    steps_z = rng.standard_normal((steps, n_draws))
    walks = np.zeros((steps + 1, n_draws))
    np.cumsum(steps_z, axis=0, out=walks[1:])
    q = np.quantile(walks, np.array(PERCENTILES) / 100, axis=1, method=QUANTILE_METHOD)
    walks.setflags(write=False)
    return Draws(walks, {p: q[i] for i, p in enumerate(PERCENTILES)})


def shock_multiplier(shocks: tuple[Shock, ...], years: np.ndarray) -> np.ndarray:
    mult = np.ones(len(years))
    for shock in shocks:
        elapsed = years - shock.start_year
        active = elapsed >= 0
        depth = shock.depth_pct / 100.0
        if shock.half_life_years is None:
            cut = np.full(len(years), depth)
        else:
            cut = depth * 0.5 ** (np.maximum(elapsed, 0) / shock.half_life_years)
        mult *= np.where(active, 1.0 - cut, 1.0)
    return mult


def years_of(params: Mapping[str, Number]) -> np.ndarray:
    return np.arange(int(params["base_year"]), int(params["horizon_year"]) + 1)


def required_growth_pct(params: Mapping[str, Number]) -> float:
    """Growth from the base year that alone reaches the target in the target year."""
    span = int(params["target_year"]) - int(params["base_year"])
    ratio = params["target_turnover_musd"] / params["base_turnover_musd"]
    return float((ratio ** (1.0 / span) - 1.0) * 100.0)


def non_debt_path(params: Mapping[str, Number], shocks: tuple[Shock, ...],
                  years: np.ndarray) -> np.ndarray:
    """organic x shock multiplier x currency factor: the part volatility scales."""
    t = years - int(params["base_year"])
    organic = params["base_turnover_musd"] * (1.0 + params["growth_pct"] / 100.0) ** t
    share = params["ruble_share_pct"] / 100.0
    currency = (1.0 - share) + share * (1.0 - params["ruble_depreciation_pct"] / 100.0) ** t
    return organic * shock_multiplier(shocks, years) * currency


def reach_thresholds(non_debt: np.ndarray, debt_trade: np.ndarray, sigma: float,
                     target: float) -> np.ndarray:
    """Per year, the W above which a draw reaches the target (+inf never, -inf always)."""
    gap = target - debt_trade
    thr = np.full(len(non_debt), np.inf)
    always = gap <= 0
    thr[always] = -np.inf
    live = ~always & (non_debt > 0)
    if sigma > 0:
        with np.errstate(divide="ignore", over="ignore"):  # tiny sigma: +-inf is right
            thr[live] = np.log(gap[live] / non_debt[live]) / sigma
    else:
        thr[live & (non_debt >= gap)] = -np.inf
    return thr


def project(scenario: Scenario) -> Projection:
    p = scenario.params
    years = years_of(p)
    base_year = int(p["base_year"])
    target = float(p["target_turnover_musd"])
    target_year = int(p["target_year"])
    sigma = p["volatility_pct"] / 100.0

    debt = debt_schedule(p, years)
    non_debt = non_debt_path(p, scenario.shocks, years)
    deterministic = non_debt + debt.reinvested

    draws = draws_for(int(p["seed"]), int(p["draws"]), len(years) - 1)
    bands = {
        q: non_debt * np.exp(sigma * w_q) + debt.reinvested
        for q, w_q in draws.quantiles.items()
    }

    reached = np.nonzero(bands[50] >= target)[0]
    crossing = int(years[reached[0]]) if len(reached) else None

    ti = target_year - base_year
    thr = reach_thresholds(non_debt[: ti + 1], debt.reinvested[: ti + 1], sigma, target)
    walks = draws.walks
    p_in = float(np.count_nonzero(walks[ti] >= thr[ti])) / walks.shape[1]
    finite_rows = np.isfinite(thr)
    if np.any(thr == -np.inf):
        p_by = 1.0
    elif not finite_rows.any():
        p_by = 0.0
    else:
        rows = np.nonzero(finite_rows)[0]
        hit = (walks[rows] >= thr[rows, None]).any(axis=0)
        p_by = float(np.count_nonzero(hit)) / walks.shape[1]

    cumulative = np.cumsum(np.where(years > base_year, deterministic, 0.0))
    return Projection(
        years=years,
        deterministic=deterministic,
        bands=bands,
        debt=debt,
        cumulative=cumulative,
        target_musd=target,
        target_year=target_year,
        crossing_year=crossing,
        p_reach_in_target_year=p_in,
        p_reach_by_target_year=p_by,
        required_growth_pct=required_growth_pct(p),
    )


def project_by_simulation(scenario: Scenario) -> Projection:
    """The straightforward way: build every path, then take percentiles.

    Slow on purpose; the benchmark compares against it and the tests check that
    ``project`` gives the same numbers.
    """
    p = scenario.params
    years = years_of(p)
    base_year = int(p["base_year"])
    target = float(p["target_turnover_musd"])
    target_year = int(p["target_year"])
    sigma = p["volatility_pct"] / 100.0
    debt = debt_schedule(p, years)
    non_debt = non_debt_path(p, scenario.shocks, years)
    walks = draws_for(int(p["seed"]), int(p["draws"]), len(years) - 1).walks
    paths = non_debt[:, None] * np.exp(sigma * walks) + debt.reinvested[:, None]
    q = np.percentile(paths, np.array(PERCENTILES), axis=1, method=QUANTILE_METHOD)
    bands = {pc: q[i] for i, pc in enumerate(PERCENTILES)}
    reached = np.nonzero(bands[50] >= target)[0]
    ti = target_year - base_year
    hits = paths[: ti + 1] >= target
    return Projection(
        years=years,
        deterministic=non_debt + debt.reinvested,
        bands=bands,
        debt=debt,
        cumulative=np.cumsum(np.where(years > base_year, non_debt + debt.reinvested, 0.0)),
        target_musd=target,
        target_year=target_year,
        crossing_year=int(years[reached[0]]) if len(reached) else None,
        p_reach_in_target_year=float(hits[ti].mean()),
        p_reach_by_target_year=float(hits.any(axis=0).mean()),
        required_growth_pct=required_growth_pct(p),
    )
