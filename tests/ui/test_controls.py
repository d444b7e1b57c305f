"""The control panel as a user meets it: one slider and exact entry per parameter,
keyboard, reset, refusals shown in words, undo that the controls follow, shocks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QWidget,
)
from superqt import QDoubleSlider

from forecaster.engine.params import DEFAULTS, PARAMS, SPECS, Shock
from forecaster.io import default_scenario
from forecaster.ui.controls import ControlPanel
from forecaster.ui.document import ScenarioDocument

# The offscreen platform plugin says this on every show(); it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def document() -> ScenarioDocument:
    return ScenarioDocument(default_scenario())


@pytest.fixture
def panel(qtbot, document) -> ControlPanel:
    widget = ControlPanel(document)
    qtbot.addWidget(widget)
    widget.resize(380, 1600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_parameter_has_a_keyed_slider_and_entry_with_unit_and_help(panel):
    for spec in PARAMS:
        slider = panel.findChild(QSlider, spec.key)
        spin = panel.findChild(QAbstractSpinBox, spec.key)
        assert spin is not None, spec.key
        # The entry takes exactly the spec's decimals; its range is the spec's, checked
        # on Enter with a message (test_typed_values.py), never clamped by Qt.
        assert isinstance(spin, QDoubleSpinBox) and spin.decimals() == spec.decimals
        if spec.unit:
            assert spin.suffix().strip() == spec.unit
        assert spin.value() == pytest.approx(panel.document.scenario[spec.key])
        if spec.key == "seed":  # an entry and a "New seed" button, no slider
            assert slider is None and panel.findChild(QPushButton, "new_seed") is not None
            continue
        assert slider is not None, spec.key
        # Whole numbers on Qt's slider unless log-scaled; the rest on superqt's float one.
        assert isinstance(slider, QDoubleSlider) == (spec.kind == "float" or slider.scale.log)
        assert slider.scale.log == (
            spec.key in ("base_turnover_musd", "target_turnover_musd", "draws")
        )
        assert slider.scale.to_value(slider.minimum()) == spec.minimum
        assert slider.scale.to_value(slider.maximum()) == spec.maximum
        for widget in (slider, spin):
            assert spec.help in widget.toolTip()
            assert spec.describe_range() in widget.toolTip()
        assert slider.shown_value() == pytest.approx(panel.document.scenario[spec.key])


def test_groups_follow_the_table(panel):
    from PySide6.QtWidgets import QGroupBox

    titles = [box.title().replace("&&", "&") for box in panel.findChildren(QGroupBox)]
    assert titles == [
        "Growth",
        "Sanction shocks",
        "Debt terms",
        "Currency",
        "Uncertainty",
        "Target & horizon",
    ]


def test_arrow_and_page_keys_move_float_and_int_sliders(panel, document):
    growth = panel.findChild(QSlider, "growth_pct")
    QTest.keyClick(growth, Qt.Key.Key_Right)
    assert document.scenario["growth_pct"] == pytest.approx(36.7)
    QTest.keyClick(growth, Qt.Key.Key_PageUp)
    assert document.scenario["growth_pct"] == pytest.approx(41.7)
    QTest.keyClick(growth, Qt.Key.Key_PageDown)
    QTest.keyClick(growth, Qt.Key.Key_Left)
    assert document.scenario["growth_pct"] == pytest.approx(36.6)
    QTest.keyClick(growth, Qt.Key.Key_End)
    assert document.scenario["growth_pct"] == 100
    QTest.keyClick(growth, Qt.Key.Key_Home)
    assert document.scenario["growth_pct"] == -50

    term = panel.findChild(QSlider, "debt_term_years")
    QTest.keyClick(term, Qt.Key.Key_PageDown)
    assert document.scenario["debt_term_years"] == 15
    QTest.keyClick(term, Qt.Key.Key_Up)
    assert document.scenario["debt_term_years"] == 16
    # The entry shows what the keyboard did.
    assert panel.findChild(QAbstractSpinBox, "debt_term_years").value() == 16


def test_typing_an_exact_value_in_the_entry(panel, document, qtbot):
    spin = panel.findChild(QAbstractSpinBox, "base_turnover_musd")
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "104")
    assert document.scenario["base_turnover_musd"] == pytest.approx(112.7)  # not per keystroke
    QTest.keyClick(spin, Qt.Key.Key_Return)
    assert document.scenario["base_turnover_musd"] == pytest.approx(104.0)
    assert panel.findChild(QSlider, "base_turnover_musd").shown_value() == pytest.approx(104.0)


def test_tab_moves_slider_to_entry_to_next_parameter(panel, qtbot):
    panel.activateWindow()
    qtbot.waitActive(panel)
    slider = panel.findChild(QSlider, "base_turnover_musd")
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.findChild(QAbstractSpinBox, "base_turnover_musd")
    # The reset button is disabled at the default, so Tab goes on to the next slider.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.findChild(QSlider, "growth_pct")


def test_a_drag_is_one_undo_step_and_controls_follow_undo(panel, document):
    slider = panel.findChild(QSlider, "volatility_pct")
    spin = panel.findChild(QAbstractSpinBox, "volatility_pct")
    before = document.undo_stack.count()
    slider.setSliderDown(True)
    for value in (31.0, 33.2, 35.0, 40.3, 44.0):
        slider.setValue(value)
    slider.setSliderDown(False)
    assert document.scenario["volatility_pct"] == 44.0
    assert document.undo_stack.count() == before + 1
    document.undo_stack.undo()
    assert document.scenario["volatility_pct"] == 30.0
    assert slider.value() == 30.0 and spin.value() == 30.0
    assert document.undo_stack.count() == before + 1  # following undo pushed nothing
    document.undo_stack.redo()
    assert slider.value() == 44.0 and spin.value() == 44.0


@pytest.mark.parametrize("key", ["growth_pct", "debt_term_years"])
def test_a_real_mouse_drag_is_one_undo_step(panel, document, key):
    spec = SPECS[key]
    slider = panel.findChild(QSlider, key)
    start = document.scenario[key]
    before = document.undo_stack.count()
    style_option_handle = slider.style().subControlRect(
        slider.style().ComplexControl.CC_Slider,
        _slider_option(slider),
        slider.style().SubControl.SC_SliderHandle,
        slider,
    )
    press = style_option_handle.center()
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, pos=press)
    for dx in range(4, 44, 4):
        QTest.mouseMove(slider, press + QPoint(dx, 0))
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=press + QPoint(40, 0))
    value = document.scenario[key]
    assert value > start
    assert document.undo_stack.count() == before + 1
    # Pointer positions land on the parameter's step grid.
    assert value == pytest.approx(round(value / spec.step) * spec.step)


def _slider_option(slider):
    from PySide6.QtWidgets import QStyleOptionSlider

    if isinstance(slider, QDoubleSlider):
        return slider._styleOption  # superqt builds its own option (float model)
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    return option


def test_refused_combination_shows_a_message_and_snaps_back(panel, document):
    spin = panel.findChild(QAbstractSpinBox, "target_year")
    slider = panel.findChild(QSlider, "target_year")
    spin.setValue(2040)  # beyond the 2030 horizon
    assert document.scenario["target_year"] == 2020
    assert spin.value() == 2020 and slider.value() == 2020
    assert panel.message().startswith("Target year: 2040")
    assert "Horizon 2030" in panel.message()  # in the panel's words, not the file's keys
    # The message is on screen in words, next to the group that caused it.
    shown = [w.text() for w in panel.findChildren(QLabel) if w.isVisible()]
    assert any("Horizon 2030" in text for text in shown)
    # A value the document accepts clears it.
    spin.setValue(2025)
    assert document.scenario["target_year"] == 2025 and panel.message() == ""


def test_dragging_into_a_refused_value_snaps_back_during_the_drag(panel, document):
    slider = panel.findChild(QSlider, "horizon_year")
    slider.setSliderDown(True)
    slider.setValue(2025)
    slider.setValue(2019)  # before the 2020 target year: refused
    assert document.scenario["horizon_year"] == 2025
    assert slider.value() == 2025
    assert panel.message()
    slider.setSliderDown(False)


def test_reset_one_and_reset_all(panel, document):
    document.set_param("growth_pct", 10.0)
    document.set_param("debt_writeoff_pct", 50.0)
    reset = panel.reset_button("growth_pct")
    assert reset.isEnabled()
    reset.click()
    assert document.scenario["growth_pct"] == DEFAULTS["growth_pct"]
    assert not reset.isEnabled()
    document.set_param("growth_pct", 12.0)
    panel.reset_all_button.click()
    assert dict(document.scenario.params) == DEFAULTS
    assert panel.findChild(QSlider, "debt_writeoff_pct").value() == DEFAULTS["debt_writeoff_pct"]


def test_controls_follow_an_opened_scenario(panel, document):
    other = default_scenario().with_params(growth_pct=12.5, draws=2000, horizon_year=2040)
    document.replace_all(other, None)
    assert panel.findChild(QSlider, "growth_pct").value() == 12.5
    assert panel.findChild(QAbstractSpinBox, "draws").value() == 2000
    assert panel.findChild(QAbstractSpinBox, "horizon_year").value() == 2040
    assert document.undo_stack.count() == 0


def test_shock_list_add_edit_permanent_label_remove(panel, document):
    editor = panel.shock_editor
    assert editor.row_count() == 0
    editor.add_button.click()
    assert len(document.scenario.shocks) == 1
    shock = document.scenario.shocks[0]
    assert shock.start_year == 2014 and shock.half_life_years is not None

    row = editor.row(0)
    row.start.setValue(2018)
    row.depth.setValue(56.0)
    row.half_life.setValue(3.5)
    assert document.scenario.shocks[0] == Shock(2018, 56.0, 3.5, "Shock 1")

    row.permanent.click()
    assert document.scenario.shocks[0].half_life_years is None
    assert not row.half_life.isEnabled()

    row.label.setText("UN 2397")
    row.label.editingFinished.emit()
    assert document.scenario.shocks[0].label == "UN 2397"

    editor.add_button.click()
    assert editor.row_count() == 2
    editor.row(0).remove.click()
    assert editor.row_count() == 1
    assert document.scenario.shocks[0].label == "Shock 2"

    # Undo brings the removed shock back into the editor.
    document.undo_stack.undo()
    assert editor.row_count() == 2
    assert editor.row(0).label.text() == "UN 2397"
    assert editor.row(0).permanent.isChecked()


def test_shock_refused_by_the_document_is_shown_and_reverted(panel, document):
    editor = panel.shock_editor
    editor.add_button.click()
    row = editor.row(0)
    row.label.setText("bad\tlabel")
    row.label.editingFinished.emit()
    assert document.scenario.shocks[0].label == "Shock 1"
    assert row.label.text() == "Shock 1"
    assert editor.status.text().startswith("Shock 1 label:")
    assert "control character" in editor.status.text() and editor.status.isVisible()


def wheel(widget: QWidget, notches: int = -1) -> None:
    """One real wheel turn over the middle of ``widget`` (down for negative notches).

    Through the window system, as a mouse does: Qt hands a wheel that a widget ignores on
    to its parents only for such events, not for ones sent straight to the widget.
    """
    window = widget.window()
    pos = widget.mapTo(window, widget.rect().center())
    QTest.wheelEvent(window.windowHandle(), pos, QPoint(0, 120 * notches))
    QApplication.processEvents()


@pytest.fixture
def scrolled_panel(qtbot, document) -> tuple[QScrollArea, ControlPanel]:
    """The panel in a scroll area too short for it, as the window shows it."""
    widget = ControlPanel(document)
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    qtbot.addWidget(scroll)
    scroll.resize(400, 500)
    scroll.show()
    qtbot.waitExposed(scroll)
    scroll.activateWindow()
    qtbot.waitActive(scroll)
    return scroll, widget


def test_wheel_over_an_unfocused_control_scrolls_the_panel_not_the_value(
    scrolled_panel, document, qtbot
):
    scroll, panel = scrolled_panel
    panel.shock_editor.add_button.click()
    shock_depth = panel.shock_editor.row(0).depth
    controls = [
        panel.slider("growth_pct"),
        panel.spin_box("growth_pct"),
        panel.slider("debt_term_years"),
        panel.spin_box("debt_term_years"),
        shock_depth,
    ]
    panel.reset_all_button.setFocus()
    qtbot.waitUntil(panel.reset_all_button.hasFocus)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0
    undo = document.undo_stack.count()
    for control in controls:
        scroll.ensureWidgetVisible(control)
        QApplication.processEvents()
        top = bar.value()
        wheel(control, -1)
        assert bar.value() > top, control.objectName()  # the panel scrolled
        assert document.undo_stack.count() == undo, control.objectName()  # nothing edited
        assert not control.hasFocus()
    assert document.scenario["growth_pct"] == pytest.approx(36.6)
    assert document.scenario["debt_term_years"] == 20
    assert document.scenario.shocks[0].depth_pct == 30.0
    # Controls take focus on a click or Tab, never on the wheel.
    for control in controls:
        assert control.focusPolicy() == Qt.FocusPolicy.StrongFocus

    # Once focused (clicked), the wheel edits the control.
    for control, key in (
        (panel.slider("growth_pct"), "growth_pct"),
        (panel.spin_box("debt_term_years"), "debt_term_years"),
    ):
        scroll.ensureWidgetVisible(control)
        control.setFocus()
        qtbot.waitUntil(control.hasFocus)
        before = document.scenario[key]
        top = bar.value()
        wheel(control, 1)
        assert document.scenario[key] > before, key
        assert bar.value() == top
    depth = shock_depth
    scroll.ensureWidgetVisible(depth)
    depth.setFocus()
    qtbot.waitUntil(depth.hasFocus)
    wheel(depth, 1)
    assert document.scenario.shocks[0].depth_pct == 31.0


def handle_centre(slider) -> QPoint:
    return slider._handle_rect().center()


@pytest.mark.parametrize("key", ["debt_term_years", "base_year", "growth_pct", "draws"])
def test_a_click_on_the_handle_never_moves_it(panel, document, key):
    slider = panel.slider(key)
    start, steps = document.scenario[key], document.undo_stack.count()
    for dx in (-2, 0, 2):  # anywhere on the handle, not only its centre
        QTest.mouseClick(
            slider, Qt.MouseButton.LeftButton, pos=handle_centre(slider) + QPoint(dx, 0)
        )
        assert document.scenario[key] == start
    assert document.undo_stack.count() == steps


@pytest.mark.parametrize("key", ["debt_term_years", "growth_pct", "base_turnover_musd"])
def test_a_click_on_the_groove_pages_toward_it_as_one_undo_step(panel, document, key):
    slider, spec = panel.slider(key), SPECS[key]
    start, steps = document.scenario[key], document.undo_stack.count()
    right_end = QPoint(slider.width() - 3, slider.height() // 2)
    QTest.mouseClick(slider, Qt.MouseButton.LeftButton, pos=right_end)
    assert document.scenario[key] == pytest.approx(start + spec.big_step)
    assert document.undo_stack.count() == steps + 1
    QTest.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(2, slider.height() // 2))
    assert document.scenario[key] == pytest.approx(start)


@pytest.mark.parametrize("key", ["growth_pct", "base_turnover_musd", "debt_term_years"])
def test_shift_drag_moves_one_grid_step_at_a_time_and_is_one_undo_step(panel, document, key):
    slider, spec = panel.slider(key), SPECS[key]
    start, steps = document.scenario[key], document.undo_stack.count()
    press = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, pos=press)
    seen = []
    for dx in range(1, 13):  # Shift held through the whole drag
        event = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(press + QPoint(dx, 0)),
            QPointF(slider.mapToGlobal(press + QPoint(dx, 0))),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ShiftModifier,
        )
        QApplication.sendEvent(slider, event)
        seen.append(document.scenario[key])
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=press + QPoint(12, 0))
    # 12 pixels at 4 pixels a step: three grid steps, every one of them visited.
    grid = [start + k * spec.step for k in range(4)]
    assert sorted(set(seen)) == pytest.approx(grid)
    assert document.undo_stack.count() == steps + 1


def test_a_log_slider_reaches_every_decade_and_shift_arrow_one_grid_step(panel, document):
    slider = panel.slider("base_turnover_musd")
    # The middle of the groove is the geometric middle of 0.1 to 5,000: about $22M.
    assert slider.scale.to_value(500) == pytest.approx(22.4, abs=0.1)
    for target in (1.0, 10.0, 100.0, 1000.0):
        assert slider.scale.to_value(slider.scale.to_position(target)) == target
    slider.setFocus()
    QTest.keyClick(slider, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert document.scenario["base_turnover_musd"] == pytest.approx(112.8)
    QTest.keyClick(slider, Qt.Key.Key_Right)  # one log position: about 1% of the value
    assert 112.8 < document.scenario["base_turnover_musd"] <= 112.8 * 1.012


def test_the_seed_has_an_entry_and_a_new_seed_button(panel, document):
    button = panel.findChild(QPushButton, "new_seed")
    old, steps = document.scenario["seed"], document.undo_stack.count()
    button.click()
    assert document.scenario["seed"] != old and document.undo_stack.count() == steps + 1
    assert panel.spin_box("seed").value() == document.scenario["seed"]
    document.undo_stack.undo()
    assert document.scenario["seed"] == old


def hold_key(slider: QSlider, key: Qt.Key, repeats: int) -> None:
    """Hold ``key`` down: a press, ``repeats`` auto-repeated presses, then the release."""

    def send(kind: QEvent.Type, auto_repeat: bool) -> None:
        QApplication.sendEvent(
            slider, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, "", auto_repeat)
        )

    send(QEvent.Type.KeyPress, False)
    for _ in range(repeats):
        # Auto-repeat comes as release/press pairs, both flagged as repeats.
        send(QEvent.Type.KeyRelease, True)
        send(QEvent.Type.KeyPress, True)
    send(QEvent.Type.KeyRelease, False)


@pytest.mark.parametrize(
    ("key", "expected"), [("growth_pct", 36.6 + 6 * 5), ("debt_term_years", 20 + 4 * 5)]
)
def test_holding_a_key_is_one_undo_step_and_one_drag(panel, document, key, expected):
    slider = panel.slider(key)
    started, finished = [], []
    panel.sigDragStarted.connect(started.append)
    panel.sigDragFinished.connect(finished.append)
    before = document.undo_stack.count()
    repeats = 5 if key == "growth_pct" else 3
    hold_key(slider, Qt.Key.Key_PageUp, repeats)
    assert document.scenario[key] == pytest.approx(expected)
    assert document.undo_stack.count() == before + 1  # the whole hold, first press included
    assert started == [key] and finished == [key]
    assert not panel.is_dragging()
    document.undo_stack.undo()
    assert document.scenario[key] == SPECS[key].default

    # Single presses stay single steps, and are not drags.
    QTest.keyClick(slider, Qt.Key.Key_PageUp)
    QTest.keyClick(slider, Qt.Key.Key_PageUp)
    assert document.undo_stack.count() == before + 2
    assert started == [key]


def test_a_key_run_ends_when_the_slider_loses_focus(panel, document, qtbot):
    panel.activateWindow()
    qtbot.waitActive(panel)
    slider = panel.slider("growth_pct")
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus)
    for auto_repeat in (False, True, True):
        QApplication.sendEvent(
            slider,
            QKeyEvent(
                QEvent.Type.KeyPress,
                Qt.Key.Key_Right,
                Qt.KeyboardModifier.NoModifier,
                "",
                auto_repeat,
            ),
        )
    assert panel.is_dragging()
    panel.spin_box("growth_pct").setFocus()  # the key's release goes elsewhere
    qtbot.waitUntil(lambda: not panel.is_dragging())


def test_messages_name_fields_by_label_from_the_error_s_field_not_its_text():
    from forecaster.engine.messages import error_text
    from forecaster.engine.params import Scenario, ScenarioError, Shock

    def refusal(scenario):
        with pytest.raises(ScenarioError) as info:
            scenario.validated()
        return info.value

    e = refusal(Scenario().with_params(draws=5))
    assert e.field == ("parameters", "draws")
    assert str(e).startswith("parameters.draws: 5 is out of range")  # the file's words
    assert error_text(e).startswith("Monte Carlo draws: 5 is out of range")  # the window's
    e = refusal(Scenario().with_params(target_year=2040, horizon_year=2035))
    assert e.field == ("parameters", "target_year")
    assert error_text(e) == (
        "Target year: 2040 must be after Base year 2013 and no later than Horizon 2035"
    )
    e = refusal(Scenario(shocks=(Shock(2016, 30.0, -1.0),)))
    assert e.field == ("shocks", 0, "half_life_years")
    assert error_text(e).startswith("Shock 1 half-life: -1 is out of range")
    e = refusal(Scenario(name="x" * 500))
    assert error_text(e) == "Scenario name: 500 characters, at most 200 allowed"
    # Prose that happens to hold a key's word is left alone: nothing is parsed.
    assert error_text(ScenarioError("overflow in the draws")) == "Overflow in the draws"


def test_tooltips_show_whole_defaults():
    from forecaster.engine.params import SPECS
    from forecaster.ui.controls import tooltip

    assert "default 20140605" in tooltip(SPECS["seed"])
