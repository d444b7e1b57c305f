"""The scenario's charts: the path toward the target, the debt, and the tornado.

Every chart creates its plot items once and afterwards only feeds them new
arrays with ``setData``/``setOpts`` (the pyqtgraph habit from PlotSpeedTest), so
a slider step costs a few array copies and one repaint, never a rebuild.
Charts only draw what they are given; they never compute a projection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QGraphicsItem

from forecaster.engine.analysis import SensitivityRow
from forecaster.engine.debt import DebtSchedule
from forecaster.engine.formatting import money, money_tick, record_figure
from forecaster.engine.history import HistorySeries
from forecaster.engine.params import Shock
from forecaster.engine.projection import Projection

from . import theme
from .overlay import Overlay
from .theme import ChartColors

# Pinned scenarios' colours (the compare dock's swatches); on a dark chart each is drawn
# lightened as needed (``_line_color``) so it stands out from the background.
SHOCK_LABEL_WIDTH = 130  # px: a longer shock name is elided on the chart ("…")
# Where shock labels sit along their lines, top down: neighbours take the next slot.
SHOCK_LABEL_SLOTS = (0.97, 0.89, 0.81, 0.73)


def _pen(color: object, width: float, scale: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine):
    """A pen ``width`` screen points wide at any scale.

    pyqtgraph's pens are cosmetic: their width is in device pixels, which Qt does not
    scale by the device pixel ratio, so at 2x a 1.5 px line came out half as thick and
    a 1 px axis a hairline. ``scale`` is the chart's device pixel ratio (1 for exports).
    """
    return pg.mkPen(color, width=width * scale, style=style)


def _style_plot(plot: pg.PlotItem, colors: ChartColors, scale: float) -> None:
    """Axes, their text and the grid in the palette's foreground (the grid is the axis
    pen at a low alpha)."""
    plot.showGrid(x=True, y=True, alpha=0.2)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(_pen(colors.foreground, 1, scale))
        axis.setTextPen(pg.mkPen(colors.foreground))


def _is_look_change(ev: QEvent) -> bool:
    """A palette change (the colour scheme) or a move to a screen of another scale."""
    return theme.is_palette_change(ev) or ev.type() == QEvent.Type.DevicePixelRatioChange


def _set_legend_text(legend: pg.LegendItem, color: str) -> None:
    """LegendItem.setLabelTextColor only stores the colour; each label is redrawn here."""
    legend.setLabelTextColor(color)
    for _sample, label in legend.items:
        label.setText(label.text)


def _set_text_box(item: pg.TextItem, color: str, fill: object, border: object = None) -> None:
    """TextItem takes its fill and border only in its constructor; they are attributes."""
    item.setColor(color)
    item.fill = pg.mkBrush(fill)
    item.border = pg.mkPen(border)
    item.update()


def _line_color(color: object, colors: ChartColors) -> QColor:
    """A line colour that stands out on the chart's background: on a dark chart a dark
    colour is lightened, its hue kept."""
    qcolor = pg.mkColor(color)
    if colors.dark and qcolor.lightness() < 150:
        h, s, _l, a = qcolor.getHsl()
        qcolor = QColor.fromHsl(max(h, 0), s, 165, a)
    return qcolor


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


def _cache_axes(plot: pg.PlotItem, on: bool) -> None:
    """Keep the axes (with their grid) as pixels while the range is held for a drag.

    Replaying an axis with its grid costs about half of a redraw (bench_redraw.py); a
    held range never changes them. When the range refits, a cache would only add a
    re-render per step, so it is dropped then.
    """
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
    for name in ("left", "bottom"):
        plot.getAxis(name).setCacheMode(mode)


class _RangeHold:
    """Keeps plots' ranges still while a slider is held; on release, refits what was fitting.

    The y-range always holds; the x-range too with ``hold_x`` (for drags that cannot
    change the years shown), which also spares the autorange work on every step and lets
    the axes be kept as pixels. On release each axis gets back the autorange it had
    before the hold, no more.
    """

    def __init__(self, *plots: pg.PlotItem) -> None:
        self._plots = plots
        self._saved: list[tuple[object, ...]] | None = None

    def set(self, held: bool, hold_x: bool = False) -> None:
        for plot in self._plots:
            _cache_axes(plot, held and hold_x)
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


class MoneyAxis(pg.AxisItem):
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


def _set_label(line: pg.InfiniteLine, text: str) -> None:
    """Relabel a line only on a change: each relabel lays the text out again."""
    if line.label.format != text:
        line.label.setFormat(text)


def _drop_scene_export(widget: pg.GraphicsView) -> None:
    """Remove pyqtgraph's right-click "Export...": its SVG exporter fails on these plots
    (pyqtgraph#3495); File > Export Chart is the working path."""
    widget.scene().contextMenu = []


class _Themed:
    """What the three charts share (a mixin, ahead of the pyqtgraph widget): drawn in a
    palette with pens scaled for the screen, and drawn again when the colour scheme or
    the screen's scale changes. Each chart's ``_recolor`` does its own drawing."""

    _colors: ChartColors | None = None
    _look: tuple[ChartColors, float] | None = None

    def _recolor(self, c: ChartColors, k: float) -> None:
        raise NotImplementedError

    @property
    def colors(self) -> ChartColors | None:
        """The palette the chart is drawn in."""
        return self._colors

    def apply_colors(self, colors: ChartColors, pen_scale: float | None = None) -> None:
        """Draw the chart in ``colors`` (the screen's palette, or LIGHT for an export)
        with pens ``pen_scale`` times their width (the screen's device pixel ratio by
        default; 1 for an export); a no-op when it already is."""
        k = self.devicePixelRatioF() if pen_scale is None else pen_scale  # type: ignore[attr-defined]
        if (colors, k) == self._look:
            return
        self._look = (colors, k)
        self._colors = colors
        self._recolor(colors, k)

    def changeEvent(self, ev: QEvent) -> None:  # noqa: N802 (Qt's name)
        # Not while pyqtgraph's own set-up (which sets a palette role) is under way.
        if _is_look_change(ev) and self.__dict__.get("_colors") is not None:
            self.apply_colors(theme.colors())
        super().changeEvent(ev)  # type: ignore[misc]


class ProjectionChart(_Themed, pg.PlotWidget):
    """Turnover in $M by year: bands, P50, deterministic path, history, target."""

    sigLogChanged = Signal(bool)

    def __init__(self, parent=None, history: HistorySeries | None = None) -> None:
        theme.follow_system()
        super().__init__(parent=parent, axisItems={"left": MoneyAxis("left")})
        self.setObjectName("projection_chart")
        _drop_scene_export(self)
        self._log = False
        self._projection: Projection | None = None
        self._history = history
        plot = self.getPlotItem()
        self._range_hold = _RangeHold(plot)
        plot.setLabel("left", "Turnover a year")
        plot.setLabel("bottom", "Year")
        plot.setMenuEnabled(False)
        plot.hideButtons()
        # No mouse zoom or pan: with the buttons and menu hidden, one wheel notch would
        # switch the autorange off for good. Hovering still reads the figures.
        plot.setMouseEnabled(x=False, y=False)
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


class DebtChart(_Themed, pg.GraphicsLayoutWidget):
    """The Soviet-era debt deal: what is still owed, and what is repaid each year."""

    def __init__(self, parent=None) -> None:
        theme.follow_system()
        super().__init__(parent=parent)
        self.setObjectName("debt_chart")
        _drop_scene_export(self)
        self.outstanding_plot = self.addPlot(row=0, col=0, axisItems={"left": MoneyAxis("left")})
        self.repayment_plot = self.addPlot(row=1, col=0, axisItems={"left": MoneyAxis("left")})
        for plot in (self.outstanding_plot, self.repayment_plot):
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(x=False, y=False)  # as the projection chart: no way back
        self._range_hold = _RangeHold(self.outstanding_plot, self.repayment_plot)
        self.repayment_plot.setLabel("bottom", "Year")
        self.repayment_plot.setXLink(self.outstanding_plot)

        self.outstanding_curve = self.outstanding_plot.plot([], [], fillLevel=0)
        self.scheduled_bars = pg.BarGraphItem(
            x=[0.0], height=[0.0], width=0.8, brush=pg.mkBrush(None)
        )
        self.paid_bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.8, pen=pg.mkPen(None))
        self.reinvested_bars = pg.BarGraphItem(
            x=[0.0], height=[0.0], width=0.45, pen=pg.mkPen(None)
        )
        for item in (self.paid_bars, self.reinvested_bars, self.scheduled_bars):
            self.repayment_plot.addItem(item)
        self._schedule: DebtSchedule | None = None
        self.apply_colors(theme.colors())

    def _recolor(self, c: ChartColors, k: float) -> None:
        self.setBackground(c.background)
        for plot in (self.outstanding_plot, self.repayment_plot):
            _style_plot(plot, c, k)
        self.outstanding_plot.setTitle(
            "Debt outstanding at year end, with arrears ($M)", color=c.foreground, size="9pt"
        )
        # The key sits in the title: a legend box would cover the bars, which fill the plot.
        self.repayment_plot.setTitle(
            "Repaid per year ($M): "
            f"<span style='color:{c.paid}'>&#9632;</span> paid &nbsp;"
            f"<span style='color:{c.reinvested}'>&#9632;</span> reinvested as trade &nbsp;"
            f"<span style='color:{c.scheduled}'>&#9633;</span> scheduled",
            color=c.foreground,
            size="9pt",
        )
        self.outstanding_curve.setPen(_pen(c.outstanding, 2, k))
        self.outstanding_curve.setFillBrush(pg.mkBrush(c.outstanding_fill))
        self.scheduled_bars.setOpts(pen=_pen(c.scheduled, 1, k, Qt.PenStyle.DashLine))
        self.paid_bars.setOpts(brush=pg.mkBrush(c.paid))
        self.reinvested_bars.setOpts(brush=pg.mkBrush(c.reinvested))

    @property
    def schedule(self) -> DebtSchedule | None:
        return self._schedule

    def set_schedule(self, schedule: DebtSchedule) -> None:
        self._schedule = schedule
        years = schedule.years.astype(float)
        self.outstanding_curve.setData(years, schedule.outstanding)
        self.scheduled_bars.setOpts(x=years, height=schedule.scheduled)
        self.paid_bars.setOpts(x=years, height=schedule.paid)
        self.reinvested_bars.setOpts(x=years, height=schedule.reinvested)

    def set_range_held(self, held: bool, hold_x: bool = False) -> None:
        """As ``ProjectionChart.set_range_held``, for both plots (they share the years)."""
        self._range_hold.set(held, hold_x)


class TornadoChart(_Themed, pg.PlotWidget):
    """Which lever moves the target-year P50 most: one bar pair per lever, widest on top."""

    def __init__(self, parent=None) -> None:
        theme.follow_system()
        super().__init__(parent=parent)
        self.setObjectName("tornado_chart")
        _drop_scene_export(self)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        self.down_bars = pg.BarGraphItem(
            x0=[0.0], y=[0.0], width=[0.0], height=0.38, pen=pg.mkPen(None)
        )
        self.up_bars = pg.BarGraphItem(
            x0=[0.0], y=[0.0], width=[0.0], height=0.38, pen=pg.mkPen(None)
        )
        self.zero_line = pg.InfiniteLine(angle=90, pos=0, movable=False)
        plot.addItem(self.down_bars)
        plot.addItem(self.up_bars)
        plot.addItem(self.zero_line)
        self.legend = plot.addLegend(offset=(-8, -8))
        self.legend.addItem(self.down_bars, "Lever one page step down")
        self.legend.addItem(self.up_bars, "Lever one page step up")
        self._rows: list[SensitivityRow] = []
        self.apply_colors(theme.colors())

    def _recolor(self, c: ChartColors, k: float) -> None:
        self.setBackground(c.background)
        plot = self.getPlotItem()
        _style_plot(plot, c, k)
        plot.showGrid(x=True, y=False, alpha=0.2)
        self.down_bars.setOpts(brush=pg.mkBrush(c.down))
        self.up_bars.setOpts(brush=pg.mkBrush(c.up))
        self.zero_line.setPen(_pen(c.foreground, 1, k))
        self.legend.setBrush(pg.mkBrush(c.legend_fill))
        _set_legend_text(self.legend, c.foreground)

    @property
    def rows(self) -> list[SensitivityRow]:
        return list(self._rows)

    def lever_labels(self) -> list[str]:
        """The y-axis labels, top to bottom."""
        return [self._row_label(r) for r in self._rows]

    @staticmethod
    def _row_label(row: SensitivityRow) -> str:
        from forecaster.engine.params import SPECS

        spec = SPECS.get(row.key)
        unit = f" {spec.unit}" if spec is not None and spec.unit else ""
        return f"{row.label} ({row.low_value:g} / {row.high_value:g}{unit})"

    def set_rows(self, rows: Sequence[SensitivityRow], target_year: int) -> None:
        self._rows = list(rows)
        n = len(self._rows)
        y = np.arange(n, dtype=float)[::-1]  # widest swing at the top
        down = np.array([r.low_delta for r in self._rows], dtype=float)
        up = np.array([r.high_delta for r in self._rows], dtype=float)
        zeros = np.zeros(n)
        self.down_bars.setOpts(x0=zeros, y=y + 0.2, width=down, height=0.38)
        self.up_bars.setOpts(x0=zeros, y=y - 0.2, width=up, height=0.38)
        plot = self.getPlotItem()
        plot.getAxis("left").setTicks(
            [[(float(y[i]), self._row_label(r)) for i, r in enumerate(self._rows)], []]
        )
        plot.setLabel("bottom", f"Change in {target_year} P50 turnover ($M)")
        plot.setYRange(-0.7, n - 0.3, padding=0)
        extent = float(np.max(np.abs(np.concatenate([down, up, [1.0]]))))
        plot.setXRange(-extent, extent, padding=0.08)
