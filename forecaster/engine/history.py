"""What actually happened: yearly turnover with the source of every figure.

The numbers live in ``forecaster/data/history.csv``; ``forecaster.io.history``
reads them. This module defines the series the engine compares against, and the
base-year rule: the base year is history, so it brings its own turnover.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .params import Scenario

Flag = Literal["reported", "derived", "estimated", "no figure"]
FLAGS: tuple[Flag, ...] = ("reported", "derived", "estimated", "no figure")


@dataclass(frozen=True)
class RecordFigure:
    """One year of the record, as a person reads it beside a forecast."""

    year: int
    value_musd: float | None  # None where no dollar figure exists
    flag: Flag
    series: str  # whose statistics: Russian customs, KOTRA, ITC mirror data, ...
    source: str
    note: str


@dataclass(frozen=True)
class HistorySeries:
    years: np.ndarray  # int
    values: np.ndarray  # $M; NaN where no dollar figure exists
    flags: tuple[Flag, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    series: tuple[str, ...] = ()

    def _index(self, year: int) -> int | None:
        hits = np.nonzero(self.years == year)[0]
        return int(hits[0]) if len(hits) else None

    def reported_mask(self) -> np.ndarray:
        return np.array([f == "reported" for f in self.flags], dtype=bool)

    def flag_in(self, year: int) -> Flag | None:
        i = self._index(year)
        return None if i is None else self.flags[i]

    def series_in(self, year: int) -> str | None:
        i = self._index(year)
        return None if i is None or not self.series else self.series[i]

    def value_in(self, year: int) -> float | None:
        i = self._index(year)
        if i is None or not np.isfinite(self.values[i]):
            return None
        return float(self.values[i])

    def figure(self, year: int) -> RecordFigure | None:
        """The record's row for ``year`` (with or without a dollar figure), or None."""
        i = self._index(year)
        if i is None:
            return None
        value = float(self.values[i]) if np.isfinite(self.values[i]) else None
        series = self.series[i] if self.series else ""
        return RecordFigure(
            int(self.years[i]), value, self.flags[i], series, self.sources[i], self.notes[i]
        )

    @property
    def last_year_with_figure(self) -> int | None:
        known = self.years[np.isfinite(self.values)]
        return int(known.max()) if len(known) else None


@dataclass(frozen=True)
class BaseYearChange:
    """A new base year and the turnover it brings; ``note`` says what was not changed."""

    scenario: Scenario
    note: str  # "" when the record's figure was taken


def with_base_year(
    scenario: Scenario, year: int, history: HistorySeries | None, turnover: float | None = None
) -> BaseYearChange:
    """The base year is history: moving it takes that year's recorded turnover.

    A turnover given by the person (``turnover``) wins. A year the record has no dollar
    figure for keeps the current turnover, and the note says so.
    """
    if turnover is not None:
        return BaseYearChange(scenario.with_params(base_year=year, base_turnover_musd=turnover), "")
    figure = history.figure(year) if history is not None else None
    if figure is None or figure.value_musd is None:
        current = float(scenario["base_turnover_musd"])
        why = "no dollar figure" if figure is not None else "no figure"
        return BaseYearChange(
            scenario.with_params(base_year=year),
            f"{year} has {why} in the record; Base-year turnover stays at ${current:,.1f}M",
        )
    return BaseYearChange(
        scenario.with_params(base_year=year, base_turnover_musd=round(figure.value_musd, 1)),
        "",
    )
