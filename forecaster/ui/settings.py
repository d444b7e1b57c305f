"""The window's preferences, kept with QSettings under "Forecaster/Forecaster".

One small class so the keys, the recent-files rules (newest first, at most ten,
missing files pruned) and the type conversions QSettings needs live in one
place, and tests can point QSettings at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANIZATION = "Forecaster"
APPLICATION = "Forecaster"
MAX_RECENT = 10

_RECENT = "files/recent"
_LAST_FOLDER = "files/last_folder"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_UPDATE_ON_RELEASE = "view/update_on_release"
_EXPORT_SIZE = "export/chart_size"


def _settings() -> QSettings:
    # defaultFormat() (native unless a test switched it to INI) with explicit names,
    # so preferences are found even before QApplication's names are set.
    return QSettings(
        QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def _as_bool(value: object, default: bool) -> bool:
    # INI files give back "true"/"false" strings, the registry gives back bools.
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _as_list(value: object) -> list[str]:
    # QSettings returns a single string, not a one-item list, for a one-item list.
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]  # type: ignore[union-attr]


class Preferences:
    """Typed access to the stored preferences; every call reads or writes through."""

    # --- recent files -------------------------------------------------
    def recent_files(self) -> list[Path]:
        """Recent scenario files, newest first, without the ones that are gone."""
        stored = [Path(p) for p in _as_list(_settings().value(_RECENT))]
        present = [p for p in stored if p.is_file()]
        if present != stored:
            self._store_recent(present)
        return present

    def add_recent_file(self, path: Path) -> None:
        path = Path(path).absolute()
        stored = [Path(p) for p in _as_list(_settings().value(_RECENT))]
        self._store_recent([path] + [p for p in stored if p != path])

    def remove_recent_file(self, path: Path) -> None:
        path = Path(path).absolute()
        stored = [Path(p) for p in _as_list(_settings().value(_RECENT))]
        self._store_recent([p for p in stored if p != path])

    def clear_recent_files(self) -> None:
        self._store_recent([])

    def _store_recent(self, paths: list[Path]) -> None:
        _settings().setValue(_RECENT, [str(p) for p in paths[:MAX_RECENT]])

    # --- folders ------------------------------------------------------
    def last_folder(self) -> Path:
        """Where file dialogs start: the last folder used, else the Documents folder."""
        stored = _settings().value(_LAST_FOLDER)
        if stored and Path(str(stored)).is_dir():
            return Path(str(stored))
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def set_last_folder(self, folder: Path) -> None:
        _settings().setValue(_LAST_FOLDER, str(Path(folder).absolute()))

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
            width, height = (int(v) for v in values)
        except ValueError:
            return default
        return (width, height) if width > 0 and height > 0 else default

    def set_export_size(self, width: int, height: int) -> None:
        _settings().setValue(_EXPORT_SIZE, [str(int(width)), str(int(height))])

    def sync(self) -> None:
        _settings().sync()
