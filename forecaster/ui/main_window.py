"""The Forecaster window: documents, menus, compare and export around the scenario view.

The window owns the document's life cycle (new, open, save, recent files,
presets, drops, the unsaved-changes prompt) and the preferences; everything
inside the central ``ScenarioView`` only ever talks to the document. A failed
load or save is reported in a dialog that names the problem, and the open
document is left exactly as it was.

The window also guards its file (see ``file_guard``): it holds a lock on it, so a
second window or Forecaster on the same file is told who has it and offered a
read-only view or a copy; it watches it and offers to reload a change made by
someone else; and before Save it compares the file with what it loaded or saved,
asking (Overwrite / Save As / Cancel) when someone else changed it. A read-only
target is replaced only when the user agrees. Problems that cost the user
something but need no answer (autosave off, preferences not kept, a scenario too
big for memory) appear once, in a bar above the charts.
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
    QVBoxLayout,
    QWhatsThis,
    QWidget,
)

from forecaster.engine import Scenario, ScenarioError
from forecaster.engine.projection import NotEnoughMemory, project
from forecaster.io import (
    SUFFIX,
    default_scenario,
    list_presets,
    load_history,
    load_preset,
    save_scenario,
)
from forecaster.io.files import changed_since, display_name, display_path
from forecaster.io.recovery import Recovery
from forecaster.io.scenario_file import (
    MAX_BYTES,
    ReadOnlyScenarioFile,
    ScenarioFileError,
    load_scenario_stamped,
)
from forecaster.ui import crash, notices
from forecaster.ui.autosave import Autosaver
from forecaster.ui.chart_image import caption_for, export_explained
from forecaster.ui.compare import CompareDock
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.exporting import (
    CSV_FILTER,
    PNG_FILTER,
    SVG_FILTER,
    ChartSizeDialog,
    ExportError,
    ReadOnlyExport,
    export_table_csv,
)
from forecaster.ui.file_guard import DocumentLock, FileWatch, holder_of, same_file
from forecaster.ui.fit_dialog import FitDialog
from forecaster.ui.notices import NoticeBar
from forecaster.ui.settings import Preferences
from forecaster.ui.view import ScenarioView

SCENARIO_FILTER = f"Forecaster scenarios (*{SUFFIX})"
OPEN_FILTERS = f"{SCENARIO_FILTER};;All files (*)"
STATUS_MS = 5000
# The smallest window every screen is laid out for (a small laptop less the panel).
MIN_WIDTH, MIN_HEIGHT = 1024, 640

# Buttons of the questions the window asks about its file.
OPEN_READ_ONLY, OPEN_COPY, CANCEL = "Open Read-Only", "Open a Copy", "Cancel"
OVERWRITE, SAVE_AS = "Overwrite", "Save As…"
REPLACE = "Replace"

# Notices about the app's own state (autosave, preferences, log) are said once per
# run, not once per window.
_said_once: set[str] = set()


class FileInUse(ScenarioFileError):
    """The user chose not to open a file another window or Forecaster holds."""


def check_computable(scenario: Scenario, path: Path | None = None) -> None:
    """Raise ScenarioFileError when the scenario's draws do not fit in memory, so a file
    that cannot be computed is refused at the door instead of half-opening."""
    try:
        project(scenario)
    except NotEnoughMemory as e:
        where = f"{display_name(path)}: " if path is not None else ""
        raise ScenarioFileError(f"{where}{e}") from None


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
    A file another window or Forecaster holds is opened as the user chooses (read-only,
    a copy, or not at all: ``FileInUse``), or as ``in_use`` says without asking.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        parent: QWidget | None = None,
        in_use: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.preferences = Preferences()
        self.file_lock = DocumentLock()
        self.read_only = False  # the file is open elsewhere: Save goes to Save As
        opened_as = ""
        if path is not None:
            file_path = Path(path).absolute()
            scenario, stamp = load_scenario_stamped(file_path)
            check_computable(scenario, file_path)
            opened_as = self._claim(file_path, in_use)
            if opened_as == CANCEL:
                self.file_lock.release()
                raise FileInUse(f"{display_name(file_path)} is open elsewhere")
            keep_path = file_path if opened_as != OPEN_COPY else None
            self.read_only = opened_as == OPEN_READ_ONLY
            self.document = ScenarioDocument(scenario, keep_path, self, stamp)
            self._remember_file(file_path)
        else:
            self.document = ScenarioDocument(default_scenario(), None, self)

        self.view = ScenarioView(self.document, self)
        self.notice_bar = NoticeBar()
        central = QWidget()
        central.setObjectName("central")
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.notice_bar)
        central_layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.file_watch = FileWatch(self)
        self.file_watch.sigChanged.connect(self._on_changed_on_disk)
        self.file_watch.watch(self.document.path, self.document.stamp)
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
        self.view.sigComputeRefused.connect(self._on_compute_refused)
        self.autosaver = Autosaver(self.document, parent=self)
        self.autosaver.sigUnavailable.connect(self._on_autosave_unavailable)
        self.autosaver.check_folder()
        self._say_once("preferences", self.preferences.problem())
        self._say_once("log", crash.log_problem)
        self._update_title()
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        self._restore_layout()
        if opened_as == OPEN_COPY:
            self.statusBar().showMessage(
                f"Opened a copy of {display_name(path or '')}: Save asks for a new name",
                STATUS_MS,
            )

    def restore(self, recovery: Recovery) -> None:
        """Bring back the unsaved scenario of a session that died; it shows as modified.

        Its file is taken with a lock like any open; when another window or Forecaster
        holds it, the work comes back as a copy (Save asks for a name), never as a
        second window on the same file. Raises ScenarioFileError when it cannot be
        computed (too big for the memory there is)."""
        check_computable(recovery.scenario, recovery.document_path)
        path = recovery.document_path
        note = ""
        if path is not None and not self.file_lock.holds(path):
            holder = self.file_lock.take(path)
            if holder is not None:
                note = f" as a copy: {display_name(path)} is open in {holder.describe()}"
                path = None
        stamp = recovery.document_stamp if path is not None else None
        self.read_only = False
        self.document.replace_all(recovery.scenario, path, modified=True, stamp=stamp)
        self._hold_file()
        self.autosaver.adopt(recovery)
        self.statusBar().showMessage(
            f"Restored unsaved work on \u201c{recovery.scenario.name}\u201d{note}", STATUS_MS
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
        self.export_report_action = self._action(
            "&Report as PDF…",
            self.export_report,
            name="action_export_report",
            tip="Write a one-page report: verdict, chart, figures, parameters, shocks, sources",
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
        # Ctrl+Y too, whatever the platform's own redo key is (Ctrl+Shift+Z on Linux).
        redo_keys = QKeySequence.keyBindings(key.Redo)
        for extra in ("Ctrl+Y", "Ctrl+Shift+Z"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.redo_action.setShortcuts(redo_keys)
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

        self.fit_history_action = self._action(
            "&Fit to History…",
            self.fit_to_history,
            name="action_fit_history",
            tip="Estimate growth and volatility from the record, with 90% intervals, and apply them",
        )
        self.fit_dialog: FitDialog | None = None

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
        self.model_help_action = self._action(
            "The &Model…",
            self.model_help,
            shortcut=QKeySequence.StandardKey.HelpContents,
            fallback="F1",
            name="action_model_help",
            tip="The model's formulas and every parameter's range, default and meaning",
        )
        self.whats_this_action = QWhatsThis.createAction(self)  # Shift+F1
        self.whats_this_action.setObjectName("action_whats_this")
        self.addAction(self.whats_this_action)

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
        export_menu.addAction(self.export_report_action)
        export_menu.addSeparator()
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

        scenario_menu = bar.addMenu("&Scenario")
        scenario_menu.setObjectName("scenario_menu")
        scenario_menu.addAction(self.fit_history_action)

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
        help_menu.addAction(self.model_help_action)
        help_menu.addAction(self.whats_this_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    # --- documents -----------------------------------------------------------
    def new_scenario(self) -> bool:
        if not self.maybe_save("starting a new scenario"):
            return False
        self.read_only = False
        self.document.replace_all(Scenario(name="Untitled"), None)
        self._hold_file()
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
        self.read_only = False
        self.document.replace_all(scenario, None)
        self._hold_file()
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
        if self.document.path is None or self.read_only:
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

    def _ask_save_path(
        self,
        title: str,
        start: Path,
        file_filter: str,
        suffix: str,
        chosen_filter: list[str] | None = None,
    ) -> Path | None:
        """Ask for a file to write; the suffix is added when missing, and a file that
        name then hits (which the dialog never saw) is only replaced if the user agrees.
        The filter the user picked is appended to ``chosen_filter`` when given."""
        name, picked = QFileDialog.getSaveFileName(self, title, str(start), file_filter)
        if not name:
            return None
        if chosen_filter is not None:
            chosen_filter.append(picked)
        path = with_suffix(name, suffix).absolute()
        if path != Path(name).absolute() and os.path.lexists(path):
            answer = QMessageBox.question(
                self,
                title,
                f"{display_name(path)} already exists.\n\nReplace it?",
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
            scenario, stamp = load_scenario_stamped(path)
            check_computable(scenario, path)
        except ScenarioError as e:
            if not os.path.lexists(path):
                self.preferences.remove_recent_file(path)
                self._fill_recent_menu()
            self._show_error("Could not open the scenario", str(e))
            return False
        opened_as = self._claim(path)
        if opened_as == CANCEL:
            return False
        self.read_only = opened_as == OPEN_READ_ONLY
        keep_path = path if opened_as != OPEN_COPY else None
        if keep_path is None or self.read_only:
            self.file_lock.release()
        self.document.replace_all(scenario, keep_path, stamp=stamp)
        self._hold_file()
        self._remember_file(path)
        how = {OPEN_READ_ONLY: " read-only", OPEN_COPY: " as a copy"}.get(opened_as, "")
        self.statusBar().showMessage(f"Opened {display_name(path)}{how}", STATUS_MS)
        return True

    def _claim(self, path: Path, in_use: str = "") -> str:
        """Take the lock on ``path`` for this window: "" when taken; else, as the user
        chooses (or ``in_use`` says, without asking), OPEN_READ_ONLY, OPEN_COPY or CANCEL."""
        holder = self.file_lock.take(path)
        if holder is None:
            return ""
        if in_use:
            return in_use
        return notices.choose(
            self if self.isVisible() else None,
            "File Already Open",
            f"\u201c{display_name(path)}\u201d is open in {holder.describe()}.\n\n"
            "Edits in two places would overwrite each other. Open it read-only (to look, "
            "or to save under another name), or open a copy?",
            [OPEN_READ_ONLY, OPEN_COPY, CANCEL],
            default=OPEN_READ_ONLY,
            escape=CANCEL,
        )

    def _hold_file(self) -> None:
        """After the document's file changed (open, save, restore): lock and watch it."""
        path = self.document.path
        if path is not None and not self.read_only:
            self.file_lock.take(path)
        else:
            self.file_lock.release()
        self.file_watch.watch(path, self.document.stamp)
        self.notice_bar.dismiss("changed_on_disk")

    def _save_to(self, path: Path) -> bool:
        name = display_name(path)
        own_file = same_file(path, self.document.path) and not self.read_only
        if not own_file:
            holder = holder_of(path)
            if holder is not None and not self.file_lock.holds(path):
                self._show_error(
                    "Could not save the scenario",
                    f"{name} is open in {holder.describe()}.\n\n"
                    "Close it there first, or save under another name.",
                )
                return False
        elif changed_since(path, self.document.stamp, MAX_BYTES) == "changed":
            answer = notices.choose(
                self,
                "File Changed on Disk",
                f"\u201c{name}\u201d was changed on disk since you opened or last saved "
                "it (by another program, or another Forecaster).\n\n"
                "Overwrite those changes with yours, or save yours under another name?",
                [OVERWRITE, SAVE_AS, CANCEL],
                default=SAVE_AS,
                escape=CANCEL,
                icon=QMessageBox.Icon.Warning,
            )
            if answer == SAVE_AS:
                return self.save_as()
            if answer != OVERWRITE:
                return False
        replace_read_only = False
        while True:
            try:
                stamp = save_scenario(
                    self.document.scenario, path, replace_read_only=replace_read_only
                )
                break
            except ReadOnlyScenarioFile:
                if replace_read_only or not self._confirm_replace_read_only(path):
                    return False
                replace_read_only = True
            except ScenarioError as e:  # ScenarioFileError included
                self._show_error("Could not save the scenario", str(e))
                return False
            except OSError as e:
                self._show_error("Could not save the scenario", f"{name}: {e.strerror or e}")
                return False
        self.read_only = False
        self.document.mark_saved(path, stamp)
        self._hold_file()
        self._remember_file(path)
        self.statusBar().showMessage(f"Saved {name}", STATUS_MS)
        return True

    def _confirm_replace_read_only(self, path: Path) -> bool:
        answer = notices.choose(
            self,
            "Read-Only File",
            f"\u201c{display_name(path)}\u201d is read-only.\n\n"
            "Replace it anyway? It stays read-only afterwards.",
            [REPLACE, CANCEL],
            default=CANCEL,
            escape=CANCEL,
            icon=QMessageBox.Icon.Warning,
        )
        return answer == REPLACE

    def reload(self) -> bool:
        """Read the document's file again (after someone else changed it)."""
        path = self.document.path
        if path is None:
            return False
        if self.document.modified:
            answer = QMessageBox.question(
                self,
                "Reload",
                f"Reload \u201c{display_name(path)}\u201d from disk?\n\n"
                "Your unsaved changes are discarded.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return False
        try:
            scenario, stamp = load_scenario_stamped(path)
            check_computable(scenario, path)
        except ScenarioError as e:
            self._show_error("Could not reload the scenario", str(e))
            return False
        self.document.replace_all(scenario, path, stamp=stamp)
        self._hold_file()
        self.statusBar().showMessage(f"Reloaded {display_name(path)}", STATUS_MS)
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
            escaped = display_name(path).replace("&", "&&")
            # "&1" gives the first nine entries a keyboard accelerator.
            action = menu.addAction(f"&{i} {escaped}" if i < 10 else escaped)
            action.setToolTip(display_path(path))
            action.setStatusTip(display_path(path))
            action.setData(display_path(path))
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

    def fit_to_history(self) -> FitDialog:
        """Show the (modeless) Fit to History dialog for this window's scenario."""
        if self.fit_dialog is None:
            self.fit_dialog = FitDialog(self.document, self.view.history, self)
        self.fit_dialog.show()
        self.fit_dialog.raise_()
        self.fit_dialog.activateWindow()
        return self.fit_dialog

    # --- export --------------------------------------------------------------
    def export_table(self) -> bool:
        commit_pending_edit()
        self.view.refresh_now()
        projection = self.view.current_projection
        if projection is None:
            self._show_error("Could not export the table", "The projection is not ready yet.")
            return False
        start = self.preferences.last_folder() / (self._export_stem() + ".csv")
        path = self._ask_save_path("Export Table as CSV", start, CSV_FILTER, ".csv")
        if path is None:
            return False
        history = load_history()
        if not self._export(
            "Could not export the table",
            path,
            lambda force: export_table_csv(path, projection, history, replace_read_only=force),
        ):
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(f"Exported {display_name(path)}", STATUS_MS)
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
        start = self.preferences.last_folder() / (self._export_stem() + suffix)
        path = self._ask_save_path(f"Export Chart as {kind.upper()}", start, file_filter, suffix)
        if path is None:
            return False
        commit_pending_edit()
        self.view.refresh_now()
        result = self.view.current_answer
        if result is None:
            self._show_error("Could not export the chart", "The scenario has no answer yet.")
            return False
        caption = caption_for(self.view.projected_scenario, result)
        if not self._export(
            "Could not export the chart",
            path,
            lambda force: export_explained(
                chart, caption, path, width, height, replace_read_only=force
            ),
        ):
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(
            f"Exported {display_name(path)} ({width} × {height})", STATUS_MS
        )
        return True

    def export_report(self) -> bool:
        """The one-page PDF report of the scenario on screen; the page size is chosen with
        the file type (A4 or Letter, the locale's first)."""
        from forecaster.ui.report import PAGE_SIZES, default_page_size, export_report

        commit_pending_edit()
        self.view.refresh_now()
        projection, result = self.view.current_projection, self.view.current_answer
        if projection is None or result is None:
            self._show_error("Could not export the report", "The scenario has no answer yet.")
            return False
        names = {"a4": "A4", "letter": "Letter"}
        first = default_page_size()
        pages = [first] + [p for p in PAGE_SIZES if p != first]
        filters = {f"PDF, {names[p]} page (*.pdf)": p for p in pages}
        start = self.preferences.last_folder() / (self._export_stem() + ".pdf")
        chosen: list[str] = []
        path = self._ask_save_path(
            "Export Report as PDF", start, ";;".join(filters), ".pdf", chosen
        )
        if path is None:
            return False
        page = filters.get(chosen[0] if chosen else "", first)
        scenario = self.view.projected_scenario
        log = self.view.projection_chart.is_log()
        if not self._export(
            "Could not export the report",
            path,
            lambda force: export_report(
                path,
                scenario,
                projection,
                load_history(),
                result,
                page,
                log=log,
                replace_read_only=force,
            ),
        ):
            return False
        self.preferences.set_last_folder(path.parent)
        self.statusBar().showMessage(
            f"Exported {display_name(path)} ({names[page]} page)", STATUS_MS
        )
        return True

    def _export_stem(self) -> str:
        """Exports are named after the scenario's file ("plan.forecast.json" gives "plan"),
        or after the scenario when it has no file yet."""
        path = self.document.path
        if path is not None:
            name = path.name
            if name.lower().endswith(SUFFIX):
                name = name[: -len(SUFFIX)]
            return file_stem(name)
        return file_stem(self.document.scenario.name)

    def _export(self, title: str, path: Path, write: Callable[[bool], object]) -> bool:
        """Run an export; a read-only target is replaced only when the user agrees."""
        try:
            write(False)
        except ReadOnlyExport:
            if not self._confirm_replace_read_only(path):
                return False
            try:
                write(True)
            except ExportError as e:
                self._show_error(title, str(e))
                return False
        except ExportError as e:
            self._show_error(title, str(e))
            return False
        return True

    # --- help ------------------------------------------------------------------
    def about(self):
        """Help > About: version, data sources and licence (a non-blocking dialog)."""
        from forecaster.ui.about import show_about

        return show_about(self)

    def model_help(self):
        """Help > The model (F1): formulas and parameters, beside the window (not modal)."""
        from forecaster.ui.help import show_model_help

        return show_model_help(self)

    # --- reactions ---------------------------------------------------------------
    def _on_scenario_changed(self, _scenario: Scenario) -> None:
        self._update_title()

    def _on_modified_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)

    def _on_path_changed(self, _path: Path | None) -> None:
        self._update_title()

    def _on_changed_on_disk(self, status: str) -> None:
        path = self.document.path
        if path is None:
            return
        name = display_name(path)
        if status == "changed":
            loss = " Reloading discards your unsaved changes." if self.document.modified else ""
            self.notice_bar.show_notice(
                "changed_on_disk",
                f"\u201c{name}\u201d was changed on disk by another program.{loss}",
                [("&Reload", self.reload), ("&Keep Mine", lambda: None)],
            )
        elif status == "deleted":
            self.notice_bar.show_notice(
                "changed_on_disk",
                f"\u201c{name}\u201d was deleted or moved on disk. Save writes it again.",
            )
        else:
            self.notice_bar.show_notice(
                "changed_on_disk",
                f"\u201c{name}\u201d is now {status} on disk: save under another name.",
                [("Save &As…", self.save_as)],
            )

    def _on_autosave_unavailable(self, reason: str) -> None:
        self._say_once(
            "autosave",
            f"Autosave is off: unsaved work cannot be kept for recovery ({reason}). "
            "Save your work yourself until this is fixed.",
        )

    def _on_compute_refused(self, message: str) -> None:
        text = f"Not changed: {message}."
        self.notice_bar.show_notice("memory", text, error=True)
        self.statusBar().showMessage(text, STATUS_MS)

    def _say_once(self, key: str, message: str | None) -> None:
        if message and key not in _said_once:
            _said_once.add(key)
            self.notice_bar.show_notice(key, message)

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
        shown = display_name(path).replace("[*]", "[*][*]") if path is not None else ""
        if self.read_only:
            shown += ", read-only"
        where = f" ({shown})" if path is not None else ""
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
            if screen is not None:  # sized to the screen, never below the window's minimum
                width = max(MIN_WIDTH, min(width, int(screen.width() * 0.95)))
                height = max(MIN_HEIGHT, min(height, int(screen.height() * 0.9)))
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
        self.file_watch.watch(None, None)
        self.file_lock.release()
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
