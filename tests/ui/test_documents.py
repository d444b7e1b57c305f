"""Documents through the window: new, open, save, recent files, presets, drops, prompts.

Dialogs are answered through the ``dialogs`` fixture (tests/ui/conftest.py);
files are real, in ``tmp_path``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from forecaster.engine import Scenario
from forecaster.io import SUFFIX, default_scenario, load_preset, load_scenario
from forecaster.ui import MainWindow
from forecaster.ui.settings import MAX_RECENT
from forecaster.ui.window_files import with_suffix

SAVE = QMessageBox.StandardButton.Save
DISCARD = QMessageBox.StandardButton.Discard
CANCEL = QMessageBox.StandardButton.Cancel


def state(window: MainWindow) -> tuple[Scenario, Path | None, bool]:
    doc = window.document
    return doc.scenario, doc.path, doc.modified


# --- save and reopen ------------------------------------------------------------


def test_save_and_reopen_through_the_ui(qtbot, window, dialogs, tmp_path):
    window.document.set_param("growth_pct", 21.5)
    window.document.set_param("debt_writeoff_pct", 80.0)
    dialogs.answer("save_file", tmp_path / "my plan")  # no suffix typed
    window.save_action.trigger()

    saved = tmp_path / f"my plan{SUFFIX}"
    assert saved.is_file()
    (asked,) = dialogs.of("save_file")
    assert "Forecaster scenarios (*.forecast.json)" in asked.text
    assert window.document.path == saved
    assert not window.document.modified
    assert not window.isWindowModified()
    assert saved.name in window.windowTitle()
    expected = window.document.scenario
    assert window.close()  # one window per file: the first lets go of it

    other = MainWindow()
    qtbot.addWidget(other)
    dialogs.answer("open_file", saved)
    other.open_action.trigger()
    assert other.document.path == saved
    assert other.document.scenario == expected
    assert other.document.scenario["growth_pct"] == 21.5
    assert not other.document.modified


def test_save_with_a_path_writes_without_asking(window, dialogs, scenario_file):
    path = scenario_file("Existing")
    assert window.open_file(path)
    window.document.set_param("growth_pct", 5.0)
    window.save_action.trigger()
    assert dialogs.of("save_file") == []
    assert load_scenario(path)["growth_pct"] == 5.0
    assert not window.document.modified


def test_save_as_cancelled_keeps_everything(window, dialogs):
    window.document.set_param("growth_pct", 5.0)
    before = state(window)
    dialogs.answer("save_file", "")
    window.save_as_action.trigger()
    assert state(window) == before


def test_save_error_shows_dialog_and_leaves_document_as_it_was(window, dialogs, tmp_path):
    window.document.set_param("growth_pct", 5.0)
    before = state(window)
    dialogs.answer("save_file", tmp_path / "no such folder" / "plan.forecast.json")
    assert not window.save_as()
    (error,) = dialogs.of("critical")
    assert "plan.forecast.json" in error.text
    assert "Traceback" not in error.text
    assert state(window) == before
    assert window.isWindowModified()


def test_failed_save_keeps_the_old_file_intact(window, dialogs, scenario_file, monkeypatch):
    path = scenario_file("Keep me")
    original = path.read_bytes()
    assert window.open_file(path)
    window.document.set_param("growth_pct", 5.0)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    assert not window.save()
    (error,) = dialogs.of("critical")
    assert "No space left on device" in error.text
    assert path.read_bytes() == original
    assert window.document.modified
    assert list(path.parent.glob(".*tmp")) == []


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("plan", "plan.forecast.json"),
        ("plan.forecast", "plan.forecast.json"),
        ("plan.forecast.json", "plan.forecast.json"),
        ("plan.json", "plan.json.forecast.json"),
        ("v1.2", "v1.2.forecast.json"),
    ],
)
def test_suffix_is_added_when_missing(typed, expected):
    assert with_suffix(Path("/x") / typed, SUFFIX).name == expected


# --- opening ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{ not json", "not valid JSON"),
        (
            b'{"format": "forecaster-scenario", "version": 1, "parameters": {"growth_pct": 1}}',
            "missing",
        ),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_file_shows_error_and_leaves_document_unchanged(
    window, dialogs, tmp_path, content, problem
):
    window.document.set_param("growth_pct", 9.0)  # modified, unsaved
    before = state(window)
    bad = tmp_path / f"broken{SUFFIX}"
    bad.write_bytes(content)
    dialogs.answer("question", DISCARD)
    dialogs.answer("open_file", bad)
    window.open_action.trigger()
    (error,) = dialogs.of("critical")
    assert bad.name in error.text and problem in error.text
    assert state(window) == before
    assert window.isWindowModified()
    assert window.preferences.recent_files() == []


def test_missing_file_is_reported(window, dialogs, tmp_path):
    before = state(window)
    assert not window.open_file(tmp_path / "gone.forecast.json")
    (error,) = dialogs.of("critical")
    assert "gone.forecast.json: no such file" in error.text
    assert state(window) == before


def test_open_cancelled_in_file_dialog(window, dialogs):
    before = state(window)
    dialogs.answer("open_file", "")
    assert not window.open_file()
    assert state(window) == before


def test_presets_menu_opens_a_preset_unsaved_and_unmodified(window, dialogs):
    action = window.preset_actions["Sanctions 2016-2017"]
    action.trigger()
    assert window.document.scenario == load_preset("Sanctions 2016-2017")
    assert window.document.path is None
    assert not window.document.modified
    assert window.windowTitle().startswith("Sanctions 2016-2017[*]")
    assert dialogs.shown == []


def test_new_starts_an_untitled_scenario(window):
    window.new_action.trigger()
    assert window.document.scenario.name == "Untitled"
    assert window.document.path is None
    assert not window.document.modified
    assert not window.undo_action.isEnabled()


# --- the unsaved-changes prompt --------------------------------------------------------


def test_close_with_changes_cancel_keeps_window_open(qtbot, window, dialogs):
    window.show()
    window.document.set_param("growth_pct", 9.0)
    dialogs.answer("question", CANCEL)
    assert not window.close()
    assert window.isVisible()
    (asked,) = dialogs.of("question")
    assert "2014 plan" in asked.text and "closing" in asked.text
    assert window.document.modified


def test_close_with_changes_discard_closes(window, dialogs):
    window.show()
    window.document.set_param("growth_pct", 9.0)
    dialogs.answer("question", DISCARD)
    assert window.close()
    assert not window.isVisible()


def test_close_with_changes_save_saves_then_closes(window, dialogs, tmp_path):
    window.show()
    window.document.set_param("growth_pct", 9.0)
    dialogs.answer("question", SAVE)
    dialogs.answer("save_file", tmp_path / "closing.forecast.json")
    assert window.close()
    assert load_scenario(tmp_path / "closing.forecast.json")["growth_pct"] == 9.0


def test_close_with_changes_save_cancelled_keeps_window_open(window, dialogs):
    window.show()
    window.document.set_param("growth_pct", 9.0)
    dialogs.answer("question", SAVE)
    dialogs.answer("save_file", "")
    assert not window.close()
    assert window.isVisible()


def test_close_without_changes_does_not_ask(window, dialogs):
    window.show()
    assert window.close()
    assert dialogs.of("question") == []


def test_new_with_changes_cancel_discard_save(window, dialogs, tmp_path):
    doc = window.document
    doc.set_param("growth_pct", 9.0)
    before = state(window)

    dialogs.answer("question", CANCEL)
    window.new_action.trigger()
    assert state(window) == before

    dialogs.answer("question", SAVE)
    dialogs.answer("save_file", tmp_path / "before-new")
    window.new_action.trigger()
    assert load_scenario(tmp_path / f"before-new{SUFFIX}")["growth_pct"] == 9.0
    assert doc.scenario.name == "Untitled" and doc.path is None

    doc.set_param("growth_pct", 1.0)
    dialogs.answer("question", DISCARD)
    window.new_action.trigger()
    assert doc.scenario["growth_pct"] == Scenario().params["growth_pct"]
    assert not doc.modified
    assert len(dialogs.of("question")) == 3


def test_open_with_changes_cancel_discard_save(window, dialogs, scenario_file, tmp_path):
    target = scenario_file("Target", growth_pct=3.0)
    doc = window.document
    doc.set_param("growth_pct", 9.0)
    before = state(window)

    dialogs.answer("question", CANCEL)
    window.open_action.trigger()
    assert state(window) == before
    assert dialogs.of("open_file") == []  # cancelled before the file dialog

    dialogs.answer("question", DISCARD)
    dialogs.answer("open_file", target)
    window.open_action.trigger()
    assert doc.path == target and doc.scenario["growth_pct"] == 3.0

    doc.set_param("growth_pct", 4.0)
    dialogs.answer("question", SAVE)
    dialogs.answer("open_file", scenario_file("Other", growth_pct=2.0))
    window.open_action.trigger()
    assert load_scenario(target)["growth_pct"] == 4.0  # saved in place, no save dialog
    assert dialogs.of("save_file") == []
    assert doc.scenario.name == "Other"


def test_preset_with_changes_asks_first(window, dialogs):
    window.document.set_param("growth_pct", 9.0)
    before = state(window)
    dialogs.answer("question", CANCEL)
    window.preset_actions["Status quo"].trigger()
    assert state(window) == before
    assert "Status quo" in dialogs.of("question")[0].text


# --- recent files ------------------------------------------------------------------------


def recent_entries(window) -> list[str]:
    window.recent_menu.aboutToShow.emit()
    return [a.data() for a in window.recent_menu.actions() if a.data()]


def test_recent_files_newest_first_and_opened_from_the_menu(window, dialogs, scenario_file):
    a, b = scenario_file("A"), scenario_file("B")
    window.open_file(a)
    window.open_file(b)
    assert recent_entries(window) == [str(b), str(a)]
    window.open_file(a)
    assert recent_entries(window) == [str(a), str(b)]

    entry = next(x for x in window.recent_menu.actions() if x.data() == str(b))
    assert entry.text() == f"&2 {b.name}"
    entry.trigger()
    assert window.document.path == b


def test_recent_files_at_most_ten_and_missing_ones_pruned(window, scenario_file):
    paths = [scenario_file(f"S{i}") for i in range(MAX_RECENT + 2)]
    for p in paths:
        window.open_file(p)
    assert recent_entries(window) == [str(p) for p in reversed(paths)][:MAX_RECENT]
    paths[-1].unlink()
    assert str(paths[-1]) not in recent_entries(window)
    assert len(recent_entries(window)) == MAX_RECENT - 1


def test_recent_file_gone_since_shows_error_and_is_removed(window, dialogs, scenario_file):
    gone = scenario_file("Gone")
    window.open_file(gone)
    window.new_action.trigger()
    window.recent_menu.aboutToShow.emit()
    entry = next(x for x in window.recent_menu.actions() if x.data() == str(gone))
    gone.unlink()
    entry.trigger()
    assert "no such file" in dialogs.of("critical")[0].text
    assert recent_entries(window) == []
    assert window.document.scenario.name == "Untitled"


def test_clear_recent_files(window, scenario_file):
    window.open_file(scenario_file("A"))
    window.recent_menu.aboutToShow.emit()
    clear = next(a for a in window.recent_menu.actions() if "Clear" in a.text())
    clear.trigger()
    assert recent_entries(window) == []


def test_last_folder_is_where_the_next_dialog_starts(window, dialogs, scenario_file):
    path = scenario_file("Somewhere")
    window.open_file(path)
    dialogs.answer("open_file", "")
    window.open_action.trigger()
    assert dialogs.of("open_file")[0].text.startswith(str(path.parent))


# --- drops ---------------------------------------------------------------------------------


def drop(window, path: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    return event


def test_dropped_file_opens(qtbot, window, scenario_file):
    path = scenario_file("Dropped", growth_pct=7.0)
    assert drop(window, path).isAccepted()
    qtbot.waitUntil(lambda: window.document.path == path)
    assert window.document.scenario["growth_pct"] == 7.0


def test_drop_with_changes_asks_first(qtbot, window, dialogs, scenario_file):
    window.document.set_param("growth_pct", 9.0)
    before = state(window)
    dialogs.answer("question", CANCEL)
    drop(window, scenario_file("Dropped"))
    qtbot.waitUntil(lambda: len(dialogs.of("question")) == 1)
    assert state(window) == before


def test_drag_without_files_is_refused(window):
    mime = QMimeData()
    mime.setText("not a file")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_default_scenario_is_unchanged_by_all_this(window):
    assert window.document.scenario == default_scenario()


def test_a_number_typed_but_not_confirmed_is_saved(qtbot, window, scenario_file):
    path = scenario_file()
    window.open_file(path)
    window.show()
    box = window.view.control_panel.spin_box("growth_pct")
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    qtbot.keyClicks(box, "12.5")  # no Enter, focus stays in the box
    window.save_action.trigger()
    assert load_scenario(path).params["growth_pct"] == 12.5
    assert not window.document.modified


def test_closing_sees_a_number_typed_but_not_confirmed(qtbot, window, dialogs):
    window.show()
    box = window.view.control_panel.spin_box("volatility_pct")
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    qtbot.keyClicks(box, "55")
    dialogs.answer("question", CANCEL)
    assert not window.close()
    assert dialogs.of("question")[-1].title == "Unsaved changes"
    assert window.document.scenario.params["volatility_pct"] == 55.0


def test_save_as_asks_before_replacing_a_file_the_dialog_never_saw(window, dialogs, tmp_path):
    existing = tmp_path / "plan.forecast.json"
    existing.write_text("keep me")
    dialogs.answer("save_file", tmp_path / "plan")  # the suffix is added after the dialog
    dialogs.answer("question", QMessageBox.StandardButton.No)
    assert window.save_as() is False
    assert existing.read_text() == "keep me"
    assert "plan.forecast.json already exists" in dialogs.of("question")[-1].text
    dialogs.answer("save_file", tmp_path / "plan")
    dialogs.answer("question", QMessageBox.StandardButton.Yes)
    assert window.save_as() is True
    assert load_scenario(existing) == window.document.scenario
