"""Recovery files: the unsaved state of an open scenario, kept apart from the user's file.

The window writes one of these a moment after every edit (see
``forecaster.ui.autosave``) into the app's data folder; a clean exit or a save
deletes it, so finding one at start-up means the last session did not end well.
The scenario inside uses the ordinary scenario format and its validation.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from forecaster.engine.params import Scenario

from .atomic import atomic_write_text
from .files import FileStamp, NotARegularFile, display_path, read_regular
from .scenario_file import MAX_BYTES, ScenarioFileError, dumps_scenario, loads_scenario

FORMAT = "forecaster-recovery"
VERSION = 1
SUFFIX = ".recovery.json"


@dataclass(frozen=True)
class Recovery:
    file: Path  # the recovery file itself
    scenario: Scenario
    document_path: Path | None  # where the user's own file is, if it has one
    modified: bool
    edited_at: datetime  # time of the last edit, UTC
    # What the user's file held when the session last loaded or saved it, so a save
    # after the restore can tell whether someone changed the file since.
    document_stamp: FileStamp | None = None


def write_recovery(
    file: Path,
    scenario: Scenario,
    document_path: Path | None,
    modified: bool,
    edited_at: datetime,
    document_stamp: FileStamp | None = None,
) -> None:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "edited_at": edited_at.astimezone(UTC).isoformat(),
        # Readable text for people, and the exact bytes the system gave (base64): a
        # file name that is not UTF-8 cannot be JSON text, but must come back exactly.
        "document_path": display_path(document_path) if document_path else None,
        "document_path_bytes": (
            base64.b64encode(os.fsencode(document_path)).decode("ascii") if document_path else None
        ),
        "document_stamp": document_stamp.to_json() if document_stamp else None,
        "modified": modified,
        "scenario": json.loads(dumps_scenario(scenario)),
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    atomic_write_text(file, text, replace_read_only=True)


def read_recovery(file: Path) -> Recovery:
    """Read one recovery file; any problem is a ScenarioFileError naming it."""
    name = display_path(file.name)
    try:
        # Never blocks: a named pipe or a device in the folder is refused unopened.
        data, _ = read_regular(file, 2 * MAX_BYTES)
        if len(data) > 2 * MAX_BYTES:
            raise ScenarioFileError("file is too large")
        doc = json.loads(data.decode("utf-8"))
    except ScenarioFileError as e:
        raise ScenarioFileError(f"{name}: {e}") from None
    except NotARegularFile as e:
        raise ScenarioFileError(f"{name}: is {e.kind}, not a recovery file") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ScenarioFileError(f"{name}: cannot be read ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise ScenarioFileError(f"{name}: not a Forecaster recovery file")
    try:
        scenario = loads_scenario(json.dumps(doc.get("scenario")))
        edited_at = datetime.fromisoformat(str(doc.get("edited_at")))
        edited_at = _as_utc(edited_at)
    except ScenarioFileError as e:
        raise ScenarioFileError(f"{name}: {e}") from None
    except ValueError:
        raise ScenarioFileError(f"{name}: edited_at is not a date and time") from None
    return Recovery(
        file=file,
        scenario=scenario,
        document_path=_document_path(doc),
        modified=bool(doc.get("modified", True)),
        edited_at=edited_at,
        document_stamp=FileStamp.from_json(doc.get("document_stamp")),
    )


def _as_utc(when: datetime) -> datetime:
    """In UTC; a zone-less time is read as UTC (this app writes UTC). A time so near the
    ends of the calendar that its zone pushes it past them is pinned to the end, so
    sorting and showing it can never overflow."""
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except OverflowError:
        end = datetime.min if when.year < 5000 else datetime.max
        return end.replace(tzinfo=UTC)


def _document_path(doc: dict[str, object]) -> Path | None:
    raw = doc.get("document_path_bytes")
    if isinstance(raw, str) and raw:
        try:
            return Path(os.fsdecode(base64.b64decode(raw, validate=True)))
        except (binascii.Error, ValueError):
            pass  # fall back to the readable text
    path = doc.get("document_path")
    return Path(path) if isinstance(path, str) and path else None


def find_recoveries(folder: Path) -> tuple[list[Recovery], list[tuple[Path, str]]]:
    """Every readable recovery file in folder (newest first), and the unreadable ones."""
    found, broken = [], []
    if not folder.is_dir():
        return [], []
    for file in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            found.append(read_recovery(file))
        except ScenarioFileError as e:
            broken.append((file, str(e)))
    found.sort(key=lambda r: r.edited_at, reverse=True)
    return found, broken


def remove_recovery(file: Path) -> None:
    try:
        os.unlink(file)
    except FileNotFoundError:
        pass
