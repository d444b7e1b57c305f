"""The window (PySide6 + pyqtgraph). ``from forecaster.ui import MainWindow``.

``MainWindow`` is imported on first use, so ``forecaster.ui.app`` can check for
a display and ``forecaster.ui.document`` can be used without loading the charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from .main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
