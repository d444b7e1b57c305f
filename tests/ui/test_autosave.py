"""Autosave and recovery: a crash, even SIGKILL, never loses the edits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from forecaster.engine import Shock
from forecaster.io import load_scenario
from forecaster.io.recovery import find_recoveries
from forecaster.ui.app import open_windows
from forecaster.ui.autosave import pending_recoveries, recovery_folder

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


pytestmark = pytest.mark.usefixtures("app_names")


def _die(window) -> None:
    """As if the process died: the recovery file stays, its lock dies with the process."""
    window.autosaver._lock.unlock()
    window.file_lock.release()  # a dead process's lock is stale: the next start takes it
    window.autosaver = None
    window.deleteLater()


def test_a_running_sessions_recovery_file_is_not_offered_to_a_second_start(window, qtbot):
    window.document.set_param("growth_pct", 15.0)
    window.autosaver.write_now()
    others = open_windows()  # no question: an unanswered dialog would fail the test
    for w in others:
        qtbot.addWidget(w)
    assert others[0].document.scenario.name == "2014 plan"
    assert window.autosaver.file.exists()


def _edit(window) -> None:
    window.document.set_param("growth_pct", 12.3)
    window.document.set_param("debt_term_years", 30)
    window.document.set_shocks([Shock(2016, 25.0, 2.0, "test shock")])
    window.document.set_name("Work in progress")


def test_recovery_file_appears_within_two_seconds_of_an_edit(window, qtbot, scenario_file):
    assert recovery_folder().is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
    path = scenario_file(name="Mine")
    window.open_file(path)
    before = path.read_bytes()
    _edit(window)
    started = time.monotonic()
    qtbot.waitUntil(lambda: window.autosaver.file.exists(), timeout=2000)
    print(f"recovery file written {time.monotonic() - started:.2f} s after the last edit")
    [rec], _ = find_recoveries(recovery_folder())
    assert rec.scenario == window.document.scenario
    assert rec.document_path == path and rec.modified
    assert path.read_bytes() == before  # never over the user's own file


def test_saving_removes_the_recovery_file(window, qtbot, scenario_file):
    window.open_file(scenario_file())
    _edit(window)
    window.autosaver.write_now()
    assert window.autosaver.file.exists()
    assert window.save()
    assert not window.autosaver.file.exists()


def test_undo_back_to_the_saved_state_removes_it(window, qtbot):
    window.document.set_param("growth_pct", 20.0)
    window.autosaver.write_now()
    assert window.autosaver.file.exists()
    window.document.undo_stack.undo()
    assert not window.autosaver.file.exists()


def test_a_clean_exit_removes_it(qtbot, dialogs):
    from forecaster.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    w.document.set_param("growth_pct", 20.0)
    w.autosaver.write_now()
    dialogs.answer("question", QMessageBox.StandardButton.Discard)
    assert w.close()
    assert not w.autosaver.file.exists()
    assert pending_recoveries() == []


def test_start_after_a_crash_restores_every_edit_as_modified(qtbot, dialogs, scenario_file):
    from forecaster.ui import MainWindow

    path = scenario_file(name="Mine")
    crashed = MainWindow(path)
    _edit(crashed)
    crashed.autosaver.write_now()
    expected = crashed.document.scenario
    _die(crashed)

    dialogs.answer("restore", "all")
    windows = open_windows()
    for w in windows:
        qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    [restored] = windows
    offer = dialogs.of("restore")[-1]
    assert "Work in progress" in offer.text and str(path) in offer.text
    assert restored.document.scenario == expected
    assert restored.document.modified and restored.isWindowModified()
    assert restored.document.path == path
    assert len(find_recoveries(recovery_folder())[0]) == 1  # the restored window's own
    assert pending_recoveries() == []  # and it is live, so not offered to another start


def test_declining_removes_the_recovery_file(qtbot, dialogs):
    from forecaster.ui import MainWindow

    crashed = MainWindow()
    crashed.document.set_param("growth_pct", 5.0)
    crashed.autosaver.write_now()
    _die(crashed)

    dialogs.answer("restore", "none")
    windows = open_windows()
    for w in windows:
        qtbot.addWidget(w)
    assert pending_recoveries() == []
    assert windows[0].document.scenario.name == "2014 plan" and not windows[0].document.modified


CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from forecaster.engine import Shock
    from forecaster.ui.app import open_windows
    from forecaster.ui.settings import APPLICATION, ORGANIZATION
    app = QApplication([])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    [w] = open_windows(sys.argv[1])
    panel = w.view.control_panel
    slider = panel.slider("growth_pct")
    slider.setSliderDown(True)
    for value in (20.0, 25.0, 31.5):
        slider.setValue(value)
        app.processEvents()
    slider.setSliderDown(False)
    w.document.set_param("debt_compliance_pct", 40.0)
    w.document.set_shocks([Shock(2017, 35.0, None, "kill test")])
    w.document.set_name("Edited, then killed")
    print("edited", flush=True)
    app.exec()
""")


def _recovery_named(name: str) -> bool:
    return any(r.scenario.name == name for r in find_recoveries(recovery_folder())[0])


def test_app_killed_with_sigkill_after_its_autosave_loses_nothing(
    qtbot, dialogs, scenario_file, until_child
):
    path = scenario_file(name="Before the crash")
    before = path.read_bytes()
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        try:
            assert child.stdout.readline().strip() == "edited"
            # Killed as soon as the autosave after its last edit (the name) is on disk:
            # how soon that comes is test_recovery_file_appears_within_two_seconds_of_an_edit's
            # business; this test is about what survives the kill.
            until_child(
                child, lambda: _recovery_named("Edited, then killed"), "recovery file of the edits"
            )
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before

    dialogs.answer("restore", "all")
    windows = open_windows()
    for w in windows:
        qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    [restored] = windows
    s = restored.document.scenario
    assert s.name == "Edited, then killed"
    assert s.params["growth_pct"] == pytest.approx(31.5)
    assert s.params["debt_compliance_pct"] == 40.0
    assert s.shocks == (Shock(2017, 35.0, None, "kill test"),)
    expected_rest = load_scenario(path).with_params(growth_pct=31.5, debt_compliance_pct=40.0)
    assert dict(s.params) == dict(expected_rest.params)
    assert restored.document.modified and restored.document.path == path


def test_autosave_failure_is_logged_not_shown(window, qtbot, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    window.autosaver.file = blocker / "r.recovery.json"  # its folder is a file: writes fail
    window.document.set_param("growth_pct", 9.0)
    window.autosaver.write_now()
    assert window.autosaver.last_error
    assert QApplication.activeModalWidget() is None
