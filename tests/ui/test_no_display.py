"""Started where no display exists, the app says so in one line instead of Qt's abort.

The real check runs in a subprocess with DISPLAY, WAYLAND_DISPLAY and
QT_QPA_PLATFORM removed: exit status 2, one line on stderr, no core dump.
``run_gui`` with a file that fails to load is checked in-process with the event
loop patched out.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

from forecaster.io import default_scenario
from forecaster.ui import crash
from forecaster.ui.app import EXIT_NO_DISPLAY, NO_DISPLAY_MESSAGE, display_available, run_gui
from forecaster.ui.main_window import MainWindow

SCRIPT = "import sys; from forecaster.ui.app import run_gui; sys.exit(run_gui())"


def environment_without_display() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONFAULTHANDLER"] = "0"
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_no_display_says_so_in_one_line_and_exits_2():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=environment_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == EXIT_NO_DISPLAY, done.stderr
    assert done.stdout == ""
    assert done.stderr == NO_DISPLAY_MESSAGE + "\n"
    assert "--headless" in done.stderr


@pytest.mark.parametrize(
    "env, platform, expected",
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", True),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb;offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({"DISPLAY": ""}, "linux", False),
        ({}, "freebsd14", False),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_display_available(env, platform, expected):
    assert display_available(env, platform) is expected


def test_run_gui_with_a_bad_file_reports_it_and_opens_the_default(
    qtbot, dialogs, tmp_path, monkeypatch
):
    bad = tmp_path / "broken.forecast.json"
    bad.write_text("[1, 2, 3]", encoding="utf-8")
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(crash, "install", lambda: None)  # keeps pytest's hooks
    before = set(QApplication.topLevelWidgets())

    assert run_gui(str(bad)) == 0

    (window,) = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before
    ]
    qtbot.addWidget(window)
    (error,) = dialogs.of("critical")
    assert "broken.forecast.json" in error.text and "not a scenario" in error.text
    assert "default scenario is open instead" in error.text
    assert window.document.scenario == default_scenario()
    assert window.document.path is None
    assert window.isVisible()
    assert QApplication.organizationName() == "Forecaster"
    assert QApplication.applicationName() == "Forecaster"


def test_run_gui_opens_a_good_file(qtbot, dialogs, scenario_file, monkeypatch):
    path = scenario_file("Started with", growth_pct=11.0)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(crash, "install", lambda: None)
    before = set(QApplication.topLevelWidgets())
    assert run_gui(str(path)) == 0
    (window,) = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w not in before
    ]
    qtbot.addWidget(window)
    assert window.document.path == path
    assert dialogs.shown == []
