"""Never hang, never overwrite silently, never fail to start (issue 14), in the window.

Start-ups that could hang (a FIFO where a file is expected) run the real command,
``forecaster FILE``, in a subprocess with a time-out: its event loop is replaced by a
report of the windows, notices and messages it shows, so a hang is a failed test,
never a frozen suite. The rest runs in-process on real windows, real files and a real
second process where a second Forecaster is needed.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from forecaster.engine import project
from forecaster.engine import projection as projection_module
from forecaster.io import default_scenario, load_scenario, save_scenario
from forecaster.io.files import display_name
from forecaster.io.recovery import find_recoveries, write_recovery
from forecaster.ui import main_window as main_window_module
from forecaster.ui.app import open_windows
from forecaster.ui.autosave import RestoreDialog, format_edited, pending_recoveries, recovery_folder
from forecaster.ui.file_guard import holder_of
from forecaster.ui.main_window import MainWindow
from forecaster.ui.settings import APPLICATION, ORGANIZATION, Preferences

from .test_view import shows_document

TIMEOUT = 90


pytestmark = pytest.mark.usefixtures("app_names")


@pytest.fixture(autouse=True)
def fresh_notices():
    """Notices said once per run start afresh in every test."""
    main_window_module._said_once.clear()
    yield
    main_window_module._said_once.clear()


def closing(qtbot, window):
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    return window


def data_folder() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / ORGANIZATION / APPLICATION


# --- the real start-up, in a subprocess ---------------------------------------------

START = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
    messages = []
    def critical(parent, title, text, *args, **kwargs):
        messages.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok
    QMessageBox.critical = staticmethod(critical)
    from forecaster.ui.autosave import RestoreDialog
    def offer(dialog):  # the real dialog, read by the "user", who decides later
        for i in range(dialog.tree.topLevelItemCount()):
            item = dialog.tree.topLevelItem(i)
            print("offered:", " | ".join(item.text(c) for c in range(3)), flush=True)
        dialog.reject()
        return QDialog.DialogCode.Rejected
    RestoreDialog.exec = offer
    from forecaster.ui.main_window import MainWindow
    def report(app):
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                print("window:", w.windowTitle().replace("[*]", ""), flush=True)
                for notice in w.notice_bar.notices():
                    print("notice:", notice.text(), flush=True)
                w.document.undo_stack.setClean()
        for m in messages:
            print("message:", m.replace(chr(10), " "), flush=True)
        return 0
    QApplication.exec = report
    from forecaster.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def start(*args: str | bytes, env: dict[str, str] | None = None) -> list[str]:
    """Start ``forecaster ARGS`` (the window) and return what it showed, line by line."""
    done = subprocess.run(
        [sys.executable, "-c", START, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.splitlines()


def test_a_fifo_as_the_scenario_file_opens_the_default_with_a_message(tmp_path):
    fifo = tmp_path / "p.forecast.json"
    os.mkfifo(fifo)
    shown = start(str(fifo))
    assert shown[0] == "window: 2014 plan — Forecaster"
    assert shown[-1] == (
        f"message: Could not open the scenario: {fifo}: is a named pipe, not a scenario file"
        "  The default scenario is open instead."
    )


def test_a_fifo_as_the_settings_file_still_starts_and_says_so_once(tmp_path, scenario_file):
    conf = Path(os.environ["XDG_CONFIG_HOME"]) / ORGANIZATION / f"{APPLICATION}.conf"
    conf.parent.mkdir(parents=True)
    os.mkfifo(conf)
    path = scenario_file("Mine")
    shown = start(str(path))
    assert shown[0] == f"window: Mine ({path.name}) — Forecaster"
    assert shown[1] == (
        f"notice: Preferences are not being kept: {conf} is a named pipe, not a settings "
        "file. Changes last until Forecaster closes."
    )
    assert len(shown) == 2


def test_a_fifo_as_the_log_file_still_starts_and_says_so(tmp_path):
    log = data_folder() / "logs" / "forecaster.log"
    log.parent.mkdir(parents=True)
    os.mkfifo(log)
    shown = start()
    assert shown == [
        "window: 2014 plan — Forecaster",
        f"notice: The log cannot be written: {log}: is a named pipe, not a regular file. "
        "Error reports are shown but not kept.",
    ]
    assert stat.S_ISFIFO(log.stat().st_mode)


def test_a_fifo_among_recovery_files_is_skipped(tmp_path):
    folder = data_folder() / "recovery"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.recovery.json")
    write_recovery(
        folder / "real.recovery.json",
        default_scenario().with_params(growth_pct=9.0),
        None,
        True,
        datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    os.mkfifo(folder / "other.recovery.json.lock")  # a lock file QLockFile would block on
    write_recovery(
        folder / "other.recovery.json", default_scenario(), None, True, datetime.now(UTC)
    )
    shown = start()
    offered = [line for line in shown if line.startswith("offered:")]
    assert len(offered) == 1 and offered[0].startswith("offered: 2014 plan | 2026-03-04")
    assert shown[-1] == "window: 2014 plan — Forecaster"


def test_a_recovery_dated_year_1_under_another_time_zone_is_offered():
    folder = data_folder() / "recovery"
    write_recovery(folder / "old.recovery.json", default_scenario(), None, True, datetime.now(UTC))
    file = folder / "old.recovery.json"
    text = file.read_text()
    start_of = text.index('"edited_at": "') + len('"edited_at": "')
    end_of = text.index('"', start_of)
    file.write_text(text[:start_of] + "0001-01-01T00:00:00+00:00" + text[end_of:])
    shown = start(env={"TZ": "America/New_York"})  # local time would be year 0
    assert shown == [
        "offered: 2014 plan | 0001-01-01 00:00:00 UTC | never saved",
        "window: 2014 plan — Forecaster",
    ]


def test_recent_entries_that_cannot_be_examined_never_stop_a_start(tmp_path, scenario_file):
    good = scenario_file("Good")
    too_long_name = tmp_path / ("x" * 300 + ".forecast.json")  # ENAMETOOLONG
    too_long_path = Path("/" + "/".join(["y" * 200] * 30))  # longer than PATH_MAX
    not_a_folder = good / "inside.forecast.json"  # ENOTDIR
    conf = Path(os.environ["XDG_CONFIG_HOME"]) / ORGANIZATION / f"{APPLICATION}.conf"
    conf.parent.mkdir(parents=True)
    entries = ", ".join(str(p) for p in (too_long_name, too_long_path, not_a_folder, good))
    conf.write_text(
        "[files]\n"
        f"recent={entries}\n"
        f"last_folder={too_long_path}\n"
        "[export]\nchart_size=wide, tall\n"
        "[view]\nupdate_on_release=@Variant(garbage)\n"
    )
    for args in ((), (str(good),)):
        shown = start(*args)
        assert shown[0].startswith("window: "), shown
        assert not [line for line in shown if line.startswith("message:")]


def test_recent_entries_are_read_defensively_in_process(tmp_path, scenario_file, window):
    from PySide6.QtCore import QSettings

    good = scenario_file("Good")
    settings = QSettings(
        QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
    settings.setValue(
        "files/recent", [str(tmp_path / ("x" * 300)), 12, "", str(good), str(good / "x")]
    )
    settings.setValue("files/last_folder", "/" + "z" * 5000)
    settings.setValue("export/chart_size", {"a": 1})
    settings.sync()
    prefs = Preferences()
    assert prefs.recent_files() == [good]
    assert prefs.last_folder().is_dir()
    assert prefs.export_size((800, 500)) == (800, 500)
    window.recent_menu.aboutToShow.emit()
    assert [a.data() for a in window.recent_menu.actions() if a.data()] == [str(good)]


# --- changed on disk ------------------------------------------------------------------


def _external_edit(path: Path, growth: float) -> None:
    """Another program saves the file (its own atomic save: a new file renamed over it)."""
    save_scenario(load_scenario(path).with_params(growth_pct=growth), path)


def test_save_over_a_file_changed_on_disk_asks_first(qtbot, window, dialogs, scenario_file):
    path = scenario_file("Shared", growth_pct=10.0)
    assert window.open_file(path)
    window.document.set_param("growth_pct", 20.0)
    _external_edit(path, 30.0)

    dialogs.answer("choice", "Cancel")
    assert window.save() is False
    asked = dialogs.of("choice")[-1]
    assert asked.title == "File Changed on Disk" and "Shared.forecast.json" in asked.text
    assert load_scenario(path)["growth_pct"] == 30.0  # their edit stands
    assert window.document.modified

    other = path.with_name("Mine.forecast.json")
    dialogs.answer("choice", "Save As…")
    dialogs.answer("save_file", other)
    assert window.save() is True
    assert load_scenario(path)["growth_pct"] == 30.0
    assert load_scenario(other)["growth_pct"] == 20.0 and window.document.path == other

    assert window.open_file(path)
    window.document.set_param("growth_pct", 21.0)
    _external_edit(path, 31.0)
    dialogs.answer("choice", "Overwrite")
    assert window.save() is True
    assert load_scenario(path)["growth_pct"] == 21.0


def test_a_file_only_touched_or_saved_here_is_saved_without_asking(window, scenario_file):
    path = scenario_file("Touched")
    assert window.open_file(path)
    window.document.set_param("growth_pct", 20.0)
    later = path.stat().st_mtime_ns + 3_000_000_000
    os.utime(path, ns=(later, later))  # same bytes, new time
    assert window.save()  # an unanswered question would fail the test
    window.document.set_param("growth_pct", 22.0)
    assert window.save()  # our own save is not "someone else's change"
    assert load_scenario(path)["growth_pct"] == 22.0


def test_a_change_on_disk_is_noticed_and_can_be_reloaded(qtbot, window, scenario_file):
    path = scenario_file("Watched", growth_pct=10.0)
    assert window.open_file(path)
    _external_edit(path, 33.0)
    qtbot.waitUntil(lambda: window.notice_bar.notice("changed_on_disk") is not None, timeout=10_000)
    notice = window.notice_bar.notice("changed_on_disk")
    assert "Watched.forecast.json" in notice.text() and "changed on disk" in notice.text()
    notice.buttons["Reload"].click()
    assert window.document.scenario["growth_pct"] == 33.0
    assert not window.document.modified
    qtbot.waitUntil(lambda: shows_document(window.view))

    # Our own save afterwards raises no notice.
    window.document.set_param("growth_pct", 34.0)
    assert window.save()
    assert window.file_watch.check_now() is None
    assert window.notice_bar.notice("changed_on_disk") is None


def test_reloading_over_unsaved_changes_asks(qtbot, window, dialogs, scenario_file):
    path = scenario_file("Watched", growth_pct=10.0)
    assert window.open_file(path)
    window.document.set_param("growth_pct", 12.0)
    _external_edit(path, 33.0)
    assert window.file_watch.check_now() == "changed"
    notice = window.notice_bar.notice("changed_on_disk")
    assert "Reloading discards your unsaved changes" in notice.text()
    dialogs.answer("question", QMessageBox.StandardButton.Cancel)
    assert window.reload() is False
    assert window.document.scenario["growth_pct"] == 12.0


# --- one window per file --------------------------------------------------------------


def test_a_second_window_on_a_file_is_told_and_offered_read_only_or_a_copy(
    qtbot, window, dialogs, scenario_file
):
    path = scenario_file("Once")
    assert window.open_file(path)
    second = closing(qtbot, MainWindow())

    dialogs.answer("choice", "Cancel")
    assert second.open_file(path) is False
    asked = dialogs.of("choice")[-1]
    assert asked.title == "File Already Open"
    assert "is open in another window of this Forecaster" in asked.text
    assert second.document.path is None

    dialogs.answer("choice", "Open Read-Only")
    assert second.open_file(path)
    assert second.read_only and "read-only" in second.windowTitle()
    second.document.set_param("growth_pct", 5.0)
    copy = path.with_name("Copy.forecast.json")
    dialogs.answer("save_file", copy)
    assert second.save()  # Save goes to Save As: never over the file held elsewhere
    assert dialogs.of("save_file")
    assert load_scenario(path)["growth_pct"] != 5.0
    assert second.document.path == copy and not second.read_only

    third = closing(qtbot, MainWindow())
    dialogs.answer("choice", "Open a Copy")
    assert third.open_file(path)
    assert third.document.path is None and third.document.scenario.name == "Once"

    # Save As onto the file another window holds is refused.
    dialogs.answer("save_file", path)
    assert third.save_as() is False
    assert "is open in another window" in dialogs.of("critical")[-1].text


HOLDER = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from forecaster.ui.settings import APPLICATION, ORGANIZATION
    app = QApplication([])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    from forecaster.ui.main_window import MainWindow
    w = MainWindow(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.read()
""")


def test_a_second_forecaster_on_a_file_is_told_who_holds_it(qtbot, dialogs, scenario_file):
    path = scenario_file("Held")
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as other:
        try:
            assert other.stdout.readline().strip() == "holding"
            dialogs.answer("choice", "Open Read-Only")
            window = closing(qtbot, MainWindow(path))
            asked = dialogs.of("choice")[-1]
            assert f"is open in another Forecaster (process {other.pid})" in asked.text
            assert window.read_only
            window.close()
        finally:
            other.send_signal(signal.SIGKILL)  # it dies holding the lock
            other.wait(timeout=TIMEOUT)
    # A lock whose process is gone is taken over without a question.
    assert holder_of(path) is None
    window = closing(qtbot, MainWindow(path))
    assert not window.read_only and window.document.path == path


def test_a_restore_never_opens_the_same_file_twice(qtbot, dialogs, scenario_file):
    path = scenario_file("Crashed on")
    crashed = MainWindow(path)
    crashed.document.set_param("growth_pct", 44.0)
    crashed.autosaver.write_now()
    expected = crashed.document.scenario
    crashed.autosaver._lock.unlock()  # as if the process died: its locks go with it
    crashed.file_lock.release()
    crashed.autosaver = None
    crashed.deleteLater()

    dialogs.answer("restore", "all")
    windows = [closing(qtbot, w) for w in open_windows(str(path))]
    assert len(windows) == 1  # the file named on the command line took the restored work
    [window] = windows
    assert window.document.path == path
    assert window.document.scenario == expected and window.document.modified
    assert pending_recoveries() == []


# --- file names that are not UTF-8 ----------------------------------------------------

EDIT_AND_WAIT = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from forecaster.ui.app import open_windows
    from forecaster.ui.settings import APPLICATION, ORGANIZATION
    app = QApplication([])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    [w] = open_windows(os.fsdecode(sys.argv[1].encode("utf-8", "surrogateescape")))
    w.document.set_param("growth_pct", 27.5)
    w.document.set_name("Edited under a strange name")
    print("edited", flush=True)
    app.exec()
""")


def test_a_file_name_that_is_not_utf8_is_autosaved_and_restored_after_sigkill(
    qtbot, dialogs, tmp_path, until_child
):
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9 \xff.forecast.json"))
    save_scenario(default_scenario(), path)
    before = path.read_bytes()
    with subprocess.Popen(
        [sys.executable, "-c", EDIT_AND_WAIT, os.fsencode(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            assert child.stdout.readline().strip() == "edited"
            until_child(child, lambda: bool(find_recoveries(recovery_folder())[0]), "recovery file")
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=TIMEOUT)
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before

    dialogs.answer("restore", "all")
    [window] = [closing(qtbot, w) for w in open_windows()]
    assert os.fsencode(window.document.path) == os.fsencode(path)
    assert window.document.scenario.params["growth_pct"] == 27.5
    assert window.document.modified
    assert "caf\ufffd \ufffd.forecast.json" in window.windowTitle()
    assert window.save()
    assert load_scenario(path).params["growth_pct"] == 27.5
    assert window.preferences.recent_files()[0] == path  # Recent keeps the exact bytes
    window.recent_menu.aboutToShow.emit()
    names = [a.text() for a in window.recent_menu.actions()]
    assert names[0] == "&1 " + display_name(path)


# --- read-only targets and pipes in the window ---------------------------------------


def test_a_read_only_file_is_replaced_only_when_the_user_agrees(window, dialogs, scenario_file):
    path = scenario_file("Locked down")
    path.chmod(0o444)
    before = path.read_bytes()
    assert window.open_file(path)
    window.document.set_param("growth_pct", 3.0)
    dialogs.answer("choice", "Cancel")
    assert window.save() is False
    assert dialogs.of("choice")[-1].title == "Read-Only File"
    assert path.read_bytes() == before and window.document.modified
    dialogs.answer("choice", "Replace")
    assert window.save() is True
    assert load_scenario(path)["growth_pct"] == 3.0
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # it stays read-only


def test_a_read_only_export_target_is_asked_about(window, dialogs, tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    target.chmod(0o444)
    dialogs.answer("save_file", target)
    dialogs.answer("choice", "Cancel")
    assert window.export_table() is False
    assert target.read_text() == "old\n"
    dialogs.answer("save_file", target)
    dialogs.answer("choice", "Replace")
    assert window.export_table() is True
    assert target.read_text().startswith("year,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


SAVE_ONTO_FIFO = textwrap.dedent("""
    import os, sys
    from datetime import UTC, datetime
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
    from forecaster.io.recovery import read_recovery, write_recovery
    shown = []
    QMessageBox.critical = staticmethod(lambda p, t, text, *a, **k: shown.append(text))
    app = QApplication([])
    from forecaster.ui.main_window import MainWindow
    path = Path(sys.argv[1])
    w = MainWindow(path)
    w.document.set_param("growth_pct", 8.0)
    os.unlink(path)
    os.mkfifo(path)  # the file became a named pipe while it was open
    print("save", w.save(), flush=True)
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(path), ""))
    print("save as", w.save_as(), flush=True)
    rec = Path(sys.argv[2])
    write_recovery(rec, w.document.scenario, path, True, datetime.now(UTC))
    w2 = MainWindow()
    w.file_lock.release()
    w2.restore(read_recovery(rec))
    print("restored save", w2.save(), flush=True)
    for text in shown:
        print("message:", text, flush=True)
    for x in (w, w2):
        x.document.undo_stack.setClean()
""")


def test_save_onto_a_path_that_became_a_fifo_says_so_instead_of_freezing(scenario_file, tmp_path):
    path = scenario_file("Piped")
    done = subprocess.run(
        [sys.executable, "-c", SAVE_ONTO_FIFO, str(path), str(tmp_path / "r.recovery.json")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    refused = "message: cannot save Piped.forecast.json: is a named pipe, not a regular file"
    assert done.stdout.splitlines() == [
        "save False",
        "save as False",
        "restored save False",
        refused,
        refused,
        refused,
    ]
    assert stat.S_ISFIFO(path.stat().st_mode)


# --- start-up state: several recoveries, an unusable recovery folder -----------------


def _recoveries(count: int) -> list[Path]:
    folder = recovery_folder()
    files = []
    for i in range(count):
        file = folder / f"r{i:02d}.recovery.json"
        scenario = default_scenario().with_params(growth_pct=float(i))
        from dataclasses import replace

        write_recovery(
            file,
            replace(scenario, name=f"Work {i}"),
            None,
            True,
            datetime(2026, 1, 1, i % 24, tzinfo=UTC),
        )
        files.append(file)
    return files


def test_forty_recovery_files_are_one_question_with_a_list(qtbot, dialogs):
    _recoveries(40)
    dialogs.answer("restore", [0, 1])
    windows = [closing(qtbot, w) for w in open_windows()]
    assert len(dialogs.of("restore")) == 1
    assert len(dialogs.of("restore")[0].text.splitlines()) == 40
    assert len(windows) == 2 and all(w.document.modified for w in windows)
    assert pending_recoveries() == []  # the other 38 were discarded, the 2 are live


def test_deciding_later_keeps_every_recovery_file(qtbot, dialogs):
    _recoveries(3)
    dialogs.answer("restore", None)
    windows = [closing(qtbot, w) for w in open_windows()]
    assert len(windows) == 1 and not windows[0].document.modified
    assert len(pending_recoveries()) == 3


def test_the_restore_dialog_lists_every_file_with_checkboxes(qtbot, tmp_path):
    _recoveries(40)
    recoveries = pending_recoveries()
    dialog = RestoreDialog(recoveries)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "restore.png"))
    assert dialog.tree.topLevelItemCount() == 40
    assert dialog.tree.topLevelItem(0).text(1) == format_edited(recoveries[0].edited_at)
    assert dialog.checked() == recoveries
    dialog.tree.topLevelItem(3).setCheckState(
        0, dialog.tree.topLevelItem(3).checkState(0).Unchecked
    )
    dialog.restore_button.click()
    restore, discard = dialog.decision()
    assert discard == [recoveries[3]] and len(restore) == 39

    dialog = RestoreDialog(recoveries)
    qtbot.addWidget(dialog)
    dialog.discard_button.click()
    assert dialog.decision() == ([], recoveries)
    dialog = RestoreDialog(recoveries)
    qtbot.addWidget(dialog)
    dialog.later_button.click()
    assert dialog.decision() is None


def test_an_unusable_recovery_folder_is_said_once_in_the_window(qtbot):
    folder = recovery_folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the folder should be")
    first = closing(qtbot, MainWindow())
    notice = first.notice_bar.notice("autosave")
    assert notice is not None and notice.text().startswith("Autosave is off:")
    assert first.notice_bar.isVisibleTo(first)
    second = closing(qtbot, MainWindow())
    assert second.notice_bar.notice("autosave") is None  # once per run, not per window
    first.document.set_param("growth_pct", 1.0)
    first.autosaver.write_now()  # fails again: logged, not said again
    assert first.autosaver.last_error and len(first.notice_bar.notices()) == 1


# --- memory -----------------------------------------------------------------------------


def test_memory_error_in_a_seed_change_goes_back_to_the_scenario_on_screen(
    qtbot, window, monkeypatch
):
    view = window.view
    qtbot.waitUntil(lambda: shows_document(view))
    old = window.document.scenario
    drawn = np.asarray(view.projection_chart.p50_curve.yData).copy()
    real_draws = projection_module.draws_for

    def draws_for(seed, n_draws):
        if seed == 777:
            raise MemoryError  # what NumPy raises when the allocation fails
        return real_draws(seed, n_draws)

    monkeypatch.setattr(projection_module, "draws_for", draws_for)
    spin = view.control_panel.spin_box("seed")
    spin.setValue(777)  # as typing a new seed does
    qtbot.waitUntil(lambda: window.notice_bar.notice("memory") is not None)
    assert window.document.scenario == old  # the document went back
    assert spin.value() == old["seed"]  # and the controls with it
    qtbot.waitUntil(lambda: shows_document(view))  # figures of the scenario in the controls
    np.testing.assert_array_equal(view.projection_chart.p50_curve.yData, drawn)
    assert window.notice_bar.notice("memory").text() == (
        "Not changed: not enough memory for 10,000 draws over 18 years; try fewer draws."
    )
    assert QApplication.activeModalWidget() is None


def test_a_file_too_big_for_memory_is_refused_at_open(window, dialogs, tmp_path, monkeypatch):
    path = tmp_path / "huge.forecast.json"
    big = default_scenario().with_params(draws=200_000, base_year=1992, horizon_year=2050)
    save_scenario(big, path)

    def no_memory(seed, n_draws):
        raise MemoryError

    monkeypatch.setattr(projection_module, "draws_for", no_memory)
    assert window.open_file(path) is False
    assert dialogs.of("critical")[-1].text == (
        "huge.forecast.json: not enough memory for 200,000 draws over 59 years; try fewer draws"
    )
    assert window.document.scenario == default_scenario().validated()


def test_the_largest_scenario_under_ulimit_starts_with_a_message(tmp_path):
    """A real address-space limit (what ulimit -v sets) in the started app: the window
    opens on the default scenario and names the problem, no crash dialog."""
    path = tmp_path / "largest.forecast.json"
    big = default_scenario().with_params(draws=200_000, base_year=1992, horizon_year=2050)
    save_scenario(big, path)
    limited = START.replace(
        "from forecaster.cli import main\n",
        "from forecaster.cli import main\n"
        "import resource, numpy, forecaster.ui.main_window\n"
        "with open('/proc/self/status') as f:\n"
        "    size = next(int(l.split()[1]) for l in f if l.startswith('VmSize:')) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + 250 * 2**20,) * 2)\n",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", limited, str(path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "window: 2014 plan — Forecaster",
        "message: Could not open the scenario: largest.forecast.json: not enough memory for "
        "200,000 draws over 59 years; try fewer draws  The default scenario is open instead.",
    ]
    assert project(default_scenario().validated())  # (the default fits, as it just did)
