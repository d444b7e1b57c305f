"""The one answer to "does this scenario reach the target?", computed once.

``answer()`` turns a scenario and its projection into a frozen ``Answer``: the
target-year spread, the odds, the crossing year, the growth needed, both goal-seek
answers, the backtest, the verdict and the record beside it. The window's summary,
the compare panel, the command line (text and JSON) and the exports all render this
object through ``forecaster.engine.formatting``; none of them decides anything, so
they cannot disagree.

The verdict has one definition: the scenario **reaches** the target when its
target-year P50 is at or above the target, and **misses** it otherwise. When the
median path first crosses the target is a separate figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from .analysis import Backtest, GoalSeek, backtest, goal_seek
from .calibration import DEFAULT_REACH_YEARS, HistoryFit, RollingBacktest, rolling_backtest
from .history import HistorySeries, RecordFigure
from .params import SPECS, Scenario
from .projection import Projection

Verdict = Literal["reached", "missed"]
GOAL_PERCENTILES = (50, 90)


def verdict_of(p50: float, target: float) -> Verdict:
    """The one rule: the target-year P50 at or above the target reaches it."""
    return "reached" if p50 >= target else "missed"


@dataclass(frozen=True)
class Answer:
    scenario_name: str
    base_year: int
    base_turnover_musd: float
    target_musd: float
    target_year: int
    horizon_year: int
    p10: float  # target-year percentiles, $M
    p50: float
    p90: float
    p_reach_in_target_year: float
    p_reach_by_target_year: float
    crossing_year: int | None  # first projected year the P50 is at or above the target
    falls_back_year: int | None  # first later year the P50 is below it again (by the horizon)
    required_growth_pct: float  # growth from the base-year turnover that alone reaches it
    goal_seeks: tuple[GoalSeek, ...]  # one per GOAL_PERCENTILES
    goal_percentile: int  # the one the command line and JSON report
    backtest: Backtest | None
    verdict: Verdict
    # The record beside the scenario: the target year's row when the history has it,
    # otherwise the latest projected year with a dollar figure; None when neither.
    record: RecordFigure | None
    base_record: RecordFigure | None  # the history's row for the base year
    debt_yearly_repayment_musd: float
    # The rolling-origin backtest (issue 11): always on the command line; in the window
    # only for the Backtest tab, off the drag path (``with_rolling_backtest``).
    rolling_backtest: RollingBacktest | None = None
    fit: HistoryFit | None = None  # the fit to history, when one was asked for

    # --- derived figures (no decisions elsewhere) ----------------------
    @property
    def reached(self) -> bool:
        return self.verdict == "reached"

    @property
    def actual_target_year_musd(self) -> float | None:
        r = self.record
        return r.value_musd if r is not None and r.year == self.target_year else None

    @property
    def record_verdict(self) -> Verdict | None:
        """What the record says for the target year, by the same rule."""
        actual = self.actual_target_year_musd
        return None if actual is None else verdict_of(actual, self.target_musd)

    @property
    def contradicted_by_record(self) -> bool:
        """The scenario reaches the target while the record shows it was missed."""
        return self.reached and self.record_verdict == "missed"

    @property
    def base_differs_from_record(self) -> bool:
        r = self.base_record
        if r is None or r.value_musd is None:
            return False
        step = float(SPECS["base_turnover_musd"].step)
        return abs(self.base_turnover_musd - r.value_musd) > step / 2 + 1e-9

    def goal_seek(self, percentile: int | None = None) -> GoalSeek:
        wanted = self.goal_percentile if percentile is None else percentile
        for seek in self.goal_seeks:
            if seek.percentile == wanted:
                return seek
        raise KeyError(f"no goal seek for P{wanted}")

    def to_json(self) -> dict[str, Any]:
        """The command line's ``--json`` summary (keys documented in the README)."""
        seek = self.goal_seek()
        bt = self.backtest
        out: dict[str, Any] = {
            "scenario": self.scenario_name,
            "verdict": self.verdict,
            "target_musd": self.target_musd,
            "target_year": self.target_year,
            "base_year": self.base_year,
            "horizon_year": self.horizon_year,
            "actual_target_year_musd": self.actual_target_year_musd,
            "record": None
            if self.record is None
            else {
                "year": self.record.year,
                "value_musd": self.record.value_musd,
                "flag": self.record.flag,
                "series": self.record.series,
                "source": self.record.source,
            },
            "crossing_year": self.crossing_year,
            "falls_back_year": self.falls_back_year,
            "p_reach_in_target_year": self.p_reach_in_target_year,
            "p_reach_by_target_year": self.p_reach_by_target_year,
            "target_year_p10": self.p10,
            "target_year_p50": self.p50,
            "target_year_p90": self.p90,
            "required_growth_pct": self.required_growth_pct,
            "goal_seek_percentile": seek.percentile,
            "goal_seek_status": seek.status,
            "goal_seek_growth_pct": seek.growth_pct,
            "goal_seek_message": seek.message,
            "debt_yearly_repayment_musd": self.debt_yearly_repayment_musd,
        }
        if bt is not None:
            out["backtest_years"] = [int(y) for y in bt.years]
            out["backtest_mean_abs_error_musd"] = bt.mean_abs_error
            out["backtest_mean_error_musd"] = bt.mean_error
        rolling = self.rolling_backtest
        out["rolling_backtest"] = None if rolling is None else rolling.to_json_dict()
        out["fit"] = None if self.fit is None else self.fit.to_json_dict()
        return out


def _record_beside(projection: Projection, history: HistorySeries) -> RecordFigure | None:
    target = history.figure(projection.target_year)
    if target is not None:
        return target
    first, last = int(projection.years[0]), int(projection.years[-1])
    known = [
        int(y)
        for y, v in zip(history.years, history.values, strict=True)
        if first < y <= last and np.isfinite(v)
    ]
    return history.figure(max(known)) if known else None


def answer(
    scenario: Scenario,
    projection: Projection,
    history: HistorySeries | None = None,
    goal_percentile: int = 50,
    *,
    backtest_years: int | None = None,
    fit: HistoryFit | None = None,
) -> Answer:
    """Everything the summary, the compare panel, the command line and exports show.

    ``backtest_years``: the reach of the rolling-origin backtest to run with it (None:
    not run; it needs ``history``). ``fit``: a fit to history to carry (``fit_history``).
    """
    if goal_percentile not in GOAL_PERCENTILES:
        raise ValueError(f"goal percentile {goal_percentile} is not one of {GOAL_PERCENTILES}")
    p = projection
    first = int(p.years[0])
    p50_path = p.bands[50]
    falls_back = None
    if p.crossing_year is not None:
        below = np.nonzero(p50_path[p.crossing_year - first + 1 :] < p.target_musd)[0]
        falls_back = int(p.crossing_year + 1 + below[0]) if len(below) else None
    p50 = p.at_target_year(50)
    return Answer(
        scenario_name=scenario.name,
        base_year=first,
        base_turnover_musd=float(scenario["base_turnover_musd"]),
        target_musd=p.target_musd,
        target_year=p.target_year,
        horizon_year=int(p.years[-1]),
        p10=p.at_target_year(10),
        p50=p50,
        p90=p.at_target_year(90),
        p_reach_in_target_year=p.p_reach_in_target_year,
        p_reach_by_target_year=p.p_reach_by_target_year,
        crossing_year=p.crossing_year,
        falls_back_year=falls_back,
        required_growth_pct=p.required_growth_pct,
        goal_seeks=tuple(goal_seek(scenario, q) for q in GOAL_PERCENTILES),
        goal_percentile=goal_percentile,
        backtest=backtest(p, history) if history is not None else None,
        verdict=verdict_of(p50, p.target_musd),
        record=_record_beside(p, history) if history is not None else None,
        base_record=history.figure(first) if history is not None else None,
        debt_yearly_repayment_musd=float(p.debt.scheduled.max(initial=0.0)),
        rolling_backtest=None
        if backtest_years is None or history is None
        else rolling_backtest(scenario, history, backtest_years),
        fit=fit,
    )


def with_rolling_backtest(
    a: Answer,
    scenario: Scenario,
    history: HistorySeries,
    reach_years: int = DEFAULT_REACH_YEARS,
) -> Answer:
    """``a`` with the rolling-origin backtest of ``scenario`` (the scenario ``a`` is for)."""
    return replace(a, rolling_backtest=rolling_backtest(scenario, history, reach_years))
