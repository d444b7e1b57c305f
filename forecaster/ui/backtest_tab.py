"""The Backtest tab: the scenario judged against the record (issue 11).

Left, in words: the coverage of both bands against their nominal 80% and 50% with
the 90% binomial (Wilson) interval, the CRPS against the naive benchmark and the skill,
and what these mean. Right: the origin-by-origin fans drawn faintly against the record,
and the two coverages as points with their intervals beside the nominal marks.

Like the other charts, the plot items are made once and fed new arrays; a fan's items
are kept in a pool that only grows (a record of n years has at most n - 1 origins).
The tab only draws the ``RollingBacktest`` it is given: ``ScenarioView`` computes it off
the drag path. All words and figures come from ``forecaster.engine.formatting``.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.calibration import DEFAULT_REACH_YEARS, RollingBacktest
from forecaster.engine.formatting import (
    backtest_explained,
    coverage_text,
    crps_text,
    rolling_backtest_scope,
    sentence,
)
from forecaster.engine.history import HistorySeries
from forecaster.engine.projection import MAX_STEPS

from . import theme
from .chart_axes import MoneyAxis
from .chart_style import _drop_scene_export, _style_plot

FAN_COLOR = (31, 119, 180)
OBSERVED_COLOR = "#1f4e9c"
NOMINAL_COLOR = "#c0392b"
LOG_FLOOR = 0.1  # $M: a band edge at 0 is drawn at the axis floor on the log scale


class _SparseLogAxis(MoneyAxis):
    """On the log scale, figures at 1, 2 and 5 of each decade only: in a short tab the
    labels of every minor tick (2, 3, ... 9) run into each other."""

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        labels = super().logTickStrings(values, scale, spacing)
        out = []
        for v, label in zip(values, labels, strict=True):
            mantissa = round(10 ** (float(v) % 1.0), 6)
            out.append(label if mantissa in (1.0, 2.0, 5.0, 10.0) else "")
        return out


class _Fan:
    """The plot items of one origin's fan, made once and reused."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.p10 = pg.PlotDataItem()
        self.p90 = pg.PlotDataItem()
        self.fill = pg.FillBetweenItem(self.p10, self.p90, brush=pg.mkBrush(*FAN_COLOR, 28))
        for curve in self.fill.curves:
            curve.sigPlotChanged.disconnect(self.fill.curveChanged)
            curve.hide()
        self.p50 = pg.PlotDataItem(pen=pg.mkPen((*FAN_COLOR, 150), width=1.2), antialias=True)
        for item in (self.fill, self.p10, self.p90, self.p50):
            plot.addItem(item)

    def show(self, years: np.ndarray, bands: dict[int, np.ndarray]) -> None:
        x = years.astype(float)
        self.p10.setData(x, np.maximum(bands[10], LOG_FLOOR))
        self.p90.setData(x, np.maximum(bands[90], LOG_FLOOR))
        self.fill.updatePath()
        self.p50.setData(x, np.maximum(bands[50], LOG_FLOOR))
        self.fill.show()
        self.p50.show()

    def hide(self) -> None:
        self.fill.hide()
        self.p50.hide()

    def is_shown(self) -> bool:
        return self.p50.isVisible()


class BacktestTab(QWidget):
    """Coverage, CRPS and skill in words; the origin fans and the coverages drawn."""

    sigReachChanged = Signal(int)

    def __init__(self, history: HistorySeries, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backtest_tab")
        self._history = history
        self._backtest: RollingBacktest | None = None

        # Left: the figures in words, the reach, and what it all means.
        self.reach_spin = QSpinBox()
        self.reach_spin.setObjectName("backtest_reach")
        self.reach_spin.setRange(1, MAX_STEPS)
        self.reach_spin.setValue(DEFAULT_REACH_YEARS)
        self.reach_spin.setSuffix(" yr ahead")
        self.reach_spin.setToolTip(
            "How far ahead each origin's forecast is scored: the 1 to K years after it."
        )
        self.reach_spin.setKeyboardTracking(False)
        self.reach_spin.valueChanged.connect(self.sigReachChanged)
        reach_row = QHBoxLayout()
        reach_row.setContentsMargins(0, 0, 0, 0)
        reach_label = QLabel("Score up to")
        reach_label.setBuddy(self.reach_spin)
        reach_row.addWidget(reach_label)
        reach_row.addWidget(self.reach_spin)
        reach_row.addStretch(1)

        self.scope_label = QLabel()
        self.scope_label.setObjectName("backtest_scope")
        self.figures_label = QLabel()
        self.figures_label.setObjectName("backtest_figures")
        self.explain_label = QLabel()
        self.explain_label.setObjectName("backtest_explained")
        for label in (self.scope_label, self.figures_label, self.explain_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explain_label.setStyleSheet("color: #444;")
        words = QWidget()
        words_layout = QVBoxLayout(words)
        words_layout.setContentsMargins(6, 4, 6, 4)
        words_layout.setSpacing(6)
        words_layout.addLayout(reach_row)
        words_layout.addWidget(self.scope_label)
        words_layout.addWidget(self.figures_label)
        words_layout.addWidget(self.explain_label)
        words_layout.addStretch(1)
        self.words_scroll = QScrollArea()
        self.words_scroll.setWidget(words)
        self.words_scroll.setWidgetResizable(True)
        self.words_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.words_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.words_scroll.setMinimumWidth(230)

        # Right: the fans against the record, and the coverages against nominal.
        # Two widgets, not one graphics layout: Qt's layout then shares the width, so a
        # narrow tab squeezes both instead of clipping the second.
        colors = theme.colors()
        self.fan_chart = pg.PlotWidget(
            background=colors.background, axisItems={"left": _SparseLogAxis("left")}
        )
        self.fan_chart.setObjectName("backtest_fans")
        self.coverage_chart = pg.PlotWidget(background=colors.background)
        self.coverage_chart.setObjectName("backtest_coverage")
        self.coverage_chart.setMinimumWidth(140)
        self.coverage_chart.setMaximumWidth(170)
        for chart in (self.fan_chart, self.coverage_chart):
            _drop_scene_export(chart)
        self.fan_plot = self.fan_chart.getPlotItem()
        self.coverage_plot = self.coverage_chart.getPlotItem()
        for plot in (self.fan_plot, self.coverage_plot):
            _style_plot(plot, colors, 1.0)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(x=False, y=False)
        self.fan_plot.setLogMode(x=False, y=True)
        self.fan_plot.setTitle(
            "Origin fans vs &#9679; record ($M)",
            color=colors.foreground,
            size="9pt",
        )
        self.fan_plot.setLabel("bottom", "Year")
        self._fans: list[_Fan] = []
        self.record_curve = pg.PlotDataItem(
            pen=pg.mkPen(colors.history, width=1.5),
            symbol="o",
            symbolSize=6,
            symbolPen=pg.mkPen(colors.history),
            symbolBrush=pg.mkBrush(colors.history),
            connect="finite",
            antialias=True,
        )
        self.record_curve.setZValue(10)
        self.fan_plot.addItem(self.record_curve)

        cov = self.coverage_plot
        cov.setTitle("Coverage %", color=colors.foreground, size="9pt")
        cov.getAxis("bottom").setTicks([[(0.0, "P10–P90"), (1.0, "P25–P75")], []])
        cov.setXRange(-0.6, 1.6, padding=0)
        cov.setYRange(0, 100, padding=0.04)
        cov.getAxis("left").setTicks([[(v, f"{v}") for v in range(0, 101, 20)], []])
        cov.showGrid(x=False, y=True, alpha=0.2)
        self.nominal_marks = pg.PlotDataItem(
            [-0.3, 0.3, np.nan, 0.7, 1.3],
            [80, 80, np.nan, 50, 50],
            pen=pg.mkPen(NOMINAL_COLOR, width=2, style=Qt.PenStyle.DashLine),
            connect="finite",
        )
        self.interval_bars = pg.ErrorBarItem(
            x=np.array([0.0, 1.0]),
            y=np.array([0.0, 0.0]),
            top=np.zeros(2),
            bottom=np.zeros(2),
            beam=0.25,
            pen=pg.mkPen(OBSERVED_COLOR, width=2),
        )
        self.observed_points = pg.ScatterPlotItem(
            x=[0.0, 1.0],
            y=[0.0, 0.0],
            size=10,
            pen=pg.mkPen(OBSERVED_COLOR),
            brush=pg.mkBrush(OBSERVED_COLOR),
        )
        for item in (self.nominal_marks, self.interval_bars, self.observed_points):
            cov.addItem(item)
        plots = QWidget()
        plots.setObjectName("backtest_plots")
        plots_layout = QHBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.setSpacing(0)
        plots_layout.addWidget(self.fan_chart, 1)
        plots_layout.addWidget(self.coverage_chart, 0)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("backtest_splitter")
        splitter.addWidget(self.words_scroll)
        splitter.addWidget(plots)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._show_record()

    # --- public API ----------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Follow the colour scheme, as the other charts do (theme.py)."""
        if theme.is_palette_change(event):
            colors = theme.colors()
            for chart in (self.fan_chart, self.coverage_chart):
                chart.setBackground(colors.background)
                _style_plot(chart.getPlotItem(), colors, 1.0)
            self.fan_plot.setTitle(
                "Origin fans vs &#9679; record ($M)", color=colors.foreground, size="9pt"
            )
            self.coverage_plot.setTitle("Coverage %", color=colors.foreground, size="9pt")
            self.record_curve.setPen(pg.mkPen(colors.history, width=1.5))
            self.record_curve.setSymbolPen(pg.mkPen(colors.history))
            self.record_curve.setSymbolBrush(pg.mkBrush(colors.history))
        super().changeEvent(event)

    @property
    def backtest(self) -> RollingBacktest | None:
        """The backtest drawn (None before the first one)."""
        return self._backtest

    def reach_years(self) -> int:
        return int(self.reach_spin.value())

    def shown_fans(self) -> list[_Fan]:
        return [fan for fan in self._fans if fan.is_shown()]

    def set_backtest(self, bt: RollingBacktest) -> None:
        self._backtest = bt
        self.scope_label.setText(
            f"<b>Rolling backtest:</b> {html.escape(rolling_backtest_scope(bt))}"
        )
        if bt.pairs:
            figures = [coverage_text(bt, 80), coverage_text(bt, 50), sentence(crps_text(bt))]
        else:
            figures = ["No pairs to score: no year with a figure follows an origin."]
        figures += [f"Origin {s.origin} left out: {s.reason}" for s in bt.skipped]
        self.figures_label.setText(
            "".join(f"<p style='margin:0 0 4px 0'>{html.escape(f)}</p>" for f in figures)
        )
        self.explain_label.setText(
            "".join(f"<p style='margin:0 0 4px 0'>{p}</p>" for p in backtest_explained(bt))
        )
        self._show_fans(bt)
        self._show_coverage(bt)

    # --- drawing -------------------------------------------------------
    def _show_record(self) -> None:
        h = self._history
        values = np.where(np.isfinite(h.values) & (h.values > 0), h.values, np.nan)
        self.record_curve.setData(h.years.astype(float), values)

    def _show_fans(self, bt: RollingBacktest) -> None:
        while len(self._fans) < len(bt.fans):
            self._fans.append(_Fan(self.fan_plot))
        for fan, origin_fan in zip(self._fans, bt.fans, strict=False):
            fan.show(origin_fan.years, origin_fan.bands)
        for fan in self._fans[len(bt.fans) :]:
            fan.hide()
        self.fan_plot.enableAutoRange()

    def _show_coverage(self, bt: RollingBacktest) -> None:
        if not bt.pairs or bt.coverage_80_ci90 is None or bt.coverage_50_ci90 is None:
            self.observed_points.hide()
            self.interval_bars.hide()
            return
        shares = np.array([bt.coverage_80 or 0.0, bt.coverage_50 or 0.0]) * 100
        lo = np.array([bt.coverage_80_ci90[0], bt.coverage_50_ci90[0]]) * 100
        hi = np.array([bt.coverage_80_ci90[1], bt.coverage_50_ci90[1]]) * 100
        x = np.array([0.0, 1.0])
        self.observed_points.setData(x=x, y=shares)
        self.interval_bars.setData(x=x, y=shares, top=hi - shares, bottom=shares - lo)
        self.observed_points.show()
        self.interval_bars.show()
