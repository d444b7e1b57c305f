"""Recovery files round-trip the unsaved state; broken ones are reported, not fatal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from forecaster.io import load_preset
from forecaster.io.recovery import find_recoveries, read_recovery, remove_recovery, write_recovery
from forecaster.io.scenario_file import ScenarioFileError


def test_recovery_round_trips_scenario_path_modified_and_time(tmp_path):
    scenario = load_preset("Status quo").with_params(growth_pct=12.5).validated()
    when = datetime(2026, 11, 23, 14, 5, 7, tzinfo=UTC)
    file = tmp_path / "rec" / "a.recovery.json"
    write_recovery(file, scenario, Path("/home/u/mine.forecast.json"), True, when)
    rec = read_recovery(file)
    assert rec.scenario == scenario
    assert rec.document_path == Path("/home/u/mine.forecast.json")
    assert rec.modified is True and rec.edited_at == when


def test_find_lists_newest_first_and_names_broken_files(tmp_path):
    s = load_preset("2014 plan")
    write_recovery(tmp_path / "old.recovery.json", s, None, True, datetime(2026, 1, 1, tzinfo=UTC))
    write_recovery(tmp_path / "new.recovery.json", s, None, True, datetime(2026, 2, 1, tzinfo=UTC))
    (tmp_path / "bad.recovery.json").write_text("{ half a file")
    found, broken = find_recoveries(tmp_path)
    assert [r.file.name for r in found] == ["new.recovery.json", "old.recovery.json"]
    assert [b[0].name for b in broken] == ["bad.recovery.json"]
    assert "bad.recovery.json: cannot be read" in broken[0][1]
    assert find_recoveries(tmp_path / "missing") == ([], [])


def test_a_recovery_file_with_a_bad_scenario_is_refused(tmp_path):
    file = tmp_path / "x.recovery.json"
    write_recovery(file, load_preset("2014 plan"), None, True, datetime.now(UTC))
    file.write_text(file.read_text().replace('"growth_pct": 36.6', '"growth_pct": 999'))
    with pytest.raises(ScenarioFileError, match=r"x.recovery.json: parameters.growth_pct: 999"):
        read_recovery(file)


def test_remove_is_quiet_when_already_gone(tmp_path):
    remove_recovery(tmp_path / "nothing.recovery.json")


def test_a_recovery_time_without_a_zone_is_read_as_utc(tmp_path):
    s = load_preset("2014 plan")
    write_recovery(tmp_path / "a.recovery.json", s, None, True, datetime(2026, 1, 1, tzinfo=UTC))
    naive = tmp_path / "b.recovery.json"
    write_recovery(naive, s, None, True, datetime(2026, 2, 1, tzinfo=UTC))
    naive.write_text(naive.read_text().replace("+00:00", ""))
    found, broken = find_recoveries(tmp_path)  # sorting mixed times must not fail
    assert [r.file.name for r in found] == ["b.recovery.json", "a.recovery.json"] and not broken
