"""Writing files without Qt (the engine and io layers stay Qt-free), for every file the
app writes: scenarios, recovery files, CSV and JSON, PNG and SVG exports.

Hand-written because QSaveFile would pull Qt into the io layer (and it neither keeps
a read-only file's mode nor refuses a pipe): a regular target is written to a
temporary file beside it, synced, given the old file's mode and owner, and renamed
over it, so a reader sees either the whole old file or the whole new one.

- A target that is not a regular file is never replaced. ``atomic_write_bytes``
  refuses it ("is a named pipe, not a regular file") unless ``allow_special``, which
  the command line uses to write into a pipe, a terminal or a device in place.
  ``write_target`` also takes ``-`` and ``/dev/stdout``-like names, and writes those
  to the open descriptor itself, so ``--csv /dev/stdout >> log`` appends to the log.
- A read-only target (no write permission bits, or none for this user) is refused
  with ``ReadOnlyTarget`` unless ``replace_read_only``; replaced, it stays read-only.
- Temporary files carry the writer's process id; ones left by a writer that died
  (kill -9 mid-save) are removed on the next save of the same target.
- Every failure is a ``WriteError`` naming the target as the caller gave it, never
  the hidden temporary file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path

from .files import display_path, kind_of

TEMP_SUFFIX = ".tmp"
_TEMP_NAME_CHARS = 100  # of the target's name, so that a long name leaves room
_LEGACY_TEMP_AGE_S = 600  # temp files of older versions carry no process id
_FD_ALIAS = r"/(?:dev/fd|proc/self/fd)/(\d+)"
_NAMED_FDS = {"-": 1, "/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_FD_NAMES = {1: "standard output", 2: "standard error", 0: "standard input"}


class WriteError(OSError):
    """Writing failed; ``str()`` is one line naming the target as the caller gave it."""

    def __init__(self, target: str | os.PathLike[str], reason: str, err: int = 0) -> None:
        super().__init__(err, reason, os.fspath(target))
        self.target = os.fspath(target)
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {target_name(self.target)}: {self.reason}"


class ReadOnlyTarget(WriteError):
    """The target is read-only; it is replaced only when the user says so."""

    def __init__(self, target: str | os.PathLike[str]) -> None:
        super().__init__(target, "it is read-only", errno.EACCES)


def target_name(target: str | os.PathLike[str]) -> str:
    """The target for a message: "standard output" for "-", else the path as given."""
    text = os.fspath(target)
    return "standard output" if text == "-" else display_path(text)


def fd_of(target: str | os.PathLike[str]) -> int | None:
    """The descriptor a target names ("-", /dev/stdout, /dev/fd/N, /proc/self/fd/N)."""
    text = os.fsdecode(os.fspath(target))
    if text in _NAMED_FDS:
        return _NAMED_FDS[text]
    match = re.fullmatch(_FD_ALIAS, text)
    return int(match.group(1)) if match else None


def write_target(
    target: str | os.PathLike[str], data: bytes, *, replace_read_only: bool = False
) -> None:
    """Write ``data`` where a command-line user pointed: "-" and /dev/stdout-like names go
    to that descriptor, other non-regular files (pipes, terminals, devices) are written in
    place, regular files atomically. BrokenPipeError passes through for the caller."""
    fd = fd_of(target)
    if fd is not None:
        write_to_fd(fd, data, target)
        return
    atomic_write_bytes(
        Path(os.fspath(target)), data, allow_special=True, replace_read_only=replace_read_only
    )


def write_to_fd(fd: int, data: bytes, target: str | os.PathLike[str] = "-") -> None:
    """Write all of ``data`` to an open descriptor, after what Python has buffered for it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and stream.fileno() == fd:
                stream.flush()
        except (OSError, ValueError, AttributeError):
            pass  # a stream without a descriptor, or a closed one: nothing buffered for fd
    view = memoryview(data)
    try:
        while view:
            try:
                written = os.write(fd, view)
            except BlockingIOError:  # someone made the descriptor non-blocking
                import select

                select.select([], [fd], [])
                continue
            view = view[written:]
    except BrokenPipeError:
        raise
    except OSError as e:
        reason = "not open" if e.errno == errno.EBADF else (e.strerror or str(e))
        raise WriteError(target, reason, e.errno or 0) from None


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    allow_special: bool = False,
    replace_read_only: bool = False,
) -> os.stat_result | None:
    """Write ``data`` to ``path``; the stat of the new file (None when written in place).

    On any failure the previous file is left byte-identical and a WriteError names
    ``path`` as given.
    """
    given = os.fspath(path)
    # Through a symlink to the file it names, so the link survives the save.
    real = Path(os.path.realpath(given))
    try:
        old: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        old = None
    except OSError as e:
        raise WriteError(given, _reason(e), e.errno or 0) from None
    if old is not None and not stat.S_ISREG(old.st_mode):
        kind = kind_of(old.st_mode)
        if stat.S_ISDIR(old.st_mode) or not allow_special:
            raise WriteError(given, f"is {kind}, not a regular file", errno.EINVAL)
        _write_in_place(real, data, given)
        return None
    if old is not None and not replace_read_only and is_read_only(real, old):
        raise ReadOnlyTarget(given)
    folder = real.parent
    if not os.path.isdir(folder):
        raise WriteError(given, f"the folder {display_path(folder)} does not exist", errno.ENOENT)
    remove_stale_temps(real)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{real.name[:_TEMP_NAME_CHARS]}.{os.getpid()}.",
            suffix=TEMP_SUFFIX,
            dir=folder,
        )
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _copy_owner_and_mode(tmp, old)
        os.replace(tmp, real)
        tmp = None
    except OSError as e:
        raise WriteError(given, _reason(e), e.errno or 0) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _fsync_folder(folder)
    try:
        return os.stat(real)
    except OSError:
        return None


def atomic_write_text(path: str | os.PathLike[str], text: str, **options: bool) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), **options)


def is_read_only(path: str | os.PathLike[str], st: os.stat_result | None = None) -> bool:
    """Whether the file's permission bits deny this user writing it. Root may write
    anything, so for root any write bit counts: a file someone made 0444 is meant not
    to be replaced. (A read-only disk or folder is not this: the save itself fails
    and says so.)"""
    try:
        st = st or os.stat(path)
    except (OSError, ValueError):
        return False
    mode = st.st_mode
    if not hasattr(os, "geteuid"):  # Windows: the read-only attribute
        return not mode & stat.S_IWRITE
    euid = os.geteuid()
    if euid == 0:
        return not mode & 0o222
    if st.st_uid == euid:
        return not mode & stat.S_IWUSR
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return not mode & stat.S_IWGRP
    return not mode & stat.S_IWOTH


def remove_stale_temps(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files this module left beside ``target`` in a save that never
    finished (the writer died): ones whose process is gone, or older versions' unnamed
    ones after ten minutes. Returns what it removed; problems are ignored."""
    target = Path(target)
    name = target.name
    suffix = re.escape(TEMP_SUFFIX)
    ours = r"\." + re.escape(name[:_TEMP_NAME_CHARS]) + r"\.(\d+)\.[A-Za-z0-9_]+" + suffix
    legacy = r"\." + re.escape(name) + r"\.[A-Za-z0-9_]{8}" + suffix
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = re.fullmatch(ours, entry.name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if match:
                stale = not _process_alive(int(match.group(1)))
            elif re.fullmatch(legacy, entry.name):
                stale = now - entry.stat(follow_symlinks=False).st_mtime > _LEGACY_TEMP_AGE_S
            else:
                continue
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


# --- internals -------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process writes one file at a time: a temp of ours is left over
    if os.name == "nt":
        return True  # no cheap, safe check there (os.kill would signal it): keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # alive but not ours, or not a pid at all: leave it
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _copy_owner_and_mode(tmp: str, old: os.stat_result | None) -> None:
    if old is None:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:
            pass  # only root may give a file away; the mode is still kept
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


def _write_in_place(real: Path, data: bytes, given: str) -> None:
    """Into a pipe, a terminal or a device: opened as it is, never truncated or replaced."""
    try:
        fd = os.open(real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise WriteError(given, _reason(e), e.errno or 0) from None
    try:
        write_to_fd(fd, data, given)
    finally:
        os.close(fd)


def _reason(e: OSError) -> str:
    if e.errno == errno.ENOENT:
        return "its folder does not exist"
    return e.strerror or str(e)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
