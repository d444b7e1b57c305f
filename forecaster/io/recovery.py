"""Recovery files: the unsaved state of an open scenario, kept apart from the user's file.

The window writes one of these a moment after every edit (see
``forecaster.ui.autosave``) into the app's data folder; a clean exit or a save
deletes it, so finding one at start-up means the last session did not end well.
The scenario inside uses the ordinary scenario format and its validation.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from forecaster.engine.params import Scenario

from .atomic import atomic_write_text
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


def write_recovery(
    file: Path, scenario: Scenario, document_path: Path | None, modified: bool, edited_at: datetime
) -> None:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "edited_at": edited_at.astimezone(UTC).isoformat(),
        "document_path": str(document_path) if document_path else None,
        "modified": modified,
        "scenario": json.loads(dumps_scenario(scenario)),
    }
    file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(file, json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def read_recovery(file: Path) -> Recovery:
    """Read one recovery file; any problem is a ScenarioFileError naming it."""
    try:
        with open(file, "rb") as f:
            data = f.read(2 * MAX_BYTES + 1)
        if len(data) > 2 * MAX_BYTES:
            raise ScenarioFileError("file is too large")
        doc = json.loads(data.decode("utf-8"))
    except ScenarioFileError as e:
        raise ScenarioFileError(f"{file.name}: {e}") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ScenarioFileError(f"{file.name}: cannot be read ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise ScenarioFileError(f"{file.name}: not a Forecaster recovery file")
    try:
        scenario = loads_scenario(json.dumps(doc.get("scenario")))
        edited_at = datetime.fromisoformat(str(doc.get("edited_at")))
        if edited_at.tzinfo is None:  # written without a zone: this app writes UTC
            edited_at = edited_at.replace(tzinfo=UTC)
    except ScenarioFileError as e:
        raise ScenarioFileError(f"{file.name}: {e}") from None
    except ValueError:
        raise ScenarioFileError(f"{file.name}: edited_at is not a date and time") from None
    path = doc.get("document_path")
    return Recovery(
        file=file,
        scenario=scenario,
        document_path=Path(path) if isinstance(path, str) and path else None,
        modified=bool(doc.get("modified", True)),
        edited_at=edited_at,
    )


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
