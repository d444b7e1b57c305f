"""Pins as chart overlays, and the "what changed" view against the current scenario."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

import forecaster.ui.compare as compare
from forecaster.engine import Shock, project
from forecaster.io import default_scenario
from forecaster.ui.compare import PIN_COLORS, describe_shock, scenario_differences


def table_rows(window) -> list[tuple[str, ...]]:
    table = window.compare.changes_table
    return [
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    ]


def test_pin_draws_an_overlay_in_its_own_colour(window):
    window.compare.pin_action.trigger()
    window.document.set_param("growth_pct", 20.0)
    window.compare.pin_action.trigger()
    pins = window.compare.board.pins
    assert [p.name for p in pins] == ["2014 plan", "2014 plan (2)"]
    assert len({p.color for p in pins}) == 2
    overlays = window.view.projection_chart.overlays
    assert [(o.name, o.color) for o in overlays] == [(p.name, p.color) for p in pins]
    assert overlays[0].projection.at_target_year(50) > overlays[1].projection.at_target_year(50)
    assert not window.compare.isHidden()  # pinning shows the panel
    assert window.compare.pin_list.count() == 2


def test_pins_keep_distinct_colours_until_the_palette_runs_out(window):
    for _ in range(len(PIN_COLORS)):
        window.compare.pin_current()
    assert sorted(p.color for p in window.compare.board.pins) == sorted(PIN_COLORS)
    window.compare.pin_current()
    assert window.compare.board.pins[-1].color == PIN_COLORS[0]


def test_remove_and_clear_pins(window):
    for _ in range(3):
        window.compare.pin_current()
    window.compare.pin_list.setCurrentRow(1)
    removed = window.compare.board.pins[1]
    window.compare.remove_action.trigger()
    assert removed not in window.compare.board.pins
    assert len(window.view.projection_chart.overlays) == 2
    assert window.compare.remove_action.isEnabled()
    # a freed colour is reused before any colour is doubled
    assert window.compare.pin_current().color == removed.color
    window.compare.clear_action.trigger()
    assert window.compare.board.pins == ()
    assert window.view.projection_chart.overlays == []
    assert not window.compare.remove_action.isEnabled()
    assert not window.compare.clear_action.isEnabled()


def test_pin_projection_is_computed_once_at_pin_time(window, monkeypatch):
    calls = []
    monkeypatch.setattr(compare, "project", lambda s: calls.append(s) or project(s))
    pin = window.compare.pin_current()
    for value in (10.0, 20.0, 30.0):
        window.document.set_param("growth_pct", value)
    window.view.refresh_now()
    assert len(calls) <= 1  # at pin time at most (the view's own is reused), never after
    assert pin.projection.at_target_year(50) == project(default_scenario()).at_target_year(50)


def test_what_changed_lists_parameters_and_shocks_with_both_p50s(window):
    window.compare.pin_current()
    assert table_rows(window) == []
    assert "Same settings" in window.compare.p50_label.text()

    window.document.set_param("growth_pct", 20.0)
    window.document.set_param("draws", 5000)
    window.document.set_shocks([Shock(2016, 30.0, 2.0, "EU sanctions")])
    window.view.refresh_now()
    assert table_rows(window) == [
        ("Annual growth", "36.6", "20.0", "%/yr"),
        ("Monte Carlo draws", "10000", "5000", ""),
        ("Sanction shock", "none", "EU sanctions (2016: −30%, half-life 2 y)", ""),
    ]
    pinned = window.compare.board.pins[0].projection.at_target_year(50)
    current = window.view.current_projection.at_target_year(50)
    text = window.compare.p50_label.text()
    assert f"${pinned:,.0f}M in 2020" in text
    assert f"current ${current:,.0f}M in 2020" in text
    assert pinned != current


def test_what_changed_follows_the_selected_pin_and_undo(window):
    window.compare.pin_current()
    window.document.set_param("growth_pct", 20.0)
    window.compare.pin_current()
    window.document.set_param("volatility_pct", 10.0)
    window.compare.pin_list.setCurrentRow(1)
    assert [r[0] for r in table_rows(window)] == ["Growth volatility"]
    window.compare.pin_list.setCurrentRow(0)
    assert [r[0] for r in table_rows(window)] == ["Annual growth", "Growth volatility"]
    window.undo_action.trigger()
    assert [r[0] for r in table_rows(window)] == ["Annual growth"]


def test_pins_survive_opening_another_scenario(window):
    window.compare.pin_current()
    window.preset_actions["Status quo"].trigger()
    assert len(window.view.projection_chart.overlays) == 1
    assert table_rows(window)  # the preset differs from the pinned 2014 plan


def test_pin_renamed_in_the_list(window):
    window.compare.pin_current()
    item = window.compare.pin_list.item(0)
    item.setText("Before the sanctions")
    assert window.compare.board.pins[0].name == "Before the sanctions"
    assert window.view.projection_chart.overlays[0].name == "Before the sanctions"
    assert item.flags() & Qt.ItemFlag.ItemIsEditable
    window.compare.pin_list.item(0).setText("   ")  # blank: the old name stays
    assert window.compare.pin_list.item(0).text() == "Before the sanctions"


def test_pin_renamed_with_the_keyboard(qtbot, window):
    window.show()
    window.compare.pin_current()
    pin_list = window.compare.pin_list
    pin_list.setFocus()
    pin_list.setCurrentRow(0)
    qtbot.keyClick(pin_list, Qt.Key.Key_F2)
    editor = pin_list.findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Typed name")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.compare.board.pins[0].name == "Typed name")
    assert pin_list.item(0).text() == "Typed name"


# --- the comparison itself, without a window --------------------------------------------


def test_no_differences_for_the_same_scenario():
    s = default_scenario()
    assert scenario_differences(s, s) == []


def test_shock_order_does_not_count_as_a_change():
    a, b = Shock(2016, 30.0, 2.0), Shock(2020, 80.0, None)
    s = default_scenario()
    assert scenario_differences(s.with_shocks([a, b]), s.with_shocks([b, a])) == []


def test_an_edited_shock_reads_as_one_row():
    s = default_scenario()
    rows = scenario_differences(
        s.with_shocks([Shock(2016, 30.0, 2.0)]), s.with_shocks([Shock(2016, 50.0, None)])
    )
    assert [(r.pinned, r.current) for r in rows] == [
        ("2016: −30%, half-life 2 y", "2016: −50%, permanent")
    ]


def test_removed_shock():
    s = default_scenario()
    rows = scenario_differences(s.with_shocks([Shock(2018, 40.0, 1.5)]), s)
    assert [(r.label, r.pinned, r.current) for r in rows] == [
        ("Sanction shock", "2018: −40%, half-life 1.5 y", "none")
    ]


@pytest.mark.parametrize(
    "shock, text",
    [
        (Shock(2020, 100.0, None), "2020: −100%, permanent"),
        (Shock(2016, 12.5, 0.5, "Border"), "Border (2016: −12.5%, half-life 0.5 y)"),
    ],
)
def test_describe_shock(shock, text):
    assert describe_shock(shock) == text


def test_what_changed_catches_up_when_the_closed_panel_opens(window):
    window.show()
    window.compare.pin_action.trigger()
    window.compare.hide()
    window.document.set_param("growth_pct", 12.0)
    assert window.compare.changes_table.rowCount() == 0  # not rebuilt while closed
    window.compare.show()
    table = window.compare.changes_table
    assert table.rowCount() == 1 and table.item(0, 2).text() == "12.0"


def test_pinning_reuses_the_projection_on_screen(window):
    window.view.refresh_now()
    pin = window.compare.pin_current()
    assert pin.projection is window.view.current_projection
