"""Qt-free projection engine: parameters, debt schedule, projection, analysis."""

from .analysis import Backtest, GoalSeek, SensitivityRow, backtest, goal_seek, sensitivity
from .answer import Answer, answer
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

__all__ = [
    "Answer",
    "answer",
    "DEFAULTS",
    "GROUPS",
    "PARAMS",
    "PERCENTILES",
    "SPECS",
    "Backtest",
    "DebtSchedule",
    "GoalSeek",
    "HistorySeries",
    "NotEnoughMemory",
    "ParamSpec",
    "Projection",
    "Scenario",
    "ScenarioError",
    "SensitivityRow",
    "Shock",
    "backtest",
    "debt_schedule",
    "goal_seek",
    "project",
    "project_by_simulation",
    "sensitivity",
]
