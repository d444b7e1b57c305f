"""The JSON Schema (draft 2020-12) of ``*.forecast.json``, generated from the parameter table.

Other tools (editors, validators, pipelines) can check a scenario file with it. It is
built from ``PARAMS`` and the shock ranges, so it cannot drift from what the loader
accepts; the copy shipped as ``forecaster/data/forecast.schema.json`` is this text (a
test keeps them equal), and every saved file names it in ``"$schema"``.

What a schema cannot say, the loader still checks: a base year before the target year
and the horizon, a 100% cut still in force in the base year, keys given twice, and that
a whole-number parameter is written without a fraction (2013, not 2013.0).
"""

from __future__ import annotations

import json
from typing import Any

from forecaster.engine.params import (
    MAX_LABEL_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTES_CHARS,
    MAX_SHOCKS,
    PARAMS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
)

from .scenario_file import FORMAT, SCHEMA_ID, SHOCK_KEYS, TOP_KEYS, VERSION, oldest_version

SCHEMA_FILE = "forecast.schema.json"
# SCHEMA_ID names this schema ($id) and saved files point to it ($schema). A name, not a
# download address: the schema ships inside the package (SCHEMA_FILE) and
# `forecaster --print-schema` writes it out.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Text without control characters (C0 except, in notes, tab and newline; DEL and C1),
# as the loader's validate_text; surrogates cannot occur in JSON text that decodes.
_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
_MULTILINE = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$"


def _number(lo: float, hi: float, whole: bool = False) -> dict[str, Any]:
    return {"type": "integer" if whole else "number", "minimum": lo, "maximum": hi}


def scenario_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (key order is the file's)."""
    parameters = {
        spec.key: {
            "title": spec.label + (f" ({spec.unit})" if spec.unit else ""),
            "description": spec.help,
            **_number(spec.minimum, spec.maximum, spec.kind == "int"),
            "default": spec.default,
        }
        for spec in PARAMS
    }
    shock: dict[str, Any] = {
        "type": "object",
        "description": "A sanction shock: cuts depth_pct of trade in start_year, then heals.",
        "properties": {
            "start_year": {
                "description": "Year the cut begins.",
                **_number(*SHOCK_START_RANGE, True),
            },
            "depth_pct": {"description": "Share of trade cut (%).", **_number(*SHOCK_DEPTH_RANGE)},
            "half_life_years": {
                "description": "Years for the cut to halve; null for a permanent cut.",
                "oneOf": [{"type": "null"}, _number(*SHOCK_HALF_LIFE_RANGE)],
            },
            "label": {"type": "string", "maxLength": MAX_LABEL_CHARS, "pattern": _LINE},
        },
        "required": ["start_year", "depth_pct"],
        "additionalProperties": False,
    }
    assert set(shock["properties"]) == set(SHOCK_KEYS)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "Forecaster scenario file (*.forecast.json)",
        "description": (
            "A Russia-DPRK trade scenario: parameters and sanction shocks. Generated from "
            "Forecaster's parameter table. The loader also checks what a schema cannot "
            "say: base_year < target_year <= horizon_year, no 100% cut still in force in "
            "the base year, no key given twice, whole numbers written without a fraction."
        ),
        "type": "object",
        "properties": {
            "$schema": {"type": "string", "description": "The schema this file follows."},
            "format": {"const": FORMAT},
            "version": {"type": "integer", "minimum": oldest_version(), "maximum": VERSION},
            "name": {"type": "string", "maxLength": MAX_NAME_CHARS, "pattern": _LINE},
            "notes": {"type": "string", "maxLength": MAX_NOTES_CHARS, "pattern": _MULTILINE},
            "parameters": {
                "type": "object",
                "properties": parameters,
                "required": [spec.key for spec in PARAMS],
                "additionalProperties": False,
            },
            "shocks": {"type": "array", "maxItems": MAX_SHOCKS, "items": shock},
        },
        "required": ["format", "version", "parameters"],
        "additionalProperties": False,
    }
    assert set(schema["properties"]) == set(TOP_KEYS)
    return schema


def schema_json() -> str:
    """The schema as the text of the shipped file."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
