"""The list of sanction shocks: add, remove, and edit each one in place.

Like every control, the editor keeps nothing: each edit goes through the
``ScenarioDocument`` and the rows follow its ``sigScenarioChanged`` with signals
blocked. A refused edit is shown in words and the row snaps back.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionFrame,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.messages import error_text
from forecaster.engine.params import (
    MAX_LABEL_CHARS,
    MAX_SHOCKS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
    Scenario,
    ScenarioError,
    Shock,
)

from . import theme
from .document import ScenarioDocument
from .wheel_guard import WheelGuard, guard_wheel

NEW_SHOCK = Shock(start_year=2014, depth_pct=30.0, half_life_years=2.0, label="Sanctions")


@dataclass
class ShockRow:
    """The editors of one shock, in one frame."""

    frame: QFrame
    start: QSpinBox
    depth: QDoubleSpinBox
    half_life: QDoubleSpinBox
    permanent: QCheckBox
    label: ShockLabelEdit
    remove: QToolButton

    def editors(self) -> tuple[QWidget, ...]:
        return (self.start, self.depth, self.half_life, self.permanent, self.label, self.remove)


class ShockLabelEdit(QLineEdit):
    """A shock's label entry that shows a long label elided ("…") while it is not being
    edited; its tooltip holds the whole label.

    QLineEdit has no elide mode, so the idle text is painted here (one elided
    ``drawText``); while the entry has focus it is an ordinary line edit.
    """

    def shown_text(self) -> str:
        """The text as it is painted now: the label, or its elided form."""
        text = self.text()
        if self.hasFocus() or not text:
            return text
        return self.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, self._text_rect().width()
        )

    def _text_rect(self):
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        # QLineEdit keeps a 2-pixel margin each side of its text inside the contents rect.
        return rect.marginsRemoved(self.textMargins()).adjusted(2, 0, -2, 0)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        shown = self.shown_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter, self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        painter.drawText(
            self._text_rect(), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown
        )


def new_shock(scenario: Scenario) -> Shock:
    """The shock "Add shock" appends: the year after the latest start (the year after the
    base year when there is none), within the allowed years, numbered "Shock N"."""
    starts = [s.start_year for s in scenario.shocks]
    start = (max(starts) if starts else int(scenario["base_year"])) + 1
    start = min(max(start, SHOCK_START_RANGE[0]), SHOCK_START_RANGE[1])
    labels = {s.label for s in scenario.shocks}
    number = len(scenario.shocks) + 1
    while f"Shock {number}" in labels:
        number += 1
    return replace(NEW_SHOCK, start_year=start, label=f"Shock {number}")


class ShockEditor(QWidget):
    """The list of sanction shocks: add, remove, and edit each one in place.

    The document's shocks are the only source of the values: an edit replaces one
    field of one shock in ``document.scenario.shocks``; the rows only show them (a
    row's widgets are reused for whatever shock sits at that index after a removal,
    so nothing is ever read back from another row).
    """

    sigStatusChanged = Signal(str)

    def __init__(self, document: ScenarioDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._wheel_guard = WheelGuard(self)
        self._rows: list[ShockRow] = []
        self._rows_box = QVBoxLayout()
        self._rows_box.setContentsMargins(0, 0, 0, 0)
        self._rows_box.setSpacing(4)
        self.empty_label = QLabel("No sanction shocks.")
        theme.set_tone(self.empty_label, "muted")
        self.add_button = QPushButton("Add shock")
        self.add_button.setObjectName("add_shock")
        self.add_button.setToolTip(
            "Add a sanction shock: a cut in trade from a start year "
            "that heals with a half-life, or never. It starts the year after the "
            "latest shock."
        )
        self.add_button.clicked.connect(self._on_add_clicked)
        self.status = QLabel()
        self.status.setWordWrap(True)
        theme.set_tone(self.status, "error")
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._rows_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        document.sigScenarioChanged.connect(self._on_scenario_changed)
        self._on_scenario_changed(document.scenario)

    # --- public API ----------------------------------------------------
    def row_count(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> ShockRow:
        """The editors of one shock: start, depth, half_life, permanent, label, remove."""
        return self._rows[index]

    # --- building rows ------------------------------------------------
    def _make_row(self) -> ShockRow:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        start = QSpinBox()
        start.setRange(*SHOCK_START_RANGE)
        start.setToolTip("Year the shock hits trade.")
        depth = QDoubleSpinBox()
        depth.setRange(*SHOCK_DEPTH_RANGE)
        depth.setDecimals(1)
        depth.setSingleStep(1.0)
        depth.setSuffix(" %")
        depth.setToolTip("Share of trade cut in the start year (0 to 100 %).")
        half_life = QDoubleSpinBox()
        half_life.setRange(*SHOCK_HALF_LIFE_RANGE)
        half_life.setDecimals(1)
        half_life.setSingleStep(0.5)
        half_life.setSuffix(" yr")
        # Shown (disabled) for a permanent shock, which has no half-life.
        half_life.setSpecialValueText("never")
        half_life.setToolTip(
            "Years for the cut to halve (0.1 to 50). A permanent shock never heals."
        )
        permanent = QCheckBox("Permanent")
        permanent.setToolTip(
            f"The cut never heals. Unticked, it heals with a half-life of "
            f"{NEW_SHOCK.half_life_years:g} yr to start with."
        )
        label = ShockLabelEdit()
        label.setMaxLength(MAX_LABEL_CHARS)
        label.setPlaceholderText("Label (optional)")
        remove = QToolButton()
        remove.setText("Remove")
        remove.setToolTip("Remove this shock.")
        for spin in (start, depth, half_life):
            spin.setKeyboardTracking(False)  # typing commits on Enter, not per keystroke
            spin.setAccelerated(True)
            guard_wheel(self._wheel_guard, spin)
        for name, widget in (
            ("start", start),
            ("depth", depth),
            ("half_life", half_life),
            ("permanent", permanent),
            ("label", label),
            ("remove", remove),
        ):
            widget.setObjectName(f"shock_{name}")
        grid = QGridLayout(frame)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(label, 0, 0, 1, 3)
        grid.addWidget(remove, 0, 3)
        for column, (caption, entry) in enumerate((("Start", start), ("Depth", depth))):
            text = QLabel(caption)
            text.setBuddy(entry)
            grid.addWidget(text, 1, 2 * column)
            grid.addWidget(entry, 1, 2 * column + 1)
        text = QLabel("Half-life")
        text.setBuddy(half_life)
        grid.addWidget(text, 2, 0)
        grid.addWidget(half_life, 2, 1)
        grid.addWidget(permanent, 2, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        row = ShockRow(frame, start, depth, half_life, permanent, label, remove)
        start.valueChanged.connect(lambda v: self._edit(frame, start_year=int(v)))
        depth.valueChanged.connect(lambda v: self._edit(frame, depth_pct=float(v)))
        half_life.valueChanged.connect(
            lambda v: None if permanent.isChecked() else self._edit(frame, half_life_years=float(v))
        )
        permanent.toggled.connect(
            lambda on: self._edit(frame, half_life_years=None if on else NEW_SHOCK.half_life_years)
        )
        label.editingFinished.connect(lambda: self._edit(frame, label=label.text()))
        remove.clicked.connect(lambda: self._on_remove_clicked(frame))
        return row

    def _rebuild(self, count: int) -> None:
        while len(self._rows) > count:
            row = self._rows.pop()
            row.frame.setParent(None)
            row.frame.deleteLater()
        while len(self._rows) < count:
            row = self._make_row()
            self._rows_box.addWidget(row.frame)
            self._rows.append(row)
        self.empty_label.setVisible(count == 0)
        self.add_button.setEnabled(count < MAX_SHOCKS)

    def _show_shocks(self, shocks: tuple[Shock, ...]) -> None:
        if len(shocks) != len(self._rows):
            self._rebuild(len(shocks))
        for row, shock in zip(self._rows, shocks, strict=True):
            with ExitStack() as stack:
                for widget in (row.frame, *row.editors()):
                    stack.enter_context(QSignalBlocker(widget))
                self._show_shock(row, shock)

    @staticmethod
    def _show_shock(row: ShockRow, shock: Shock) -> None:
        row.start.setValue(shock.start_year)
        row.depth.setValue(shock.depth_pct)
        permanent = shock.half_life_years is None
        row.permanent.setChecked(permanent)
        half_life = row.half_life
        half_life.setEnabled(not permanent)
        if shock.half_life_years is None:
            # No placeholder number: the minimum below the allowed range reads "never".
            half_life.setMinimum(0.0)
            half_life.setValue(0.0)
        else:
            half_life.setMinimum(SHOCK_HALF_LIFE_RANGE[0])
            half_life.setValue(shock.half_life_years)
        label = row.label
        if label.text() != shock.label:
            label.setText(shock.label)
            if not label.hasFocus():
                label.setCursorPosition(0)  # show a long label from its start
        label.setToolTip(
            f"{shock.label}\n\nA name for the shock, shown on the chart and in comparisons."
            if shock.label
            else "A name for the shock, shown on the chart and in comparisons."
        )

    # --- handlers -----------------------------------------------------
    def _write(self, shocks: list[Shock], text: str) -> None:
        try:
            self.document.set_shocks(shocks, text)
        except ScenarioError as exc:
            self._set_status(error_text(exc))
            self._show_shocks(self.document.scenario.shocks)
        else:
            self._set_status("")

    def _set_status(self, message: str) -> None:
        self.status.setText(message)
        self.status.setVisible(bool(message))
        self.sigStatusChanged.emit(message)

    def _index(self, frame: QFrame) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.frame is frame), None)

    def _edit(self, frame: QFrame, **change: object) -> None:
        """One field of one shock changed: the document's shock with that field replaced."""
        index = self._index(frame)
        if index is None:
            return  # a removed row's entry losing focus on its way out
        shocks = list(self.document.scenario.shocks)
        shocks[index] = replace(shocks[index], **change)  # type: ignore[arg-type]
        self._write(shocks, "Edit shock")

    def _on_add_clicked(self) -> None:
        scenario = self.document.scenario
        self._write([*scenario.shocks, new_shock(scenario)], "Add shock")
        if self._rows:
            self._rows[-1].start.setFocus()

    def _on_remove_clicked(self, frame: QFrame) -> None:
        index = self._index(frame)
        if index is None:
            return
        shocks = list(self.document.scenario.shocks)
        del shocks[index]
        self._write(shocks, "Remove shock")

    def _on_scenario_changed(self, scenario: Scenario) -> None:
        self._show_shocks(scenario.shocks)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if theme.is_palette_change(event):
            theme.retone(self)
        super().changeEvent(event)
