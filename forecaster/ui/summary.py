"""The answer to "do we reach the target?", in words and figures, beside the charts.

The panel formats what the engine computed (projection, goal seek, backtest); it
holds no parameters. The goal-seek "Apply" button only emits ``sigApplyGrowth``:
the view writes it to the document, so the change is undoable like any other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.analysis import GoalSeek, backtest, goal_seek
from forecaster.engine.history import HistorySeries
from forecaster.engine.params import Scenario
from forecaster.engine.projection import Projection

from .charts import money
from .controls import readable

REACHED_STYLE = "color: white; background: #2e7d32; padding: 6px; border-radius: 4px;"
MISSED_STYLE = "color: white; background: #c62828; padding: 6px; border-radius: 4px;"
LATE_STYLE = "color: #4a3000; background: #ffcc80; padding: 6px; border-radius: 4px;"
NO_ANSWER_STYLE = "color: #555555; background: #e0e0e0; padding: 6px; border-radius: 4px;"
NO_FIGURE = "—"


def _set_style(widget: QWidget, style: str) -> None:
    """Restyle only on a change: a style sheet costs a re-polish, on every slider step."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


def percent(p: float) -> str:
    if p <= 0:
        return "0%"
    if p >= 1:
        return "100%"
    if p < 0.01:
        return "<1%"
    if p > 0.99:
        return ">99%"
    return f"{p * 100:.0f}%"


class SummaryPanel(QWidget):
    """Headline verdict, odds, target-year spread, growth needed, goal seek, backtest."""

    sigApplyGrowth = Signal(float)  # growth_pct the goal seek found

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summary_panel")
        self._scenario: Scenario | None = None
        self._projection: Projection | None = None
        self._seek: GoalSeek | None = None

        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        font = self.verdict_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.verdict_label.setFont(font)

        self.crossing_label = QLabel()
        self.p_in_label = QLabel()
        self.p_by_label = QLabel()
        self.p10_label = QLabel()
        self.p50_label = QLabel()
        self.p90_label = QLabel()
        self.required_label = QLabel()
        self.backtest_label = QLabel()
        self.backtest_label.setWordWrap(True)
        self.p_in_caption = QLabel("P(reach in target year)")
        self.p_by_caption = QLabel("P(reach by target year)")
        self.p10_caption = QLabel("Target year P10")
        self.p50_caption = QLabel("Target year P50")
        self.p90_caption = QLabel("Target year P90")

        figures = QFormLayout()
        figures.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        figures.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        figures.addRow("P50 reaches target", self.crossing_label)
        figures.addRow(self.p_in_caption, self.p_in_label)
        figures.addRow(self.p_by_caption, self.p_by_label)
        figures.addRow(self.p10_caption, self.p10_label)
        figures.addRow(self.p50_caption, self.p50_label)
        figures.addRow(self.p90_caption, self.p90_label)
        figures.addRow("Growth needed (alone)", self.required_label)
        self._figure_labels = (
            self.crossing_label,
            self.p_in_label,
            self.p_by_label,
            self.p10_label,
            self.p50_label,
            self.p90_label,
            self.required_label,
        )
        for label in self._figure_labels:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.required_label.setToolTip(
            "Yearly growth from the base-year turnover that alone reaches the target in the "
            "target year (no shocks, currency or debt effects)."
        )

        # Goal seek: which percentile must reach the target, and the growth that does it.
        seek_box = QGroupBox("Goal seek: growth that reaches the target")
        self.p50_radio = QRadioButton("P50 (even odds)")
        self.p90_radio = QRadioButton("P90 (optimistic)")
        self.p50_radio.setObjectName("goal_seek_p50")
        self.p90_radio.setObjectName("goal_seek_p90")
        self.p50_radio.setToolTip(
            "Growth at which the median path reaches the target in the target year."
        )
        self.p90_radio.setToolTip(
            "Growth at which the 90th percentile reaches the target "
            "in the target year: one path in ten does at least this well."
        )
        self.p50_radio.setChecked(True)
        self._percentile_group = QButtonGroup(self)
        self._percentile_group.addButton(self.p50_radio, 50)
        self._percentile_group.addButton(self.p90_radio, 90)
        self._percentile_group.idToggled.connect(self._on_percentile_changed)
        self.seek_label = QLabel()
        self.seek_label.setObjectName("goal_seek_answer")
        self.seek_label.setWordWrap(True)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setObjectName("goal_seek_apply")
        self.apply_button.setToolTip("Set Annual growth to the goal-seek answer (undoable).")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        radios = QHBoxLayout()
        radios.addWidget(self.p50_radio)
        radios.addWidget(self.p90_radio)
        radios.addStretch(1)
        seek_layout = QVBoxLayout(seek_box)
        seek_layout.addLayout(radios)
        seek_layout.addWidget(self.seek_label)
        apply_row = QHBoxLayout()
        apply_row.addStretch(1)
        apply_row.addWidget(self.apply_button)
        seek_layout.addLayout(apply_row)

        backtest_box = QGroupBox("Backtest against history")
        backtest_layout = QVBoxLayout(backtest_box)
        backtest_layout.addWidget(self.backtest_label)
        self.backtest_label.setToolTip(
            "How far the deterministic path is from reported and derived turnover in the "
            "years after the base year that have a dollar figure."
        )

        self.error_label = QLabel()
        self.error_label.setObjectName("summary_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict_label)
        layout.addWidget(line)
        layout.addLayout(figures)
        layout.addWidget(seek_box)
        layout.addWidget(backtest_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    # --- public API ----------------------------------------------------
    @property
    def projection(self) -> Projection | None:
        """The projection the figures describe."""
        return self._projection

    @property
    def percentile(self) -> int:
        return 90 if self.p90_radio.isChecked() else 50

    def reached(self) -> bool | None:
        """True when P50 reaches the target by the target year; None before any result."""
        p = self._projection
        if p is None:
            return None
        return p.crossing_year is not None and p.crossing_year <= p.target_year

    def set_results(
        self, scenario: Scenario, projection: Projection, history: HistorySeries | None = None
    ) -> None:
        self._scenario = scenario
        self._projection = projection
        self.error_label.hide()
        p = projection
        target, year = money(p.target_musd), p.target_year
        horizon = int(p.years[-1])
        crossing = p.crossing_year
        if crossing is not None and crossing <= year:
            self.verdict_label.setText(
                f"On track: P50 reaches {target} in {crossing}, by the {year} target year."
            )
            _set_style(self.verdict_label, REACHED_STYLE)
        elif crossing is not None:
            self.verdict_label.setText(
                f"Target missed: P50 reaches {target} only in "
                f"{crossing}, {crossing - year} yr after {year}."
            )
            _set_style(self.verdict_label, LATE_STYLE)
        else:
            self.verdict_label.setText(f"Target missed: P50 does not reach {target} by {horizon}.")
            _set_style(self.verdict_label, MISSED_STYLE)
        self.crossing_label.setText(str(crossing) if crossing is not None else f"not by {horizon}")
        self.p_in_caption.setText(f"P(reach in {year})")
        self.p_by_caption.setText(f"P(reach by {year})")
        for q, caption, label in (
            (10, self.p10_caption, self.p10_label),
            (50, self.p50_caption, self.p50_label),
            (90, self.p90_caption, self.p90_label),
        ):
            caption.setText(f"{year} P{q}")
            label.setText(money(p.at_target_year(q)))
        short = p.at_target_year(50) < p.target_musd
        _set_style(
            self.p50_label,
            "color: #c62828; font-weight: bold;" if short else "color: #2e7d32; font-weight: bold;",
        )
        self.p50_label.setToolTip("Below the target" if short else "At or above the target")
        self.p_in_label.setText(percent(p.p_reach_in_target_year))
        self.p_by_label.setText(percent(p.p_reach_by_target_year))
        self.required_label.setText(f"{p.required_growth_pct:.1f} %/yr")
        self._update_goal_seek()
        self._update_backtest(history)

    def show_error(self, message: str, keep_figures: bool = False) -> None:
        """A problem, in words: parameter labels, never file keys or a traceback.

        Unless ``keep_figures`` (the figures on screen still describe the document, as
        when only a requested change was refused), the verdict and figures of the last
        scenario that could be computed are cleared, so no "On track" stands next to
        the error; the next ``set_results`` brings them back.
        """
        self.error_label.setText(readable(message))
        self.error_label.show()
        if keep_figures:
            return
        self._scenario = None  # so a percentile switch does not seek for it either
        self._projection = None
        self._seek = None
        self.verdict_label.setText("No answer: this scenario could not be computed.")
        _set_style(self.verdict_label, NO_ANSWER_STYLE)
        for label in self._figure_labels:
            label.setText(NO_FIGURE)
        _set_style(self.p50_label, "")
        self.p50_label.setToolTip("")
        self.seek_label.setText(NO_FIGURE)
        self.apply_button.setEnabled(False)
        self.backtest_label.setText(NO_FIGURE)

    # --- internals -----------------------------------------------------
    def _update_goal_seek(self) -> None:
        if self._scenario is None:
            return
        seek = goal_seek(self._scenario, self.percentile)
        self._seek = seek
        self.seek_label.setText(seek.message[0].upper() + seek.message[1:] + ".")
        self.apply_button.setEnabled(seek.status == "ok")

    def _update_backtest(self, history: HistorySeries | None) -> None:
        if history is None or self._projection is None:
            self.backtest_label.setText("No history loaded.")
            return
        bt = backtest(self._projection, history)
        if bt.mean_abs_error is None:
            self.backtest_label.setText("No reported turnover after the base year to compare.")
            return
        span = f"{bt.years[0]}–{bt.years[-1]}" if len(bt.years) > 1 else f"{bt.years[0]}"
        bias = bt.mean_error or 0.0
        direction = "above" if bias > 0 else "below"
        self.backtest_label.setText(
            f"Mean absolute error {money(bt.mean_abs_error)} over {len(bt.years)} "
            f"year{'s' if len(bt.years) != 1 else ''} ({span}); the path runs on average "
            f"{money(abs(bias))} {direction} what happened."
        )

    def _on_percentile_changed(self, button_id: int, checked: bool) -> None:
        if checked:
            self._update_goal_seek()

    def _on_apply_clicked(self) -> None:
        if self._seek is not None and self._seek.growth_pct is not None:
            self.sigApplyGrowth.emit(float(self._seek.growth_pct))
