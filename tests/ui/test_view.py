"""The scenario view end to end: a control moves, the charts and summary follow.

What is drawn is always compared with ``engine.project`` of the document's
scenario, so these tests prove the picture is the model's answer, not just that
something changed.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QGraphicsItem, QPushButton, QSlider

from forecaster.engine import PARAMS, SPECS, project
from forecaster.engine.analysis import goal_seek
from forecaster.io import default_scenario
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.overlay import Overlay
from forecaster.ui.sliders import step_up
from forecaster.ui.view import ScenarioView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def document() -> ScenarioDocument:
    return ScenarioDocument(default_scenario())


@pytest.fixture
def view(qtbot, document) -> ScenarioView:
    widget = ScenarioView(document)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drawn_p50(view: ScenarioView) -> np.ndarray:
    return np.asarray(view.projection_chart.p50_curve.yData, dtype=float)


def shows_document(view: ScenarioView) -> bool:
    """True when every chart and the summary show the engine's projection of the document."""
    expected = project(view.document.scenario)
    chart = view.projection_chart
    x, _ = chart.p50_curve.getData()
    if len(x) != len(expected.years) or not np.array_equal(x, expected.years):
        return False
    pairs = (
        (chart.p50_curve, expected.p50),
        (chart.p10_curve, expected.bands[10]),
        (chart.p90_curve, expected.bands[90]),
        (chart.deterministic_curve, expected.deterministic),
    )
    if not all(np.allclose(item.yData, values) for item, values in pairs):
        return False
    # The second stage (debt chart, summary) has run for the projection drawn.
    if view.summary_panel.projection is not view.current_projection:
        return False
    debt = view.debt_chart.schedule
    return (
        debt is not None
        and debt.outstanding.shape == expected.debt.outstanding.shape
        and np.allclose(debt.outstanding, expected.debt.outstanding)
        and view.current_projection is not None
        and view.current_projection.target_musd == expected.target_musd
        and view.current_projection.target_year == expected.target_year
    )


def fingerprint(view: ScenarioView) -> tuple:
    chart, summary = view.projection_chart, view.summary_panel
    curves = tuple(
        tuple(np.round(item.yData, 9))
        for item in (
            chart.p10_curve,
            chart.p25_curve,
            chart.p50_curve,
            chart.p75_curve,
            chart.p90_curve,
            chart.deterministic_curve,
        )
    )
    texts = tuple(
        label.text()
        for label in (
            summary.verdict_label,
            summary.crossing_label,
            summary.p_in_label,
            summary.p_by_label,
            summary.p10_label,
            summary.p50_label,
            summary.p90_label,
            summary.required_label,
            summary.seek_label,
            summary.backtest_label,
        )
    )
    return curves + texts + (chart.target_line.value(), chart.target_year_line.value())


def test_public_api(view, document):
    import pyqtgraph as pg

    assert view.document is document
    assert view.projection_chart.objectName() == "projection_chart"
    assert isinstance(view.projection_chart, pg.PlotWidget)
    for name in ("debt_chart", "tornado_chart", "summary_panel", "control_panel"):
        assert getattr(view, name) is not None
    assert view.current_projection is not None
    assert shows_document(view)
    for key in (s.key for s in PARAMS):
        assert (view.findChild(QSlider, key) is not None) == (key != "seed")
        assert view.findChild(QAbstractSpinBox, key) is not None


@pytest.mark.parametrize("key", [spec.key for spec in PARAMS])
def test_moving_each_control_changes_the_curves_or_summary(view, document, qtbot, key):
    # Currency levers only act together: give each a partner that is not zero.
    document.replace_all(
        default_scenario().with_params(ruble_share_pct=50.0, ruble_depreciation_pct=10.0), None
    )
    view.refresh_now()
    spec = SPECS[key]
    before_value = document.scenario[key]
    before = fingerprint(view)
    slider = view.findChild(QSlider, key)
    if slider is None:  # the seed: a new one from its button
        view.findChild(QPushButton, f"new_{key}").click()
        expected = document.scenario[key]
        assert expected != before_value
    else:
        page_up = before_value + spec.big_step <= spec.maximum
        QTest.keyClick(slider, Qt.Key.Key_PageUp if page_up else Qt.Key.Key_PageDown)
        expected = before_value + (spec.big_step if page_up else -spec.big_step)
        assert document.scenario[key] == pytest.approx(expected)
    qtbot.waitUntil(lambda: shows_document(view))
    assert fingerprint(view) != before, f"{key}: nothing on screen changed"
    assert view.findChild(QAbstractSpinBox, key).value() == pytest.approx(expected)


def test_final_value_of_a_burst_drag_is_drawn_and_is_one_undo_step(view, document, qtbot):
    slider = view.findChild(QSlider, "growth_pct")
    redraws = []
    view.sigProjectionUpdated.connect(redraws.append)
    undo_before = document.undo_stack.count()
    slider.setSliderDown(True)
    for value in np.linspace(36.6, 60.04, 400):  # 400 events with no event loop between
        slider.setValue(float(value))
    slider.setSliderDown(False)
    assert document.scenario["growth_pct"] == 60.0
    qtbot.waitUntil(lambda: shows_document(view))
    # Coalesced: the burst is drawn at its first and its last value, not 400 times.
    assert 1 <= len(redraws) <= 3
    assert redraws[-1].p50[-1] == pytest.approx(project(document.scenario).p50[-1])
    assert document.undo_stack.count() == undo_before + 1
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: shows_document(view))
    assert document.scenario["growth_pct"] == pytest.approx(36.6)


def y_range_after_fit(view_box) -> list[float]:
    """The y-range the view box shows once it has applied whatever autorange it has."""
    view_box.updateAutoRange()
    return view_box.viewRange()[1]


def test_every_step_of_a_slow_drag_is_drawn_and_the_y_axis_holds(view, document, qtbot):
    chart = view.projection_chart
    view_box = chart.getPlotItem().getViewBox()
    y_before = y_range_after_fit(view_box)
    slider = view.findChild(QSlider, "growth_pct")
    slider.setSliderDown(True)
    for value in (40.0, 45.0, 50.0, 55.0):
        slider.setValue(value)
        assert document.scenario["growth_pct"] == value
        # Drawn while dragging (the slider is still down), not only on release.
        qtbot.waitUntil(lambda: shows_document(view))
        assert y_range_after_fit(view_box) == y_before
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: y_range_after_fit(view_box)[1] > y_before[1])  # refit on release


def test_update_on_release_preference(view, document, qtbot, settle):
    view.set_update_on_release(True)
    original = drawn_p50(view).copy()
    slider = view.findChild(QSlider, "growth_pct")
    slider.setSliderDown(True)
    for value in (40.0, 45.0, 50.0):
        slider.setValue(value)
        settle(view)  # whatever each step scheduled has run
    assert document.scenario["growth_pct"] == 50.0
    np.testing.assert_allclose(drawn_p50(view), original)  # nothing redrawn yet
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: shows_document(view))
    # Keyboard steps are not drags: they are drawn at once even with the preference on.
    QTest.keyClick(slider, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: shows_document(view))
    assert document.scenario["growth_pct"] == 55.0


def test_refresh_now_is_synchronous_and_signals(view, document, qtbot):
    document.set_param("growth_pct", 12.0)
    with qtbot.waitSignal(view.sigProjectionUpdated) as blocker:
        view.refresh_now()
    assert shows_document(view)
    assert blocker.args[0] is view.current_projection


def test_goal_seek_apply_reaches_the_target(view, document, qtbot):
    summary = view.summary_panel
    document.set_param("growth_pct", 15.0)
    qtbot.waitUntil(lambda: shows_document(view))
    assert summary.apply_button.isEnabled()
    answer = goal_seek(document.scenario, 50).growth_pct
    summary.apply_button.click()
    assert document.scenario["growth_pct"] == step_up(SPECS["growth_pct"], answer)
    qtbot.waitUntil(lambda: shows_document(view))
    projection = view.current_projection
    assert projection.at_target_year(50) >= projection.target_musd
    assert projection.at_target_year(50) == pytest.approx(projection.target_musd, rel=0.01)
    assert view.findChild(QAbstractSpinBox, "growth_pct").value() == document.scenario["growth_pct"]

    summary.p90_radio.click()
    assert "P90" in summary.seek_label.text()
    summary.apply_button.click()
    qtbot.waitUntil(lambda: shows_document(view))
    projection = view.current_projection
    assert projection.at_target_year(90) >= projection.target_musd
    assert projection.at_target_year(90) == pytest.approx(projection.target_musd, rel=0.01)
    # The apply is one undoable step.
    document.undo_stack.undo()
    assert document.scenario["growth_pct"] == step_up(SPECS["growth_pct"], answer)


def test_goal_seek_that_cannot_succeed_disables_apply(view, document, qtbot):
    document.set_param("target_turnover_musd", 100_000)
    document.set_param("target_year", 2014)
    qtbot.waitUntil(lambda: shows_document(view))
    assert not view.summary_panel.apply_button.isEnabled()
    assert "no growth" in view.summary_panel.seek_label.text().lower()


def test_a_missed_target_reads_as_missed(view, document, qtbot):
    summary = view.summary_panel
    # The default 2014 plan reaches the target on paper; the record beside it says 4%.
    assert summary.verdict_label.property("verdict") == "reached"
    document.set_param("growth_pct", 10.0)
    qtbot.waitUntil(lambda: shows_document(view))
    assert summary.verdict_label.property("verdict") == "missed"
    assert "misses the target" in summary.verdict_label.text()
    assert summary.crossing_label.text() == "not by 2030"
    assert "#c62828" in summary.verdict_label.styleSheet()
    assert "#c62828" in summary.p50_label.styleSheet()
    assert summary.reached() is False
    document.set_param("growth_pct", 30.0)  # reaches it, but late
    qtbot.waitUntil(lambda: shows_document(view))
    crossing = view.current_projection.crossing_year
    assert crossing is not None and crossing > 2020
    assert "misses the target" in summary.verdict_label.text()
    assert summary.crossing_label.text().startswith(f"first crosses in {crossing}, ")


def test_summary_figures_match_the_engine(view):
    p = view.current_projection
    summary = view.summary_panel
    assert summary.crossing_label.text() == f"first crosses in {p.crossing_year}"
    assert summary.p_in_label.text() == f"{p.p_reach_in_target_year * 100:.0f}%"
    assert summary.p_by_label.text() == f"{p.p_reach_by_target_year * 100:.0f}%"
    assert summary.p50_label.text() == f"${p.at_target_year(50):,.0f}M"
    assert summary.required_label.text() == f"{p.required_growth_pct:.1f}%/yr"
    assert "Mean absolute error" in summary.backtest_label.text()
    assert "2014–2024" in summary.backtest_label.text()


def test_shock_add_edit_remove_changes_the_p50_curve(view, document, qtbot):
    editor = view.control_panel.shock_editor
    original = drawn_p50(view).copy()
    editor.add_button.click()
    qtbot.waitUntil(lambda: shows_document(view))
    with_shock = drawn_p50(view).copy()
    assert np.all(with_shock[1:] < original[1:])  # the shock starts in the first projected year
    editor.row(0).depth.setValue(60.0)
    qtbot.waitUntil(lambda: shows_document(view))
    deeper = drawn_p50(view).copy()
    assert deeper[1] < with_shock[1]
    editor.row(0).permanent.click()
    qtbot.waitUntil(lambda: shows_document(view))
    assert drawn_p50(view)[-1] < deeper[-1]  # never heals
    editor.row(0).remove.click()
    qtbot.waitUntil(lambda: shows_document(view))
    np.testing.assert_allclose(drawn_p50(view), original)


def test_refused_value_is_shown_not_raised(view, document, qtbot, settle):
    spin = view.findChild(QAbstractSpinBox, "target_year")
    spin.setValue(2045)
    settle(view)  # the refusal and anything it scheduled have run
    assert document.scenario["target_year"] == 2020
    assert spin.value() == 2020
    assert "Horizon 2030" in view.control_panel.message()
    assert shows_document(view)


def test_log_checkbox_and_chart_agree(view):
    chart = view.projection_chart
    assert chart.is_log() and view.log_checkbox.isChecked()
    view.log_checkbox.click()
    assert not chart.is_log()
    chart.set_log(True)
    assert view.log_checkbox.isChecked()


def test_overlays_pass_through_to_the_chart(view):
    pinned = project(default_scenario().with_params(growth_pct=20.0))
    view.set_overlays([Overlay("Pinned", "#8e44ad", pinned), Overlay("Other", "#16a085", pinned)])
    assert len(view.projection_chart.overlay_items) == 2
    np.testing.assert_allclose(view.projection_chart.overlay_items[0].yData, pinned.p50)
    view.set_overlays([])
    assert view.projection_chart.overlay_items == []


def test_tornado_follows_the_scenario_off_the_drag_path(view, document, qtbot, settle):
    tornado = view.tornado_chart
    view.chart_tabs.setCurrentWidget(tornado)
    assert tornado.rows and tornado.lever_labels()[0].startswith("Annual growth")
    first = [r.high_delta for r in tornado.rows]
    slider = view.findChild(QSlider, "growth_pct")
    slider.setSliderDown(True)
    slider.setValue(50.0)
    qtbot.waitUntil(lambda: shows_document(view))  # the summary's stage, which skips it
    settle(view)
    assert [r.high_delta for r in tornado.rows] == first  # waits for the release
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: [r.high_delta for r in tornado.rows] != first)
    # Hidden, it is brought up to date when shown again.
    view.chart_tabs.setCurrentWidget(view.debt_chart)
    document.set_param("growth_pct", 20.0)
    qtbot.waitUntil(lambda: shows_document(view))
    view.chart_tabs.setCurrentWidget(tornado)
    from forecaster.engine import sensitivity

    assert [r.high_delta for r in tornado.rows] == [
        r.high_delta for r in sensitivity(document.scenario)
    ]


def test_opening_another_scenario_redraws_everything(view, document, qtbot):
    other = default_scenario().with_params(
        base_year=2016, base_turnover_musd=76.9, horizon_year=2040, target_year=2035
    )
    document.replace_all(other, None)
    qtbot.waitUntil(lambda: shows_document(view))
    assert view.projection_chart.target_year_line.value() == 2035
    assert view.findChild(QSlider, "horizon_year").value() == 2040


def test_a_refusal_far_down_the_panel_is_scrolled_into_view(view, document, qtbot):
    from PySide6.QtCore import QPoint

    view.resize(1400, 600)
    scroll = view.control_scroll
    scroll.verticalScrollBar().setValue(0)
    view.findChild(QAbstractSpinBox, "horizon_year").setValue(2015)  # before the target year

    def message_on_screen() -> bool:
        label = view.control_panel.status_label()
        if label is None:
            return False
        top = label.mapTo(scroll.viewport(), QPoint(0, 0))
        return scroll.viewport().rect().contains(top)

    qtbot.waitUntil(message_on_screen)
    text = view.control_panel.status_label().text()
    assert text.startswith("Horizon 2015 not allowed: Target year")  # says what, and why
    assert "target_year" not in text  # labels, not file keys
    assert document.scenario["horizon_year"] == 2030


def _key(slider: QSlider, kind: QEvent.Type, key: Qt.Key, auto_repeat: bool) -> None:
    QApplication.sendEvent(
        slider, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, "", auto_repeat)
    )


def test_a_held_key_is_drawn_as_a_drag_one_undo_step_with_the_y_axis_held(view, document, qtbot):
    view_box = view.projection_chart.getPlotItem().getViewBox()
    slider = view.findChild(QSlider, "growth_pct")
    undo_before = document.undo_stack.count()
    _key(slider, QEvent.Type.KeyPress, Qt.Key.Key_PageUp, False)
    qtbot.waitUntil(lambda: shows_document(view))
    view_box.updateAutoRange()
    y_before = view_box.viewRange()[1]  # the first press is drawn and fitted as a step
    for _ in range(5):  # auto-repeat: release/press pairs flagged as repeats
        _key(slider, QEvent.Type.KeyRelease, Qt.Key.Key_PageUp, True)
        _key(slider, QEvent.Type.KeyPress, Qt.Key.Key_PageUp, True)
        qtbot.waitUntil(lambda: shows_document(view))  # drawn on every repeat...
        view_box.updateAutoRange()
        assert view_box.viewRange()[1] == y_before  # ...with the y-axis held
    assert document.scenario["growth_pct"] == pytest.approx(66.6)
    _key(slider, QEvent.Type.KeyRelease, Qt.Key.Key_PageUp, False)
    # Refit when the key is let go.
    qtbot.waitUntil(lambda: y_range_after_fit(view_box)[1] > y_before[1])
    assert document.undo_stack.count() == undo_before + 1
    document.undo_stack.undo()
    assert document.scenario["growth_pct"] == pytest.approx(36.6)


@pytest.mark.parametrize(("key", "values"), [("draws", (20_000, 30_000, 40_000))])
def test_dragging_draws_computes_on_release_only(view, document, qtbot, settle, key, values):
    redraws = []
    view.sigProjectionUpdated.connect(redraws.append)
    drawn = drawn_p50(view).copy()
    slider = view.findChild(QSlider, key)
    slider.setSliderDown(True)
    for value in values:
        slider.setValue(slider.scale.to_position(value))
        assert document.scenario[key] == value
        settle(view)  # whatever the step scheduled has run
    assert redraws == []  # no draws regenerated on the drag path
    np.testing.assert_allclose(drawn_p50(view), drawn)
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: shows_document(view))  # the final value, drawn on release
    # A single step is drawn at once, as for any control.
    QTest.keyClick(slider, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: shows_document(view))


def test_the_debt_chart_follows_the_years_of_a_horizon_drag(view, document, qtbot):
    debt = view.debt_chart
    outstanding = debt.outstanding_plot.getViewBox()
    outstanding.updateAutoRange()
    x_before = outstanding.viewRange()[0]
    slider = view.findChild(QSlider, "horizon_year")
    slider.setSliderDown(True)
    slider.setValue(2045)
    qtbot.waitUntil(lambda: shows_document(view))
    outstanding.updateAutoRange()
    assert outstanding.viewRange()[0][1] > x_before[1] + 10  # out to 2045 during the drag
    # Axes that move on every step are not kept as pixels.
    assert debt.outstanding_plot.getAxis("bottom").cacheMode() == QGraphicsItem.CacheMode.NoCache
    slider.setSliderDown(False)

    # A drag that cannot change the years holds them, axes cached.
    x_held = outstanding.viewRange()[0]
    growth = view.findChild(QSlider, "growth_pct")
    growth.setSliderDown(True)
    growth.setValue(50.0)
    qtbot.waitUntil(lambda: shows_document(view))
    assert not outstanding.autoRangeEnabled()[0]
    assert (
        debt.outstanding_plot.getAxis("bottom").cacheMode()
        == QGraphicsItem.CacheMode.DeviceCoordinateCache
    )
    growth.setSliderDown(False)
    qtbot.waitUntil(lambda: all(outstanding.autoRangeEnabled()))  # fitting again
    outstanding.updateAutoRange()
    assert outstanding.viewRange()[0] == pytest.approx(x_held, rel=1e-3)


def test_an_error_in_the_summary_reads_in_labels_and_clears_the_old_answer(view, qtbot):
    summary = view.summary_panel
    assert summary.verdict_label.property("verdict") == "reached"
    from forecaster.engine.messages import error_text
    from forecaster.engine.params import Scenario, ScenarioError

    with pytest.raises(ScenarioError) as refused:
        Scenario().with_params(growth_pct=float("nan")).validated()
    summary.show_error(f"Could not compute this scenario: {error_text(refused.value)}")
    assert summary.error_label.isVisible()
    text = summary.error_label.text()
    assert "Annual growth: nan is not a finite number" in text
    assert "growth_pct" not in text and "parameters." not in text
    # No verdict or figures of an earlier scenario beside the error.
    assert summary.verdict_label.property("verdict") == ""
    assert "reaches" not in summary.verdict_label.text()
    assert "could not be computed" in summary.verdict_label.text()
    assert "#2e7d32" not in summary.verdict_label.styleSheet()  # not green
    for label in (
        summary.crossing_label,
        summary.p_in_label,
        summary.p_by_label,
        summary.p10_label,
        summary.p50_label,
        summary.p90_label,
        summary.required_label,
        summary.seek_label,
        summary.backtest_label,
    ):
        assert "$" not in label.text() and "%" not in label.text()
    assert not summary.apply_button.isEnabled()
    assert summary.projection is None
    summary.p90_radio.click()  # no goal seek for the scenario that is gone
    assert not summary.apply_button.isEnabled() and "P90" not in summary.seek_label.text()
    summary.p50_radio.click()
    # The next result brings the answer back.
    view.refresh_now()
    assert not summary.error_label.isVisible()
    assert summary.verdict_label.property("verdict") == "reached"
    assert shows_document(view)


def test_the_notes_still_wrap_to_their_text_and_width(view, qtbot, settle):
    notes = view.summary_panel.notes_label
    view.document.set_notes("short")
    settle(view)
    short = notes.height()
    view.document.set_notes("a much longer note that has to wrap over many lines " * 8)
    settle(view)
    assert notes.height() > 3 * short  # measured again for the new text
    tall = notes.height()
    view.summary_scroll.setMinimumWidth(view.summary_scroll.width() + 300)  # wider
    settle(view)
    assert notes.height() < tall  # and again for the new width: fewer lines
