"""The path toward the target: bands, P50, deterministic path, history, target, shocks
and pinned scenarios, with a hover readout."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGraphicsItem

from forecaster.engine.formatting import money, record_figure
from forecaster.engine.history import HistorySeries
from forecaster.engine.params import Shock
from forecaster.engine.projection import Projection

from .. import theme
from ..chart_axes import GridAxis, MoneyAxis, SnapViewBox, _RangeHold
from ..chart_style import (
    _line_color,
    _pen,
    _set_label,
    _set_legend_text,
    _set_text_box,
    _still_plot,
    _style_plot,
    _Themed,
)
from ..overlay import Overlay
from ..theme import ChartColors

SHOCK_LABEL_WIDTH = 130  # px: a longer shock name is elided on the chart ("…")
# Where shock labels sit along their lines, top down: neighbours take the next slot.
SHOCK_LABEL_SLOTS = (0.97, 0.89, 0.81, 0.73)


def _escape_format(text: str) -> str:
    """InfLineLabel runs its text through str.format: braces in a label stay braces."""
    return text.replace("{", "{{").replace("}", "}}")


def shock_name(shock: Shock, index: int) -> str:
    """The name a shock goes by on the chart: its label, or "Shock N" without one."""
    return shock.label or f"Shock {index + 1}"


def shock_summary(shock: Shock) -> str:
    heal = (
        "permanent" if shock.half_life_years is None else f"half-life {shock.half_life_years:g} yr"
    )
    return f"−{shock.depth_pct:g} %, {heal}"


class ProjectionChart(_Themed, pg.PlotWidget):
    """Turnover in $M by year: bands, P50, deterministic path, history, target."""

    sigLogChanged = Signal(bool)

    def __init__(self, parent=None, history: HistorySeries | None = None) -> None:
        super().__init__(
            "projection_chart",
            parent,
            axisItems={"left": MoneyAxis("left"), "bottom": GridAxis("bottom")},
            viewBox=SnapViewBox(),
        )
        self._log = False
        self._projection: Projection | None = None
        self._history = history
        plot = self.getPlotItem()
        self._range_hold = _RangeHold(plot)
        plot.setLabel("left", "Turnover a year")
        plot.setLabel("bottom", "Year")
        _still_plot(plot)
        # The key sits in a row above the plot, not over it: whatever corner a box took,
        # some scenario's curves or history points would run underneath it.
        self.legend = pg.LegendItem(colCount=3, labelTextSize="8pt", verSpacing=-6, horSpacing=14)
        plot.layout.removeItem(plot.titleLabel)
        plot.titleLabel.hide()
        plot.layout.addItem(self.legend, 0, 1)
        plot.legend = self.legend
        self.legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        # Band edges: the curves the fills are drawn between. They are in the plot (so the
        # log mapping applies to them) but hidden: the fill alone shows the band, and each
        # visible edge would cost a path per frame.
        self.p10_curve = pg.PlotDataItem()
        self.p90_curve = pg.PlotDataItem()
        self.p25_curve = pg.PlotDataItem()
        self.p75_curve = pg.PlotDataItem()
        self.outer_band = pg.FillBetweenItem(self.p10_curve, self.p90_curve)
        self.inner_band = pg.FillBetweenItem(self.p25_curve, self.p75_curve)
        # A fill rebuilds its path whenever either edge changes; set_projection changes
        # both, so it rebuilds each path once itself instead of twice.
        for band in (self.outer_band, self.inner_band):
            for curve in band.curves:
                curve.sigPlotChanged.disconnect(band.curveChanged)
                curve.hide()
        self.p50_curve = pg.PlotDataItem(antialias=True)
        self.deterministic_curve = pg.PlotDataItem(antialias=True)

        for item in (
            self.outer_band,
            self.inner_band,
            self.p10_curve,
            self.p90_curve,
            self.p25_curve,
            self.p75_curve,
        ):
            plot.addItem(item)
        plot.addItem(self.p50_curve)
        plot.addItem(self.deterministic_curve)

        # Legend samples for the fills: FillBetweenItem has no legend sample of its own,
        # so a fill-styled stand-in is listed, and clicking it shows/hides the band.
        self._band_samples = []
        for band, name in ((self.outer_band, "P10–P90"), (self.inner_band, "P25–P75")):
            sample = pg.PlotDataItem(pen=pg.mkPen(None), fillLevel=0)
            sample.visibleChanged.connect(
                lambda band=band, sample=sample: self._on_band_sample_visible_changed(band, sample)
            )
            self._band_samples.append(sample)
            self.legend.addItem(sample, name)
        self.legend.addItem(self.p50_curve, "P50 (median)")
        self.legend.addItem(self.deterministic_curve, "Deterministic path")

        # History: reported figures filled, derived or estimated ones hollow.
        tip = self._history_tip
        self.history_reported = pg.ScatterPlotItem(
            symbol="o", size=9, hoverable=True, tip=tip, hoverSize=13
        )
        self.history_other = pg.ScatterPlotItem(
            symbol="o", size=9, hoverable=True, tip=tip, hoverSize=13
        )
        plot.addItem(self.history_reported)
        plot.addItem(self.history_other)
        self.legend.addItem(self.history_reported, "History: reported")
        self.legend.addItem(self.history_other, "History: derived / estimated")

        # The target and its year.
        label_font = QFont()
        label_font.setBold(True)
        self.target_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            # At the right end, where the paths are most spread out and rarely sit on it.
            label="Target",
            labelOpts=dict(position=0.99, anchors=[(1, 1), (1, 1)]),
        )
        self.target_line.label.setFont(label_font)
        self.target_year_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            label="",
            labelOpts=dict(position=0.04, anchors=[(0, 1), (0, 1)]),
        )
        plot.addItem(self.target_line)
        plot.addItem(self.target_year_line)

        # Pinned scenarios, created as needed and then reused.
        self._overlay_items: list[pg.PlotDataItem] = []
        self._overlays: list[Overlay] = []

        # Where each shock starts: a line and a label per shock, created as needed and
        # then reused; hidden when there are fewer shocks.
        self._shocks: tuple[Shock, ...] = ()
        self._shock_lines: list[pg.InfiniteLine] = []
        self._shock_font = QFont()
        self._shock_font.setPointSizeF(max(self._shock_font.pointSizeF() * 0.85, 6.0))

        # Hover crosshair: kept out of the autorange so it never moves the axes.
        self.crosshair_v = pg.InfiniteLine(angle=90, movable=False)
        self.crosshair_h = pg.InfiniteLine(angle=0, movable=False)
        self.readout = pg.TextItem("", anchor=(0, 0))
        self._readout_metrics = QFontMetrics(self.readout.textItem.font())
        for item in (self.crosshair_v, self.crosshair_h, self.readout):
            item.setZValue(50)
            item.hide()
            plot.addItem(item, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.apply_colors(theme.colors())
        if history is not None:
            self._set_history(history)

    # --- public API ----------------------------------------------------
    @property
    def projection(self) -> Projection | None:
        return self._projection

    def _recolor(self, c: ChartColors, k: float) -> None:
        plot = self.getPlotItem()
        self.setBackground(c.background)
        _style_plot(plot, c, k)
        _set_legend_text(self.legend, c.foreground)
        for band, sample, alpha in (
            (self.outer_band, self._band_samples[0], 45),
            (self.inner_band, self._band_samples[1], 85),
        ):
            band.setBrush(pg.mkBrush(*c.band, alpha))
            sample.setFillBrush(pg.mkBrush(*c.band, alpha))
        self.p50_curve.setPen(_pen(c.p50, 2.5, k))
        self.deterministic_curve.setPen(_pen(c.deterministic, 2, k, Qt.PenStyle.DashLine))
        for item, brush in ((self.history_reported, c.history), (self.history_other, c.background)):
            item.setPen(pg.mkPen(c.history, width=1.5))
            item.setBrush(pg.mkBrush(brush))
        self.target_line.setPen(_pen(c.target, 1.5, k, Qt.PenStyle.DashLine))
        self.target_year_line.setPen(_pen(c.target, 1, k, Qt.PenStyle.DotLine))
        for line in (self.target_line, self.target_year_line):
            _set_text_box(line.label, c.target, c.label_fill)
        for line in self._shock_lines:
            self._color_shock_line(line)
        cross_pen = _pen(c.crosshair, 1, k)
        self.crosshair_v.setPen(cross_pen)
        self.crosshair_h.setPen(cross_pen)
        _set_text_box(self.readout, c.foreground, c.readout_fill, c.readout_border)
        for item, overlay in zip(self._overlay_items, self._overlays, strict=False):
            item.setPen(self._overlay_pen(overlay))

    @property
    def shocks(self) -> tuple[Shock, ...]:
        return self._shocks

    def shock_lines(self) -> list[pg.InfiniteLine]:
        """The marker of each shock, in the scenario's order."""
        return self._shock_lines[: len(self._shocks)]

    def set_shocks(self, shocks: Sequence[Shock]) -> None:
        """Mark where each shock starts, with its name. Runs on every redraw, so it
        returns at once when the shocks are unchanged and otherwise relabels, moves and
        shows only what changed."""
        shocks = tuple(shocks)
        if shocks == self._shocks:
            return
        self._shocks = shocks
        plot = self.getPlotItem()
        while len(self._shock_lines) < len(shocks):
            line = pg.InfiniteLine(
                angle=90,
                movable=False,
                label="",
                # Text on the side of the line towards the middle of the plot, so a label
                # near either edge stays inside it (pyqtgraph switches between the two).
                labelOpts=dict(anchors=[(0, 0), (1, 0)]),
            )
            line.label.setFont(self._shock_font)
            line.setZValue(8)
            self._color_shock_line(line)
            # Kept out of the autorange: a shock after the horizon must not widen the years.
            plot.addItem(line, ignoreBounds=True)
            self._shock_lines.append(line)
        metrics = QFontMetrics(self._shock_font)
        slot_of_start: dict[int, int] = {}
        order = sorted(range(len(shocks)), key=lambda i: (shocks[i].start_year, i))
        previous: int | None = None
        slot = 0
        for i in order:
            year = shocks[i].start_year
            # Shocks within three years of the one before share the top and step down.
            slot = slot + 1 if previous is not None and year - previous < 4 else 0
            slot_of_start[i] = slot % len(SHOCK_LABEL_SLOTS)
            previous = year
        for i, line in enumerate(self._shock_lines):
            if i >= len(shocks):
                line.hide()
                continue
            shock = shocks[i]
            if line.value() != shock.start_year:
                line.setPos(shock.start_year)
            name = metrics.elidedText(
                shock_name(shock, i), Qt.TextElideMode.ElideRight, SHOCK_LABEL_WIDTH
            )
            _set_label(line, _escape_format(name))
            position = SHOCK_LABEL_SLOTS[slot_of_start[i]]
            if line.label.orthoPos != position:
                line.label.setPosition(position)
            line.setToolTip(
                f"{shock_name(shock, i)}: from {shock.start_year}, {shock_summary(shock)}"
            )
            if not line.isVisible():
                line.show()

    def set_projection(self, projection: Projection) -> None:
        """Show one projection. Cheap: setData on the existing items only."""
        self._projection = projection
        years = projection.years
        bands = projection.bands
        self.p10_curve.setData(years, bands[10])
        self.p90_curve.setData(years, bands[90])
        self.p25_curve.setData(years, bands[25])
        self.p75_curve.setData(years, bands[75])
        self.outer_band.updatePath()
        self.inner_band.updatePath()
        self.p50_curve.setData(years, bands[50])
        self.deterministic_curve.setData(years, projection.deterministic)
        self._place_target()
        if self.target_year_line.value() != projection.target_year:
            self.target_year_line.setPos(projection.target_year)
        _set_label(self.target_year_line, str(projection.target_year))

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        """Draw each pinned scenario's P50 in its own colour; replaces earlier overlays."""
        plot = self.getPlotItem()
        self._overlays = list(overlays)
        while len(self._overlay_items) < len(self._overlays):
            item = pg.PlotDataItem(antialias=True)
            item.setZValue(5)
            plot.addItem(item)
            self._overlay_items.append(item)
        for item in self._overlay_items:
            self.legend.removeItem(item)
        for i, item in enumerate(self._overlay_items):
            if i < len(self._overlays):
                overlay = self._overlays[i]
                item.setPen(self._overlay_pen(overlay))
                item.setData(overlay.projection.years, overlay.projection.p50)
                item.show()
                self.legend.addItem(item, f"{overlay.name} (P50)")
            else:
                item.setData([], [])
                item.hide()

    @property
    def overlays(self) -> list[Overlay]:
        return list(self._overlays)

    @property
    def overlay_items(self) -> list[pg.PlotDataItem]:
        return self._overlay_items[: len(self._overlays)]

    def is_log(self) -> bool:
        return self._log

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        self._fit_legend(self.width())
        super().resizeEvent(ev)

    def _fit_legend(self, width: int) -> None:
        """The key wraps to more rows on a narrow chart, so the plot never outgrows its view."""
        columns = 3 if width >= 640 else 2 if width >= 420 else 1
        legend = self.__dict__.get("legend")  # None while pyqtgraph's own set-up resizes
        if legend is not None and legend.columnCount != columns:
            legend.setColumnCount(columns)

    def set_log(self, on: bool) -> None:
        """Log or linear turnover axis."""
        on = bool(on)
        if on == self._log:
            return
        self._log = on
        self.getPlotItem().setLogMode(x=False, y=on)
        # FillBetweenItem follows sigPlotChanged, which a log-mode switch does not emit.
        self.outer_band.updatePath()
        self.inner_band.updatePath()
        if self._history is not None:
            self._set_history(self._history)
        self._place_target()
        self.crosshair_h.hide()
        self.readout.hide()
        self.crosshair_v.hide()
        self.getPlotItem().enableAutoRange()
        self.sigLogChanged.emit(on)

    def set_range_held(self, held: bool, hold_x: bool = False) -> None:
        """Keep the range still while a slider is held; on release, refit what was fitting.

        The y-range always holds; the x-range too with ``hold_x`` (see ``_RangeHold``).
        """
        self._range_hold.set(held, hold_x)

    def y_range(self) -> tuple[float, float]:
        """The visible turnover range in $M (whatever the axis mode)."""
        lo, hi = self.getPlotItem().getViewBox().viewRange()[1]
        if not self._log:
            return (lo, hi)
        return (10 ** min(lo, 300.0), 10 ** min(hi, 300.0))

    # --- internals -----------------------------------------------------
    def _overlay_pen(self, overlay: Overlay):
        colors = self._colors or theme.LIGHT
        scale = self._look[1] if self._look is not None else self.devicePixelRatioF()
        return _pen(_line_color(overlay.color, colors), 2, scale, Qt.PenStyle.DashDotLine)

    def _color_shock_line(self, line: pg.InfiniteLine) -> None:
        c = self._colors or theme.LIGHT
        scale = self._look[1] if self._look is not None else self.devicePixelRatioF()
        line.setPen(_pen(c.shock, 1.5, scale, Qt.PenStyle.DashDotLine))
        _set_text_box(line.label, c.shock, c.shock_fill)

    def _to_axis(self, value: float) -> float:
        if not self._log:
            return value
        return math.log10(value) if value > 0 else float("nan")

    def _place_target(self) -> None:
        if self._projection is None:
            return
        target = self._projection.target_musd
        position = self._to_axis(target)
        if self.target_line.value() != position:
            self.target_line.setPos(position)
        _set_label(self.target_line, f"Target {money(target)}")

    def _set_history(self, history: HistorySeries) -> None:
        known = np.isfinite(history.values)
        reported = history.reported_mask()
        for item, mask in (
            (self.history_reported, known & reported),
            (self.history_other, known & ~reported),
        ):
            idx = np.nonzero(mask)[0]
            values = history.values[idx]
            y = np.log10(values) if self._log else values
            item.setData(
                x=history.years[idx].astype(float),
                y=y,
                data=[self._history_text(history, int(i)) for i in idx],
            )

    @staticmethod
    def _history_text(history: HistorySeries, i: int) -> str:
        r = history.figure(int(history.years[i]))
        assert r is not None  # i indexes the history
        lines = [f"{r.year}: {record_figure(r)}", f"Source: {r.source}"]
        if r.note:
            lines.append(f"Note: {r.note}")
        return "\n".join(lines)

    @staticmethod
    def _history_tip(x: float, y: float, data: str) -> str:
        return data

    def _on_band_sample_visible_changed(
        self, band: pg.FillBetweenItem, sample: pg.PlotDataItem
    ) -> None:
        band.setVisible(sample.isVisible())

    def leaveEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        if self.closed:
            # pyqtgraph's close() deleted the scene and its items; a late Leave (the
            # pointer moving on to another window) must not touch them.
            return
        for item in (self.crosshair_v, self.crosshair_h, self.readout):
            item.hide()
        super().leaveEvent(ev)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        view = self.getPlotItem().getViewBox()
        projection = self._projection
        if projection is None or not view.sceneBoundingRect().contains(pos):
            for item in (self.crosshair_v, self.crosshair_h, self.readout):
                item.hide()
            return
        point = view.mapSceneToView(pos)
        year = int(round(point.x()))
        self.crosshair_v.setPos(year)
        self.crosshair_h.setPos(point.y())
        cursor_value = 10 ** point.y() if self._log else point.y()
        self.readout.setText(self.readout_text(year, cursor_value))
        (x0, x1), (y0, y1) = view.viewRange()
        # Beside the cursor, on the side with more room, so the box stays inside the plot.
        self.readout.setAnchor(
            (1 if year > (x0 + x1) / 2 else 0, 0 if point.y() > (y0 + y1) / 2 else 1)
        )
        self.readout.setPos(year, point.y())
        for item in (self.crosshair_v, self.crosshair_h, self.readout):
            item.show()

    def readout_text(self, year: int, cursor_value: float | None = None) -> str:
        """What the crosshair reads at ``year``: the figures of that year."""
        projection = self._projection
        lines = [f"{year}"]
        if projection is not None and projection.years[0] <= year <= projection.years[-1]:
            i = year - int(projection.years[0])
            b = projection.bands
            lines += [
                f"P50 {money(b[50][i])}",
                f"P25–P75 {money(b[25][i])} – {money(b[75][i])}",
                f"P10–P90 {money(b[10][i])} – {money(b[90][i])}",
                f"Deterministic {money(projection.deterministic[i])}",
            ]
            for overlay in self._overlays:
                p = overlay.projection
                if p.years[0] <= year <= p.years[-1]:
                    lines.append(f"{overlay.name} P50 {money(p.p50[year - int(p.years[0])])}")
        for i, shock in enumerate(self._shocks):
            if shock.start_year == year:
                name = self._readout_metrics.elidedText(
                    shock_name(shock, i), Qt.TextElideMode.ElideRight, 2 * SHOCK_LABEL_WIDTH
                )
                lines.append(f"Shock starts: {name} ({shock_summary(shock)})")
        if self._history is not None:
            record = self._history.figure(year)
            if record is not None:
                lines.append(f"History {record_figure(record)}")
        if cursor_value is not None and math.isfinite(cursor_value):
            lines.append(f"Cursor {money(cursor_value)}")
        return "\n".join(lines)
