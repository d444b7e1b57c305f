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
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from forecaster.engine import Scenario
from forecaster.io import (
    default_scenario,
)
from forecaster.io.files import display_name
from forecaster.io.recovery import Recovery
from forecaster.io.scenario_file import (
    load_scenario_stamped,
)
from forecaster.ui import crash
from forecaster.ui.autosave import Autosaver
from forecaster.ui.compare import CompareDock
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.file_guard import DocumentLock, FileWatch
from forecaster.ui.notices import NoticeBar
from forecaster.ui.settings import Preferences
from forecaster.ui.view import ScenarioView
from forecaster.ui.window_files import (
    CANCEL,
    OPEN_COPY,
    OPEN_READ_ONLY,
    STATUS_MS,
    FileInUse,
    check_computable,
)
from forecaster.ui.window_menus import WindowMenus

MIN_WIDTH, MIN_HEIGHT = 1024, 640

# Notices about the app's own state (autosave, preferences, log) are said once per
# run, not once per window.
_said_once: set[str] = set()


class MainWindow(WindowMenus):
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
        self.compare = CompareDock(self.document, self)
        self.compare.sigOverlaysChanged.connect(self.view.set_overlays)
        self.view.sigProjectionUpdated.connect(
            lambda projection: self.compare.set_current(projection, self.view.projected_scenario)
        )
        self.compare.set_current(self.view.current_projection, self.view.projected_scenario)
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
