"""An unexpected error becomes a dialog and a log entry; the app keeps running."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer, qWarning
    from PySide6.QtWidgets import QApplication, QMessageBox
    from forecaster.ui import crash
    from forecaster.ui.settings import APPLICATION, ORGANIZATION

    shown = []
    def fake_exec(box):  # stands in for the user reading the dialog and pressing OK
        shown.append((box.windowTitle(), box.text(), box.detailedText()))
        try:  # the same error again while the dialog is up: logged, no second dialog
            raise RuntimeError("again while the dialog is open")
        except RuntimeError as e:
            crash.handle_exception(type(e), e, e.__traceback__)
        return 0
    QMessageBox.exec = fake_exec

    app = QApplication([])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    log_path = crash.install()
    from forecaster.ui import MainWindow
    w = MainWindow()
    w.show()

    def broken_slot():
        raise RuntimeError("boom in a slot")

    def after():
        w.document.set_param("growth_pct", 21.0)  # the window still works
        app.processEvents()
        qWarning("a Qt warning for the log")
        print("log:", log_path)
        print("alive:", w.isVisible(), w.document.scenario.params["growth_pct"])
        for title, text, detail in shown:
            print("dialog:", title, "|", text.replace("\\n", " "), "|", detail.count("Traceback"))
        w.document.undo_stack.setClean()
        quit_when_idle()

    def quit_when_idle(idle_turns=0):
        # Quit once the window has had nothing pending (no timer of its own running, such
        # as the redraw throttler the edit above started) for two turns of the event
        # loop: a window torn down mid-redraw can crash in PySide's destructors.
        busy = any(t.isActive() for t in w.findChildren(QTimer))
        idle_turns = 0 if busy else idle_turns + 1
        if idle_turns < 2:
            QTimer.singleShot(0, lambda: quit_when_idle(idle_turns))
        else:
            app.quit()

    # Both queued now, in this order, so ``after`` runs once the event loop is past the
    # broken slot: its exception handled, the dialog shown and closed (exec is faked,
    # so that happens inside the slot's call). An order, not a delay.
    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(0, after)
    sys.exit(app.exec())
""")


def test_uncaught_exception_shows_a_dialog_logs_a_report_and_keeps_running(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    r = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "alive: True 21.0" in out
    assert "dialog: Something went wrong | " in out
    assert "RuntimeError: boom in a slot" in out and out.rstrip().endswith("| 1")
    assert "Traceback" not in r.stderr  # nothing raw reaches the user's terminal
    log_path = Path(out.split("log: ")[1].split("\n")[0])
    assert log_path.is_relative_to(tmp_path / "data")
    log = log_path.read_text()
    assert "uncaught exception" in log and "RuntimeError: boom in a slot" in log
    assert "broken_slot" in log  # the full traceback, for the report
    assert "a Qt warning for the log" in log
    assert "again while the dialog is open" in log and out.count("dialog:") == 1
