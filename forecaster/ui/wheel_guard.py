"""The wheel edits only a control that has focus; over any other it scrolls the panel.

Used by the parameter rows and the shock editor alike.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class WheelGuard(QObject):
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


def guard_wheel(guard: WheelGuard, widget: QWidget) -> None:
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: no focus by wheel
    widget.installEventFilter(guard)
