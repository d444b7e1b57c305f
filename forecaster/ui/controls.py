"""The slider panel, generated from the parameter table, with the sanction-shock editor.

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
import secrets
from contextlib import ExitStack
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.messages import error_text
from forecaster.engine.params import (
    DEFAULTS,
    GROUPS,
    PARAMS,
    Number,
    ParamSpec,
    Scenario,
    ScenarioError,
    fmt_number,
)

from . import theme
from .document import ScenarioDocument, new_drag_id
from .number_entry import NumberEntry
from .shock_editor import ShockEditor
from .sliders import FloatSlider, IntSlider, Scale
from .wheel_guard import WheelGuard, guard_wheel

__all__ = ["ControlPanel", "tooltip"]

SHOCK_GROUP = "Sanction shocks"
NO_SLIDER_KEYS = frozenset({"seed"})


def tooltip(spec: ParamSpec) -> str:
    unit = f" {spec.unit}" if spec.unit else ""
    return (
        f"<b>{html.escape(spec.label, quote=False)}</b><br>{html.escape(spec.help, quote=False)}<br>"
        f"Range: {html.escape(spec.describe_range(), quote=False)}; "
        f"default {fmt_number(spec.default)}{unit}"
    )


@dataclass
class DragState:
    """The drags under way, per parameter key: each is one undo step under one id.

    A drag is a mouse press on a slider, or a move key held until it auto-repeats.
    Each press of a move key has an undo id of its own; when the key starts to
    auto-repeat, the run becomes a drag under that same id, until the key is let go.
    """

    drags: dict[str, int] = field(default_factory=dict)  # drags under way
    keys: dict[str, int] = field(default_factory=dict)  # a move key's undo id while down
    runs: set[str] = field(default_factory=set)  # keys whose held key is auto-repeating

    def active(self) -> bool:
        return bool(self.drags)

    def undo_id(self, key: str) -> int | None:
        """The id a change of ``key`` now joins (a drag's, or a pressed key's)."""
        return self.drags.get(key, self.keys.get(key))

    def start(self, key: str, drag_id: int | None = None) -> None:
        self.drags[key] = new_drag_id() if drag_id is None else drag_id

    def finish(self, key: str) -> int | None:
        """End the drag of ``key``; its id, or None when there was none."""
        return self.drags.pop(key, None)

    def key_down(self, key: str) -> None:
        self.keys[key] = new_drag_id()

    def key_repeats(self, key: str) -> int | None:
        """A held key auto-repeats: the id of the drag to start, None if one is on."""
        if key in self.runs or key in self.drags:
            return None
        self.runs.add(key)
        return self.keys.setdefault(key, new_drag_id())

    def key_up(self, key: str) -> bool:
        """The key is let go: True when it ends a run (a drag to finish)."""
        self.keys.pop(key, None)
        if key in self.runs:
            self.runs.discard(key)
            return True
        return False


@dataclass
class _ParamRow:
    spec: ParamSpec
    label: QLabel
    slider: IntSlider | FloatSlider | None  # None: an entry alone (the seed)
    spin: NumberEntry
    reset: QToolButton
    status: QLabel  # the group's message line


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
        self._drags = DragState()
        self._wheel_guard = WheelGuard(self)
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

    def spin_box(self, key: str) -> NumberEntry:
        return self._rows[key].spin

    def reset_button(self, key: str) -> QToolButton:
        return self._rows[key].reset

    def message(self) -> str:
        """The latest refusal shown in the panel, "" when the last change was accepted."""
        return self._message

    def is_dragging(self) -> bool:
        return self._drags.active()

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
                guard_wheel(self._wheel_guard, widget)
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
        for tipped in (label, slider, spin):
            if tipped is not None:
                tipped.setToolTip(tooltip(spec))
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
        self._commit(key, value, self._drags.undo_id(key))

    def _on_new_seed_clicked(self, key: str) -> None:
        spec = self._rows[key].spec
        current = self.document.scenario[key]
        seed = current
        while seed == current:  # a new one, from the system's randomness
            seed = secrets.randbelow(int(spec.maximum) + 1)
        self._commit(key, seed)

    def _on_slider_pressed(self, key: str, drag_id: int | None = None) -> None:
        self._drags.start(key, drag_id)
        self.sigDragStarted.emit(key)

    def _on_slider_released(self, key: str) -> None:
        drag_id = self._drags.finish(key)
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
            self._drags.key_down(key)
        else:
            run_id = self._drags.key_repeats(key)
            if run_id is not None:
                self._on_slider_pressed(key, run_id)

    def _on_slider_key_released(self, key: str) -> None:
        if self._drags.key_up(key):
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
