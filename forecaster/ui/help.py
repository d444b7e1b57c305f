"""Help > The model (F1): the model's formulas and every parameter, in a window of its own.

The text is ``forecaster.engine.model_text.model_help_markdown()``: the README's "The
model" section and parameter tables generated from the spec table, so the help, the
README and the controls cannot drift apart. The window is not modal (it stays open
beside the scenario while you work), resizes freely, and has a Find box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine.model_text import model_help_markdown

PREFERRED_SIZE = (880, 680)


class ModelHelpDialog(QDialog):
    """The model and its parameters, rendered from Markdown, with Find."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("model_help")
        self.setWindowTitle("The Model — Forecaster Help")
        self.setModal(False)
        self.setSizeGripEnabled(True)
        # A window of its own, with the window manager's maximise button.
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.browser = QTextBrowser()
        self.browser.setObjectName("model_help_text")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(model_help_markdown())
        self.browser.setAccessibleName("The model")
        self.browser.setAccessibleDescription(
            "The model's formulas and every parameter's range, default and meaning."
        )

        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("model_help_find")
        self.find_edit.setPlaceholderText("Find in the help")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setAccessibleName("Find in the help")
        self.find_edit.setAccessibleDescription(
            "Type a word and press Enter for the next match, Shift+Enter for the previous."
        )
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textEdited.connect(self._on_find_edited)
        back = QShortcut(QKeySequence("Shift+Return"), self.find_edit)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(self.find_previous)
        find_label = QLabel("&Find:")
        find_label.setBuddy(self.find_edit)
        self.find_status = QLabel()
        self.find_status.setObjectName("model_help_find_status")
        next_button = QPushButton("Next")
        next_button.setAccessibleDescription("Go to the next match.")
        next_button.clicked.connect(self.find_next)
        next_button.setAutoDefault(False)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self._focus_find)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):  # the box's buttons are push buttons
                button.setAutoDefault(False)

        bar = QHBoxLayout()
        bar.addWidget(find_label)
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(next_button)
        bar.addWidget(self.find_status)
        bar.addStretch(0)
        bar.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(bar)
        self._fit_to_screen()

    # --- public API ----------------------------------------------------
    def text(self) -> str:
        """What the help shows, as plain text (tables cell by cell)."""
        return self.browser.toPlainText()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    # --- internals -----------------------------------------------------
    def _fit_to_screen(self) -> None:
        width, height = PREFERRED_SIZE
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, int(room.width() * 0.9))
            height = min(height, int(room.height() * 0.9))
        self.resize(width, height)

    def _focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _on_find_edited(self, _text: str) -> None:
        # Search again from the top of the current match, so typing narrows it in place.
        cursor = self.browser.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self.browser.setTextCursor(cursor)
        self.find_next()

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        needle = self.find_edit.text()
        if not needle:
            self.find_status.clear()
            return False
        found = self.browser.find(needle, flags)
        if not found:  # wrap around
            cursor = self.browser.textCursor()
            backward = bool(flags & QTextDocument.FindFlag.FindBackward)
            cursor.movePosition(
                cursor.MoveOperation.End if backward else cursor.MoveOperation.Start
            )
            self.browser.setTextCursor(cursor)
            found = self.browser.find(needle, flags)
        self.find_status.setText("" if found else "Not found")
        return found


def show_model_help(parent: QWidget | None = None) -> ModelHelpDialog:
    """Open Help > The model, or bring the one already open to the front."""
    existing = parent.findChild(ModelHelpDialog, "model_help") if parent is not None else None
    dialog = existing or ModelHelpDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
