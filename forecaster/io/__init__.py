"""Qt-free file I/O: scenario files, shipped history and presets, exports."""

from .export import table_csv, write_summary_json, write_table_csv
from .history import load_history
from .presets import DEFAULT_PRESET, default_scenario, list_presets, load_preset
from .scenario_file import (
    SUFFIX,
    ScenarioFileError,
    dumps_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
)

__all__ = [
    "DEFAULT_PRESET",
    "SUFFIX",
    "ScenarioFileError",
    "default_scenario",
    "dumps_scenario",
    "list_presets",
    "load_history",
    "load_preset",
    "load_scenario",
    "loads_scenario",
    "save_scenario",
    "table_csv",
    "write_summary_json",
    "write_table_csv",
]
