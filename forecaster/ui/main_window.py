"""The Forecaster window: documents, menus, compare and export around the scenario view.

The window owns the document's life cycle (new, open, save, recent files,
presets, drops, the unsaved-changes prompt) and the preferences; everything
inside the central ``ScenarioView`` only ever talks to the document. A failed
load or save is reported in a dialog that names the problem, and the open
document is left exactly as it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from forecaster.engine import Scenario, ScenarioError
from forecaster.io import (
    SUFFIX,
    default_scenario,
    list_presets,
    load_history,
    load_preset,
    load_scenario,
    save_scenario,
)
from forecaster.io.recovery import Recovery
from forecaster.ui.autosave import Autosaver
from forecaster.ui.compare import CompareDock
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.exporting import (
    CSV_FILTER,
    PNG_FILTER,
    SVG_FILTER,
    ChartSizeDialog,
    ExportError,
    export_chart_png,
    export_chart_svg,
    export_table_csv,
)
from forecaster.ui.settings import Preferences
from forecaster.ui.view import ScenarioView

SCENARIO_FILTER = f"Forecaster scenarios (*{SUFFIX})"
OPEN_FILTERS = f"{SCENARIO_FILTER};;All files (*)"
STATUS_MS = 5000


def with_suffix(path: str | os.PathLike[str], suffix: str) -> Path:
    """``path`` ending in ``suffix`` (".forecast.json", ".png"...), added when missing."""
    path = Path(path)
    name = path.name
    if name.lower().endswith(suffix.lower()):
        return path
    # "plan.forecast" + ".json", not "plan.forecast.forecast.json"
    for n in range(1, suffix.count(".")):
        head = "." + ".".join(suffix.split(".")[1 : n + 1])
        if name.lower().endswith(head.lower()):
            return path.with_name(name + suffix[len(head) :])
    return path.with_name(name + suffix)


def commit_pending_edit() -> None:
    """A number typed but not yet confirmed (no Enter, focus still in the box) counts:
    Save and the unsaved-changes check must see what the user sees."""
    widget = QApplication.focusWidget()
    if isinstance(widget, QAbstractSpinBox):
        widget.interpretText()
    elif isinstance(widget, QLineEdit) and widget.isModified():
        widget.editingFinished.emit()


def file_stem(name: str) -> str:
    """A scenario name made safe as a file name on every platform."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return stem or "scenario"


class MainWindow(QMainWindow):
    """``MainWindow()`` opens the default scenario, ``MainWindow(path)`` a file.

    A path that cannot be loaded raises ``ScenarioFileError`` (the message says
    why); ``forecaster.ui.app.run_gui`` reports it and opens the default instead.
    """

    def __init__(
        self, path: str | os.PathLike[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.preferences = Preferences()
        if path is not None:
            file_path = Path(path).absolute()
            self.document = ScenarioDocument(load_scenario(file_path), file_path, self)
            self._remember_file(file_path)
        else:
            self.document = ScenarioDocument(default_scenario(), None, self)

        self.view = ScenarioView(self.document, self)
        self.setCentralWidget(self.view)
        self.compare = CompareDock(self.document, self.view, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.compare)
        self.compare.hide()
        self._compare_sized = False
        self.compare.visibilityChanged.connect(self._on_compare_visibility_changed)

        self._build_actions()
        self._build_menus()
        self.setAcceptDrops(True)
        self.statusBar()

        self.document.sigScenarioChanged.connect(self._on_scenario_changed)
        self.document.sigModifiedChanged.connect(self._on_modified_changed)
        self.document.sigPathChanged.connect(self._on_path_changed)
        self.autosaver = Autosaver(self.document, parent=self)
        self._update_title()
        self._restore_layout()

    def restore(self, recovery: Recovery) -> None:
        """Bring back the unsaved scenario of a session that died; it shows as modified."""
        self.document.replace_all(recovery.scenario, recovery.document_path, modified=True)
        self.autosaver.adopt(recovery)
        self.statusBar().showMessage(
            f"Restored unsaved work on \u201c{recovery.scenario.name}\u201d", STATUS_MS
        )

    # --- building ----------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        shortcut: QKeySequence.StandardKey | str | None = None,
        fallback: str = "",
        tip: str = "",
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            # Some platforms bind no key to a standard action (Quit on generic Linux
            # themes, Save As on Windows); the fallback is the common one.
            keys = QKeySequence.keyBindings(shortcut) or (
                [QKeySequence(fallback)] if fallback else []
            )
            action.setShortcuts(keys)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action(
            "&New",
            self.new_scenario,
            shortcut=key.New,
            tip="Start a new scenario from the default settings",
            name="action_new",
        )
        self.open_action = self._action(
            "&Open…",
            self.open_file,
            shortcut=key.Open,
            tip="Open a scenario file",
            name="action_open",
        )
        self.save_action = self._action(
            "&Save", self.save, shortcut=key.Save, tip="Save the scenario", name="action_save"
        )
        self.save_as_action = self._action(
            "Save &As…",
            self.save_as,
            shortcut=key.SaveAs,
            fallback="Ctrl+Shift+S",
            tip="Save the scenario under a new name",
            name="action_save_as",
        )
        self.export_csv_action = self._action(
            "Table as &CSV…",
            self.export_table,
            name="action_export_csv",
            tip="Write the per-year figures as a CSV table",
        )
        self.export_png_action = self._action(
            "Chart as &PNG…",
            lambda: self.export_chart("png"),
            name="action_export_png",
            tip="Save the projection chart as a PNG image",
        )
        self.export_svg_action = self._action(
            "Chart as &SVG…",
            lambda: self.export_chart("svg"),
            name="action_export_svg",
            tip="Save the projection chart as an SVG drawing",
        )
        self.quit_action = self._action(
            "&Quit", self.close, shortcut=key.Quit, fallback="Ctrl+Q", name="action_quit"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(key.Undo)
        self.undo_action.setObjectName("action_undo")
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(key.Redo)
        self.redo_action.setObjectName("action_redo")
        self.addActions([self.undo_action, self.redo_action])
        self.rename_action = self._action(
            "Re&name Scenario…",
            self.rename_scenario,
            name="action_rename",
            tip="Change the scenario's name",
        )
        self.notes_action = self._action(
            "Edit &Notes…",
            self.edit_notes,
            name="action_notes",
            tip="Write notes kept in the scenario file",
        )

        self.update_on_release_action = QAction("Update Charts Only on &Release", self)
        self.update_on_release_action.setObjectName("action_update_on_release")
        self.update_on_release_action.setCheckable(True)
        self.update_on_release_action.setStatusTip(
            "Redraw when a slider is let go instead of while it moves (for slow machines)"
        )
        self.update_on_release_action.setChecked(self.preferences.update_on_release())
        self.view.set_update_on_release(self.update_on_release_action.isChecked())
        self.update_on_release_action.toggled.connect(self._on_update_on_release_changed)

        self.about_action = self._action("&About Forecaster", self.about, name="action_about")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        export_menu.addActions(
            [self.export_csv_action, self.export_png_action, self.export_svg_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.rename_action)
        edit_menu.addAction(self.notes_action)

        self.presets_menu = bar.addMenu("&Presets")
        self.presets_menu.setObjectName("presets_menu")
        self.preset_actions: dict[str, QAction] = {}
        for name in list_presets():
            action = self.presets_menu.addAction(name)
            action.setStatusTip(f"Open the shipped scenario “{name}”")
            action.triggered.connect(lambda _checked=False, n=name: self.open_preset(n))
            self.preset_actions[name] = action

        compare_menu = bar.addMenu("&Compare")
        compare_menu.addAction(self.compare.pin_action)
        compare_menu.addAction(self.compare.remove_action)
        compare_menu.addAction(self.compare.clear_action)
        compare_menu.addSeparator()
        show_compare = self.compare.toggleViewAction()
        show_compare.setText("Compare &Panel (pins and what changed)")
        compare_menu.addAction(show_compare)

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.update_on_release_action)
        view_menu.addAction(show_compare)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    # --- documents -----------------------------------------------------------
    def new_scenario(self) -> bool:
        if not self.maybe_save("starting a new scenario"):
            return False
        self.document.replace_all(Scenario(name="Untitled"), None)
        self.statusBar().showMessage("New scenario", STATUS_MS)
        return True

    def open_preset(self, name: str) -> bool:
        if not self.maybe_save(f"opening the preset “{name}”"):
            return False
        try:
            scenario = load_preset(name)
        except ScenarioError as e:
            self._show_error("Could not open the preset", str(e))
            return False
        self.document.replace_all(scenario, None)
        self.statusBar().showMessage(f"Opened the preset “{scenario.name}”", STATUS_MS)
        return True

    def open_file(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Open ``path``, or ask for a file; False when cancelled or it failed."""
        if not self.maybe_save("opening another scenario"):
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Open Scenario", str(self.preferences.last_folder()), OPEN_FILTERS
            )
            if not name:
                return False
            path = name
        return self._load(Path(path).absolute())

    def save(self) -> bool:
        commit_pending_edit()
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        commit_pending_edit()
        start = (
            self.document.path
            if self.document.path is not None
            else self.preferences.last_folder() / (file_stem(self.document.scenario.name) + SUFFIX)
        )
        path = self._ask_save_path("Save Scenario As", start, SCENARIO_FILTER, SUFFIX)
        return path is not None and self._save_to(path)

    def _ask_save_path(self, title: str, start: Path, file_filter: str, suffix: str) -> Path | None:
        """Ask for a file to write; the suffix is added when missing, and a file that
        name then hits (which the dialog never saw) is only replaced if the user agrees."""
        name, _ = QFileDialog.getSaveFileName(self, title, str(start), file_filter)
        if not name:
            return None
        path = with_suffix(name, suffix).absolute()
        if path != Path(name).absolute() and path.exists():
            answer = QMessageBox.question(
                self,
                title,
                f"{path.name} already exists.\n\nReplace it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return path

    def maybe_save(self, doing: str = "closing") -> bool:
        """Ask Save / Discard / Cancel when there are unsaved changes; True to go on."""
        commit_pending_edit()
        if not self.document.modified:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"“{self.document.scenario.name}” has unsaved changes.\n\nSave them before {doing}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _load(self, path: Path) -> bool:
        try:
            scenario = load_scenario(path)
        except ScenarioError as e:
            if not path.exists():
                self.preferences.remove_recent_file(path)
                self._fill_recent_menu()
            self._show_error("Could not open the scenario", str(e))
            return False
        self.document.replace_all(scenario, path)
        self._remember_file(path)
        self.statusBar().showMessage(f"Opened {path.name}", STATUS_MS)
        return True

    def _save_to(self, path: Path) -> bool:
        try:
            save_scenario(self.document.scenario, path)
        except ScenarioError as e:  # ScenarioFileError included
            self._show_error("Could not save the scenario", str(e))
            return False
        except OSError as e:
            self._show_error("Could not save the scenario", f"{path.name}: {e.strerror or e}")
            return False
        self.document.mark_saved(path)
        self._remember_file(path)
        self.statusBar().showMessage(f"Saved {path.name}", STATUS_MS)
        return True

    def _remember_file(self, path: Path) -> None:
        self.preferences.add_recent_file(path)
        self.preferences.set_last_folder(path.parent)
        if hasattr(self, "recent_menu"):
            self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu: QMenu = self.recent_menu
        menu.clear()
        recent = self.preferences.recent_files()
        for i, path in enumerate(recent, start=1):
            escaped = path.name.replace("&", "&&")
            # "&1" gives the first nine entries a keyboard accelerator.
            action = menu.addAction(f"&{i} {escaped}" if i < 10 else escaped)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        if not recent:
            empty = menu.addAction("No recent files")
            empty.setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("&Clear Recent Files")
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self._on_clear_recent_triggered)
        menu.setToolTipsVisible(True)

    def _on_clear_recent_triggered(self) -> None:
        self.preferences.clear_recent_files()
        self._fill_recent_menu()

    # --- scenario name and notes ------------------------------------------
    def rename_scenario(self) -> bool:
        name, ok = QInputDialog.getText(
            self,
            "Rename Scenario",
            "Scenario name:",
            QLineEdit.EchoMode.Normal,
            self.document.scenario.name,
        )
        if not ok:
            return False
        try:
            self.document.set_name(" ".join(name.split()) or "Untitled")
        except ScenarioError as e:
            self._show_error("Could not rename the scenario", str(e))
            return False
        return True

    def edit_notes(self) -> bool:
        notes, ok = QInputDialog.getMultiLineText(
            self, "Scenario Notes", "Notes kept with the scenario:", self.document.scenario.notes
        )
        if not ok:
            return False
        try:
            self.document.set_notes(notes)
        except ScenarioError as e:
            self._show_error("Could not change the notes", str(e))
            return False
        return True

    # --- export --------------------------------------------------------------
    def export_table(self) -> bool:
        commit_pending_edit()
        self.view.refresh_now()
        projection = self.view.current_projection
        if projection is None:
            self._show_error("Could not export the table", "The projection is not ready yet.")
            return False
        start = self.preferences.last_folder() / (file_stem(self.document.scenario.name) + ".csv")
        path = self._ask_save_path("Export Table as CSV", start, CSV_FILTER, ".csv")
        if path is None:
            return False
        try:
            export_table_csv(path, projection, load_history())
        except ExportError as e:
            self._show_error("Could not export the table", str(e))
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(f"Exported {path.name}", STATUS_MS)
        return True

    def export_chart(self, kind: str) -> bool:
        """Ask for a size and a file, then write the projection chart as "png" or "svg"."""
        chart = self.view.projection_chart
        on_screen = (max(chart.width(), 800), max(chart.height(), 500))
        width, height = self.preferences.export_size(on_screen)
        size = ChartSizeDialog.get_size(self, width, height, f"Export Chart as {kind.upper()}")
        if size is None:
            return False
        width, height = size
        self.preferences.set_export_size(width, height)
        suffix, file_filter = (".png", PNG_FILTER) if kind == "png" else (".svg", SVG_FILTER)
        start = self.preferences.last_folder() / (file_stem(self.document.scenario.name) + suffix)
        path = self._ask_save_path(f"Export Chart as {kind.upper()}", start, file_filter, suffix)
        if path is None:
            return False
        writer = export_chart_png if kind == "png" else export_chart_svg
        try:
            writer(chart, path, width, height)
        except ExportError as e:
            self._show_error("Could not export the chart", str(e))
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(f"Exported {path.name} ({width} × {height})", STATUS_MS)
        return True

    # --- help ------------------------------------------------------------------
    def about(self):
        """Help > About: version, data sources and licence (a non-blocking dialog)."""
        from forecaster.ui.about import show_about

        return show_about(self)

    # --- reactions ---------------------------------------------------------------
    def _on_scenario_changed(self, _scenario: Scenario) -> None:
        self._update_title()

    def _on_modified_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)

    def _on_path_changed(self, _path: Path | None) -> None:
        self._update_title()

    def _on_compare_visibility_changed(self, visible: bool) -> None:
        # The first time it opens, the panel takes a modest height (a few rows);
        # afterwards the user's own size, kept with the window state, wins.
        if visible and not self._compare_sized:
            self.resizeDocks([self.compare], [180], Qt.Orientation.Vertical)
        self._compare_sized = self._compare_sized or visible

    def _on_update_on_release_changed(self, on: bool) -> None:
        self.view.set_update_on_release(on)
        self.preferences.set_update_on_release(on)

    def _update_title(self) -> None:
        # "[*]" is Qt's placeholder for the modified marker; a literal one is doubled.
        name = self.document.scenario.name.replace("[*]", "[*][*]")
        path = self.document.path
        where = f" ({path.name.replace('[*]', '[*][*]')})" if path is not None else ""
        self.setWindowTitle(f"{name}{where}[*] — Forecaster")
        self.setWindowModified(self.document.modified)

    def _show_error(self, title: str, message: str) -> None:
        QMessageBox.critical(self, title, message)

    # --- window ----------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.preferences.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry() if self.screen() else None
            width, height = 1400, 900
            if screen is not None:
                width = min(width, int(screen.width() * 0.95))
                height = min(height, int(screen.height() * 0.9))
            self.resize(width, height)
        state = self.preferences.window_state()
        if state is not None:
            self.restoreState(state)
            # A panel that was open when the window closed keeps its size.
            self._compare_sized = not self.compare.isHidden()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.maybe_save("closing"):
            event.ignore()
            return
        self.preferences.set_window_layout(self.saveGeometry(), self.saveState())
        self.preferences.sync()
        self.autosaver.discard()  # a clean exit: nothing left to recover
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        path = _dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Open after the drop returns: the source application must not wait on our prompt.
        QTimer.singleShot(0, lambda: self.open_file(path))


def _dropped_file(mime: QMimeData) -> Path | None:
    """The first local file in a drag, if any."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile():
            return Path(url.toLocalFile())
    return None
