"""Fuzzing the loader: nothing but ScenarioFileError may come out of a bad file."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecaster.engine import Scenario, project
from forecaster.io import ScenarioFileError, dumps_scenario, loads_scenario
from tests.fuzz_corpus import generate


def _load_or_error(data: bytes) -> Scenario | None:
    try:
        scenario = loads_scenario(data)
    except ScenarioFileError as e:
        message = str(e)
        assert message and "\n" not in message and len(message) < 400, message
        return None
    # Whatever loads is a valid scenario that saves and projects.
    assert loads_scenario(dumps_scenario(scenario)) == scenario
    return scenario


def test_ten_thousand_generated_files_give_only_the_documented_error():
    corpus = generate(10_000)
    assert len(corpus) == 10_000
    errors = sum(_load_or_error(data) is None for data in corpus)
    # Most mutations break the file; a few land on valid values and must load.
    assert errors > 9_000


def test_files_that_load_from_the_corpus_also_project():
    for data in generate(600, seed=7):
        scenario = _load_or_error(data)
        if scenario is not None:
            project(scenario)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_document_loads_or_gives_the_documented_error(doc):
    _load_or_error(json.dumps(doc).encode())


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_give_the_documented_error(data):
    _load_or_error(data)


@pytest.mark.parametrize("key", ["parameters", "shocks", "name", "notes", "format", "version"])
@settings(max_examples=60, deadline=None)
@given(value=json_values)
def test_any_value_in_any_field_is_accepted_or_named(key, value):
    base = json.loads(dumps_scenario(Scenario(name="fuzz")))
    base[key] = value
    try:
        loads_scenario(json.dumps(base))
    except ScenarioFileError as e:
        assert str(e).startswith((key, "not a scenario")), str(e)
