"""A selectable, word-wrapped QLabel that answers its layout's size questions from a cache.

QLabel lays its text out again, and repaints itself whole, each time a layout asks a
selectable word-wrapped label for its size; the summary's layout asks every label on
every slider step (any figure's new text re-runs it), so the record line and the notes
were repainted on each step of a drag without changing. This label computes its sizes
once per text, font, style and width, and otherwise answers from the cache.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QLabel

_FORGET_ON = frozenset(
    {QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.ContentsRectChange}
)


class StableLabel(QLabel):
    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._heights: dict[int, int] = {}
        self._hint: QSize | None = None
        self._minimum: QSize | None = None

    def _forget(self) -> None:
        self._heights.clear()
        self._hint = self._minimum = None

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        if text != self.text():
            self._forget()
            super().setText(text)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 (Qt's name)
        self._forget()
        super().setWordWrap(on)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        if width not in self._heights:
            if len(self._heights) > 64:  # a window being resized asks many widths
                self._heights.clear()
            self._heights[width] = super().heightForWidth(width)
        return self._heights[width]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        if self._hint is None:
            self._hint = super().sizeHint()
        return QSize(self._hint)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        if self._minimum is None:
            self._minimum = super().minimumSizeHint()
        return QSize(self._minimum)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in _FORGET_ON:
            self._forget()
        super().changeEvent(event)
