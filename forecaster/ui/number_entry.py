"""The exact-value entry beside each slider: what is typed is taken as typed, or refused.

A stock QSpinBox quietly changes what a person types: "500" in a box whose maximum is
80 becomes 50 (the validator drops the keystroke), "12,5" becomes 12, and extra
decimals are rounded away. This entry lets any text be typed, and on Enter (or when
focus leaves) either commits the number exactly or marks itself and says what is
wrong ("80 % is the most"), leaving the document's value alone. Qt's spin box is
kept for its arrows, keys and accessibility; only its reading of text is replaced,
through the overridable ``validate``/``valueFromText``/``textFromValue``.

Undo and redo: while the text is not being edited, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y
reach the window's undo stack instead of the line edit's own text undo.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from forecaster.engine.formatting import EntryError, read_entry
from forecaster.engine.params import ParamSpec

INVALID_STYLE = "QDoubleSpinBox { border: 2px solid #c62828; }"
# Far beyond any parameter: the spec's range is checked here, never clamped by Qt.
_QT_RANGE = 1e18
_UNDO_REDO = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


class NumberEntry(QDoubleSpinBox):
    """One parameter's exact value. ``valueChanged`` fires only with a number the
    parameter allows; refused text stays on screen, marked, and ``sigRefused`` says why."""

    sigRefused = Signal(str)  # the message, in words

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._decimal_point = QLocale().decimalPoint()
        self._invalid = False
        self.setDecimals(spec.decimals)
        self.setRange(-_QT_RANGE, _QT_RANGE)
        self.setSingleStep(float(spec.step))
        self.setSuffix(f" {spec.unit}" if spec.unit else "")
        self.setKeyboardTracking(False)  # typing commits on Enter or focus-out
        self.setGroupSeparatorShown(False)

    # --- Qt's text hooks ----------------------------------------------------
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # Anything may be typed; whether it is a number in range is said on Enter.
        return (
            QValidator.State.Acceptable if self._bare(text) else QValidator.State.Intermediate,
            text,
            pos,
        )

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt's name)
        try:
            return float(read_entry(self._bare(text), self.spec, self._decimal_point))
        except EntryError:
            return self.value()  # refused text changes nothing

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        return f"{value:.{self.spec.decimals}f}".replace(".", self._decimal_point)

    def fixup(self, text: str) -> str:
        return text  # never rewrite what was typed

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        # The arrows stay inside the parameter's range (Qt's own range is far wider).
        step = float(self.spec.step)
        target = min(max(self.value() + steps * step, self.spec.minimum), self.spec.maximum)
        self._set_invalid(False)
        self.setValue(target)
        self.selectAll()

    def stepEnabled(self):  # noqa: N802 (Qt's name)
        flags = QDoubleSpinBox.StepEnabledFlag.StepNone
        if self.value() > self.spec.minimum:
            flags |= QDoubleSpinBox.StepEnabledFlag.StepDownEnabled
        if self.value() < self.spec.maximum:
            flags |= QDoubleSpinBox.StepEnabledFlag.StepUpEnabled
        return flags

    # --- size: from the parameter's range, not Qt's far wider one ------------------
    def _spec_width_delta(self) -> int:
        metrics = self.fontMetrics()
        qt_text = self.textFromValue(-_QT_RANGE) + self.suffix()
        spec_text = max(
            (
                self.textFromValue(float(v)) + self.suffix()
                for v in (self.spec.minimum, self.spec.maximum)
            ),
            key=metrics.horizontalAdvance,
        )
        return metrics.horizontalAdvance(spec_text) - metrics.horizontalAdvance(qt_text)

    def sizeHint(self):  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        hint.setWidth(hint.width() + self._spec_width_delta())
        return hint

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        hint.setWidth(hint.width() + self._spec_width_delta())
        return hint

    # --- the document's value -------------------------------------------------
    def set_shown(self, value: float) -> None:
        """Show the document's value (signals blocked by the caller) and clear any mark."""
        if self.value() != value:
            self.setValue(float(value))
        if self.lineEdit().text() != self.textFromValue(float(value)) + self.suffix():
            self.lineEdit().setText(self.textFromValue(float(value)) + self.suffix())
        self._set_invalid(False)

    @property
    def invalid(self) -> bool:
        return self._invalid

    def is_editing(self) -> bool:
        """True while the text differs from the value it shows (typing not yet confirmed)."""
        return self._bare(self.lineEdit().text()) != self.textFromValue(self.value())

    def refusal(self) -> str | None:
        """Why the text on screen cannot be taken, or None when it can (or is unchanged)."""
        if not self.is_editing():
            return None
        try:
            read_entry(self._bare(self.lineEdit().text()), self.spec, self._decimal_point)
        except EntryError as exc:
            return str(exc)
        return None

    # --- typing -------------------------------------------------------------------
    def _bare(self, text: str) -> str:
        text = text.strip()
        suffix = self.suffix().strip()
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
        return text.strip()

    def _refuse_typed(self) -> bool:
        """Mark and say why the typed text is refused; False when it can be taken."""
        message = self.refusal()
        self._set_invalid(message is not None)
        if message is not None:
            self.sigRefused.emit(message)
            return True
        return False

    def _set_invalid(self, on: bool) -> None:
        if self._invalid == on:
            return
        self._invalid = on
        self.setStyleSheet(INVALID_STYLE if on else "")
        self.setProperty("invalid", on)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._refuse_typed():
            self.selectAll()
            event.accept()  # the text stays, marked; the document keeps its value
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        text = self.lineEdit().text()
        refused = self._refuse_typed()
        super().focusOutEvent(event)
        if refused:  # keep what was typed on screen, marked, instead of the old value
            self.lineEdit().setText(text)

    def event(self, event: QEvent) -> bool:
        # Undo/redo belong to the document unless the text is being edited.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (any(event.matches(k) for k in _UNDO_REDO) or _is_ctrl_y(event))
            and not self.is_editing()
        ):
            event.ignore()
            return False
        return super().event(event)


def _is_ctrl_y(event: QKeyEvent) -> bool:
    ctrl = Qt.KeyboardModifier.ControlModifier
    return event.key() == Qt.Key.Key_Y and event.modifiers() & ctrl == ctrl
