"""What actually happened: yearly turnover with the source of every figure.

The numbers live in ``forecaster/data/history.csv``; ``forecaster.io.history``
reads them. This module only defines the series the engine compares against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Flag = Literal["reported", "derived", "estimated"]
FLAGS: tuple[Flag, ...] = ("reported", "derived", "estimated")


@dataclass(frozen=True)
class HistorySeries:
    years: np.ndarray  # int
    values: np.ndarray  # $M; NaN where no dollar figure exists
    flags: tuple[Flag, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...]

    def reported_mask(self) -> np.ndarray:
        return np.array([f == "reported" for f in self.flags], dtype=bool)

    def flag_in(self, year: int) -> Flag | None:
        hits = np.nonzero(self.years == year)[0]
        return self.flags[hits[0]] if len(hits) else None

    def value_in(self, year: int) -> float | None:
        hits = np.nonzero(self.years == year)[0]
        if not len(hits) or not np.isfinite(self.values[hits[0]]):
            return None
        return float(self.values[hits[0]])
