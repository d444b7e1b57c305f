"""Sliders a person can aim: the parameter sliders of the control panel.

* A press on the handle never moves it; dragging moves it from where it was.
* A press on the groove moves one page (the spec's Page step) toward the press: one
  change, one undo step, no auto-repeat.
* Shift while dragging moves one step of the parameter's grid per few pixels, and
  Shift with an arrow key one grid step, so every value on the grid can be reached
  by mouse or keys.
* Wide-range parameters (base-year and target turnover, draws) sit on a log scale
  (``Scale.log``): equal distances are equal ratios, so $1M, $10M and $100M are all
  within reach instead of the first pixels.

superqt's float slider (kept for its painting and float model) jumps the handle's
centre to any press; Qt's own slider pages with auto-repeat. Both are replaced here by
one press/move handling, because neither behaves as above (why it is hand-written).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider
from superqt import QDoubleSlider

from forecaster.engine.params import Number, ParamSpec

# Keys that move a slider; holding one auto-repeats it.
MOVE_KEYS = frozenset(
    {
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
    }
)
LOG_KEYS = frozenset({"base_turnover_musd", "target_turnover_musd", "draws"})
LOG_POSITIONS = 1000  # slider positions across a log-scaled range
FINE_PIXELS = 4  # Shift+drag: pixels per grid step


def snap(spec: ParamSpec, value: float) -> Number:
    """A value on the parameter's step grid, inside its range."""
    value = min(max(value, spec.minimum), spec.maximum)
    on_grid = spec.minimum + round((value - spec.minimum) / spec.step) * spec.step
    if spec.kind == "int":
        return int(round(on_grid))
    return round(on_grid, spec.decimals)


@dataclass(frozen=True)
class Scale:
    """Between a parameter's value and its slider's position (linear or log)."""

    spec: ParamSpec
    log: bool = False

    @classmethod
    def for_spec(cls, spec: ParamSpec) -> Scale:
        return cls(spec, spec.key in LOG_KEYS and spec.minimum > 0)

    @property
    def positions(self) -> tuple[float, float]:
        if self.log:
            return 0.0, float(LOG_POSITIONS)
        return float(self.spec.minimum), float(self.spec.maximum)

    def to_position(self, value: float) -> float:
        if not self.log:
            return float(value)
        lo, hi = float(self.spec.minimum), float(self.spec.maximum)
        value = min(max(float(value), lo), hi)
        return LOG_POSITIONS * math.log(value / lo) / math.log(hi / lo)

    def to_value(self, position: float) -> Number:
        if not self.log:
            return snap(self.spec, position)
        lo, hi = float(self.spec.minimum), float(self.spec.maximum)
        return snap(self.spec, lo * (hi / lo) ** (float(position) / LOG_POSITIONS))

    def moved(self, value: float, steps: float) -> float:
        """The slider position ``steps`` grid steps from ``value``."""
        return self.to_position(snap(self.spec, float(value) + steps * float(self.spec.step)))

    def paged(self, value: float, direction: int) -> float:
        """The slider position one Page step (the spec's) from ``value``."""
        return self.to_position(
            snap(self.spec, float(value) + direction * float(self.spec.big_step))
        )


class _SliderInput:
    """What both slider kinds share (a mixin, ahead of ``QSlider`` or ``QDoubleSlider``).

    * A press reports ``sliderPressed`` before the value moves, so every value of a
      drag carries the drag's undo id.
    * Each press of a move key reports ``sigKeyStep(auto_repeat)`` before the slider
      moves, and letting the key go (or losing focus) reports ``sigKeyReleased``: the
      panel makes a held key's auto-repeat run one drag.
    """

    scale: Scale
    _press: tuple[float, float] | None = None  # (pointer x, value) at a handle press

    def setup_scale(self, scale: Scale) -> None:
        self.scale = scale
        lo, hi = scale.positions
        self.setRange(lo, hi)  # type: ignore[attr-defined]
        self.setSingleStep(1 if scale.log else scale.spec.step)  # type: ignore[attr-defined]
        self.setPageStep(LOG_POSITIONS / 10 if scale.log else scale.spec.big_step)  # type: ignore[attr-defined]

    def shown_value(self) -> Number:
        return self.scale.to_value(self.value())  # type: ignore[attr-defined]

    def _handle_rect(self):
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)  # type: ignore[attr-defined]
        return self.style().subControlRect(  # type: ignore[attr-defined]
            QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderHandle, self
        )

    def _begin_handle_drag(self, ev: QMouseEvent) -> None:
        raise NotImplementedError

    def mousePressEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        pos = ev.position().toPoint()
        handle = self._handle_rect()
        if handle.contains(pos):
            self._press = (ev.position().x(), float(self.shown_value()))
            with QSignalBlocker(self):  # type: ignore[arg-type]
                self._begin_handle_drag(ev)
            self.sliderPressed.emit()  # type: ignore[attr-defined]
            return
        # The groove: one page toward the press, as one change.
        self._press = None
        direction = 1 if pos.x() > handle.center().x() else -1
        self.setValue(self.scale.paged(float(self.shown_value()), direction))  # type: ignore[attr-defined]

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._press is not None and ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            x0, value0 = self._press
            steps = round((ev.position().x() - x0) / FINE_PIXELS)
            self.setSliderPosition(self.scale.moved(value0, steps))  # type: ignore[attr-defined]
            ev.accept()
            return
        super().mouseMoveEvent(ev)  # type: ignore[misc]

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self._press = None
        super().mouseReleaseEvent(ev)  # type: ignore[misc]

    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = ev.key()
        if key in MOVE_KEYS:
            self.sigKeyStep.emit(ev.isAutoRepeat())  # type: ignore[attr-defined]
        value = float(self.shown_value())
        fine = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        up = key in (Qt.Key.Key_Right, Qt.Key.Key_Up)
        down = key in (Qt.Key.Key_Left, Qt.Key.Key_Down)
        if (up or down) and (fine or not self.scale.log):
            self.setValue(self.scale.moved(value, 1 if up else -1))  # type: ignore[attr-defined]
        elif up or down:  # a log slider: one position, then onto the grid
            position = self.value() + (1 if up else -1)  # type: ignore[attr-defined]
            self.setValue(self.scale.to_position(self.scale.to_value(position)))  # type: ignore[attr-defined]
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            direction = 1 if key == Qt.Key.Key_PageUp else -1
            self.setValue(self.scale.paged(value, direction))  # type: ignore[attr-defined]
        elif key == Qt.Key.Key_Home:
            self.setValue(self.scale.positions[0])  # type: ignore[attr-defined]
        elif key == Qt.Key.Key_End:
            self.setValue(self.scale.positions[1])  # type: ignore[attr-defined]
        else:
            super().keyPressEvent(ev)  # type: ignore[misc]
            return
        ev.accept()

    def keyReleaseEvent(self, ev: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if ev.key() in MOVE_KEYS and not ev.isAutoRepeat():
            self.sigKeyReleased.emit()  # type: ignore[attr-defined]
        super().keyReleaseEvent(ev)  # type: ignore[misc]

    def focusOutEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        self.sigKeyReleased.emit()  # type: ignore[attr-defined]  # the key's release goes elsewhere
        super().focusOutEvent(ev)  # type: ignore[misc]


class IntSlider(_SliderInput, QSlider):
    """Qt's slider, for whole-number parameters on a linear scale."""

    sigKeyStep = Signal(bool)  # a move key pressed; True for an auto-repeat
    sigKeyReleased = Signal()

    def setup_scale(self, scale: Scale) -> None:
        self.scale = scale
        self.setRange(int(scale.spec.minimum), int(scale.spec.maximum))
        self.setSingleStep(int(scale.spec.step))
        self.setPageStep(int(scale.spec.big_step))

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's name)
        super().setValue(int(round(value)))

    def setSliderPosition(self, value: float) -> None:  # noqa: N802 (Qt's name)
        super().setSliderPosition(int(round(value)))

    def _begin_handle_drag(self, ev: QMouseEvent) -> None:
        QSlider.mousePressEvent(self, ev)  # Qt's own press on the handle does not move it


class FloatSlider(_SliderInput, QDoubleSlider):
    """superqt's float slider: decimal parameters, and every log-scaled one."""

    sigKeyStep = Signal(bool)
    sigKeyReleased = Signal()

    def _begin_handle_drag(self, ev: QMouseEvent) -> None:
        # superqt's own press would first jump the handle's centre to the pointer.
        self._pressedControl = QStyle.SubControl.SC_SliderHandle
        self._setClickOffset(ev.position().toPoint())
        self.setSliderDown(True)
        self.update()


def step_up(spec: ParamSpec, value: float) -> Number:
    """The smallest value on the parameter's step grid at or above ``value``."""
    steps = math.ceil((value - spec.minimum) / spec.step - 1e-9)
    return snap(spec, spec.minimum + steps * spec.step)
