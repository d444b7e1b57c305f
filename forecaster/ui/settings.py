"""The window's preferences, kept with QSettings under "Forecaster/Forecaster".

One small class so the keys, the recent-files rules (newest first, at most ten,
missing files pruned) and the type conversions QSettings needs live in one
place, and tests can point QSettings at a temporary folder.

Start-up must never depend on the health of what is stored here:

- QSettings reads its files as soon as it is made, and a named pipe in place of one
  would block it for ever. So the files it would read (and its lock file) are
  checked first; if one is not a regular file, preferences live in memory for the
  session, the log says why, and ``problem()`` gives the window one sentence to show.
- Every value is read defensively: one of the wrong type, a recent entry that
  cannot be examined (an unreadable folder, a name too long for the system), is
  skipped and logged, never raised.
- Paths are kept as the bytes the system gave when they are not UTF-8 text (a
  QString cannot hold such a name), so Recent works for any file name.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from forecaster.io.files import (
    display_path,
    is_dir_safely,
    is_file_safely,
    is_representable,
    special_kind,
)

log = logging.getLogger(__name__)

ORGANIZATION = "Forecaster"
APPLICATION = "Forecaster"
MAX_RECENT = 10

_RECENT = "files/recent"
_LAST_FOLDER = "files/last_folder"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_UPDATE_ON_RELEASE = "view/update_on_release"
_EXPORT_SIZE = "export/chart_size"
# A name no application uses: a QSettings made for it reads nothing that exists, and
# its file name tells where QSettings keeps files of this format and scope.
_PROBE = "Forecaster-settings-location-probe"


class _MemorySettings:
    """What QSettings offers Preferences, kept in memory for the session (used when the
    settings file cannot be used safely)."""

    def __init__(self) -> None:
        self._values: dict[str, object] = {}

    def value(self, key: str, default: object = None) -> object:
        return self._values.get(key, default)

    def setValue(self, key: str, value: object) -> None:  # noqa: N802 (QSettings' name)
        self._values[key] = value

    def sync(self) -> None:
        pass


_memory: dict[str, _MemorySettings] = {}
_logged: set[str] = set()
_problem: str | None = None


def settings_files() -> list[Path]:
    """The files QSettings reads for the app's preferences: the user's own and the
    organisation-wide fallbacks, user and system, each with its lock file."""
    fmt = QSettings.defaultFormat()
    files: list[Path] = []
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        probe = Path(QSettings(fmt, scope, _PROBE).fileName())
        folder, ext = probe.parent, probe.suffix
        if not probe.is_absolute():  # the Windows registry, not files: nothing to block on
            continue
        for file in (
            folder / ORGANIZATION / f"{APPLICATION}{ext}",
            folder / f"{ORGANIZATION}{ext}",
        ):
            files += [file, file.with_name(file.name + ".lock")]
    return files


def _settings() -> QSettings | _MemorySettings:
    # defaultFormat() (native unless a test switched it to INI) with explicit names,
    # so preferences are found even before QApplication's names are set.
    global _problem
    for file in settings_files():
        kind = special_kind(file)
        if kind is not None:
            where = display_path(file)
            _problem = (
                f"Preferences are not being kept: {where} is {kind}, not a settings file. "
                "Changes last until Forecaster closes."
            )
            if where not in _logged:
                _logged.add(where)
                log.warning("not reading preferences: %s is %s", where, kind)
            return _memory.setdefault(where, _MemorySettings())
    _problem = None
    return QSettings(
        QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def _as_bool(value: object, default: bool) -> bool:
    # INI files give back "true"/"false" strings, the registry gives back bools.
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | str):
        return str(value).strip().lower() in ("true", "1", "yes")
    return default


def _as_list(value: object) -> list[object]:
    # QSettings returns a single string, not a one-item list, for a one-item list.
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value] if value != "" else []


def _stored_path(value: object) -> Path | None:
    """A path as stored: text, or the system's bytes for a name that is not UTF-8."""
    if isinstance(value, QByteArray):
        value = bytes(value.data())
    if isinstance(value, bytes) and value and b"\0" not in value:
        return Path(os.fsdecode(value))
    if isinstance(value, str) and value and "\0" not in value:
        return Path(value)
    return None


def _storable(path: Path) -> str | QByteArray:
    return str(path) if is_representable(path) else QByteArray(os.fsencode(path))


class Preferences:
    """Typed access to the stored preferences; every call reads or writes through."""

    def problem(self) -> str | None:
        """One sentence for the window when preferences cannot be kept, else None."""
        _settings()
        return _problem

    # --- recent files -------------------------------------------------
    def _stored_recent(self) -> list[Path]:
        paths = []
        for item in _as_list(_settings().value(_RECENT)):
            path = _stored_path(item)
            if path is None:
                log.warning("skipping a recent-files entry that is not a path: %r", item)
                continue
            paths.append(path)
        return paths

    def recent_files(self) -> list[Path]:
        """Recent scenario files, newest first, without the ones that are gone (or that
        cannot even be examined: such an entry is dropped and logged, never raised)."""
        stored = self._stored_recent()
        present = [p for p in stored if is_file_safely(p)]
        if present != stored:
            for gone in set(stored) - set(present):
                log.info(
                    "dropping recent file %s: not there or cannot be examined", display_path(gone)
                )
            self._store_recent(present)
        return present

    def add_recent_file(self, path: Path) -> None:
        path = Path(path).absolute()
        stored = self._stored_recent()
        self._store_recent([path] + [p for p in stored if p != path])

    def remove_recent_file(self, path: Path) -> None:
        path = Path(path).absolute()
        self._store_recent([p for p in self._stored_recent() if p != path])

    def clear_recent_files(self) -> None:
        self._store_recent([])

    def _store_recent(self, paths: list[Path]) -> None:
        _settings().setValue(_RECENT, [_storable(p) for p in paths[:MAX_RECENT]])

    # --- folders ------------------------------------------------------
    def last_folder(self) -> Path:
        """Where file dialogs start: the last folder used, else the Documents folder."""
        stored = _stored_path(_settings().value(_LAST_FOLDER))
        if stored is not None and is_dir_safely(stored):
            return stored
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and is_dir_safely(documents) else Path.home()

    def set_last_folder(self, folder: Path) -> None:
        _settings().setValue(_LAST_FOLDER, _storable(Path(folder).absolute()))

    # --- window -------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = _settings().value(_GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = _settings().value(_STATE)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        settings = _settings()
        settings.setValue(_GEOMETRY, geometry)
        settings.setValue(_STATE, state)

    # --- view -----------------------------------------------------------
    def update_on_release(self) -> bool:
        return _as_bool(_settings().value(_UPDATE_ON_RELEASE), False)

    def set_update_on_release(self, on: bool) -> None:
        _settings().setValue(_UPDATE_ON_RELEASE, bool(on))

    def export_size(self, default: tuple[int, int]) -> tuple[int, int]:
        values = _as_list(_settings().value(_EXPORT_SIZE))
        try:
            width, height = (int(str(v)) for v in values)
        except ValueError:
            return default
        return (width, height) if width > 0 and height > 0 else default

    def set_export_size(self, width: int, height: int) -> None:
        _settings().setValue(_EXPORT_SIZE, [str(int(width)), str(int(height))])

    def sync(self) -> None:
        _settings().sync()
