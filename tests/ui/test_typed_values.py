"""Typed values are taken exactly or refused in words; undo and redo work from an entry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from forecaster.io import default_scenario
from forecaster.ui.controls import ControlPanel
from forecaster.ui.document import ScenarioDocument


@pytest.fixture
def shown(window, qtbot):
    window.resize(1280, 720)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


def type_into(qtbot, entry, text: str, enter: bool = True) -> None:
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    entry.selectAll()
    QTest.keyClicks(entry, text)
    if enter:
        QTest.keyClick(entry, Qt.Key.Key_Return)


def test_an_out_of_range_value_is_refused_with_the_range_and_the_old_value_kept(shown, qtbot):
    panel = shown.view.control_panel
    entry = panel.spin_box("volatility_pct")
    type_into(qtbot, entry, "500")
    assert shown.document.scenario["volatility_pct"] == 30.0  # the document keeps its value
    assert entry.invalid and entry.styleSheet()  # the entry is marked
    assert entry.lineEdit().text().startswith("500")  # what was typed stays to be fixed
    assert panel.message() == "Growth volatility: 500 % is too high: 80 % is the most"
    assert panel.status_label().isVisible()
    # Nothing was pushed to undo; a valid value then goes through and clears the mark.
    type_into(qtbot, entry, "55.5")
    assert shown.document.scenario["volatility_pct"] == 55.5
    assert not entry.invalid and panel.message() == ""


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("growth_pct", "-60", "Annual growth: -60 %/yr is too low: -50 %/yr is the least"),
        (
            "volatility_pct",
            "12,5",
            'Growth volatility: “12,5” is not a number (use "." for decimals)',
        ),
        (
            "volatility_pct",
            "12.34",
            "Growth volatility: 12.34: Growth volatility takes 1 decimal(s) at most",
        ),
        ("debt_term_years", "abc", "Repayment term: “abc” is not a number"),
        ("base_year", "2013.5", "Base year: 2013.5: Base year takes a whole number"),
    ],
)
def test_bad_text_is_named_and_nothing_changes(shown, qtbot, key, text, message):
    panel = shown.view.control_panel
    before = shown.document.scenario
    steps = shown.document.undo_stack.count()
    type_into(qtbot, panel.spin_box(key), text)
    assert panel.message() == message
    assert shown.document.scenario == before and shown.document.undo_stack.count() == steps


def test_leaving_a_refused_entry_keeps_the_text_marked(shown, qtbot):
    panel = shown.view.control_panel
    entry = panel.spin_box("volatility_pct")
    type_into(qtbot, entry, "500", enter=False)
    panel.slider("growth_pct").setFocus()  # focus leaves without Enter
    qtbot.waitUntil(lambda: not entry.hasFocus())
    assert entry.invalid and entry.lineEdit().text().startswith("500")
    assert shown.document.scenario["volatility_pct"] == 30.0
    # Undo (or any change of the document's value) puts the document's value back.
    shown.document.set_param("volatility_pct", 31.0)
    assert not entry.invalid and entry.value() == 31.0


def test_the_locale_decimal_separator_and_the_point_are_both_read(qtbot):
    before = QLocale()  # the default this run started with, put back at the end
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        document = ScenarioDocument(default_scenario())
        panel = ControlPanel(document)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitExposed(panel)
        entry = panel.spin_box("volatility_pct")
        type_into(qtbot, entry, "12,5")
        assert document.scenario["volatility_pct"] == 12.5
        assert entry.lineEdit().text().startswith("12,5")  # shown the locale's way
        type_into(qtbot, entry, "13.5")
        assert document.scenario["volatility_pct"] == 13.5
    finally:
        QLocale.setDefault(before)


def test_undo_and_redo_work_while_an_entry_has_focus(shown, qtbot):
    doc = shown.document
    entry = shown.view.control_panel.spin_box("growth_pct")
    type_into(qtbot, entry, "20")
    assert doc.scenario["growth_pct"] == 20.0
    assert QApplication.focusWidget() is entry or entry.isAncestorOf(QApplication.focusWidget())
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.scenario["growth_pct"] == 36.6
    assert entry.value() == pytest.approx(36.6)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert doc.scenario["growth_pct"] == 20.0
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, shift_ctrl)
    assert doc.scenario["growth_pct"] == 20.0


def test_while_text_is_being_edited_ctrl_z_undoes_the_typing_not_the_document(shown, qtbot):
    doc = shown.document
    entry = shown.view.control_panel.spin_box("growth_pct")
    type_into(qtbot, entry, "20")  # one document step to undo
    type_into(qtbot, entry, "4", enter=False)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.scenario["growth_pct"] == 20.0  # the document step is still there
    assert entry.lineEdit().text().startswith("20")  # the typing was undone
