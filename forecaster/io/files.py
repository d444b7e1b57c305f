"""Reading only regular files, without ever blocking, and knowing when one changed.

A named pipe, a device or a socket where a scenario, a recovery file or a log is
expected would make a plain ``open()`` wait forever (a FIFO with no writer) or read
without end (``/dev/zero``). Everything the app reads from a path goes through
``read_regular``: the path is checked with ``os.stat`` first (so a device is never
even opened), then opened with ``O_NONBLOCK`` and checked again on the open file, so
a swap in between cannot block either.

``FileStamp`` is what the app remembers of a file it loaded or saved (size, mtime
and a SHA-256 of the bytes), so a later save can tell whether someone else changed
the file in the meantime.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words: "a named pipe", "a folder", "a file"."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a file" if stat.S_ISREG(mode) else "not a file"


class NotARegularFile(OSError):
    """The path names a pipe, a device, a folder...; ``kind`` says which."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(f"is {kind}, not a regular file")
        self.filename = os.fspath(path)
        self.kind = kind

    def __str__(self) -> str:
        return str(self.args[0])


def special_kind(path: str | os.PathLike[str]) -> str | None:
    """None for a regular file or nothing at all; else what is there ("a named pipe").

    Never blocks and never raises: a path that cannot be examined counts as nothing
    there, so the caller's own open reports the real reason.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else kind_of(mode)


def open_regular(path: str | os.PathLike[str], flags: int = os.O_RDONLY, mode: int = 0o666) -> int:
    """An fd on ``path`` only if it is a regular file (or, with O_CREAT, a new one).

    Opened with O_NONBLOCK (a FIFO opens at once instead of waiting for a writer)
    and checked with fstat on the open file; anything else raises NotARegularFile.
    """
    kind = special_kind(path)
    if kind is not None:
        raise NotARegularFile(path, kind)
    extra = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | extra, mode)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(path, kind_of(st.st_mode))
        if extra & getattr(os, "O_NONBLOCK", 0) and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads and writes from here
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str | os.PathLike[str], limit: int) -> tuple[bytes, os.stat_result]:
    """Up to ``limit + 1`` bytes of a regular file (one more than allowed shows it is too
    big) and its stat, taken on the same open file."""
    fd = open_regular(path)
    try:
        st = os.fstat(fd)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks), st


@dataclass(frozen=True)
class FileStamp:
    """What a file held when the app last read or wrote it."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> FileStamp:
        return cls(len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def to_json(self) -> dict[str, object]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}

    @classmethod
    def from_json(cls, doc: object) -> FileStamp | None:
        """A stamp read back from a recovery file; None when it is missing or malformed."""
        if not isinstance(doc, dict):
            return None
        size, mtime, digest = doc.get("size"), doc.get("mtime_ns"), doc.get("sha256")
        if (
            isinstance(size, int)
            and isinstance(mtime, int)
            and isinstance(digest, str)
            and len(digest) == 64
        ):
            return cls(size, mtime, digest)
        return None


def changed_since(path: str | os.PathLike[str], stamp: FileStamp | None, limit: int) -> str | None:
    """How the file at ``path`` differs from ``stamp``: None when it holds the same bytes,
    else "changed", "deleted" or what now stands there ("a named pipe").

    The bytes decide, not the time alone: a file touched but not changed is the same.
    """
    if stamp is None:
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "deleted"
    except (OSError, ValueError):
        return None  # cannot look: the save itself will say why
    if not stat.S_ISREG(st.st_mode):
        return kind_of(st.st_mode)
    if st.st_size != stamp.size:
        return "changed"
    try:
        data, _ = read_regular(path, limit)
    except OSError:
        return None
    return None if hashlib.sha256(data).hexdigest() == stamp.sha256 else "changed"


def display_path(path: str | os.PathLike[str]) -> str:
    """A path readable in a title, a menu or a message, whatever bytes its name holds:
    bytes that are not UTF-8 show as U+FFFD instead of failing or vanishing."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "replace")


def display_name(path: str | os.PathLike[str]) -> str:
    return display_path(Path(os.fsdecode(path)).name)


def is_representable(path: str | os.PathLike[str]) -> bool:
    """Whether the path's bytes are UTF-8, so a Qt string can hold it exactly."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def path_from_bytes(raw: bytes) -> Path:
    return Path(os.fsdecode(raw))


def exists_safely(path: str | os.PathLike[str]) -> bool:
    """os.path.exists that never raises (a name too long, an unreadable folder, a NUL)."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def is_file_safely(path: str | os.PathLike[str]) -> bool:
    """Whether a regular file is there; False (never an exception) when it cannot be told."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_dir_safely(path: str | os.PathLike[str]) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
