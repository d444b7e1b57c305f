"""The JSON Schema of scenario files: generated from the parameter table, shipped, named
in every saved file, and checked with the jsonschema library against presets, saved
files and hostile files it can express."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from forecaster.engine.params import PARAMS, SPECS, Scenario, Shock
from forecaster.io import dumps_scenario, list_presets, load_scenario, loads_scenario, save_scenario
from forecaster.io.resources import data_file
from forecaster.io.scenario_file import ScenarioFileError
from forecaster.io.schema import SCHEMA_FILE, SCHEMA_ID, scenario_schema, schema_json

VALIDATOR = jsonschema.Draft202012Validator


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(data_file(SCHEMA_FILE).read_text(encoding="utf-8"))
    VALIDATOR.check_schema(schema)  # a valid draft 2020-12 schema
    return VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER)


def test_shipped_schema_is_the_generated_one():
    assert data_file(SCHEMA_FILE).read_text(encoding="utf-8") == schema_json()
    schema = scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    # Every parameter, with its range, kind and unit, from the table.
    props = schema["properties"]["parameters"]["properties"]
    assert list(props) == [p.key for p in PARAMS]
    for p in PARAMS:
        assert props[p.key]["minimum"] == p.minimum and props[p.key]["maximum"] == p.maximum
        assert props[p.key]["type"] == ("integer" if p.kind == "int" else "number")
        assert props[p.key]["default"] == p.default


PRESET_FILES = sorted(
    (e for e in data_file("presets").iterdir() if e.name.endswith(".forecast.json")),
    key=lambda e: e.name,
)


def test_the_presets_are_all_checked():
    assert len(PRESET_FILES) == len(list_presets()) >= 4


@pytest.mark.parametrize("entry", PRESET_FILES, ids=lambda e: e.name)
def test_every_preset_is_valid(validator, entry):
    doc = json.loads(entry.read_text(encoding="utf-8"))
    assert "$schema" not in doc  # old files (the presets are) have none...
    validator.validate(doc)  # ...and are valid all the same


def test_a_saved_file_names_the_schema_and_is_valid(validator, tmp_path):
    scenario = Scenario(name="Saved", notes="two\nlines\tand a tab").with_shocks(
        [Shock(2016, 30.0, 2.0, "UN 2270"), Shock(2018, 50.0, None)]
    )
    path = tmp_path / "s.forecast.json"
    save_scenario(scenario, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["$schema"] == SCHEMA_ID
    validator.validate(doc)
    assert load_scenario(path) == scenario.validated()  # the loader accepts the key


def test_old_file_without_schema_key_still_loads():
    doc = json.loads(dumps_scenario(Scenario(name="Old")))
    del doc["$schema"]
    assert loads_scenario(json.dumps(doc)).name == "Old"


def test_loader_refuses_a_schema_key_that_is_not_text():
    doc = json.loads(dumps_scenario(Scenario()))
    doc["$schema"] = 42
    with pytest.raises(ScenarioFileError, match=r"\$schema: 42 is not text"):
        loads_scenario(json.dumps(doc))


def _valid() -> dict:
    doc = json.loads(dumps_scenario(Scenario().with_shocks([Shock(2016, 30.0, 2.0, "x")])))
    return doc


def _with(path: tuple, value: object) -> dict:
    doc = copy.deepcopy(_valid())
    node = doc
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


_DELETE = object()
GROWTH = SPECS["growth_pct"]

HOSTILE = [
    # out of range
    (("parameters", "growth_pct"), GROWTH.maximum + 0.1),
    (("parameters", "draws"), 10**9),
    (("parameters", "base_year"), 1900),
    (("shocks", 0, "depth_pct"), 101),
    (("shocks", 0, "half_life_years"), 0),
    (("shocks", 0, "start_year"), 2051),
    (("shocks",), [{"start_year": 2016, "depth_pct": 10}] * 21),
    (("name",), "x" * 201),
    # wrong type
    (("parameters", "growth_pct"), "36.6"),
    (("parameters", "draws"), 100.5),
    (("parameters", "seed"), True),
    (("shocks", 0, "start_year"), "2016"),
    (("shocks",), {"start_year": 2016}),
    (("parameters",), [1, 2]),
    (("version",), "1"),
    (("name",), 42),
    (("$schema",), 1),
    # control characters
    (("name",), "bell\x07"),
    (("name",), "two\nlines"),
    (("notes",), "x\x9b"),
    # unknown or missing fields, wrong format or version
    (("extra",), 1),
    (("parameters", "colour"), 1),
    (("shocks", 0, "colour"), "red"),
    (("parameters", "growth_pct"), _DELETE),
    (("format",), _DELETE),
    (("format",), "excel"),
    (("version",), 2),
]


@pytest.mark.parametrize("path, value", HOSTILE)
def test_schema_refuses_hostile_files_and_so_does_the_loader(validator, path, value):
    doc = _with(path, value)
    assert not validator.is_valid(doc), f"schema accepted {path}={value!r}"
    with pytest.raises(ScenarioFileError):
        loads_scenario(json.dumps(doc))


def test_valid_edges_pass_both(validator):
    for doc in (
        _with(("parameters", "growth_pct"), GROWTH.maximum),
        _with(("shocks", 0, "half_life_years"), None),
        _with(("shocks", 0, "label"), _DELETE),
        _with(("notes",), "tab\tand\nnewline"),
    ):
        validator.validate(doc)
        loads_scenario(json.dumps(doc))
