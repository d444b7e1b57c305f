"""Judge a scenario against the record: rolling-origin backtest, CRPS and fit to history.

Everything here is defined so that a reader can recompute it (issue 11):

Rolling-origin backtest with reach K (``rolling_backtest``)
    *last* is the last history year with a dollar figure. The origins are the years ``o``
    with a figure, ``base_year <= o <= last - 1``. For each origin the scenario is re-based
    on it (base year ``o``, base-year turnover = the record's figure for ``o``, all else
    unchanged; the horizon and target year are moved out to ``o + 1`` where they would
    otherwise be invalid - they change no figure used here). An origin whose re-based
    scenario is still refused by validation is skipped and recorded with the reason.
    The pairs are ``(o, y)`` with a figure for ``y`` and ``o < y <= min(o + K, last)``.
    The forecast for ``y`` is the model's draws
    ``X = non_debt(y) * exp(sigma * W[y - o]) + debt_trade(y)`` with the scenario's own
    seed and draws (``draws_for``), exactly the draws behind the fan chart.

    * P10 ... P90 are the projection's quantiles (``inverted_cdf``, an actual draw), so a
      row's bands equal the re-based projection's bands in ``y``.
    * Inside a band means ``P10 <= actual <= P90`` (closed), likewise P25-P75.
    * PIT = share of draws ``<= actual``.
    * CRPS = ``mean|X - a| - 1/2 mean|X - X'|`` over all n x n ordered pairs of draws
      (i = j included): the CRPS of the draws' empirical distribution, computed exactly
      from the sorted draws as ``mean|x - a| - sum_i (2i - n - 1) x_(i) / n^2``.
      (scoringrules' default "qd" and its "nrg" estimator give the same; its "fair"
      one would divide the spread by n(n - 1).) The draws of one year are
      ``scale * f + shift`` with the seed's sorted factors ``f = exp(sigma * W[h])``, so
      each pair is scored in O(log n) from the factors' prefix sums (``_score``).
    * The naive benchmark is a random walk without drift from the record's figure at ``o``,
      ``X = actual(o) * exp(sigma * sqrt(h) * Z)``, ``h = y - o``, with
      ``Z = W[h] / sqrt(h)`` from the same seed's walks, i.e. ``actual(o) * exp(sigma * W[h])``:
      the model's own draws with growth, shocks, currency and debt turned off.
    * Coverage = share of pairs inside a band, with a 90% Wilson interval (the pairs
      overlap in time, so that interval, which assumes independent pairs, is if anything
      too narrow). Skill = 1 - mean CRPS / mean naive CRPS.

Fit to history over ``[first, last]`` (``fit_history``)
    The log changes ``ln(v_t / v_{t-1})`` for every ``t`` with ``first < t <= last`` where
    both ``t - 1`` and ``t`` have a dollar figure above 0: a year without one breaks
    the chain (no two-year change is bridged over it, since it would carry twice the
    variance of a yearly one). Optionally the changes into years where one of the
    scenario's shocks starts are left out. At least two changes are needed (else
    FitError). Growth = ``exp(mean) - 1``; volatility = the sample standard deviation
    (ddof 1) of the log changes. 90% intervals: the mean's from Student's t with n - 1
    degrees of freedom, mapped through ``exp(.) - 1``; the standard deviation's from
    chi-square with n - 1 degrees of freedom.

The scores and quantiles themselves (CRPS, Wilson, t and chi-square) are in ``scores``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

import numpy as np

from .debt import debt_schedule
from .history import HistorySeries
from .params import SPECS, Scenario, ScenarioError, Shock
from .projection import MAX_STEPS, debt_trade, draws_for, non_debt_path
from .scores import (
    INTERVAL_LEVEL,
    chi2_quantile,
    t_quantile,
    wilson_interval,
)

DEFAULT_REACH_YEARS: Final = 5


# ------------------------------------------------------------------- rolling backtest


@dataclass(frozen=True)
class BacktestRow:
    """One (origin, year) pair: the forecast made at ``origin`` for ``year`` and the record."""

    origin: int
    year: int
    actual: float  # $M
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    pit: float  # share of draws <= actual
    crps: float  # $M
    naive_crps: float  # $M

    @property
    def in_80(self) -> bool:
        return self.p10 <= self.actual <= self.p90

    @property
    def in_50(self) -> bool:
        return self.p25 <= self.actual <= self.p75

    def to_json_dict(self) -> dict[str, float | int]:
        return {
            "origin": self.origin,
            "year": self.year,
            "actual": self.actual,
            "p10": self.p10,
            "p25": self.p25,
            "p50": self.p50,
            "p75": self.p75,
            "p90": self.p90,
            "pit": self.pit,
            "crps": self.crps,
            "naive_crps": self.naive_crps,
        }


@dataclass(frozen=True)
class OriginFan:
    """The re-based forecast from one origin, every year ``origin .. min(origin + K, last)``
    (with or without a figure), for drawing faint fans against the record. The origin's
    own row is the record's figure."""

    origin: int
    years: np.ndarray  # int
    bands: dict[int, np.ndarray]  # percentile (10, 25, 50, 75, 90) -> per-year $M


@dataclass(frozen=True)
class SkippedOrigin:
    origin: int
    reason: str  # the validation message of the re-based scenario


@dataclass(frozen=True)
class RollingBacktest:
    reach_years: int
    last_year: int | None  # last history year with a figure
    origins: tuple[int, ...]  # origins used (re-based scenario valid)
    skipped: tuple[SkippedOrigin, ...]
    rows: tuple[BacktestRow, ...]  # ordered by origin, then year
    fans: tuple[OriginFan, ...]  # one per origin used
    pairs: int
    coverage_80: float | None  # share of pairs with P10 <= actual <= P90; None without pairs
    coverage_50: float | None  # share with P25 <= actual <= P75
    coverage_80_ci90: tuple[float, float] | None  # Wilson 90% interval
    coverage_50_ci90: tuple[float, float] | None
    crps_musd: float | None  # mean CRPS over the pairs
    naive_crps_musd: float | None
    skill: float | None  # 1 - crps / naive crps; None without pairs or if naive crps is 0

    @property
    def inside_80(self) -> int:
        """How many pairs had the outcome inside P10-P90."""
        return sum(r.in_80 for r in self.rows)

    @property
    def inside_50(self) -> int:
        """How many pairs had the outcome inside P25-P75."""
        return sum(r.in_50 for r in self.rows)

    def column(self, name: str) -> np.ndarray:
        """One field of every row as an array, e.g. ``column("pit")``."""
        return np.array([getattr(r, name) for r in self.rows])

    def to_json_dict(self) -> dict[str, object]:
        return {
            "reach_years": self.reach_years,
            "pairs": self.pairs,
            "coverage_80": self.coverage_80,
            "coverage_50": self.coverage_50,
            "coverage_80_ci90": _pair(self.coverage_80_ci90),
            "coverage_50_ci90": _pair(self.coverage_50_ci90),
            "crps_musd": self.crps_musd,
            "naive_crps_musd": self.naive_crps_musd,
            "skill": self.skill,
            "skipped_origins": [{"origin": s.origin, "reason": s.reason} for s in self.skipped],
            "rows": [r.to_json_dict() for r in self.rows],
        }


def _pair(values: tuple[float, float] | None) -> list[float] | None:
    return None if values is None else [float(values[0]), float(values[1])]


def figures(history: HistorySeries) -> dict[int, float]:
    """Year -> dollar figure for the years that have one."""
    return {
        int(y): float(v)
        for y, v in zip(history.years, history.values, strict=True)
        if math.isfinite(v)
    }


def rebased(scenario: Scenario, origin: int, turnover_musd: float) -> Scenario:
    """The scenario re-based on ``origin`` (validated; raises ScenarioError if refused).

    Its name and notes are dropped: they change no figure, and checking long notes
    character by character for every origin was a third of the backtest's time.
    """
    p = scenario.params
    horizon = max(int(p["horizon_year"]), origin + 1)
    target = max(int(p["target_year"]), origin + 1)
    return (
        replace(scenario, name="", notes="")
        .with_params(
            base_year=origin,
            base_turnover_musd=turnover_musd,
            horizon_year=horizon,
            target_year=target,
        )
        .validated()
    )


@lru_cache(maxsize=4)
def _sorted_walks(seed: int, n_draws: int, rows: int) -> np.ndarray:
    """Rows 0..rows of the seed's walks, each sorted ascending (made once per seed)."""
    walks = np.sort(draws_for(seed, n_draws).walks[: rows + 1], axis=1)
    walks.setflags(write=False)
    return walks


@dataclass(frozen=True)
class _Factors:
    """The sorted factors ``f = exp(sigma * W[k])`` of one seed and volatility, rows
    k = 0..reach, with what scores any draws ``scale * f + shift`` (scale >= 0) in
    O(log n): their prefix sums and their half mean absolute difference."""

    sorted: np.ndarray  # (reach + 1, n), each row ascending
    prefix: np.ndarray  # (reach + 1, n + 1): sums of the first i sorted factors
    spread: np.ndarray  # (reach + 1,): sum_i (2i - n - 1) f_(i) / n^2 = 1/2 mean|F - F'|


@lru_cache(maxsize=2)
def _factors(seed: int, n_draws: int, rows: int, sigma: float) -> _Factors:
    f = np.exp(sigma * _sorted_walks(seed, n_draws, rows))
    n = f.shape[1]
    prefix = np.zeros((f.shape[0], n + 1))
    np.cumsum(f, axis=1, out=prefix[:, 1:])
    weights = 2.0 * np.arange(1, n + 1) - n - 1.0
    for a in (f, prefix):
        a.setflags(write=False)
    return _Factors(f, prefix, (f @ weights) / (float(n) * n))


def _score(
    factors: _Factors, k: int, scale: float, shift: float, actual: float
) -> tuple[float, float]:
    """PIT and CRPS of the draws ``scale * f_k + shift`` at ``actual`` (scale >= 0).

    The draws stay in the order of the sorted factors, so the count of draws <= actual
    is found by bisection (checked on the draws themselves, as computed, so that ties
    count exactly as the definition says), and sum|X - a| follows from prefix sums:
    scale * (P[n] - 2 P[m]) + (a - shift) * (2m - n), m = draws <= a.
    """
    f, prefix = factors.sorted[k], factors.prefix[k]
    n = f.shape[0]
    if scale == 0.0:
        return (1.0 if shift <= actual else 0.0), abs(shift - actual)
    m = int(np.searchsorted(f, (actual - shift) / scale, side="right"))
    below = m == 0 or scale * f[m - 1] + shift <= actual
    above = m == n or scale * f[m] + shift > actual
    if not (below and above):  # a tie lost to rounding: bisect on the draws as computed
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            if scale * f[mid] + shift <= actual:
                lo = mid + 1
            else:
                hi = mid
        m = lo
    gap = (scale * (prefix[n] - 2.0 * prefix[m]) + (actual - shift) * (2 * m - n)) / n
    # The exact value is >= 0; rounding could leave -1e-17.
    return m / n, max(gap - scale * float(factors.spread[k]), 0.0)


def rolling_backtest(
    scenario: Scenario, history: HistorySeries, reach_years: int = DEFAULT_REACH_YEARS
) -> RollingBacktest:
    """Rolling-origin backtest of ``scenario`` against ``history`` (see the module doc)."""
    if isinstance(reach_years, bool) or not isinstance(reach_years, int):
        raise ValueError(f"reach_years: {reach_years!r} is not a whole number")
    if not 1 <= reach_years <= MAX_STEPS:
        raise ValueError(f"reach_years: {reach_years} is out of range (allowed 1 to {MAX_STEPS})")
    record = figures(history)
    p = scenario.params
    seed, n_draws = int(p["seed"]), int(p["draws"])
    sigma = float(p["volatility_pct"]) / 100.0
    base_year = int(p["base_year"])
    last = max(record) if record else None

    origins: list[int] = []
    skipped: list[SkippedOrigin] = []
    rows: list[BacktestRow] = []
    fans: list[OriginFan] = []
    candidates = [] if last is None else [o for o in sorted(record) if base_year <= o < last]
    if last is None or not candidates:
        return _summarise(reach_years, last, origins, skipped, rows, fans)
    reach = min(reach_years, last - candidates[0])
    # Sorted factors exp(sigma * W[k]), k = 0..reach, shared by every origin and by the
    # naive walk; the bands from the projection's own quantiles of W.
    factors = _factors(seed, n_draws, reach, sigma)
    quantiles = {
        q: np.exp(sigma * w[: reach + 1]) for q, w in draws_for(seed, n_draws).quantiles.items()
    }
    for origin in candidates:
        try:
            s = rebased(scenario, origin, record[origin])
        except ScenarioError as err:
            skipped.append(SkippedOrigin(origin, str(err)))
            continue
        origins.append(origin)
        years = np.arange(origin, min(origin + reach_years, last) + 1)
        steps = years - origin
        non_debt = non_debt_path(s.params, s.shocks, years)
        trade = debt_trade(debt_schedule(s.params, years), origin)
        bands = {q: non_debt * f[steps] + trade for q, f in quantiles.items()}
        fans.append(OriginFan(origin, years, bands))
        for j in range(1, len(years)):
            year = origin + j
            if year not in record:
                continue
            actual = record[year]
            # non_debt >= 0 in every valid scenario, so the draws keep the factors' order.
            pit, crps = _score(factors, j, float(non_debt[j]), float(trade[j]), actual)
            _, naive_crps = _score(factors, j, record[origin], 0.0, actual)
            rows.append(
                BacktestRow(
                    origin=origin,
                    year=year,
                    actual=actual,
                    p10=float(bands[10][j]),
                    p25=float(bands[25][j]),
                    p50=float(bands[50][j]),
                    p75=float(bands[75][j]),
                    p90=float(bands[90][j]),
                    pit=pit,
                    crps=crps,
                    naive_crps=naive_crps,
                )
            )
    return _summarise(reach_years, last, origins, skipped, rows, fans)


def _summarise(
    reach_years: int,
    last: int | None,
    origins: list[int],
    skipped: list[SkippedOrigin],
    rows: list[BacktestRow],
    fans: list[OriginFan],
) -> RollingBacktest:
    n = len(rows)
    in_80 = sum(r.in_80 for r in rows)
    in_50 = sum(r.in_50 for r in rows)
    crps = float(np.mean([r.crps for r in rows])) if n else None
    naive = float(np.mean([r.naive_crps for r in rows])) if n else None
    skill = None
    if crps is not None and naive is not None and naive > 0:
        skill = 1.0 - crps / naive
    return RollingBacktest(
        reach_years=reach_years,
        last_year=last,
        origins=tuple(origins),
        skipped=tuple(skipped),
        rows=tuple(rows),
        fans=tuple(fans),
        pairs=n,
        coverage_80=in_80 / n if n else None,
        coverage_50=in_50 / n if n else None,
        coverage_80_ci90=wilson_interval(in_80, n) if n else None,
        coverage_50_ci90=wilson_interval(in_50, n) if n else None,
        crps_musd=crps,
        naive_crps_musd=naive,
        skill=skill,
    )


# -------------------------------------------------------------------- fit to history


class FitError(ValueError):
    """The chosen years do not hold enough consecutive figures to fit."""


@dataclass(frozen=True)
class HistoryFit:
    first: int
    last: int
    exclude_shock_years: bool
    years: np.ndarray  # int: the year t of each change ln(v_t / v_{t-1}) used
    log_changes: np.ndarray
    left_out_years: tuple[int, ...]  # changes into a shock's start year that were left out
    changes: int
    mean_log_change: float
    growth_pct: float  # 100 (exp(mean) - 1)
    growth_ci90: tuple[float, float]  # % a year
    volatility_pct: float  # 100 x sample sd (ddof 1) of the log changes
    volatility_ci90: tuple[float, float]  # %

    def to_json_dict(self) -> dict[str, object]:
        return {
            "first": self.first,
            "last": self.last,
            "exclude_shock_years": self.exclude_shock_years,
            "left_out_years": list(self.left_out_years),
            "changes": self.changes,
            "growth_pct": self.growth_pct,
            "growth_ci90": _pair(self.growth_ci90),
            "volatility_pct": self.volatility_pct,
            "volatility_ci90": _pair(self.volatility_ci90),
        }


def fit_history(
    history: HistorySeries,
    first: int,
    last: int,
    *,
    shocks: Iterable[Shock] = (),
    exclude_shock_years: bool = False,
) -> HistoryFit:
    """Growth and volatility of the record over ``[first, last]`` (see the module doc).

    Raises FitError when fewer than two changes are left (no standard deviation).
    """
    if first >= last:
        raise FitError(f"fit: first year {first} must be before last year {last}")
    record = {y: v for y, v in figures(history).items() if v > 0}
    shock_years = {s.start_year for s in shocks} if exclude_shock_years else set()
    years: list[int] = []
    changes: list[float] = []
    left_out: list[int] = []
    for t in range(first + 1, last + 1):
        if t in record and t - 1 in record:
            if t in shock_years:
                left_out.append(t)
                continue
            years.append(t)
            changes.append(math.log(record[t] / record[t - 1]))
    n = len(changes)
    if n < 2:
        raise FitError(
            f"fit: {first}-{last} holds {n} yearly change{'s' if n != 1 else ''} between "
            "consecutive years with figures; at least 2 are needed"
        )
    x = np.array(changes)
    mean = float(x.mean())
    sd = float(x.std(ddof=1))
    df = n - 1
    tail = (1.0 - INTERVAL_LEVEL) / 2.0
    half = t_quantile(1.0 - tail, df) * sd / math.sqrt(n)
    sd_lo = sd * math.sqrt(df / chi2_quantile(1.0 - tail, df))
    sd_hi = sd * math.sqrt(df / chi2_quantile(tail, df))
    return HistoryFit(
        first=first,
        last=last,
        exclude_shock_years=exclude_shock_years,
        years=np.array(years, dtype=int),
        log_changes=x,
        left_out_years=tuple(left_out),
        changes=n,
        mean_log_change=mean,
        growth_pct=100.0 * math.expm1(mean),
        growth_ci90=(100.0 * math.expm1(mean - half), 100.0 * math.expm1(mean + half)),
        volatility_pct=100.0 * sd,
        volatility_ci90=(100.0 * sd_lo, 100.0 * sd_hi),
    )


@dataclass(frozen=True)
class FittedParams:
    """A fit as the scenario can hold it: growth and volatility on their controls' step
    grid, inside their ranges. ``clamped`` names what was outside a range."""

    growth_pct: float
    volatility_pct: float
    clamped: tuple[str, ...]  # parameter keys whose fitted value was outside the range

    def as_changes(self) -> dict[str, float]:
        return {"growth_pct": self.growth_pct, "volatility_pct": self.volatility_pct}


def fitted_params(fit: HistoryFit) -> FittedParams:
    """The fit's growth and volatility to apply: nearest step, clamped to the range."""
    values: dict[str, float] = {}
    clamped: list[str] = []
    for key, value in (("growth_pct", fit.growth_pct), ("volatility_pct", fit.volatility_pct)):
        spec = SPECS[key]
        inside = min(max(value, float(spec.minimum)), float(spec.maximum))
        if inside != value:
            clamped.append(key)
        steps = round((inside - float(spec.minimum)) / float(spec.step))
        values[key] = round(float(spec.minimum) + steps * float(spec.step), spec.decimals)
    return FittedParams(values["growth_pct"], values["volatility_pct"], tuple(clamped))
