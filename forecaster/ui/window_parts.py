"""What the window's mixins (menus, file commands, exports) may use of each other, for
the type checker only: at run time each mixin is a plain class and ``MainWindow``
joins them.

Declared by hand because mypy checks a mixin's methods against the class it is
written in, and only the joined ``MainWindow`` has all of these.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMenu

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
    """The attributes and methods of ``MainWindow`` that its mixins share."""

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

    # MainWindow
    def _show_error(self, title: str, message: str) -> None:
        raise NotImplementedError

    def rename_scenario(self) -> bool:
        raise NotImplementedError

    def edit_notes(self) -> bool:
        raise NotImplementedError

    def fit_to_history(self) -> FitDialog:
        raise NotImplementedError

    def about(self) -> object:
        raise NotImplementedError

    def model_help(self) -> object:
        raise NotImplementedError

    def _on_update_on_release_changed(self, on: bool) -> None:
        raise NotImplementedError

    # FileCommands
    def new_scenario(self) -> bool:
        raise NotImplementedError

    def open_preset(self, name: str) -> bool:
        raise NotImplementedError

    def open_file(self, path: str | os.PathLike[str] | None = None) -> bool:
        raise NotImplementedError

    def save(self) -> bool:
        raise NotImplementedError

    def save_as(self) -> bool:
        raise NotImplementedError

    def _ask_save_path(
        self,
        title: str,
        start: Path,
        file_filter: str,
        suffix: str,
        chosen_filter: list[str] | None = None,
    ) -> Path | None:
        raise NotImplementedError

    def _confirm_replace_read_only(self, path: Path) -> bool:
        raise NotImplementedError

    def _fill_recent_menu(self) -> None:
        raise NotImplementedError

    # ExportCommands
    def export_table(self) -> bool:
        raise NotImplementedError

    def export_chart(self, kind: str) -> bool:
        raise NotImplementedError

    def export_report(self) -> bool:
        raise NotImplementedError
