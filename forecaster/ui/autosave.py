"""Autosave to a recovery file, and the offer to restore after a crash.

A moment after the last edit the open scenario (with its file path and modified
state) is written to a recovery file in the app's data folder — never over the
user's own file. Saving, undoing back to the saved state, or a clean exit
deletes it. A recovery file still there at the next start means the last session
died; the app then offers to restore it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from forecaster.io.recovery import SUFFIX as RECOVERY_SUFFIX
from forecaster.io.recovery import Recovery, find_recoveries, remove_recovery, write_recovery

from .document import ScenarioDocument

log = logging.getLogger(__name__)

# Well inside the 2 seconds the issue allows, long enough that a drag writes once.
AUTOSAVE_DELAY_MS = 1000


LOCK_SUFFIX = ".lock"


def _lock_for(file: Path) -> QLockFile:
    lock = QLockFile(str(file) + LOCK_SUFFIX)
    # Never stale by age: only a lock whose process is gone may be taken over.
    lock.setStaleLockTime(0)
    return lock


def owned_by_a_running_session(file: Path) -> bool:
    """Whether a live Forecaster (this one included) still holds this recovery file."""
    lock = _lock_for(file)
    if lock.tryLock(0):
        lock.unlock()
        return False
    return lock.error() == QLockFile.LockError.LockFailedError


def recovery_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


class Autosaver(QObject):
    """Keeps one recovery file in step with one document."""

    def __init__(
        self, document: ScenarioDocument, folder: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._folder = folder or recovery_folder()
        self.file = self._folder / f"{uuid.uuid4().hex}{RECOVERY_SUFFIX}"
        # Held while this window has a recovery file, so that a second Forecaster
        # started meanwhile neither offers nor deletes it.
        self._lock = _lock_for(self.file)
        self._edited_at = datetime.now(UTC)
        # A single-shot timer restarted on every edit: the write happens once the
        # edits pause (a debounce; superqt's debouncer would hide the edit time we record).
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.write_now)
        document.sigScenarioChanged.connect(self._on_scenario_changed)
        document.sigModifiedChanged.connect(self._on_modified_changed)
        self.last_error: str | None = None

    def _on_scenario_changed(self, *_: object) -> None:
        self._edited_at = datetime.now(UTC)
        if self._document.modified:
            self._timer.start()

    def _on_modified_changed(self, modified: bool) -> None:
        if modified:
            self._timer.start()
        else:
            self._timer.stop()
            self.discard()

    def write_now(self) -> None:
        """Write the recovery file now (if there is anything unsaved)."""
        self._timer.stop()
        if not self._document.modified:
            self.discard()
            return
        try:
            if not self._lock.isLocked():
                self._folder.mkdir(parents=True, exist_ok=True)
                self._lock.tryLock(0)
            write_recovery(
                self.file, self._document.scenario, self._document.path, True, self._edited_at
            )
            self.last_error = None
        except (OSError, ValueError) as e:
            # Autosave must never interrupt the user; the failure goes to the log.
            self.last_error = str(e)
            log.warning("autosave to %s failed: %s", self.file, e)

    def discard(self) -> None:
        self._timer.stop()
        try:
            remove_recovery(self.file)
        except OSError as e:
            log.warning("could not remove recovery file %s: %s", self.file, e)
        if self._lock.isLocked():
            self._lock.unlock()

    def adopt(self, recovery: Recovery) -> None:
        """Take over a restored recovery file: ours replaces it from now on."""
        self._edited_at = recovery.edited_at
        if recovery.file != self.file:
            remove_recovery(recovery.file)
        self.write_now()


def pending_recoveries(folder: Path | None = None) -> list[Recovery]:
    """Recovery files left by a session that did not end cleanly (unreadable ones are logged)."""
    found, broken = find_recoveries(folder or recovery_folder())
    for _file, problem in broken:
        log.warning("ignoring unreadable recovery file: %s", problem)
    return [r for r in found if not owned_by_a_running_session(r.file)]


def ask_to_restore(parent: QWidget | None, recovery: Recovery) -> bool:
    """Ask whether to restore one recovery file; declining deletes it."""
    when = recovery.edited_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    where = f"\n\nIts file: {recovery.document_path}" if recovery.document_path else ""
    answer = QMessageBox.question(
        parent,
        "Restore unsaved work?",
        f"Forecaster did not close properly last time.\n\n"
        f"Restore the unsaved scenario \u201c{recovery.scenario.name}\u201d, "
        f"last edited {when}?{where}\n\nNo discards it.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        return True
    remove_recovery(recovery.file)
    return False
