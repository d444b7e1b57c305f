"""Scenario files: every kind of bad input gets one clear error; saves are atomic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forecaster.engine import PARAMS, Scenario, ScenarioError, Shock
from forecaster.engine.params import check_total_cut_at_base
from forecaster.io import (
    ScenarioFileError,
    dumps_scenario,
    list_presets,
    load_preset,
    load_scenario,
    loads_scenario,
    save_scenario,
    scenario_file,
)

OLD_FILES = Path(__file__).parent / "old_files"


def valid_doc() -> dict:
    return json.loads(dumps_scenario(load_preset("Sanctions 2016-2017")))


def load_doc(doc) -> Scenario:
    return loads_scenario(json.dumps(doc))


# --- each kind of bad input names what is wrong --------------------------------


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("parameters", "growth_pct"),
            250,
            r"parameters\.growth_pct: 250\.0 is out of range \(allowed -50 to 100 %/yr\)",
        ),
        (
            ("parameters", "growth_pct"),
            "fast",
            r"parameters\.growth_pct: 'fast' is not a number \(allowed -50 to 100 %/yr\)",
        ),
        (("parameters", "growth_pct"), True, r"parameters\.growth_pct: True is not a number"),
        (
            ("parameters", "draws"),
            10.5,
            r"parameters\.draws: 10\.5 is not a whole number \(allowed 100 to 200000\)",
        ),
        (("parameters", "draws"), 10**400, r"parameters\.draws: a huge number is out of range"),
        (
            ("parameters", "target_year"),
            2035,
            r"parameters\.target_year: 2035 must be after base_year 2013 and no later than horizon_year 2030",
        ),
        (
            ("parameters", "horizon_year"),
            2013,
            r"parameters\.horizon_year: 2013 must be after base_year 2013",
        ),
        (
            ("shocks", 0, "depth_pct"),
            120,
            r"shocks\[0\]\.depth_pct: 120 is out of range \(allowed 0 to 100 %\)",
        ),
        (
            ("shocks", 1, "half_life_years"),
            0,
            r"shocks\[1\]\.half_life_years: 0 is out of range \(allowed 0\.1 to 50",
        ),
        (
            ("shocks", 0, "start_year"),
            "2016",
            r"shocks\[0\]\.start_year: '2016' is not a whole number \(allowed 1992 to 2050\)",
        ),
        (("shocks", 0, "colour"), "red", r"shocks\[0\]\.colour: unknown field"),
        (("shocks",), {"start_year": 2016}, r"shocks: a JSON object, expected a list"),
        (("parameters",), [1, 2], r"parameters: a JSON list, expected an object"),
        (
            ("format",),
            "excel",
            r'format: "excel" is not a Forecaster scenario \(expected "forecaster-scenario"\)',
        ),
        (("version",), 2, r"version: 2 is newer than this Forecaster reads \(up to 1\)"),
        (("version",), 0, r"version: 0 is out of range \(allowed 1 to 1\)"),
        (("version",), "1", r'version: "1" is not a whole number'),
        (("name",), 42, r"name: 42 is not text"),
        (("name",), "x\x9b", r"name: contains the control character U\+009B"),
        (("name",), "bell\x07", r"name: contains the control character U\+0007"),
        (("notes",), "x" * 20_001, r"notes: 20001 characters, at most 20000 allowed"),
        (("extra",), 1, r"extra: unknown field \(allowed: \$schema, format, version"),
    ],
)
def test_bad_values_are_named_with_value_and_allowed_range(path, value, message):
    with pytest.raises(ScenarioFileError, match=message):
        load_doc(_set(valid_doc(), path, value))


def test_a_number_too_big_for_a_float_is_named():
    text = dumps_scenario(load_preset("2014 plan")).replace(
        '"volatility_pct": 30.0', '"volatility_pct": 1e400'
    )
    with pytest.raises(
        ScenarioFileError, match=r"parameters\.volatility_pct: inf is not a finite number"
    ):
        loads_scenario(text)


def test_missing_parameter_is_named():
    doc = valid_doc()
    del doc["parameters"]["debt_term_years"]
    with pytest.raises(
        ScenarioFileError, match=r"parameters\.debt_term_years: missing \(allowed 1 to 40 years\)"
    ):
        load_doc(doc)


def test_unknown_parameter_is_named():
    doc = valid_doc()
    doc["parameters"]["growth"] = 5
    with pytest.raises(ScenarioFileError, match=r"parameters\.growth: unknown parameter"):
        load_doc(doc)


def test_missing_format_is_named():
    doc = valid_doc()
    del doc["format"]
    with pytest.raises(
        ScenarioFileError, match=r'format: missing \(expected "forecaster-scenario"\)'
    ):
        load_doc(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{",
            r"not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        ('{"a": NaN}', r"NaN is not allowed"),
        ('{"a": -Infinity}', r"-Infinity is not allowed"),
        ('{"a": 1, "a": 2}', r"key 'a' appears twice"),
        ("[1, 2]", r"not a scenario: the file holds a JSON list, not an object"),
        ('"hello"', r"not a scenario: the file holds a JSON string"),
        ("[" * 100_000 + "]" * 100_000, r"nested too deeply"),
        ("", r"not valid JSON: Expecting value at line 1 column 1"),
    ],
)
def test_broken_json_is_named(text, message):
    with pytest.raises(ScenarioFileError, match=message):
        loads_scenario(text)


def test_bytes_that_are_not_utf8_are_named():
    with pytest.raises(ScenarioFileError, match="not UTF-8 text"):
        loads_scenario(b'{"name": "\xff"}')


def test_file_over_1_mb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.forecast.json"
    path.write_text(json.dumps(valid_doc() | {"notes": "x" * 1_100_000}))
    with pytest.raises(ScenarioFileError, match=r"big\.forecast\.json: file is larger than 1 MB"):
        load_scenario(path)


def test_missing_file_and_folder_are_named(tmp_path):
    with pytest.raises(ScenarioFileError, match="no such file"):
        load_scenario(tmp_path / "nope.forecast.json")
    with pytest.raises(ScenarioFileError, match="is a folder"):
        load_scenario(tmp_path)


# --- round trip and format ------------------------------------------------------


@pytest.mark.parametrize("name", list_presets())
def test_presets_round_trip_exactly(tmp_path, name):
    scenario = load_preset(name)
    path = tmp_path / "s.forecast.json"
    save_scenario(scenario, path)
    assert load_scenario(path) == scenario
    save_scenario(load_scenario(path), tmp_path / "again.forecast.json")
    assert path.read_bytes() == (tmp_path / "again.forecast.json").read_bytes()


def _value(spec):
    if spec.kind == "int":
        return st.integers(int(spec.minimum), int(spec.maximum))
    return st.floats(float(spec.minimum), float(spec.maximum), allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    params=st.fixed_dictionaries(
        {
            s.key: _value(s)
            for s in PARAMS
            if s.key not in ("base_year", "horizon_year", "target_year")
        }
    ),
    shocks=st.lists(
        st.builds(
            Shock,
            start_year=st.integers(1992, 2050),
            depth_pct=st.floats(0, 100),
            half_life_years=st.none() | st.floats(0.1, 50),
            label=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40),
        ),
        max_size=5,
    ),
    name=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=50),
    notes=st.text(
        st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t"), max_size=200
    ),
)
def test_save_then_load_gives_back_exactly_the_same_scenario(
    tmp_path_factory, params, shocks, name, notes
):
    params |= {"base_year": 2013, "horizon_year": 2030, "target_year": 2020}
    # A total cut still in force in the base year is refused (tested on its own).
    try:
        check_total_cut_at_base(tuple(shocks), 2013)
    except ScenarioError:
        assume(False)
    scenario = Scenario(name=name, notes=notes, params=params, shocks=tuple(shocks)).validated()
    path = tmp_path_factory.mktemp("rt") / "s.forecast.json"
    save_scenario(scenario, path)
    assert load_scenario(path) == scenario


def test_file_is_human_readable_with_a_stable_key_order():
    text = dumps_scenario(load_preset("2014 plan"))
    doc = json.loads(text)
    assert list(doc) == ["$schema", "format", "version", "name", "notes", "parameters", "shocks"]
    assert list(doc["parameters"]) == [s.key for s in PARAMS]
    assert text.startswith(
        '{\n  "$schema": "urn:forecaster:scenario-file:v1",\n  "format": "forecaster-scenario",'
    )


def test_save_refuses_nan_and_leaves_no_file(tmp_path):
    bad = Scenario(params=dict(Scenario().params) | {"growth_pct": float("nan")})
    path = tmp_path / "s.forecast.json"
    with pytest.raises(ScenarioFileError, match="growth_pct: nan is not a finite number"):
        save_scenario(bad, path)
    assert not path.exists()


def test_old_files_still_load_with_every_value_they_hold():
    old, preset = load_scenario(OLD_FILES / "v1-2014-plan.forecast.json"), load_preset("2014 plan")
    # The preset's notes have grown since (what is sourced and what is calibrated).
    assert preset.notes.startswith(old.notes)
    assert (old.name, old.params, old.shocks) == (preset.name, preset.params, preset.shocks)
    hand = load_scenario(OLD_FILES / "v1-handwritten-minimal.forecast.json")
    assert hand.name == "Hand-written, optional fields left out" and hand.notes == ""
    assert dict(hand.params) == {
        "base_year": 2013,
        "base_turnover_musd": 112.7,
        "growth_pct": 10.0,
        "volatility_pct": 20.0,
        "draws": 1000,
        "seed": 1,
        "debt_total_busd": 10.96,
        "debt_writeoff_pct": 90.0,
        "debt_term_years": 20,
        "debt_first_year": 2014,
        "debt_interest_pct": 0.0,
        "debt_compliance_pct": 100.0,
        "debt_reinvest_pct": 100.0,
        "ruble_share_pct": 0.0,
        "ruble_depreciation_pct": 0.0,
        "target_turnover_musd": 1000.0,
        "target_year": 2020,
        "horizon_year": 2030,
    }
    assert hand.shocks == (Shock(2016, 20.0, None, ""),)


def test_old_files_are_kept():
    assert len(list(OLD_FILES.glob("v1-*.forecast.json"))) >= 2


def test_migrations_run_step_by_step(monkeypatch):
    """A version-0 document is upgraded through each registered step in order."""
    doc = valid_doc()
    doc["version"] = 0
    doc["parameters"]["growth"] = doc["parameters"].pop("growth_pct")
    seen = []

    def v0_to_v1(d):
        seen.append(d["version"])
        d["parameters"]["growth_pct"] = d["parameters"].pop("growth")
        return d | {"version": 1}

    monkeypatch.setattr(scenario_file, "MIGRATIONS", {0: v0_to_v1})
    scenario = load_doc(doc)
    assert seen == [0] and scenario.params["growth_pct"] == -5.0


# --- atomic save ------------------------------------------------------------------


def test_failed_replace_leaves_the_previous_file_byte_identical(tmp_path, monkeypatch):
    path = tmp_path / "s.forecast.json"
    save_scenario(load_preset("2014 plan"), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(
        ScenarioFileError, match="cannot save s.forecast.json: No space left on device"
    ):
        save_scenario(load_preset("Status quo"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.forecast.json"]  # no temp file left


def test_write_failure_from_a_real_file_size_limit_keeps_the_old_file(tmp_path):
    """A child process whose writes fail with EFBIG (a real kernel limit) tries to save."""
    path = tmp_path / "s.forecast.json"
    save_scenario(load_preset("2014 plan"), path)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from forecaster.io import load_preset, save_scenario, ScenarioFileError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
        try:
            save_scenario(load_preset("Status quo"), {str(path)!r})
        except ScenarioFileError as e:
            print(e)
            sys.exit(3)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert "cannot save s.forecast.json: File too large" in result.stdout
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.forecast.json"]


def test_saving_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.forecast.json"
    save_scenario(load_preset("2014 plan"), real)
    link = tmp_path / "link.forecast.json"
    link.symlink_to(real)
    save_scenario(load_preset("Status quo"), link)
    assert link.is_symlink()
    assert load_scenario(real) == load_preset("Status quo")


def test_save_into_a_read_only_folder_is_named(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ScenarioFileError, match="Permission denied"):
            save_scenario(load_preset("2014 plan"), folder / "s.forecast.json")
    finally:
        folder.chmod(0o700)


def test_a_file_with_a_total_cut_in_the_base_year_is_refused_naming_the_shock(tmp_path):
    doc = json.loads(dumps_scenario(load_preset("Sanctions 2016-2017")))
    doc["shocks"][0] |= {"start_year": 2013, "depth_pct": 100.0, "half_life_years": 2.0}
    path = tmp_path / "total.forecast.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ScenarioFileError) as err:
        load_scenario(path)
    assert str(err.value).startswith(
        "total.forecast.json: shocks[0].depth_pct: a 100% cut (UNSC 2270 (2 Mar 2016)) from 2013 "
        "is still total in the base year 2013"
    )
