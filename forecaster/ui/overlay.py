"""A pinned scenario as the projection chart draws it: shared by the compare dock, which
makes overlays, and the chart, which draws them, so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass

from forecaster.engine.projection import Projection

OVERLAY_COLORS = ("#8e44ad", "#16a085", "#d35400", "#2c3e50", "#c2185b", "#7f8c8d")


@dataclass(frozen=True)
class Overlay:
    """A pinned scenario drawn on the projection chart as its P50 line."""

    name: str
    color: object  # anything pg.mkColor accepts: "#rrggbb", (r, g, b), QColor
    projection: Projection
