"""Telling the user things without stopping them: a bar across the top of the window,
and one question with buttons named for what they do.

``NoticeBar`` holds notices that matter but need no answer now (autosave is off, the
file changed on disk, a scenario did not fit in memory): each has a key, so the same
notice is never stacked twice, optional action buttons, and a close button. Nothing
is modal, so a notice raised from a timer or a file watcher never nests an event loop.

``choose`` asks one question whose buttons say what they do ("Overwrite", "Save As…",
"Cancel") where QMessageBox's standard buttons would say Yes or No.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

WARNING_STYLE = (
    "QFrame#notice { background: #fff4ce; border: 1px solid #e0c36a; border-radius: 3px; }"
)
ERROR_STYLE = (
    "QFrame#notice { background: #fde7e9; border: 1px solid #e3a0a6; border-radius: 3px; }"
)


class Notice(QFrame):
    """One message with its buttons; closing it (or any action) removes it."""

    sigClosed = Signal(str)  # its key

    def __init__(
        self,
        key: str,
        text: str,
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
        error: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("notice")
        self.setStyleSheet(ERROR_STYLE if error else WARNING_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        icon = QLabel()
        kind = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if error
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        icon.setPixmap(self.style().standardIcon(kind).pixmap(20, 20))
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for label, slot in actions:
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, s=slot: self._run(s))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[label.replace("&", "")] = button
        self.close_button = QToolButton()
        self.close_button.setAutoRaise(True)
        self.close_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton)
        )
        self.close_button.setToolTip("Dismiss this message")
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

    def text(self) -> str:
        return self.label.text()

    def _run(self, slot: Callable[[], object]) -> None:
        self.dismiss()
        slot()

    def dismiss(self) -> None:
        self.hide()
        self.sigClosed.emit(self.key)
        self.deleteLater()


class NoticeBar(QWidget):
    """The notices of one window, newest at the bottom; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice_bar")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 0)
        self._layout.setSpacing(4)
        self._notices: dict[str, Notice] = {}
        self.hide()

    def show_notice(
        self,
        key: str,
        text: str,
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
        error: bool = False,
    ) -> Notice:
        """Show a notice; one with the same key is replaced, never stacked."""
        self.dismiss(key)
        notice = Notice(key, text, actions, error, self)
        notice.sigClosed.connect(self._on_closed)
        self._notices[key] = notice
        self._layout.addWidget(notice)
        self.show()
        return notice

    def notice(self, key: str) -> Notice | None:
        return self._notices.get(key)

    def notices(self) -> list[Notice]:
        return list(self._notices.values())

    def dismiss(self, key: str) -> None:
        notice = self._notices.get(key)
        if notice is not None:
            notice.dismiss()

    def _on_closed(self, key: str) -> None:
        self._notices.pop(key, None)
        if not self._notices:
            self.hide()


def choose(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[str],
    default: str,
    escape: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> str:
    """Ask, and return the label of the button pressed (``escape`` when the box is closed)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    for label in choices:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if label == escape
            else QMessageBox.ButtonRole.AcceptRole
            if label == default
            else QMessageBox.ButtonRole.ActionRole
        )
        button = box.addButton(label, role)
        button.setObjectName(label)
        if label == default:
            box.setDefaultButton(button)
        if label == escape:
            box.setEscapeButton(button)
    box.exec()
    clicked = box.clickedButton()
    return clicked.objectName() if clicked is not None and clicked.objectName() else escape
