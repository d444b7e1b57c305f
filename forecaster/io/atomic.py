"""Atomic file writes without Qt (the engine and io layers stay Qt-free).

Hand-written because QSaveFile would pull Qt into the io layer: write a temporary
file beside the target, fsync it, then os.replace it over the target, so a reader
sees either the whole old file or the whole new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    # Through a symlink to the file it names, so the link survives the save.
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/stdout, a FIFO): nothing to replace, write straight in.
        with open(path, "wb") as f:
            f.write(data)
        return
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(folder)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


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
