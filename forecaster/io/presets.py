"""The scenarios shipped with the app (forecaster/data/presets/*.forecast.json)."""

from __future__ import annotations

from functools import lru_cache

from forecaster.engine.params import Scenario

from .resources import data_file
from .scenario_file import SUFFIX, ScenarioFileError, loads_scenario

DEFAULT_PRESET = "2014 plan"


@lru_cache(maxsize=1)
def _presets() -> dict[str, Scenario]:
    folder = data_file("presets")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(SUFFIX):
            scenario = loads_scenario(entry.read_bytes())
            found[scenario.name] = scenario
    return found


def list_presets() -> list[str]:
    return list(_presets())


def load_preset(name: str) -> Scenario:
    """A preset by its name, case and spacing forgiven."""
    wanted = " ".join(name.split()).casefold()
    for preset_name, scenario in _presets().items():
        if preset_name.casefold() == wanted:
            return scenario
    raise ScenarioFileError(
        f"preset: {name!r} is not a preset (choose from: {', '.join(list_presets())})"
    )


def default_scenario() -> Scenario:
    return load_preset(DEFAULT_PRESET)
