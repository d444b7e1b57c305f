"""The bottom layer of the window: the parts every command of it uses.

``MainWindow`` is built in layers, each a module with one idea, each a subclass of
the one below: ``WindowParts`` (the attributes ``MainWindow.__init__`` sets, and the
error dialog) < ``FileCommands`` (window_files) < ``ExportCommands`` (window_exports)
< ``ScenarioCommands`` (window_scenario) < ``WindowMenus`` (window_menus) <
``MainWindow`` (main_window: building, reactions, closing, drops).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

if TYPE_CHECKING:
    from forecaster.ui.autosave import Autosaver
    from forecaster.ui.compare import CompareDock
    from forecaster.ui.document import ScenarioDocument
    from forecaster.ui.file_guard import DocumentLock, FileWatch
    from forecaster.ui.fit_dialog import FitDialog
    from forecaster.ui.notices import NoticeBar
    from forecaster.ui.settings import Preferences
    from forecaster.ui.view import ScenarioView


class WindowParts(QMainWindow):
    """The attributes ``MainWindow.__init__`` sets, as the layers above it use them."""

    document: ScenarioDocument
    view: ScenarioView
    preferences: Preferences
    file_lock: DocumentLock
    file_watch: FileWatch
    notice_bar: NoticeBar
    compare: CompareDock
    autosaver: Autosaver
    read_only: bool
    recent_menu: QMenu
    fit_dialog: FitDialog | None

    def _show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)
