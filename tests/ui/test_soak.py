"""Repaint soak, in a subprocess: the process must survive thousands of repaints.

PySide6 6.12.0 on CPython 3.11 aborted the whole process ("Fatal Python error:
bool_dealloc: deallocating True or False") after about 50 repaints of a plain
widget that sets a render hint in its paintEvent. A crash like that kills the
interpreter, so it can only be caught from outside: this file is also the script
the test runs (``python tests/ui/test_soak.py SETTINGS_DIR``). It repaints that
plain widget, then the real main window with slider moves, undo and pins in
between, and exits 0 only when every repaint ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

PLAIN_REPAINTS = 5000
WINDOW_REPAINTS = 3000
MOVE_EVERY = 10  # a slider step (recompute + redraw, ~20 ms) before every tenth repaint
GRAB_EVERY = 50  # and now and then a full offscreen render through grab()
KEYS = ("growth_pct", "volatility_pct", "debt_writeoff_pct", "ruble_share_pct")


@pytest.mark.slow
def test_repaint_soak_survives(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1")
    root = Path(__file__).resolve().parents[2]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), str(tmp_path)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-3000:]}"
    assert "Fatal Python error" not in done.stderr
    assert done.stdout.strip().endswith(
        f"soak ok: {PLAIN_REPAINTS} plain + {WINDOW_REPAINTS} window repaints"
    ), done.stdout
    print(done.stdout.strip(), f"(subprocess {elapsed:.1f} s)")


def main(settings_dir: str) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    app = QApplication([sys.argv[0]])

    class HintedWidget(QWidget):
        """The reported reproducer: a render hint set in paintEvent, no pyqtgraph."""

        def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, False)
            painter.drawLine(0, 0, self.width(), self.height())
            painter.end()

    plain = HintedWidget()
    plain.resize(120, 80)
    plain.show()
    t0 = time.perf_counter()
    for _ in range(PLAIN_REPAINTS):
        plain.repaint()
        app.processEvents()
    plain.close()
    t_plain = time.perf_counter() - t0

    from forecaster.ui import MainWindow

    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    panel = window.view.control_panel
    sliders = [panel.slider(key) for key in KEYS]
    t0 = time.perf_counter()
    for i in range(WINDOW_REPAINTS):
        if i % MOVE_EVERY == 0:
            slider = sliders[(i // MOVE_EVERY) % len(sliders)]
            span = slider.maximum() - slider.minimum()
            step = (i // MOVE_EVERY) % 40
            slider.setValue(slider.minimum() + span * (0.2 + 0.015 * step))
        if i % 500 == 250:
            window.compare.pin_current()
            window.undo_action.trigger()
        window.repaint()
        if i % GRAB_EVERY == 0:
            window.grab()
        app.processEvents()
    t_window = time.perf_counter() - t0

    window.document.undo_stack.setClean()
    window.close()
    del window
    app.processEvents()
    print(
        f"plain {t_plain:.1f} s, window {t_window:.1f} s "
        f"({1000 * t_window / WINDOW_REPAINTS:.1f} ms per repaint)"
    )
    print(f"soak ok: {PLAIN_REPAINTS} plain + {WINDOW_REPAINTS} window repaints", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
