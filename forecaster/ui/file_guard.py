"""A window's hold on its document's file: a lock, and a watch.

- ``DocumentLock``: one QLockFile per open document path, so a second window or a
  second Forecaster on the same file learns who holds it (process, host) and can be
  offered a read-only view or a copy instead of a silent last-save-wins. The lock
  files live in the app's data folder, named by a hash of the file's real path (its
  bytes, so any file name works), never beside the user's file: a read-only folder
  or a shared one gets no clutter. A lock left by a process that died is taken over
  (QLockFile checks the process).
- ``FileWatch``: QFileSystemWatcher on the file and its folder (another program's
  atomic save replaces the file, which ends a watch on the file alone). A change is
  judged by the bytes against the stamp of what the window loaded or saved, so its
  own saves and a mere touch are not reported, and one change is reported once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, QStandardPaths, QTimer, Signal

from forecaster.io.files import (
    FileStamp,
    changed_since,
    display_path,
    is_representable,
    read_regular,
    special_kind,
)
from forecaster.io.scenario_file import MAX_BYTES

log = logging.getLogger(__name__)

WATCH_SETTLE_MS = 200  # an editor's save is several events: look once they settle


def lock_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "locks"


def real_path(path: Path) -> Path:
    return Path(os.path.realpath(path))


def same_file(a: Path | None, b: Path | None) -> bool:
    return (
        a is not None and b is not None and os.fsencode(real_path(a)) == os.fsencode(real_path(b))
    )


def lock_file_for(path: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(real_path(path))).hexdigest()[:32]
    return lock_folder() / f"{digest}.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds a document's lock."""

    pid: int
    host: str
    app: str

    @property
    def in_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host in ("", socket.gethostname())

    def describe(self) -> str:
        if self.in_this_process:
            return "another window of this Forecaster"
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        return f"another Forecaster (process {self.pid}{where})"


def _qlock(file: Path) -> QLockFile:
    lock = QLockFile(str(file))
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    return lock


def holder_of(path: Path) -> Holder | None:
    """Who has ``path`` open, if anyone (a window of this process included)."""
    file = lock_file_for(path)
    if special_kind(file) is not None:
        return None  # checked and logged when taking it
    lock = _qlock(file)
    if lock.tryLock(0):
        lock.unlock()
        return None
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None
    ok, pid, host, app = _lock_info(lock)
    return Holder(pid, host, app) if ok else Holder(0, "", "")


def _lock_info(lock: QLockFile) -> tuple[bool, int, str, str]:
    info = lock.getLockInfo()
    if isinstance(info, tuple) and len(info) == 3:  # PySide6: (pid, hostname, appname)
        return True, int(info[0]), str(info[1]), str(info[2])
    return False, 0, "", ""


class DocumentLock:
    """The lock this window holds on its document's file (at most one at a time)."""

    def __init__(self) -> None:
        self._lock: QLockFile | None = None
        self.path: Path | None = None

    def holds(self, path: Path | None) -> bool:
        return self._lock is not None and same_file(self.path, path)

    def take(self, path: Path) -> Holder | None:
        """Hold ``path`` (letting go of the previous one); who holds it when it is taken.

        When no lock can be made here at all (the folder cannot be written), the file
        opens unlocked: the log says so, and the save-time check still guards it."""
        if self.holds(path):
            return None
        file = lock_file_for(path)
        kind = special_kind(file)
        if kind is not None:
            log.warning("not locking %s: its lock file %s is %s", display_path(path), file, kind)
            self.release()
            self.path = path
            return None
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            log.warning("not locking %s: %s", display_path(path), e)
        lock = _qlock(file)
        if lock.tryLock(0):
            self.release()
            self._lock, self.path = lock, path
            return None
        if lock.error() == QLockFile.LockError.LockFailedError:
            ok, pid, host, app = _lock_info(lock)
            return Holder(pid, host, app) if ok else Holder(0, "", "")
        log.warning("not locking %s: lock file %s cannot be made", display_path(path), file)
        self.release()
        self.path = path
        return None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
        self._lock, self.path = None, None


class FileWatch(QObject):
    """Reports when the watched file's bytes differ from the stamp the window holds."""

    sigChanged = Signal(str)  # "changed", "deleted", or what is there now ("a named pipe")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_event)
        self._watcher.directoryChanged.connect(self._on_event)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WATCH_SETTLE_MS)
        self._timer.timeout.connect(self.check_now)
        self._path: Path | None = None
        self._stamp: FileStamp | None = None
        self._reported: tuple[str, str] | None = None

    @property
    def path(self) -> Path | None:
        return self._path

    def watch(self, path: Path | None, stamp: FileStamp | None) -> None:
        """Watch ``path`` against ``stamp`` (after a load or a save); None stops watching."""
        self._timer.stop()
        old = self._watcher.files() + self._watcher.directories()
        if old:
            self._watcher.removePaths(old)
        self._path, self._stamp, self._reported = path, stamp, None
        if path is None:
            return
        # A QString cannot hold a name that is not UTF-8: such a file is watched
        # through its folder when the folder's name can be held, else only the
        # save-time check guards it.
        for target in (path, path.parent):
            if is_representable(target) and special_kind(target) in (None, "a folder"):
                if os.path.exists(target):
                    self._watcher.addPath(str(target))

    def _on_event(self, _path: str) -> None:
        self._timer.start()

    def check_now(self) -> str | None:
        """Compare the file with the stamp now; emits sigChanged once per new state."""
        self._timer.stop()
        path = self._path
        if path is None or self._stamp is None:
            return None
        if is_representable(path) and str(path) not in self._watcher.files():
            if special_kind(path) is None and os.path.exists(path):
                self._watcher.addPath(str(path))  # replaced by another program's save
        status = changed_since(path, self._stamp, MAX_BYTES)
        if status is None:
            self._reported = None
            return None
        state = (status, self._digest(path) if status == "changed" else "")
        if state != self._reported:
            self._reported = state
            self.sigChanged.emit(status)
        return status

    @staticmethod
    def _digest(path: Path) -> str:
        try:
            data, _ = read_regular(path, MAX_BYTES)
        except OSError:
            return ""
        return hashlib.sha256(data).hexdigest()
