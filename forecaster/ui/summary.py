"""The answer to "do we reach the target?", in words and figures, beside the charts.

The panel renders the engine's one ``Answer`` with the shared formatting module (the
command line prints the same sentences); it decides nothing and holds no parameters. The goal-seek "Apply" button only emits ``sigApplyGrowth``:
the view writes it to the document, so the change is undoable like any other.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
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

from forecaster.engine.answer import Answer
from forecaster.engine.formatting import (
    NO_FIGURE,
    backtest_text,
    base_note,
    chance,
    crossing_text,
    goal_seek_text,
    money,
    rate,
    record_source,
    record_text,
    verdict_text,
)
from forecaster.engine.model_text import (
    GOAL_SEEK_MARKDOWN,
    GROWTH_NEEDED_MARKDOWN,
    first_sentence,
    plain,
)
from forecaster.engine.projection import Projection

from . import theme
from .stable_label import StableLabel


def _explain(first: str, second: str, whole: bool = False) -> str:
    """Two bullets of the model text, the one asked about first: their first sentences
    for a tooltip, the whole bullets for What's This."""
    parts = []
    for text in (first, second):
        name, _, rest = (plain(text) if whole else first_sentence(text)).partition(": ")
        parts.append(f"<p><b>{html.escape(name)}</b>: {html.escape(rest)}</p>")
    if not whole:
        parts.append("<p>Help ▸ The model (F1) says when and why the two differ.</p>")
    return "".join(parts)


def _set_style(widget: QWidget, style: str) -> None:
    """Restyle only on a change: a style sheet costs a re-polish, on every slider step."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


class SummaryPanel(QWidget):
    """Verdict, the record beside it, odds, target-year spread, goal seek, backtest, notes.

    It renders one ``Answer`` (engine) through the shared formatting module and decides
    nothing itself: the command line prints the same sentences.
    """

    sigApplyGrowth = Signal(float)  # growth_pct the goal seek found

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summary_panel")
        self._answer: Answer | None = None
        self._projection: Projection | None = None

        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        font = self.verdict_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.verdict_label.setFont(font)

        self.record_label = StableLabel()
        self.record_label.setObjectName("record")
        self.record_label.setWordWrap(True)
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.base_note_label = QLabel()
        self.base_note_label.setObjectName("base_note")
        self.base_note_label.setWordWrap(True)
        theme.set_tone(self.base_note_label, "note")
        self.base_note_label.hide()

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
        figures.addRow("Median path", self.crossing_label)
        figures.addRow(self.p_in_caption, self.p_in_label)
        figures.addRow(self.p_by_caption, self.p_by_label)
        figures.addRow(self.p10_caption, self.p10_label)
        figures.addRow(self.p50_caption, self.p50_label)
        figures.addRow(self.p90_caption, self.p90_label)
        self.required_caption = QLabel("Growth needed (alone)")
        self.required_caption.setObjectName("growth_needed_caption")
        figures.addRow(self.required_caption, self.required_label)
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
        self.crossing_label.setWordWrap(True)
        self.crossing_label.setToolTip(
            "The first projected year the median path is at or above the target. The verdict "
            "looks at the target year only: a path can cross earlier and fall back below."
        )
        # "Growth needed (alone)" against the goal seek, in the model text's words.
        self.required_label.setObjectName("growth_needed")
        for widget in (self.required_caption, self.required_label):
            widget.setToolTip(_explain(GROWTH_NEEDED_MARKDOWN, GOAL_SEEK_MARKDOWN))
            widget.setWhatsThis(_explain(GROWTH_NEEDED_MARKDOWN, GOAL_SEEK_MARKDOWN, whole=True))

        # Goal seek: which percentile must reach the target, and the growth that does it.
        seek_box = QGroupBox("Goal seek")
        seek_box.setObjectName("goal_seek")
        seek_box.setToolTip(_explain(GOAL_SEEK_MARKDOWN, GROWTH_NEEDED_MARKDOWN))
        seek_box.setWhatsThis(_explain(GOAL_SEEK_MARKDOWN, GROWTH_NEEDED_MARKDOWN, whole=True))
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
        radios = QVBoxLayout()  # stacked, so the summary column can be narrow
        radios.setSpacing(2)
        radios.addWidget(self.p50_radio)
        radios.addWidget(self.p90_radio)
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

        notes_box = QGroupBox("Notes on this scenario")
        self.notes_label = StableLabel()
        self.notes_label.setObjectName("notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label.setToolTip(
            "Edit them with Edit ▸ Edit Notes…; they are saved with the file."
        )
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes_label)

        self.error_label = QLabel()
        self.error_label.setObjectName("summary_error")
        self.error_label.setWordWrap(True)
        theme.set_tone(self.error_label, "error")
        self.error_label.hide()

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.record_label)
        layout.addWidget(self.base_note_label)
        layout.addWidget(line)
        layout.addLayout(figures)
        layout.addWidget(seek_box)
        layout.addWidget(backtest_box)
        layout.addWidget(notes_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    # --- public API ----------------------------------------------------
    @property
    def projection(self) -> Projection | None:
        """The projection the figures describe."""
        return self._projection

    @property
    def answer(self) -> Answer | None:
        """The answer on screen; None while an error stands in its place."""
        return self._answer

    @property
    def percentile(self) -> int:
        return 90 if self.p90_radio.isChecked() else 50

    def reached(self) -> bool | None:
        """The verdict on screen (target-year P50 at or above the target); None before any."""
        return None if self._answer is None else self._answer.reached

    def set_answer(self, answer: Answer, projection: Projection | None = None) -> None:
        self._answer = answer
        self._projection = projection
        self.error_label.hide()
        a = answer
        self.verdict_label.setText(verdict_text(a))
        self.verdict_label.setProperty("verdict", a.verdict)
        if not a.reached:
            theme.set_tone(self.verdict_label, "missed")
        elif a.contradicted_by_record:
            # Reaches the target while the record shows it was missed: a what-if, not a
            # success, so neither green nor alarm red.
            theme.set_tone(self.verdict_label, "what_if")
        else:
            theme.set_tone(self.verdict_label, "reached")
        self.record_label.setText(record_text(a))
        self.record_label.setToolTip(record_source(a))
        r = a.record  # a year with no dollar figure is one where trade all but stopped
        missed_in_reality = r is not None and (r.value_musd is None or r.value_musd < a.target_musd)
        theme.set_tone(self.record_label, "record_missed" if missed_in_reality else "record")
        note = base_note(a)
        self.base_note_label.setText(note)
        self.base_note_label.setVisible(bool(note))

        year = a.target_year
        self.crossing_label.setText(crossing_text(a))
        self.p_in_caption.setText(f"P(reach in {year})")
        self.p_by_caption.setText(f"P(reach by {year})")
        for q, value, caption, label in (
            (10, a.p10, self.p10_caption, self.p10_label),
            (50, a.p50, self.p50_caption, self.p50_label),
            (90, a.p90, self.p90_caption, self.p90_label),
        ):
            caption.setText(f"{year} P{q}")
            label.setText(money(value))
        theme.set_tone(self.p50_label, "good_figure" if a.reached else "bad_figure")
        self.p50_label.setToolTip("At or above the target" if a.reached else "Below the target")
        self.p_in_label.setText(chance(a.p_reach_in_target_year))
        self.p_by_label.setText(chance(a.p_reach_by_target_year))
        self.required_label.setText(rate(a.required_growth_pct))
        self.backtest_label.setText(backtest_text(a))
        self._update_goal_seek()

    def set_notes(self, notes: str) -> None:
        text = notes.strip() or "No notes. Add some with Edit ▸ Edit Notes…."
        if self.notes_label.text() != text:  # this runs on every slider step
            self.notes_label.setText(text)

    def show_error(self, message: str, keep_figures: bool = False) -> None:
        """A problem, in words: parameter labels, never file keys or a traceback.

        Unless ``keep_figures`` (the figures on screen still describe the document, as
        when only a requested change was refused), the verdict and figures of the last
        scenario that could be computed are cleared, so no verdict stands next to the
        error; the next ``set_answer`` brings them back.
        """
        self.error_label.setText(message)
        self.error_label.show()
        if keep_figures:
            return
        self._answer = None
        self._projection = None
        self.verdict_label.setText("No answer: this scenario could not be computed.")
        self.verdict_label.setProperty("verdict", "")
        theme.set_tone(self.verdict_label, "no_answer")
        for label in self._figure_labels:
            label.setText(NO_FIGURE)
        theme.set_tone(self.p50_label, "")
        self.p50_label.setToolTip("")
        self.seek_label.setText(NO_FIGURE)
        self.apply_button.setEnabled(False)
        self.backtest_label.setText(NO_FIGURE)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if theme.is_palette_change(event):
            theme.retone(self)  # the verdict and record boxes in the new palette's colours
        super().changeEvent(event)

    # --- internals -----------------------------------------------------
    def _update_goal_seek(self) -> None:
        if self._answer is None:
            return
        seek = self._answer.goal_seek(self.percentile)
        self.seek_label.setText(goal_seek_text(seek))
        self.apply_button.setEnabled(seek.status == "ok")

    def _on_percentile_changed(self, button_id: int, checked: bool) -> None:
        if checked:
            self._update_goal_seek()

    def _on_apply_clicked(self) -> None:
        if self._answer is None:
            return
        seek = self._answer.goal_seek(self.percentile)
        if seek.growth_pct is not None:
            self.sigApplyGrowth.emit(float(seek.growth_pct))
