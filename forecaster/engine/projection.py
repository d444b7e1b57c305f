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
from .params import SPECS, Number, Scenario, ScenarioError, Shock

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
    debt_trade: np.ndarray  # the part of the path that is reinvested debt repayments
    cumulative: np.ndarray  # cumulative deterministic turnover after the base year
    target_musd: float
    target_year: int
    crossing_year: int | None  # first projected year P50 >= target, None if not by the horizon
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


class NotEnoughMemory(ScenarioError):
    """A scenario's draws do not fit in the memory this process may use; the message
    says how many draws over how many years, and what to change."""


def not_enough_memory(scenario: Scenario) -> NotEnoughMemory:
    p = scenario.params
    years = int(p["horizon_year"]) - int(p["base_year"]) + 1
    return NotEnoughMemory(
        f"not enough memory for {int(p['draws']):,} draws over {years} years; try fewer draws"
    )


# The longest span any valid scenario projects: base year 1992 to horizon 2050.
MAX_STEPS = int(SPECS["horizon_year"].maximum) - int(SPECS["base_year"].minimum)


@dataclass(frozen=True)
class Draws:
    """Random walks W for one (seed, draws); row k is k years after the base year (W=0 at k=0)."""

    walks: np.ndarray  # shape (MAX_STEPS + 1, draws)
    quantiles: dict[int, np.ndarray]  # percentile -> quantile of W, per row


@lru_cache(maxsize=2)
def draws_for(seed: int, n_draws: int) -> Draws:
    """Made once per (seed, draws) for the longest span, so that moving the base year or
    the horizon reuses them (a slice) instead of drawing again."""
    rng = np.random.default_rng(seed)
    # Year-major order: row k's draws do not depend on how many rows there are.
    steps_z = rng.standard_normal((MAX_STEPS, n_draws))
    walks = np.zeros((MAX_STEPS + 1, n_draws))
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


def non_debt_path(
    params: Mapping[str, Number], shocks: tuple[Shock, ...], years: np.ndarray
) -> np.ndarray:
    """organic x shock multiplier x currency factor: the part volatility scales.

    The base year's turnover is an actual figure, which already holds the cut of any
    shock that started by then: the multiplier is taken relative to the base year, so
    such a shock only shows through its healing, and the base year stays the actual.
    """
    base_year = int(params["base_year"])
    t = years - base_year
    organic = params["base_turnover_musd"] * (1.0 + params["growth_pct"] / 100.0) ** t
    share = params["ruble_share_pct"] / 100.0
    currency = (1.0 - share) + share * (1.0 - params["ruble_depreciation_pct"] / 100.0) ** t
    mult = shock_multiplier(shocks, years)
    at_base = shock_multiplier(shocks, np.array([base_year]))[0]
    if at_base > 0:
        mult = mult / at_base
    return organic * mult * currency


def debt_trade(debt: DebtSchedule, base_year: int) -> np.ndarray:
    """Reinvested repayments counted as trade: from the year after the base year, since
    the base year's actual turnover already holds whatever was paid in it."""
    return np.where(debt.years > base_year, debt.reinvested, 0.0)


def reach_thresholds(
    non_debt: np.ndarray, debt_trade: np.ndarray, sigma: float, target: float
) -> np.ndarray:
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


@dataclass(frozen=True)
class _Inputs:
    """What both ways of projecting start from: the deterministic parts and the draws."""

    scenario: Scenario
    years: np.ndarray
    target: float
    target_index: int  # the target year's row
    sigma: float
    debt: DebtSchedule
    debt_trade: np.ndarray
    non_debt: np.ndarray
    walks: np.ndarray  # rows for these years only
    quantiles: dict[int, np.ndarray]


def _inputs(scenario: Scenario) -> _Inputs:
    p = scenario.params
    years = years_of(p)
    debt = debt_schedule(p, years)
    draws = draws_for(int(p["seed"]), int(p["draws"]))
    rows = len(years)
    return _Inputs(
        scenario=scenario,
        years=years,
        target=float(p["target_turnover_musd"]),
        target_index=int(p["target_year"]) - int(p["base_year"]),
        sigma=p["volatility_pct"] / 100.0,
        debt=debt,
        debt_trade=debt_trade(debt, int(p["base_year"])),
        non_debt=non_debt_path(p, scenario.shocks, years),
        walks=draws.walks[:rows],
        quantiles={q: w[:rows] for q, w in draws.quantiles.items()},
    )


def _projection(x: _Inputs, bands: dict[int, np.ndarray], p_in: float, p_by: float) -> Projection:
    deterministic = x.non_debt + x.debt_trade
    # Only projected years count as reaching the target: the base year is history.
    reached = np.nonzero(bands[50][1:] >= x.target)[0]
    return Projection(
        years=x.years,
        deterministic=deterministic,
        bands=bands,
        debt=x.debt,
        debt_trade=x.debt_trade,
        cumulative=np.cumsum(np.where(x.years > x.years[0], deterministic, 0.0)),
        target_musd=x.target,
        target_year=int(x.years[x.target_index]),
        crossing_year=int(x.years[1:][reached[0]]) if len(reached) else None,
        p_reach_in_target_year=p_in,
        p_reach_by_target_year=p_by,
        required_growth_pct=required_growth_pct(x.scenario.params),
    )


def project(scenario: Scenario) -> Projection:
    """The projection of one scenario; NotEnoughMemory (a ScenarioError) when its draws
    cannot be allocated, never a bare MemoryError."""
    try:
        return _project(scenario)
    except MemoryError:
        raise not_enough_memory(scenario) from None


def _project(scenario: Scenario) -> Projection:
    x = _inputs(scenario)
    bands = {q: x.non_debt * np.exp(x.sigma * w_q) + x.debt_trade for q, w_q in x.quantiles.items()}
    ti = x.target_index
    # Thresholds for the projected years up to the target year (row 0 is the base year).
    thr = reach_thresholds(x.non_debt[1 : ti + 1], x.debt_trade[1 : ti + 1], x.sigma, x.target)
    walks = x.walks[1 : ti + 1]
    n = walks.shape[1]
    p_in = float(np.count_nonzero(walks[-1] >= thr[-1])) / n
    finite_rows = np.isfinite(thr)
    if np.any(thr == -np.inf):
        p_by = 1.0
    elif not finite_rows.any():
        p_by = 0.0
    else:
        rows = np.nonzero(finite_rows)[0]
        hit = (walks[rows] >= thr[rows, None]).any(axis=0)
        p_by = float(np.count_nonzero(hit)) / n
    return _projection(x, bands, p_in, p_by)


def project_by_simulation(scenario: Scenario) -> Projection:
    """The straightforward way: build every path, then take percentiles.

    Slow on purpose; the benchmark compares against it and the tests check that
    ``project`` gives the same numbers.
    """
    x = _inputs(scenario)
    paths = x.non_debt[:, None] * np.exp(x.sigma * x.walks) + x.debt_trade[:, None]
    q = np.percentile(paths, np.array(PERCENTILES), axis=1, method=QUANTILE_METHOD)
    hits = paths[1 : x.target_index + 1] >= x.target
    return _projection(
        x,
        {pc: q[i] for i, pc in enumerate(PERCENTILES)},
        float(hits[-1].mean()),
        float(hits.any(axis=0).mean()),
    )
