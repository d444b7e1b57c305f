"""Autosave to a recovery file, and the offer to restore after a crash.

A moment after the last edit the open scenario (with its file path, the stamp of
what that file held, and modified state) is written to a recovery file in the app's
data folder — never over the user's own file. Saving, undoing back to the saved
state, or a clean exit deletes it. A recovery file still there at the next start
means the last session died; the app then offers, in one dialog with a list, to
restore them.

When the recovery folder cannot be used, autosave is off: ``sigUnavailable`` says so
once (the window shows it), and the log has the details.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forecaster.io.files import display_path, is_dir_safely, special_kind
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
    """Whether a live Forecaster (this one included) still holds this recovery file.

    A lock file that is not a regular file (a named pipe would block QLockFile's read
    of it) counts as held: the recovery is left alone, and the log says why."""
    kind = special_kind(str(file) + LOCK_SUFFIX)
    if kind is not None:
        log.warning("leaving %s alone: its lock file is %s", display_path(file), kind)
        return True
    lock = _lock_for(file)
    if lock.tryLock(0):
        lock.unlock()
        return False
    return lock.error() == QLockFile.LockError.LockFailedError


def recovery_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def folder_problem(folder: Path) -> str | None:
    """Why recovery files cannot be written in ``folder``, or None when they can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"{display_path(folder)}: {e.strerror or e}"
    if not is_dir_safely(folder):
        return f"{display_path(folder)} is not a folder"
    try:  # a nameless file where the system has them (O_TMPFILE): nothing left behind
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        return f"{display_path(folder)}: {e.strerror or e}"
    return None


class Autosaver(QObject):
    """Keeps one recovery file in step with one document."""

    # Autosave could not write (the reason); emitted once until a write works again.
    sigUnavailable = Signal(str)

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
        self._said = False  # sigUnavailable emitted for the current failure

    def check_folder(self) -> bool:
        """Check now that recovery files can be written; False (and sigUnavailable) if not.
        The window calls this once at start, so the user hears of it before editing."""
        problem = folder_problem(self._folder)
        if problem is not None:
            self._failed(problem)
            return False
        return True

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
                if special_kind(str(self.file) + LOCK_SUFFIX) is None:
                    self._lock.tryLock(0)
            write_recovery(
                self.file,
                self._document.scenario,
                self._document.path,
                True,
                self._edited_at,
                self._document.stamp,
            )
            self.last_error = None
            self._said = False
        except (OSError, ValueError) as e:
            # Autosave never interrupts the user: the window shows a notice, once.
            self._failed(str(e))

    def _failed(self, reason: str) -> None:
        self.last_error = reason
        log.warning("autosave to %s failed: %s", display_path(self.file), reason)
        if not self._said:
            self._said = True
            self.sigUnavailable.emit(reason)

    def discard(self) -> None:
        self._timer.stop()
        try:
            remove_recovery(self.file)
        except OSError as e:
            log.warning("could not remove recovery file %s: %s", display_path(self.file), e)
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


def format_edited(when: datetime) -> str:
    """A recovery's edit time in local time; in UTC when the local zone would push it
    past the calendar's ends (year 1, year 9999), never an OverflowError."""
    try:
        return _datetime_text(when.astimezone())
    except (OverflowError, ValueError, OSError):
        try:
            return _datetime_text(when.astimezone(UTC)) + " UTC"
        except (OverflowError, ValueError):
            return when.isoformat()


def _datetime_text(when: datetime) -> str:
    # The year by hand: strftime("%Y") gives "1", not "0001", on glibc.
    return f"{when.year:04d}-" + when.strftime("%m-%d %H:%M:%S")


class RestoreDialog(QDialog):
    """Every recovery file in one list: checked ones are restored, unchecked ones
    discarded; "Decide Later" (or closing the dialog) keeps them all for next time."""

    RESTORE, DISCARD_ALL, LATER = "Restore Checked", "Discard All", "Decide Later"

    def __init__(self, recoveries: list[Recovery], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restore_dialog")
        self.setWindowTitle("Restore Unsaved Work")
        self.recoveries = list(recoveries)
        self.choice = self.LATER
        count = len(self.recoveries)
        intro = QLabel(
            "Forecaster did not close properly last time. "
            + (
                "One scenario has unsaved changes."
                if count == 1
                else f"{count} scenarios have unsaved changes."
            )
            + "\n\nChecked ones are restored, each in its own window; unchecked ones are "
            "discarded. Decide Later keeps them all for the next start."
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("restore_list")
        self.tree.setHeaderLabels(["Scenario", "Last edited", "File"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for recovery in self.recoveries:
            where = (
                display_path(recovery.document_path) if recovery.document_path else "never saved"
            )
            item = QTreeWidgetItem(
                [recovery.scenario.name, format_edited(recovery.edited_at), where]
            )
            item.setCheckState(0, Qt.CheckState.Checked)
            item.setToolTip(2, where)
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self.tree.itemChanged.connect(self._update_buttons)

        check_all = QPushButton("Check All")
        check_all.clicked.connect(lambda: self._check_all(True))
        uncheck_all = QPushButton("Uncheck All")
        uncheck_all.clicked.connect(lambda: self._check_all(False))
        toggles = QHBoxLayout()
        toggles.addWidget(check_all)
        toggles.addWidget(uncheck_all)
        toggles.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            self.RESTORE, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.discard_button = self.buttons.addButton(
            self.DISCARD_ALL, QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.later_button = self.buttons.addButton(
            self.LATER, QDialogButtonBox.ButtonRole.RejectRole
        )
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(lambda: self._finish(self.RESTORE))
        self.discard_button.clicked.connect(lambda: self._finish(self.DISCARD_ALL))
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addLayout(toggles)
        layout.addWidget(self.buttons)
        self.resize(720, min(520, 220 + 26 * count))

    def checked(self) -> list[Recovery]:
        return [
            r
            for i, r in enumerate(self.recoveries)
            if self._item(i).checkState(0) == Qt.CheckState.Checked
        ]

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.tree.topLevelItemCount()):
            self._item(i).setCheckState(0, state)

    def _item(self, i: int) -> QTreeWidgetItem:
        item = self.tree.topLevelItem(i)
        assert item is not None  # one item per recovery, made in __init__
        return item

    def _update_buttons(self) -> None:
        self.restore_button.setText(self.RESTORE if self.checked() else "Discard Unchecked")

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def decision(self) -> tuple[list[Recovery], list[Recovery]] | None:
        """(to restore, to discard) as the dialog stands, or None to decide later."""
        if self.result() != QDialog.DialogCode.Accepted or self.choice == self.LATER:
            return None
        if self.choice == self.DISCARD_ALL:
            return [], list(self.recoveries)
        keep = self.checked()
        return keep, [r for r in self.recoveries if r not in keep]

    @staticmethod
    def choose(
        parent: QWidget | None, recoveries: list[Recovery]
    ) -> tuple[list[Recovery], list[Recovery]] | None:
        dialog = RestoreDialog(recoveries, parent)
        dialog.exec()
        return dialog.decision()


def ask_which_to_restore(parent: QWidget | None, recoveries: list[Recovery]) -> list[Recovery]:
    """Offer every recovery file in one dialog; the ones to restore. Discarded ones are
    deleted; with "Decide Later" none is restored and all are kept."""
    if not recoveries:
        return []
    decision = RestoreDialog.choose(parent, recoveries)
    if decision is None:
        return []
    restore, discard = decision
    for recovery in discard:
        remove_recovery(recovery.file)
    return restore
