"""Scenario files: versioned JSON, validated field by field, saved atomically.

A file from anyone is data only: it is parsed as JSON, checked against the
parameter table, and never executed, imported or used as a path. Every problem
ends in one ``ScenarioFileError`` whose message names the field, the value and
what is allowed.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forecaster.engine.params import (
    PARAMS,
    Field,
    Scenario,
    ScenarioError,
    Shock,
    validate_text,
)

from .atomic import ReadOnlyTarget as _ReadOnlyWrite
from .atomic import WriteError, atomic_write_bytes
from .files import FileStamp, NotARegularFile, display_name, display_path, read_regular

FORMAT = "forecaster-scenario"
VERSION = 1
SUFFIX = ".forecast.json"
MAX_BYTES = 1_000_000
TOP_KEYS = ("$schema", "format", "version", "name", "notes", "parameters", "shocks")
# What saved files name in "$schema": forecaster.io.schema's $id (kept equal by a test).
SCHEMA_ID = f"urn:forecaster:scenario-file:v{VERSION}"
SHOCK_KEYS = ("start_year", "depth_pct", "half_life_years", "label")


class ScenarioFileError(ScenarioError):
    """A scenario file cannot be read or written; the message says why."""


class ReadOnlyScenarioFile(ScenarioFileError):
    """The file to save over is read-only; the window asks before replacing it."""


# Step-by-step upgrades: MIGRATIONS[n] turns a version-n document into version n+1.
# Version 1 is the first released format, so there is nothing to upgrade yet; a
# new version adds its step here and keeps its old files under tests/io/old_files.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def oldest_version() -> int:
    return min(MIGRATIONS, default=VERSION)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    return load_scenario_stamped(path)[0]


def load_scenario_stamped(path: str | os.PathLike[str]) -> tuple[Scenario, FileStamp]:
    """The scenario in a file, and a stamp of the bytes it came from (to notice later
    whether someone else changed the file). Only a regular file is read, never blocking:
    a named pipe or a device is refused before anything is read from it."""
    path = Path(path)
    shown = display_path(path)
    try:
        data, st = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise ScenarioFileError(f"{shown}: no such file") from None
    except NotARegularFile as e:
        raise ScenarioFileError(f"{shown}: is {e.kind}, not a scenario file") from None
    except OSError as e:
        raise ScenarioFileError(f"{shown}: cannot be read ({e.strerror or e})") from None
    try:
        return loads_scenario(data), FileStamp.of(data, st)
    except ScenarioFileError as e:
        raise ScenarioFileError(f"{display_name(path)}: {e}") from None


def loads_scenario(data: bytes | str) -> Scenario:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise ScenarioFileError(f"file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioFileError(f"not UTF-8 text (bad byte at position {e.start})") from None
    try:
        doc = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except _BadJSON as e:
        raise ScenarioFileError(str(e)) from None
    except json.JSONDecodeError as e:
        raise ScenarioFileError(
            f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
        ) from None
    except RecursionError:
        raise ScenarioFileError("not a scenario: JSON nested too deeply") from None
    except ValueError as e:  # e.g. an integer with more digits than Python will read
        raise ScenarioFileError(f"not valid JSON: {e}") from None
    try:
        return _from_document(doc)
    except ScenarioFileError:
        raise
    except ScenarioError as e:
        raise ScenarioFileError(str(e), e.field, e.problem, e.related) from None


def dumps_scenario(scenario: Scenario) -> str:
    """The file text: stable key order (the parameter table's), two-space indent."""
    try:
        scenario = scenario.validated()
    except ScenarioError as e:
        raise ScenarioFileError(f"cannot save: {e}") from None
    doc: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "name": scenario.name,
        "notes": scenario.notes,
        "parameters": {spec.key: scenario.params[spec.key] for spec in PARAMS},
        "shocks": [_shock_doc(s) for s in scenario.shocks],
    }
    try:
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError as e:
        raise ScenarioFileError(f"cannot save: {e}") from None


def save_scenario(
    scenario: Scenario, path: str | os.PathLike[str], *, replace_read_only: bool = False
) -> FileStamp:
    """Write atomically: on any failure the previous file is left byte-identical.

    Only a regular file (or a new one) is written: a named pipe or a device in its
    place is refused, never opened. A read-only file raises ``ReadOnlyTarget`` (a
    ScenarioFileError too) unless ``replace_read_only``. Returns the stamp of what
    was written.
    """
    text = dumps_scenario(scenario)
    data = text.encode("utf-8")
    try:
        st = atomic_write_bytes(path, data, replace_read_only=replace_read_only)
    except WriteError as e:
        name = display_name(path)
        if isinstance(e, _ReadOnlyWrite):
            raise ReadOnlyScenarioFile(f"cannot save {name}: it is read-only") from None
        raise ScenarioFileError(f"cannot save {name}: {e.reason}") from None
    if st is None:  # cannot happen for a regular file; a stamp of nothing compares unequal
        return FileStamp(len(data), 0, "")
    return FileStamp.of(data, st)


# --- internals -------------------------------------------------------------


class _BadJSON(ValueError):
    pass


def _reject_constant(name: str) -> None:
    raise _BadJSON(f"not valid JSON: {name} is not allowed (numbers must be finite)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _BadJSON(f"not valid JSON: key {key!r} appears twice in one object")
        out[key] = value
    return out


def _shock_doc(shock: Shock) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "start_year": shock.start_year,
        "depth_pct": shock.depth_pct,
        "half_life_years": shock.half_life_years,
    }
    if shock.label:
        doc["label"] = shock.label
    return doc


def _from_document(doc: Any) -> Scenario:
    if not isinstance(doc, dict):
        raise ScenarioFileError(
            f"not a scenario: the file holds a JSON {_kind(doc)}, not an object"
        )
    fmt = doc.get("format")
    if fmt is None:
        raise ScenarioFileError(f'format: missing (expected "{FORMAT}")')
    if fmt != FORMAT:
        raise ScenarioFileError(
            f'format: {_show(fmt)} is not a Forecaster scenario (expected "{FORMAT}")'
        )
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ScenarioFileError(
            f"version: {_show(version)} is not a whole number "
            f"(allowed {oldest_version()} to {VERSION})"
        )
    if version > VERSION:
        raise ScenarioFileError(
            f"version: {version} is newer than this Forecaster reads (up to {VERSION}); "
            "update Forecaster to open it"
        )
    if version < oldest_version():
        raise ScenarioFileError(
            f"version: {version} is out of range (allowed {oldest_version()} to {VERSION})"
        )
    while version < VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1

    unknown = [k for k in doc if k not in TOP_KEYS]
    if unknown:
        raise ScenarioFileError(
            f"{_show_key(unknown[0])}: unknown field (allowed: {', '.join(TOP_KEYS)})"
        )
    # "$schema" only points to the schema (old files have none); its value is not used.
    validate_text(doc.get("$schema", ""), ("$schema",), 1000, allow_newlines=False)

    # Here only the JSON's shape is checked; the values and the rules that tie them
    # together are the scenario's own (Scenario.validated), the one validation path.
    params = doc.get("parameters")
    if params is None:
        raise ScenarioFileError.at(("parameters",), "missing (an object of parameter values)")
    if not isinstance(params, dict):
        raise ScenarioFileError.at(("parameters",), f"a JSON {_kind(params)}, expected an object")
    for key in params:
        _check_key(key, ("parameters",))
    shocks_doc = doc.get("shocks", [])
    if not isinstance(shocks_doc, list):
        raise ScenarioFileError.at(("shocks",), f"a JSON {_kind(shocks_doc)}, expected a list")
    shocks = tuple(_shock(s, ("shocks", i)) for i, s in enumerate(shocks_doc))
    return Scenario(
        name=doc.get("name", "Untitled"),  # any JSON value: validated() checks it
        notes=doc.get("notes", ""),
        params=params,
        shocks=shocks,
    ).validated()


def _shock(doc: Any, where: Field) -> Shock:
    if not isinstance(doc, dict):
        raise ScenarioFileError.at(where, f"a JSON {_kind(doc)}, expected an object")
    for key in doc:
        _check_key(key, where)
        if key not in SHOCK_KEYS:
            raise ScenarioFileError.at(
                (*where, _show_key(key)), f"unknown field (allowed: {', '.join(SHOCK_KEYS)})"
            )
    for key in ("start_year", "depth_pct"):
        if key not in doc:
            raise ScenarioFileError.at((*where, key), "missing")
    return Shock(
        start_year=doc["start_year"],
        depth_pct=doc["depth_pct"],
        half_life_years=doc.get("half_life_years"),
        label=doc.get("label", ""),
    )


def _check_key(key: str, where: Field) -> None:
    if len(key) > 100 or any(ord(c) < 32 for c in key):
        raise ScenarioFileError.at(where, f"a field name that is not a known key ({_show(key)})")


def _kind(value: Any) -> str:
    return {
        dict: "object",
        list: "list",
        str: "string",
        bool: "true/false",
        type(None): "null",
        int: "number",
        float: "number",
    }.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    """A value for a message: short, one line, never the whole of a huge string."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict | list):
        return f"a JSON {_kind(value)}"
    text = (
        json.dumps(value, ensure_ascii=True)
        if not isinstance(value, int) or abs(value) < 10**30
        else "a huge number"
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _show_key(key: str) -> str:
    return key if key.isidentifier() and len(key) <= 60 else _show(key)
