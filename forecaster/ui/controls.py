"""The slider panel, generated from the parameter table, plus the sanction-shock list.

Nothing here keeps a parameter: every control writes through the
``ScenarioDocument`` and follows its ``sigScenarioChanged`` (undo, open file,
goal-seek apply) with signals blocked, so there are no feedback loops. A slider
drag carries one ``new_drag_id()`` so the whole drag is one undo step; so does a
held arrow or Page key. Values the document refuses (``ScenarioError``) are shown
in words and the control snaps back to the document's value. The wheel edits only
a control that has focus; over any other it scrolls the panel.
"""

from __future__ import annotations

import html
import math
import secrets
from contextlib import ExitStack
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionFrame,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.messages import error_text
from forecaster.engine.params import (
    DEFAULTS,
    GROUPS,
    MAX_LABEL_CHARS,
    MAX_SHOCKS,
    PARAMS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
    Number,
    ParamSpec,
    Scenario,
    ScenarioError,
    Shock,
    fmt_number,
)

from . import theme
from .document import ScenarioDocument, new_drag_id
from .number_entry import NumberEntry
from .sliders import MOVE_KEYS, FloatSlider, IntSlider, Scale, snap

__all__ = ["MOVE_KEYS", "ControlPanel", "ShockEditor", "snap", "step_up", "tooltip"]

SHOCK_GROUP = "Sanction shocks"
NO_SLIDER_KEYS = frozenset({"seed"})
NEW_SHOCK = Shock(start_year=2014, depth_pct=30.0, half_life_years=2.0, label="Sanctions")


class _WheelGuard(QObject):
    """The wheel over a slider or entry that has no focus scrolls the panel instead.

    Ignoring the event sends it on to the parents, up to the scroll area; a click (the
    controls take focus on click, not on wheel) makes the wheel edit the value again.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            event.ignore()
            return True
        return False


def _guard_wheel(guard: _WheelGuard, widget: QWidget) -> None:
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: no focus by wheel
    widget.installEventFilter(guard)


def step_up(spec: ParamSpec, value: float) -> Number:
    """The smallest value on the parameter's step grid at or above ``value``."""
    steps = math.ceil((value - spec.minimum) / spec.step - 1e-9)
    return snap(spec, spec.minimum + steps * spec.step)


def tooltip(spec: ParamSpec) -> str:
    unit = f" {spec.unit}" if spec.unit else ""
    return (
        f"<b>{html.escape(spec.label, quote=False)}</b><br>{html.escape(spec.help, quote=False)}<br>"
        f"Range: {html.escape(spec.describe_range(), quote=False)}; "
        f"default {fmt_number(spec.default)}{unit}"
    )


@dataclass
class _ParamRow:
    spec: ParamSpec
    label: QLabel
    slider: IntSlider | FloatSlider | None  # None: an entry alone (the seed)
    spin: QAbstractSpinBox
    reset: QToolButton
    status: QLabel  # the group's message line


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
        self._wheel_guard = _WheelGuard(self)
        self._rows: list[dict[str, QWidget]] = []
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

    def row_widgets(self, index: int) -> dict[str, QWidget]:
        """The editors of one shock: start, depth, half_life, permanent, label, remove."""
        return dict(self._rows[index])

    # --- building rows ------------------------------------------------
    def _make_row(self) -> dict[str, QWidget]:
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
            _guard_wheel(self._wheel_guard, spin)
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
        for column, (caption, widget) in enumerate((("Start", start), ("Depth", depth))):
            text = QLabel(caption)
            text.setBuddy(widget)
            grid.addWidget(text, 1, 2 * column)
            grid.addWidget(widget, 1, 2 * column + 1)
        text = QLabel("Half-life")
        text.setBuddy(half_life)
        grid.addWidget(text, 2, 0)
        grid.addWidget(half_life, 2, 1)
        grid.addWidget(permanent, 2, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        row = {
            "frame": frame,
            "start": start,
            "depth": depth,
            "half_life": half_life,
            "permanent": permanent,
            "label": label,
            "remove": remove,
        }
        start.valueChanged.connect(lambda v: self._edit(frame, start_year=int(v)))
        depth.valueChanged.connect(lambda v: self._edit(frame, depth_pct=float(v)))
        half_life.valueChanged.connect(
            lambda v: permanent.isChecked() or self._edit(frame, half_life_years=float(v))
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
            row["frame"].setParent(None)
            row["frame"].deleteLater()
        while len(self._rows) < count:
            row = self._make_row()
            self._rows_box.addWidget(row["frame"])
            self._rows.append(row)
        self.empty_label.setVisible(count == 0)
        self.add_button.setEnabled(count < MAX_SHOCKS)

    def _show_shocks(self, shocks: tuple[Shock, ...]) -> None:
        if len(shocks) != len(self._rows):
            self._rebuild(len(shocks))
        for row, shock in zip(self._rows, shocks, strict=True):
            with ExitStack() as stack:
                for widget in row.values():
                    stack.enter_context(QSignalBlocker(widget))
                self._show_shock(row, shock)

    @staticmethod
    def _show_shock(row: dict[str, QWidget], shock: Shock) -> None:
        row["start"].setValue(shock.start_year)
        row["depth"].setValue(shock.depth_pct)
        permanent = shock.half_life_years is None
        row["permanent"].setChecked(permanent)
        half_life = row["half_life"]
        half_life.setEnabled(not permanent)
        if permanent:
            # No placeholder number: the minimum below the allowed range reads "never".
            half_life.setMinimum(0.0)
            half_life.setValue(0.0)
        else:
            half_life.setMinimum(SHOCK_HALF_LIFE_RANGE[0])
            half_life.setValue(shock.half_life_years)
        label = row["label"]
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
        return next((i for i, row in enumerate(self._rows) if row["frame"] is frame), None)

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
            self._rows[-1]["start"].setFocus()

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


class ControlPanel(QWidget):
    """One slider + exact entry + reset per parameter, grouped as the table says."""

    sigDragStarted = Signal(str)  # parameter key
    sigDragFinished = Signal(str)
    sigStatusChanged = Signal(str)  # the latest message, "" when all is well

    def __init__(self, document: ScenarioDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("control_panel")
        self.document = document
        self._rows: dict[str, _ParamRow] = {}
        self._drag_ids: dict[str, int] = {}  # drags under way (mouse, or a held key)
        self._key_ids: dict[str, int] = {}  # the undo id of a move key while it is down
        self._key_runs: set[str] = set()  # sliders whose held key is auto-repeating
        self._wheel_guard = _WheelGuard(self)
        self._message = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        title = QLabel("<b>Scenario parameters</b>")
        self.reset_all_button = QPushButton("Reset all")
        self.reset_all_button.setObjectName("reset_all")
        self.reset_all_button.setToolTip(
            "Set every parameter to its default (sanction shocks are kept)."
        )
        self.reset_all_button.clicked.connect(self._on_reset_all_clicked)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.reset_all_button)
        layout.addLayout(top)

        self.shock_editor: ShockEditor | None = None
        self._group_boxes: dict[str, QGroupBox] = {}
        for group in GROUPS:
            specs = [s for s in PARAMS if s.group == group]
            if not specs and group != SHOCK_GROUP:
                continue
            box = QGroupBox(group.replace("&", "&&"))  # "&" would be read as a mnemonic
            box.setObjectName(f"group_{group}")
            self._group_boxes[group] = box
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(6, 6, 6, 6)
            if specs:
                grid = QGridLayout()
                grid.setHorizontalSpacing(6)
                grid.setVerticalSpacing(2)
                grid.setColumnStretch(0, 1)
                status = QLabel()
                status.setWordWrap(True)
                theme.set_tone(status, "error")
                status.hide()
                for i, spec in enumerate(specs):
                    self._rows[spec.key] = self._make_row(spec, grid, 2 * i, status)
                box_layout.addLayout(grid)
                box_layout.addWidget(status)
            if group == SHOCK_GROUP:
                self.shock_editor = ShockEditor(document)
                self.shock_editor.sigStatusChanged.connect(self.sigStatusChanged)
                box_layout.addWidget(self.shock_editor)
            layout.addWidget(box)
        layout.addStretch(1)

        document.sigScenarioChanged.connect(self._on_scenario_changed)
        for key, row in self._rows.items():
            self._show_value(row, document.scenario[key])

    # --- public API ----------------------------------------------------
    def slider(self, key: str) -> IntSlider | FloatSlider | None:
        return self._rows[key].slider

    def spin_box(self, key: str) -> QAbstractSpinBox:
        return self._rows[key].spin

    def reset_button(self, key: str) -> QToolButton:
        return self._rows[key].reset

    def message(self) -> str:
        """The latest refusal shown in the panel, "" when the last change was accepted."""
        return self._message

    def is_dragging(self) -> bool:
        return bool(self._drag_ids)

    def status_label(self) -> QLabel | None:
        """The message line now showing a refusal, if any (to scroll it into view)."""
        labels = [row.status for row in self._rows.values()]
        if self.shock_editor is not None:
            labels.append(self.shock_editor.status)
        return next((label for label in labels if label.isVisibleTo(self) and label.text()), None)

    # --- building -----------------------------------------------------
    def _make_row(self, spec: ParamSpec, grid: QGridLayout, row: int, status: QLabel) -> _ParamRow:
        label = QLabel(spec.label)
        scale = Scale.for_spec(spec)
        slider: IntSlider | FloatSlider | None
        if spec.key in NO_SLIDER_KEYS:
            slider = None  # a seed is a label for the draws, not a quantity to slide
        elif spec.kind == "int" and not scale.log:
            slider = IntSlider(Qt.Orientation.Horizontal)
        else:
            slider = FloatSlider(Qt.Orientation.Horizontal)
        if slider is not None:
            slider.setup_scale(scale)
            slider.setValue(scale.to_position(self.document.scenario[spec.key]))
            slider.setMinimumWidth(90)
        spin = NumberEntry(spec)
        spin.setValue(float(self.document.scenario[spec.key]))
        spin.setAccelerated(True)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        spin.setMinimumWidth(96)
        for widget in (slider, spin):
            if widget is not None:
                _guard_wheel(self._wheel_guard, widget)
        reset = QToolButton()
        reset.setText("↺")
        reset.setObjectName(f"reset_{spec.key}")
        reset.setToolTip(
            f"Reset {spec.label} to its default ({spec.default:g}"
            f"{' ' + spec.unit if spec.unit else ''})"
        )
        reset.setAutoRaise(True)
        reset.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key = spec.key
        for widget in (label, slider, spin):
            if widget is not None:
                widget.setToolTip(tooltip(spec))
        spin.setObjectName(spec.key)
        label.setBuddy(spin)
        label.setAccessibleName(spec.label)
        spin.setAccessibleName(spec.label)
        grid.addWidget(label, row, 0, 1, 3)
        if slider is not None:
            slider.setObjectName(spec.key)
            slider.setAccessibleName(spec.label)
            grid.addWidget(slider, row + 1, 0)
            slider.valueChanged.connect(lambda v, key=key: self._on_slider_value_changed(key, v))
            slider.sliderPressed.connect(lambda key=key: self._on_slider_pressed(key))
            slider.sliderReleased.connect(lambda key=key: self._on_slider_released(key))
            slider.sigKeyStep.connect(lambda repeat, key=key: self._on_slider_key(key, repeat))
            slider.sigKeyReleased.connect(lambda key=key: self._on_slider_key_released(key))
        else:
            new_seed = QPushButton("New seed")
            new_seed.setObjectName(f"new_{spec.key}")
            new_seed.setToolTip("Draw the random paths again with another seed (undoable).")
            new_seed.clicked.connect(lambda _=False, key=key: self._on_new_seed_clicked(key))
            grid.addWidget(new_seed, row + 1, 0)
        grid.addWidget(spin, row + 1, 1)
        grid.addWidget(reset, row + 1, 2)

        spin.valueChanged.connect(lambda v, key=key: self._on_spin_value_changed(key, v))
        spin.sigRefused.connect(
            lambda message, key=key: self._set_status(self._rows[key], f"{spec.label}: {message}")
        )
        reset.clicked.connect(lambda _=False, key=key: self._on_reset_clicked(key))
        return _ParamRow(spec, label, slider, spin, reset, status)

    # --- writing to the document --------------------------------------
    def _commit(self, key: str, value: Number, drag_id: int | None = None) -> None:
        row = self._rows[key]
        try:
            note = self.document.set_param(key, value, drag_id)
        except ScenarioError as exc:
            message = error_text(exc)
            if exc.field[-1:] != (key,):
                # The rule blames another field (e.g. the target year for a short horizon).
                message = f"{row.spec.label} {value:g} not allowed: {message}"
            self._set_status(row, message)
            self._show_value(row, self.document.scenario[key])  # snap back
        else:
            self._set_status(row, note, error=False)

    def _set_status(self, row: _ParamRow, message: str, error: bool = True) -> None:
        for other in self._rows.values():
            if other.status is not row.status and other.status.isVisible():
                other.status.hide()
        theme.set_tone(row.status, "error" if error else "note")
        row.status.setText(message)
        row.status.setVisible(bool(message))
        if message != self._message:
            self._message = message
            self.sigStatusChanged.emit(message)

    def _on_slider_value_changed(self, key: str, position: float) -> None:
        slider = self._rows[key].slider
        assert slider is not None
        value = slider.scale.to_value(position)
        self._commit(key, value, self._drag_ids.get(key, self._key_ids.get(key)))

    def _on_new_seed_clicked(self, key: str) -> None:
        spec = self._rows[key].spec
        current = self.document.scenario[key]
        seed = current
        while seed == current:  # a new one, from the system's randomness
            seed = secrets.randbelow(int(spec.maximum) + 1)
        self._commit(key, seed)

    def _on_slider_pressed(self, key: str, drag_id: int | None = None) -> None:
        self._drag_ids[key] = new_drag_id() if drag_id is None else drag_id
        self.sigDragStarted.emit(key)

    def _on_slider_released(self, key: str) -> None:
        drag_id = self._drag_ids.pop(key, None)
        if drag_id is not None:
            self.document.end_drag(drag_id)
            self.sigDragFinished.emit(key)

    def _on_slider_key(self, key: str, auto_repeat: bool) -> None:
        """A move key pressed on a slider: one press is one step; a held key is a drag.

        The first press gets an undo id of its own; when the key starts to auto-repeat,
        the run becomes a drag under that same id, so holding a key is one undo step
        (with the y-range held like any drag) that ends when the key is let go.
        """
        if not auto_repeat:
            self._on_slider_key_released(key)  # a new press ends any earlier run
            self._key_ids[key] = new_drag_id()
        elif key not in self._key_runs and key not in self._drag_ids:
            self._key_runs.add(key)
            self._on_slider_pressed(key, self._key_ids.setdefault(key, new_drag_id()))

    def _on_slider_key_released(self, key: str) -> None:
        self._key_ids.pop(key, None)
        if key in self._key_runs:
            self._key_runs.discard(key)
            self._on_slider_released(key)

    def _on_spin_value_changed(self, key: str, value: float) -> None:
        self._commit(key, value if self._rows[key].spec.kind == "float" else int(value))

    def _on_reset_clicked(self, key: str) -> None:
        self._commit(key, self._rows[key].spec.default)

    def _on_reset_all_clicked(self) -> None:
        try:
            self.document.set_params(dict(DEFAULTS), "Reset all parameters")
        except (
            ScenarioError
        ) as exc:  # defaults are consistent; kept for safety of edits to the table
            self._set_status(next(iter(self._rows.values())), error_text(exc))

    # --- following the document ---------------------------------------
    def _show_value(self, row: _ParamRow, value: Number) -> None:
        with ExitStack() as blocked:
            blocked.enter_context(QSignalBlocker(row.spin))
            if row.slider is not None:
                blocked.enter_context(QSignalBlocker(row.slider))
                if row.slider.shown_value() != value:
                    row.slider.setValue(row.slider.scale.to_position(value))
            if row.spin.value() != value or row.spin.invalid:
                row.spin.set_shown(value)
        row.reset.setEnabled(value != row.spec.default)

    def _on_scenario_changed(self, scenario: Scenario) -> None:
        for key, row in self._rows.items():
            value = scenario[key]
            # Only rows whose value moved: this runs on every slider step.
            slider_moved = row.slider is not None and row.slider.shown_value() != value
            if slider_moved or row.spin.value() != value or row.spin.invalid:
                self._show_value(row, value)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if theme.is_palette_change(event):
            theme.retone(self)  # the message lines, in the new palette's colours
        super().changeEvent(event)
