"""The scenario window's central area: controls left, charts centre, answers right.

This is where the one-way data flow is wired: a control changes the document;
the document's ``sigScenarioChanged`` reaches a leading-edge throttler; the
throttler runs one recompute (engine) and one redraw (charts + summary) with the
document's latest scenario. The main window embeds this widget and talks to it
only through the public API below.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cached_property
from typing import TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import QSignalThrottler

from forecaster.engine.analysis import sensitivity
from forecaster.engine.answer import Answer, answer, with_rolling_backtest
from forecaster.engine.formatting import subject
from forecaster.engine.history import HistorySeries
from forecaster.engine.messages import error_text
from forecaster.engine.params import SPECS, Scenario, ScenarioError
from forecaster.engine.projection import NotEnoughMemory, Projection, project

from . import theme
from .accessibility import describe_charts, describe_view
from .backtest_tab import BacktestTab
from .charts import DebtChart, ProjectionChart, TornadoChart
from .controls import ControlPanel
from .document import ScenarioDocument
from .overlay import Overlay
from .sliders import step_up
from .summary import SummaryPanel
from .table_tab import TableTab

SUMMARY_MIN_WIDTH = 230
CHART_MIN_WIDTH = 360

_W = TypeVar("_W", bound=QWidget)

# The chart tabs after Debt, built on first show: attribute, (title, tooltip).
LAZY_TABS = {
    "tornado_chart": (
        "Sensitivity",
        "How much one page step of each lever moves the target-year P50.",
    ),
    "backtest_tab": (
        "Backtest",
        "The scenario restarted from each year of the record and judged against what "
        "happened: band coverage and skill.",
    ),
    "table_tab": ("Table", "The per-year figures, to copy into a spreadsheet."),
}

# Parameters whose drag changes the years on the x-axis, which must then follow.
YEAR_RANGE_KEYS = frozenset({"base_year", "horizon_year"})
# Settings whose every step draws all the random paths anew (about 9 ms at 10,000 draws,
# 100 ms at 100,000): a drag of one is computed when it is released, not on each step.
RELEASE_ONLY_KEYS = frozenset(key for key in ("draws", "seed") if not SPECS[key].lever)


class ScenarioView(QWidget):
    """Control panel, projection/debt/sensitivity charts and the summary of one document."""

    sigProjectionUpdated = Signal(object)  # the Projection just drawn
    # A change could not be computed (not enough memory) and was taken back; the message.
    sigComputeRefused = Signal(str)

    def __init__(self, document: ScenarioDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenario_view")
        self.document = document
        self._history = document.history
        self._projection: Projection | None = None
        self._answer: Answer | None = None
        self._answer_scenario = document.scenario  # the scenario _answer is for
        self._update_on_release = False
        self._dragging = False
        self._drag_keys: set[str] = set()  # the parameters being dragged
        self._pending = False  # a change arrived that is not drawn yet (update-on-release)
        self._tornado_stale = True
        self._backtest_stale = True
        self._table_stale = True

        self.control_panel = ControlPanel(document)
        self.projection_chart = ProjectionChart(history=self._history)
        self.debt_chart = DebtChart()
        self.summary_panel = SummaryPanel()

        # Left: the controls, scrolling.
        self.control_scroll = QScrollArea()
        self.control_scroll.setObjectName("control_scroll")
        self.control_scroll.setWidget(self.control_panel)
        self.control_scroll.setWidgetResizable(True)
        self.control_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.control_scroll.setMinimumWidth(self.control_panel.sizeHint().width() + 24)
        self.control_scroll.setFrameShape(QFrame.Shape.NoFrame)

        # Centre: the projection on top, debt and sensitivity in tabs below.
        self.log_checkbox = QCheckBox("Log scale")
        self.log_checkbox.setObjectName("log_scale")
        self.log_checkbox.setToolTip(
            "Show turnover on a logarithmic axis: equal steps are equal growth rates."
        )
        self.log_checkbox.toggled.connect(self.set_log)
        self.projection_chart.sigLogChanged.connect(self._on_chart_log_changed)
        # What the window is about, in words; follows the target and its year.
        self.subject_label = QLabel()
        self.subject_label.setObjectName("subject")
        self.subject_label.setWordWrap(True)
        head = QHBoxLayout()
        head.setContentsMargins(4, 0, 4, 0)
        head.addWidget(self.subject_label, 1)
        head.addStretch(1)
        head.addWidget(self.log_checkbox)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addLayout(head)
        top_layout.addWidget(self.projection_chart, 1)

        self.chart_tabs = QTabWidget()
        self.chart_tabs.setObjectName("chart_tabs")
        self.chart_tabs.addTab(self.debt_chart, "Debt")
        self.chart_tabs.setTabToolTip(0, "Outstanding Soviet-era debt and the yearly repayments.")
        # The other tabs are built when first shown (or asked for: ``tornado_chart``...):
        # none is in the first frame, and building them was 50 ms of the start-up.
        for title, tip in LAZY_TABS.values():
            self.chart_tabs.setTabToolTip(self.chart_tabs.addTab(QWidget(), title), tip)
        self.chart_splitter = QSplitter(Qt.Orientation.Vertical)
        self.chart_splitter.addWidget(top)
        self.chart_splitter.addWidget(self.chart_tabs)
        self.chart_splitter.setStretchFactor(0, 3)
        self.chart_splitter.setStretchFactor(1, 2)
        self.chart_splitter.setChildrenCollapsible(False)

        # Right: the answers.
        self.summary_scroll = QScrollArea()
        self.summary_scroll.setWidget(self.summary_panel)
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Narrow enough that the chart keeps most of a 1024-pixel window; its labels wrap.
        self.summary_scroll.setMinimumWidth(SUMMARY_MIN_WIDTH)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("view_splitter")
        self.splitter.addWidget(self.control_scroll)
        self.splitter.addWidget(self.chart_splitter)
        self.splitter.addWidget(self.summary_scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.chart_splitter.setMinimumWidth(CHART_MIN_WIDTH)
        self._sized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # Live updates, in two stages, both coalescing bursts and both reading the latest
        # scenario when they run (so the latest value always wins):
        # 1. the projection chart: leading edge, so an idle app draws a change at once with
        #    no timer wait; timeout 0, so while a redraw runs further changes only mark it
        #    pending, and Qt fires the 0 ms timer once queued input is handled.
        # 2. debt chart, summary (goal seek, backtest) and tornado: trailing, 0 ms, so they
        #    run right after the chart's repaint, off the slider-to-pixels path.
        self._throttler = QSignalThrottler(QSignalThrottler.EmissionPolicy.Leading, self)
        self._throttler.setTimeout(0)
        self._throttler.triggered.connect(self._refresh)
        self._followup = QSignalThrottler(QSignalThrottler.EmissionPolicy.Trailing, self)
        self._followup.setTimeout(0)
        self._followup.triggered.connect(self._refresh_followup)
        self._projected_scenario = document.scenario
        self._computed_once = False
        self._reverting = False

        document.sigScenarioChanged.connect(self._on_scenario_changed)
        self.control_panel.sigDragStarted.connect(self._on_drag_started)
        self.control_panel.sigDragFinished.connect(self._on_drag_finished)
        self.control_panel.sigStatusChanged.connect(self._on_status_changed)
        self.summary_panel.sigApplyGrowth.connect(self._on_apply_growth)
        self.chart_tabs.currentChanged.connect(self._on_tab_changed)

        self.set_log(True)
        self._show_subject(
            float(document.scenario["target_turnover_musd"]), int(document.scenario["target_year"])
        )
        self.summary_panel.set_notes(document.scenario.notes)
        describe_view(self)  # names, descriptions and What's This, from the spec table
        self.refresh_now()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._sized:  # the first time only: afterwards the person's splitter wins
            self._sized = True
            self.fit_columns(self.width())

    def fit_columns(self, width: int) -> None:
        """Split ``width`` between the controls, the charts and the summary: the side
        columns take what they need up to a share of the window, the charts the rest."""
        controls = min(self.control_scroll.minimumWidth(), int(width * 0.3))
        summary = max(SUMMARY_MIN_WIDTH, min(340, int(width * 0.24)))
        self.splitter.setSizes(
            [controls, max(CHART_MIN_WIDTH, width - controls - summary), summary]
        )

    # --- the tabs built on first show -------------------------------------
    @cached_property
    def tornado_chart(self) -> TornadoChart:
        return self._into_tab("tornado_chart", TornadoChart())

    @cached_property
    def backtest_tab(self) -> BacktestTab:
        tab = self._into_tab("backtest_tab", BacktestTab(self._history))
        tab.sigReachChanged.connect(self._on_backtest_reach_changed)
        return tab

    @cached_property
    def table_tab(self) -> TableTab:
        return self._into_tab("table_tab", TableTab())

    def _showing(self, name: str) -> bool:
        """Whether the chart tab ``name`` (a key of LAZY_TABS) is the current one."""
        return self.chart_tabs.currentIndex() == 1 + list(LAZY_TABS).index(name)

    def _into_tab(self, name: str, widget: _W) -> _W:
        """``widget`` takes the place of its tab's placeholder, the same tab staying current."""
        index = 1 + list(LAZY_TABS).index(name)
        title, tip = LAZY_TABS[name]
        placeholder = self.chart_tabs.widget(index)
        current = self.chart_tabs.currentIndex()
        with QSignalBlocker(self.chart_tabs):
            self.chart_tabs.removeTab(index)
            self.chart_tabs.insertTab(index, widget, title)
            self.chart_tabs.setTabToolTip(index, tip)
            self.chart_tabs.setCurrentIndex(current)
        if placeholder is not None:
            placeholder.deleteLater()
        describe_charts(self)  # its accessible name and What's This, as the others'
        return widget

    # --- public API ----------------------------------------------------
    @property
    def current_projection(self) -> Projection | None:
        return self._projection

    @property
    def current_answer(self) -> Answer | None:
        """The answer the summary shows (for ``projected_scenario``)."""
        return self._answer

    @property
    def history(self) -> HistorySeries:
        """The shipped record the charts, summary and backtest are judged against."""
        return self._history

    @property
    def projected_scenario(self) -> Scenario:
        """The scenario ``current_projection`` belongs to (it lags during a held drag)."""
        return self._projected_scenario

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        self.projection_chart.set_overlays(list(overlays))

    def set_update_on_release(self, on: bool) -> None:
        """Preference for slow machines: recompute only when a slider is released."""
        self._update_on_release = bool(on)
        if not on and self._pending:
            self._pending = False
            self._throttler.throttle()

    def update_on_release(self) -> bool:
        return self._update_on_release

    def refresh_now(self) -> None:
        """Recompute and redraw everything synchronously with the document's scenario."""
        self._throttler.cancel()
        self._followup.cancel()
        self._pending = False
        if self._refresh(followup=False):
            self._refresh_followup()

    def set_log(self, on: bool) -> None:
        self.projection_chart.set_log(on)

    # --- recompute + redraw -------------------------------------------
    def _refresh(self, followup: bool = True) -> bool:
        """Stage 1: project the document's scenario and redraw the projection chart."""
        scenario = self.document.scenario
        try:
            projection = project(scenario)
        except NotEnoughMemory as exc:
            if self._computed_once and self._projected_scenario != scenario:
                self._revert(str(exc))
                return False
            self._followup.cancel()
            self.summary_panel.show_error(f"Could not compute this scenario: {exc}")
            return False
        except (ArithmeticError, ValueError) as exc:  # ScenarioError is a ValueError
            self._followup.cancel()  # an earlier scenario's figures must not replace this
            self._answer = None
            words = error_text(exc) if isinstance(exc, ScenarioError) else str(exc)
            self.summary_panel.show_error(f"Could not compute this scenario: {words}")
            return False
        self._projection = projection
        self._projected_scenario = scenario
        self._computed_once = True
        self.projection_chart.set_projection(projection)
        self.projection_chart.set_shocks(scenario.shocks)
        if followup:
            self._followup.throttle()
        return True

    def _revert(self, message: str) -> None:
        """The document goes back to the last scenario that was computed (the one on
        screen), so the controls never show a scenario whose figures are not there."""
        self._followup.cancel()
        self._reverting = True
        try:
            self.document.revert_to(self._projected_scenario)
        finally:
            self._reverting = False
        self._followup.throttle()  # the summary and debt chart of the scenario restored
        self.sigComputeRefused.emit(message)

    def _refresh_followup(self) -> None:
        """Stage 2: the debt chart, the summary and the tornado, for the projection drawn."""
        projection, scenario = self._projection, self._projected_scenario
        if projection is None:
            return
        self.debt_chart.set_schedule(projection.debt)
        try:
            result = answer(scenario, projection, self._history, self.summary_panel.percentile)
            self._answer = result
            self._answer_scenario = scenario
            self.summary_panel.set_answer(result, projection)
            self._show_subject(result.target_musd, result.target_year)
            # The tornado stays off the drag path, and is skipped while its tab is hidden.
            if self._dragging or not self._showing("tornado_chart"):
                self._tornado_stale = True
            else:
                self._update_tornado()
            # So is the rolling backtest (about a dozen projections).
            self._backtest_stale = True
            if not self._dragging and self._showing("backtest_tab"):
                self._update_backtest()
            # So does the table.
            self._table_stale = True
            if not self._dragging and self._showing("table_tab"):
                self.ensure_table()
        except (MemoryError, NotEnoughMemory):
            # The goal seek or the tornado ran out of memory: no answer rather than an
            # answer for another scenario.
            self._answer = None
            self.summary_panel.show_error(
                "Could not compute this scenario's summary: not enough memory; try fewer draws"
            )
        self.sigProjectionUpdated.emit(projection)

    def _show_subject(self, target_musd: float, target_year: int) -> None:
        self._subject = (target_musd, target_year)
        text = (
            f"<b>{html.escape(subject(target_musd, target_year))}</b> "
            f"<span style='color:{theme.MUTED[theme.is_dark()]}'>"
            "($M per year; hover for figures)</span>"
        )
        if self.subject_label.text() != text:
            self.subject_label.setText(text)

    def _update_tornado(self) -> None:
        scenario = self._projected_scenario  # the scenario on screen, as the summary's
        self.tornado_chart.set_rows(sensitivity(scenario), int(scenario["target_year"]))
        self._tornado_stale = False

    def _update_backtest(self) -> None:
        """The rolling backtest of the scenario on screen becomes part of its answer."""
        if self._answer is None:
            return
        self._answer = with_rolling_backtest(
            self._answer, self._answer_scenario, self._history, self.backtest_tab.reach_years()
        )
        assert self._answer.rolling_backtest is not None
        self.backtest_tab.set_backtest(self._answer.rolling_backtest)
        self._backtest_stale = False

    def ensure_backtest(self) -> None:
        """Bring the Backtest tab up to date now (skipped while hidden or dragging)."""
        if self._backtest_stale:
            self._update_backtest()

    def ensure_table(self) -> None:
        """Bring the Table tab up to date now (skipped while hidden or dragging)."""
        if self._table_stale and self._projection is not None:
            self.table_tab.set_projection(self._projection, self._history)
            self._table_stale = False

    def ensure_tornado(self) -> None:
        """Bring the tornado up to date now (it is skipped while hidden or dragging)."""
        if self._tornado_stale:
            self._update_tornado()

    # --- handlers -----------------------------------------------------
    def _on_scenario_changed(self, scenario: Scenario) -> None:
        self.summary_panel.set_notes(scenario.notes)
        if self._reverting:
            return  # back to the scenario already drawn: nothing to compute
        if self._dragging and (self._update_on_release or self._drag_keys & RELEASE_ONLY_KEYS):
            self._pending = True
            return
        self._throttler.throttle()

    def _on_drag_started(self, key: str) -> None:
        self._dragging = True
        self._drag_keys.add(key)
        hold_x = key not in YEAR_RANGE_KEYS
        self.projection_chart.set_range_held(True, hold_x=hold_x)
        self.debt_chart.set_range_held(True, hold_x=hold_x)

    def _on_drag_finished(self, key: str) -> None:
        self._drag_keys.discard(key)
        self._dragging = self.control_panel.is_dragging()
        if self._dragging:
            return
        self._drag_keys.clear()
        self.projection_chart.set_range_held(False)
        self.debt_chart.set_range_held(False)
        if self._pending:
            self._pending = False
            self._throttler.throttle()  # its second stage brings the tornado up to date
        elif self._tornado_stale and self._showing("tornado_chart"):
            self._update_tornado()
        elif self._backtest_stale and self._showing("backtest_tab"):
            self._update_backtest()
        elif self._showing("table_tab"):
            self.ensure_table()

    def _on_tab_changed(self, _index: int) -> None:
        for name in LAZY_TABS:
            if self._showing(name):
                getattr(self, name)  # built now, on first show
        if self._showing("tornado_chart") and not self._dragging:
            self.ensure_tornado()
        if self._showing("backtest_tab") and not self._dragging:
            self.ensure_backtest()
        if self._showing("table_tab") and not self._dragging:
            self.ensure_table()

    def _on_backtest_reach_changed(self, _years: int) -> None:
        self._backtest_stale = True
        if self._showing("backtest_tab") and not self._dragging:
            self._update_backtest()

    def _on_apply_growth(self, growth_pct: float) -> None:
        # Up to the slider's step, so the control shows exactly what the document holds
        # and the chosen percentile still reaches the target.
        value = step_up(SPECS["growth_pct"], growth_pct)
        try:
            self.document.set_param("growth_pct", value)
        except ScenarioError as exc:
            self.summary_panel.show_error(error_text(exc), keep_figures=True)

    def _on_status_changed(self, message: str) -> None:
        if message:
            # After the layout has made room for the message, so its position is known.
            QTimer.singleShot(0, self, self._on_status_shown)

    def _on_status_shown(self) -> None:
        label = self.control_panel.status_label()
        if label is not None:
            self.control_scroll.ensureWidgetVisible(label)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if theme.is_palette_change(event) and hasattr(self, "_subject"):
            self._show_subject(*self._subject)  # its grey part in the new palette's grey
        super().changeEvent(event)

    def _on_chart_log_changed(self, on: bool) -> None:
        with QSignalBlocker(self.log_checkbox):
            self.log_checkbox.setChecked(on)
