"""The charts' axes: money ticks, an opaque grid, and ranges held still while a slider
is held."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem

from forecaster.engine.formatting import money_tick


def _cache_axes(plot: pg.PlotItem, on: bool) -> None:
    """Keep the axes (ticks, text, grid) as pixels, or not while a drag moves them on
    every step (the base year or horizon: the years shown change), where a cache would
    only add a re-render per step."""
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
    for name in ("left", "bottom"):
        plot.getAxis(name).setCacheMode(mode)


class _RangeHold:
    """Keeps plots' ranges still while a slider is held; on release, refits what was fitting.

    The y-range always holds; the x-range too with ``hold_x`` (for drags that cannot
    change the years shown), which also spares the autorange work on every step. On
    release each axis gets back the autorange it had before the hold, no more.
    """

    def __init__(self, *plots: pg.PlotItem) -> None:
        self._plots = plots
        self._saved: list[tuple[object, ...]] | None = None

    def set(self, held: bool, hold_x: bool = False) -> None:
        for plot in self._plots:
            _cache_axes(plot, not held or hold_x)
        if held:
            if self._saved is None:
                self._saved = []
                for plot in self._plots:
                    view = plot.getViewBox()
                    self._saved.append(tuple(view.autoRangeEnabled()))
                    view.disableAutoRange(axis=pg.ViewBox.YAxis)
                    if hold_x:
                        view.disableAutoRange(axis=pg.ViewBox.XAxis)
        elif self._saved is not None:
            for plot, saved in zip(self._plots, self._saved, strict=True):
                view = plot.getViewBox()
                for axis, was in zip((pg.ViewBox.XAxis, pg.ViewBox.YAxis), saved, strict=True):
                    if was:
                        view.enableAutoRange(axis=axis, enable=was)  # its fraction, as before
            self._saved = None


def nice_range(lo: float, hi: float, log: bool) -> tuple[float, float]:
    """``lo``..``hi`` widened to "nice" bounds: whole half-decades on a log axis (in
    log10 units: $1M, $3.2M, $10M ...), multiples of a 1-2-5 step that cuts the span in
    at most ten on a linear one. A lower bound a little below zero (autorange's
    padding under data that starts at zero) becomes half a step below zero, room for
    the $0 label."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return lo, hi
    if log:
        return math.floor(lo * 2) / 2, math.ceil(hi * 2) / 2
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / 10))
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= 10:
            step *= factor
            break
    low = math.floor(lo / step) * step
    if lo < 0 <= lo + step:
        low = -step / 2
    return low, math.ceil(hi / step) * step


class SnapViewBox(pg.ViewBox):
    """A ViewBox whose autorange snaps the y-range outward to ``nice_range``.

    A slider step then rarely moves the y-axis: the axes keep their cached pixels and
    nothing is laid out again, so a single step (a key, undo) costs what a drag step
    does. Hand-written because pyqtgraph's autorange has no rounding of its own;
    ``updateAutoRange`` is the only caller that passes ``disableAutoRange=False``.
    """

    def setRange(  # noqa: N802 (pyqtgraph's name)
        self, rect=None, xRange=None, yRange=None, padding=None, update=True, disableAutoRange=True
    ):
        if not disableAutoRange and yRange is not None:
            yRange = nice_range(float(yRange[0]), float(yRange[1]), self.state["logMode"][1])
        super().setRange(rect, xRange, yRange, padding, update, disableAutoRange)


class GridAxis(pg.AxisItem):
    """An axis whose grid lines are opaque, in the colour pyqtgraph's translucent grid
    has on the chart's background, and drawn under the data.

    Hand-written because pyqtgraph has no option for it, and Qt's raster engine strokes a
    translucent 1-px line about ten times slower than an opaque one (50 grid lines: 4.3
    against 0.4 ms): replaying the grid was most of a refitted chart's paint. Under the
    data (the plot's ViewBox), the translucent bands tint the grid as the grid used to
    tint the bands, and the curves are drawn over the grid.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._under: QColor | None = None
        self._solid: dict[int, QPen] = {}
        # Kept as pixels (ticks, text and grid): repainting the data over them then costs
        # a copy, and with the y-range snapped to nice bounds they rarely change. Not while
        # a drag moves the years (``_RangeHold``).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_grid_background(self, color: object) -> None:
        """The colour under the grid (the chart's background); its lines are mixed with it."""
        self._under = pg.mkColor(color)
        self._solid.clear()
        self.picture = None  # pyqtgraph's cached drawing of the axis
        self.update()

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph's name)
        specs = super().generateDrawSpecs(p)
        if specs is None or self._under is None:
            return specs
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, [(self._opaque(pen), a, b) for pen, a, b in tick_specs], text_specs

    def _opaque(self, pen: QPen) -> QPen:
        color = pen.color()
        key = color.rgba()
        solid = self._solid.get(key)
        if solid is None:
            a, under = color.alphaF(), self._under
            assert under is not None
            solid = QPen(pen)
            solid.setColor(
                QColor.fromRgbF(
                    color.redF() * a + under.redF() * (1 - a),
                    color.greenF() * a + under.greenF() * (1 - a),
                    color.blueF() * a + under.blueF() * (1 - a),
                )
            )
            self._solid[key] = solid
        return solid


class MoneyAxis(GridAxis):
    """Ticks as money a person reads ($100M, $1B, $2.5T; $500K and $0.01 below a million),
    on log and linear scales, with no "x1e+N" multiplier whatever the range.

    pyqtgraph documents ``tickStrings``/``logTickStrings`` as the methods to override; its
    automatic SI prefix is what writes the multiplier, so it is switched off.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        return [money_tick(10 ** float(v) * scale) for v in values]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        return [money_tick(v * scale) for v in values]
