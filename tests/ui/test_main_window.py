"""The window's contract, title, menus, shortcuts, undo/redo and preferences."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from forecaster.io import ScenarioFileError, default_scenario, list_presets
from forecaster.ui import MainWindow
from forecaster.ui.document import ScenarioDocument, new_drag_id
from forecaster.ui.view import ScenarioView


def test_default_window_opens_the_default_scenario(window):
    assert window.document.scenario == default_scenario()
    assert window.document.path is None
    assert not window.document.modified
    assert isinstance(window.document, ScenarioDocument)
    assert isinstance(window.view, ScenarioView)
    assert window.centralWidget().isAncestorOf(window.view)
    assert window.view.document is window.document
    chart = window.findChild(pg.PlotWidget, "projection_chart")
    assert chart is window.view.projection_chart


def test_window_opens_a_file_given(qtbot, scenario_file):
    path = scenario_file("Given on the command line", growth_pct=12.5)
    w = MainWindow(path)
    qtbot.addWidget(w)
    assert w.document.path == path
    assert w.document.scenario.name == "Given on the command line"
    assert w.document.scenario["growth_pct"] == 12.5
    assert not w.document.modified
    assert "Given on the command line" in w.windowTitle()
    assert path.name in w.windowTitle()
    assert w.preferences.recent_files() == [path]


def test_window_with_a_bad_file_raises_the_file_error(qtbot, tmp_path):
    bad = tmp_path / "bad.forecast.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match="bad.forecast.json: not valid JSON"):
        MainWindow(bad)


def test_title_shows_name_and_modified_marker(window):
    assert window.windowTitle() == "2014 plan[*] — Forecaster"
    assert not window.isWindowModified()
    window.document.set_param("growth_pct", 20.0)
    assert window.isWindowModified()
    window.document.undo_stack.undo()
    assert not window.isWindowModified()


def test_rename_updates_title_and_is_undoable(window, dialogs):
    dialogs.answer("get_text", "  Cautious   plan ")
    assert window.rename_action.isEnabled()
    window.rename_action.trigger()
    assert window.document.scenario.name == "Cautious plan"
    assert window.windowTitle().startswith("Cautious plan[*]")
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert window.document.scenario.name == "2014 plan"


def test_rename_cancelled_changes_nothing(window, dialogs):
    dialogs.answer("get_text", None)
    window.rename_action.trigger()
    assert window.document.scenario.name == "2014 plan"
    assert not window.document.modified


def test_notes_are_edited_through_the_document(window, dialogs):
    dialogs.answer("get_multiline_text", "Assumes no new sanctions.\nSee 2014 agreement.")
    window.notes_action.trigger()
    assert window.document.scenario.notes == "Assumes no new sanctions.\nSee 2014 agreement."
    assert window.document.modified


def test_literal_placeholder_in_a_name_is_not_the_marker(window, dialogs):
    dialogs.answer("get_text", "Plan [*] B")
    window.rename_action.trigger()
    assert window.windowTitle().startswith("Plan [*][*] B[*]")


def test_undo_redo_actions_and_shortcuts(window):
    doc = window.document
    assert not window.undo_action.isEnabled()
    doc.set_param("growth_pct", 20.0)
    doc.set_param("volatility_pct", 10.0)
    assert window.undo_action.isEnabled()
    assert "Growth volatility" in window.undo_action.text()
    window.undo_action.trigger()
    assert doc.scenario["volatility_pct"] == 30.0
    assert doc.scenario["growth_pct"] == 20.0
    window.undo_action.trigger()
    assert doc.scenario == default_scenario()
    assert not doc.modified
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert doc.scenario["growth_pct"] == 20.0
    assert doc.scenario["volatility_pct"] == 10.0
    assert window.undo_action.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
    assert window.redo_action.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)


def test_one_drag_is_one_undo_step(window):
    drag = new_drag_id()
    for value in (30.0, 25.0, 20.0, 15.0):
        window.document.set_param("growth_pct", value, drag_id=drag)
    window.undo_action.trigger()
    assert window.document.scenario["growth_pct"] == 36.6


def test_undo_redraws_the_chart(window, qtbot):
    window.document.set_param("growth_pct", 10.0)
    window.view.refresh_now()
    low = window.view.current_projection.at_target_year(50)
    with qtbot.waitSignal(window.view.sigProjectionUpdated, timeout=2000):
        window.undo_action.trigger()
    assert window.view.current_projection.at_target_year(50) > low


@pytest.mark.parametrize(
    "name, key",
    [
        ("new_action", QKeySequence.StandardKey.New),
        ("open_action", QKeySequence.StandardKey.Open),
        ("save_action", QKeySequence.StandardKey.Save),
        ("save_as_action", QKeySequence.StandardKey.SaveAs),
        ("quit_action", QKeySequence.StandardKey.Quit),
    ],
)
def test_standard_shortcuts(window, name, key):
    action = getattr(window, name)
    expected = QKeySequence.keyBindings(key)
    if expected:
        assert action.shortcuts() == expected
    else:  # the platform binds nothing: a common fallback instead of no shortcut
        assert action.shortcuts()


def test_menus_a_newcomer_can_find(window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["File", "Edit", "Scenario", "Presets", "Compare", "View", "Help"]

    def texts(menu):
        return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]

    assert texts(menus["File"]) == [
        "New",
        "Open…",
        "Open Recent",
        "Save",
        "Save As…",
        "Export",
        "Quit",
    ]
    assert texts(menus["Presets"]) == list_presets()
    assert texts(menus["Scenario"]) == ["Fit to History…"]
    assert "Update Charts Only on Release" in texts(menus["View"])
    assert texts(menus["Compare"])[:3] == [
        "Pin Current Scenario",
        "Remove Selected Pin",
        "Clear All Pins",
    ]
    export = next(
        a.menu() for a in menus["File"].actions() if a.text().replace("&", "") == "Export"
    )
    assert texts(export) == ["Report as PDF…", "Table as CSV…", "Chart as PNG…", "Chart as SVG…"]


def test_update_on_release_is_wired_and_kept(qtbot, window):
    assert not window.update_on_release_action.isChecked()
    assert window.view.update_on_release() is False
    window.update_on_release_action.trigger()
    assert window.view.update_on_release() is True
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.update_on_release_action.isChecked()
    assert second.view.update_on_release() is True


def test_window_geometry_and_docks_are_kept(qtbot, window):
    window.show()
    window.resize(window.minimumWidth(), 640)  # the offscreen screen is only 800 x 800
    qtbot.waitUntil(lambda: window.height() == 640)
    window.compare.show()
    window.close()
    assert window.preferences.window_geometry() == window.saveGeometry()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.height() == 640
    assert not second.compare.isHidden()


def test_about_dialog(window, qtbot):
    from forecaster import __version__

    window.about_action.trigger()
    dialog = window.findChild(QDialog, "about_dialog") or window.about()
    qtbot.waitExposed(dialog)
    text = dialog.text.text()
    assert f"Forecaster {__version__}" in text
    assert "MIT" in text and "Reuters" in text  # the licence and the data sources
    dialog.close()


def test_a_slider_step_repaints_the_figures_but_not_the_record_or_the_notes(window, qtbot, settle):
    """The record line and the notes (selectable, word-wrapped) do not change with
    growth; a step must not repaint them (QLabel laid them out and repainted them on
    every layout pass of the summary: see ui/stable_label.py)."""
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    summary = window.view.summary_panel
    window.document.set_param("growth_pct", 36.5)  # the first edit (title, undo state) first
    settle(window)
    painted: list[str] = []

    class Watch(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                painted.append(watched.objectName())
            return False

    watch = Watch()
    summary.p50_label.setObjectName("p50_figure")
    for label in (summary.record_label, summary.notes_label, summary.p50_label):
        label.installEventFilter(watch)
    old_p50, verdict = summary.p50_label.text(), summary.verdict_label.property("verdict")
    window.document.set_param("growth_pct", 36.7)  # one step: the verdict stays
    qtbot.waitUntil(lambda: summary.p50_label.text() != old_p50)
    settle(window)
    assert summary.verdict_label.property("verdict") == verdict
    assert "p50_figure" in painted  # the figure that changed
    assert "record" not in painted and "notes" not in painted
