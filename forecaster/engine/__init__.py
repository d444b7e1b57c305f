"""Qt-free projection engine: parameters, debt schedule, projection, analysis, calibration."""

from .analysis import Backtest, GoalSeek, SensitivityRow, backtest, goal_seek, sensitivity
from .answer import Answer, answer
from .calibration import (
    BacktestRow,
    FitError,
    HistoryFit,
    RollingBacktest,
    fit_history,
    rolling_backtest,
)
from .debt import DebtSchedule, debt_schedule
from .history import HistorySeries
from .params import DEFAULTS, GROUPS, PARAMS, SPECS, ParamSpec, Scenario, ScenarioError, Shock
from .projection import (
    PERCENTILES,
    NotEnoughMemory,
    Projection,
    project,
    project_by_simulation,
)
from .scores import sample_crps

__all__ = [
    "Answer",
    "answer",
    "DEFAULTS",
    "GROUPS",
    "PARAMS",
    "PERCENTILES",
    "SPECS",
    "Backtest",
    "BacktestRow",
    "DebtSchedule",
    "FitError",
    "GoalSeek",
    "HistoryFit",
    "HistorySeries",
    "NotEnoughMemory",
    "ParamSpec",
    "Projection",
    "RollingBacktest",
    "Scenario",
    "ScenarioError",
    "SensitivityRow",
    "Shock",
    "backtest",
    "debt_schedule",
    "fit_history",
    "goal_seek",
    "project",
    "project_by_simulation",
    "rolling_backtest",
    "sample_crps",
    "sensitivity",
]
