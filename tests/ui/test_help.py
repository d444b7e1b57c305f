"""Help that explains the model: F1 opens the model and its parameters, What's This and
the accessible names and descriptions say what each control sets, and the summary says
how "Growth needed (alone)" differs from the goal seek."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QWhatsThis,
    QWidget,
)

from forecaster.engine.model_text import (
    GOAL_SEEK_MARKDOWN,
    GROWTH_NEEDED_MARKDOWN,
    first_sentence,
    plain,
)
from forecaster.engine.params import (
    PARAMS,
    SHOCK_DEPTH_RANGE,
    SHOCK_HALF_LIFE_RANGE,
    SHOCK_START_RANGE,
    SPECS,
    fmt_number,
)
from forecaster.ui.help import ModelHelpDialog

# Offscreen Qt cannot raise a window or grab the keyboard (the help is raised, What's This
# mode grabs the keyboard on real platforms). The closest mark wins, so each test names
# the conftest's ignored warning too.
offscreen = pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)

FORMULAS = (
    "organic(t) = base × (1 + growth)^(t − b)",
    "multiplier(t) = Π (1 − depth × 0.5^((t − start)/half_life))",
    "currency(t) = (1 − share) + share × (1 − depreciation)^(t − b)",
    "path(t) = organic × multiplier × currency + debt trade",
    "exp(σ·W(t))",
    "(target / base)^(1/(target year − b)) − 1",
)


def _shown(window, qtbot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _help_dialogs(window) -> list[ModelHelpDialog]:
    return window.findChildren(ModelHelpDialog)


@offscreen
def test_f1_opens_the_model_with_its_formulas_and_every_parameter(window, qtbot):
    _shown(window, qtbot)
    growth = window.view.control_panel.slider("growth_pct")
    growth.setFocus()
    before = window.document.scenario
    QTest.keyClick(growth, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in _help_dialogs(window)))
    (dialog,) = _help_dialogs(window)
    assert not dialog.isModal()
    assert window.document.scenario == before  # F1 moved no slider
    text = dialog.text()
    for formula in FORMULAS:
        assert formula in text
    for spec in PARAMS:
        assert spec.label in text
        assert spec.describe_range() in text
        assert spec.help in text
    for low, high in (SHOCK_START_RANGE, SHOCK_DEPTH_RANGE, SHOCK_HALF_LIFE_RANGE):
        assert f"{low:g} to {high:g}" in text
    # The two growth answers, explained in the help as in the summary.
    assert plain(GROWTH_NEEDED_MARKDOWN) in " ".join(text.split())
    assert plain(GOAL_SEEK_MARKDOWN) in " ".join(text.split())
    # Non-modal: the window still takes input, and F1 again brings back the same help.
    window.document.set_param("growth_pct", 20.0)
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(growth, Qt.Key.Key_F1)
    qtbot.waitUntil(dialog.isVisible)
    assert _help_dialogs(window) == [dialog]


@offscreen
def test_the_help_menu_has_the_model_whats_this_and_about(window):
    help_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"
    )
    texts = [a.text().replace("&", "") for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["The Model…", "What's This?", "About Forecaster"]
    assert window.model_help_action.shortcut().toString() == "F1"
    assert window.whats_this_action.shortcut().toString() == "Shift+F1"


@offscreen
def test_each_parameter_row_of_the_help_has_its_range_default_and_steps(window):
    dialog = window.model_help()
    rows = [line for line in dialog.text().splitlines() if line.strip()]
    for spec in PARAMS:
        # A table cell per line in the plain text: the key's row follows the label's.
        at = next(i for i, line in enumerate(rows) if f"{spec.label} {spec.key}" in line)
        cells = rows[at + 1 : at + 5]
        assert cells[0] == spec.describe_range()
        assert cells[1].split(" ")[0] == fmt_number(spec.default)
        assert cells[2] == f"{spec.step:g} ({fmt_number(spec.big_step)})"
        assert cells[3] == spec.help


@offscreen
@pytest.mark.parametrize(("width", "height"), [(1024, 640), (780, 560)])
def test_the_help_is_readable_in_a_small_window(window, qtbot, width, height, tmp_path):
    """Its tables wrap to the window: no sideways scrolling at the smallest main window
    (1024 wide) nor well below it (780; the widest unbreakable cell ends near 740)."""
    dialog = window.model_help()
    dialog.resize(width, height)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.width() == width)
    browser = dialog.browser
    assert browser.horizontalScrollBar().maximum() == 0
    assert browser.verticalScrollBar().maximum() > 0  # it scrolls down instead
    image = dialog.grab().toImage()
    assert (image.width(), image.height()) == (width, height)
    dialog.grab().save(str(tmp_path / "help.png"))


@offscreen
def test_find_in_the_help_selects_the_next_match_and_says_when_there_is_none(window, qtbot):
    dialog = window.model_help()
    qtbot.keyClicks(dialog.find_edit, "half-life")
    first = dialog.browser.textCursor().selectionStart()
    assert dialog.browser.textCursor().selectedText().lower() == "half-life"
    QTest.keyClick(dialog.find_edit, Qt.Key.Key_Return)
    assert dialog.browser.textCursor().selectionStart() > first
    assert dialog.browser.textCursor().selectedText().lower() == "half-life"
    dialog.find_edit.clear()
    qtbot.keyClicks(dialog.find_edit, "no such words")
    assert dialog.find_status.text() == "Not found"


def _words(rich: str) -> str:
    """Rich text as the words a person reads."""
    document = QTextDocument()
    document.setHtml(rich)
    return " ".join(document.toPlainText().split())


def _controls(root: QWidget) -> list[QWidget]:
    """What a person operates: sliders, entries, buttons, text fields (not the line edit
    inside an entry, which is part of it)."""
    kinds = (QAbstractSlider, QAbstractSpinBox, QAbstractButton, QLineEdit)
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds) and not isinstance(w.parent(), QAbstractSpinBox)
    ]


def _spec_of(widget: QWidget):
    name = widget.objectName()
    for prefix in ("reset_", "new_", ""):
        if name.startswith(prefix) and name[len(prefix) :] in SPECS:
            return SPECS[name[len(prefix) :]]
    return None


@offscreen
def test_every_control_says_what_it_sets_and_its_range(window, qtbot):
    panel = window.view.control_panel
    editor = panel.shock_editor
    editor.add_button.click()
    editor.add_button.click()  # rows added after the panel was built are described too
    assert editor.row_count() == 2
    controls = _controls(panel)
    described = set()
    for widget in controls:
        what = f"{type(widget).__name__} {widget.objectName()!r}"
        assert widget.accessibleName().strip(), what
        assert widget.accessibleDescription().strip(), what
        assert widget.whatsThis().strip(), what
        spec = _spec_of(widget)
        if spec is not None:
            described.add(spec.key)
            assert html.escape(spec.describe_range()) in widget.whatsThis(), what
            assert spec.describe_range() in widget.accessibleDescription(), what
            assert spec.label.lower() in widget.accessibleName().lower(), what
            if widget.objectName() == spec.key:
                assert spec.help in widget.accessibleDescription(), what
    assert described == set(SPECS)  # every parameter has a described control
    ranges = {
        "start": f"{SHOCK_START_RANGE[0]} to {SHOCK_START_RANGE[1]}",
        "depth": f"{SHOCK_DEPTH_RANGE[0]:g} to {SHOCK_DEPTH_RANGE[1]:g} %",
        "half_life": f"{SHOCK_HALF_LIFE_RANGE[0]:g} to {SHOCK_HALF_LIFE_RANGE[1]:g} years",
    }
    for i in range(2):
        row = editor.row(i)
        for field, words in ranges.items():
            assert getattr(row, field).accessibleName().startswith(f"Shock {i + 1} ")
            assert words in getattr(row, field).accessibleDescription()
            assert words in getattr(row, field).whatsThis()


@offscreen
def test_charts_tabs_and_goal_seek_have_names_and_descriptions(window):
    view = window.view
    summary = view.summary_panel
    for widget in (
        view.projection_chart,
        view.debt_chart,
        view.tornado_chart,
        view.chart_tabs,
        view.log_checkbox,
        summary.p50_radio,
        summary.p90_radio,
        summary.apply_button,
        *_controls(summary),
    ):
        assert widget.accessibleName().strip(), widget.objectName()
        assert widget.accessibleDescription().strip(), widget.objectName()
        assert widget.whatsThis().strip(), widget.objectName()
    names = [w.accessibleName() for w in (summary.p50_radio, summary.p90_radio)]
    assert names == ["Goal seek for P50", "Goal seek for P90"]
    assert all(view.chart_tabs.tabWhatsThis(i) for i in range(view.chart_tabs.count()))


@offscreen
def test_shift_f1_asks_whats_this_and_a_click_explains_without_changing(window, qtbot):
    _shown(window, qtbot)
    volatility = window.view.control_panel.slider("volatility_pct")
    volatility.setFocus()
    before = window.document.scenario
    QTest.keyClick(volatility, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert QWhatsThis.inWhatsThisMode()
    try:
        QTest.mouseClick(volatility, Qt.MouseButton.LeftButton)
        assert not QWhatsThis.inWhatsThisMode()  # the click was the question
        popups = [
            w
            for w in QApplication.topLevelWidgets()
            if w.metaObject().className() == "QWhatsThat" and w.isVisible()
        ]
        assert popups  # Qt's What's This popup, showing the slider's text
    finally:
        QWhatsThis.leaveWhatsThisMode()
        QWhatsThis.hideText()
    assert window.document.scenario == before  # the click moved nothing


@offscreen
def test_the_summary_explains_growth_needed_alone_against_the_goal_seek(window):
    summary = window.view.summary_panel
    caption = summary.required_caption
    assert caption.text() == "Growth needed (alone)"
    seek_box = summary.findChild(QWidget, "goal_seek")
    alone, seek = GROWTH_NEEDED_MARKDOWN, GOAL_SEEK_MARKDOWN
    for widget, asked, other in (
        (caption, alone, seek),
        (summary.required_label, alone, seek),
        (seek_box, seek, alone),
    ):
        tip, what = _words(widget.toolTip()), _words(widget.whatsThis())
        # The one asked about first, then the other; in short on hover, whole in What's This.
        assert tip.index(first_sentence(asked)) < tip.index(first_sentence(other))
        assert what.index(plain(asked)) < what.index(plain(other))
    tip = _words(caption.toolTip())
    for words in ("no shocks", "no currency effect", "no debt trade", "no volatility"):
        assert words in tip
    assert "keeps every other setting" in tip
    assert "P50 or P90" in tip and "in the target year" in tip
    # And the default scenario shows why it matters: the two figures differ.
    answer = summary.answer
    assert answer is not None
    assert summary.required_label.text() != summary.seek_label.text()
    assert answer.goal_seek(50).growth_pct != pytest.approx(answer.required_growth_pct)
