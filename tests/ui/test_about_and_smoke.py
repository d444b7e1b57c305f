"""Help > About and ``--smoke-test`` from source (no bundle needed).

The About dialog is driven with qtbot; the smoke test runs as a real process, as CI
runs it on the bundle, so the one-line and exit-status contracts are checked end to end.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from forecaster import __version__
from forecaster.io import SUFFIX

ROOT = Path(__file__).resolve().parents[2]
FIRST_FRAME = re.compile(r"^first frame painted (\d+\.\d+) s after process start \(.*\)$", re.M)


def test_about_dialog_names_version_sources_and_licence(qtbot):
    from forecaster.ui.about import DATA_SOURCES, AboutDialog, app_icon

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    assert f"Forecaster {__version__}" in text
    assert "MIT" in text
    for what, sources in DATA_SOURCES:
        assert what in text
        for label, url in sources:
            assert label in text
            if url:
                assert f'href="{url}"' in text
    assert dialog.text.openExternalLinks()
    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}


# The offscreen platform says this of every shown top-level window; it is not a problem.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_show_about_does_not_block_and_closes(qtbot):
    from PySide6.QtWidgets import QWidget

    from forecaster.ui.about import show_about

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = show_about(parent)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.parent() is parent
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()


def _smoke(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "forecaster", "--smoke-test", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smoke_test_from_source_reports_the_first_frame(tmp_path):
    result = _smoke(tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    match = FIRST_FRAME.search(result.stdout)
    assert match, result.stdout
    assert float(match.group(1)) > 0
    assert "chart(s) watched" in match.group(0)


def test_smoke_test_from_source_fails_in_one_line_on_a_bad_file(tmp_path):
    bad = tmp_path / f"bad{SUFFIX}"
    bad.write_text('{"format": "something-else", "version": 1}')
    result = _smoke(str(bad), tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    problems = [line for line in result.stderr.splitlines() if line.startswith("forecaster:")]
    assert len(problems) == 1 and "format" in problems[0], result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_process_age_counts_from_the_process_start():
    from forecaster.ui.smoke import process_age

    age, clock = process_age()
    assert clock == "/proc/self/stat"
    # This test process has run at least as long as pytest has been importing things.
    assert age > 0


def test_window_and_smoke_test_make_the_same_application(qapp):
    """run_gui and --smoke-test share make_application: one set-up, the same names and icon."""
    from PySide6.QtWidgets import QApplication

    from forecaster.ui.app import make_application
    from forecaster.ui.settings import APPLICATION, ORGANIZATION

    app = make_application()
    assert app is qapp and isinstance(app, QApplication)
    assert (app.organizationName(), app.applicationName()) == (ORGANIZATION, APPLICATION)
    assert app.desktopFileName() == "forecaster"
    assert not app.windowIcon().isNull()
    assert make_application() is app  # a second call reuses it
