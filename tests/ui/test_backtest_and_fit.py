"""The Backtest tab and the Fit to History dialog, in a real window (issue 11).

What they show is compared with the engine run on the document's scenario, so these
tests prove the figures are the model's answer, not just that something was drawn.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QSlider

from forecaster.engine import SPECS
from forecaster.engine.calibration import fit_history, fitted_params, rolling_backtest
from forecaster.engine.formatting import (
    coverage_text,
    crps_text,
    fit_growth_text,
    fit_note,
    fit_volatility_text,
    sentence,
)
from forecaster.io import default_scenario, list_presets, load_history, load_preset
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.fit_dialog import UNDO_TEXT
from forecaster.ui.view import ScenarioView

HISTORY = load_history()


@pytest.fixture
def view(qtbot) -> ScenarioView:
    widget = ScenarioView(ScenarioDocument(default_scenario()))
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shows(tab, scenario, reach: int = 5) -> bool:
    """The tab shows the engine's backtest of ``scenario``: figures, words and fans."""
    bt = tab.backtest
    if bt is None:
        return False
    expected = rolling_backtest(scenario, HISTORY, reach)
    if bt.to_json_dict() != expected.to_json_dict():
        return False
    text = tab.figures_label.text()
    if expected.pairs and not all(
        t.replace("&", "&amp;") in text
        for t in (
            coverage_text(expected, 80),
            coverage_text(expected, 50),
            sentence(crps_text(expected)),
        )
    ):
        return False
    fans = tab.shown_fans()
    if len(fans) != len(expected.fans):
        return False
    for fan, origin_fan in zip(fans, expected.fans, strict=True):
        x, y = fan.p50.xData, fan.p50.yData  # as given (getData is log10 on a log axis)
        if not np.array_equal(x, origin_fan.years) or not np.allclose(
            y, np.maximum(origin_fan.bands[50], 0.1)
        ):
            return False
    return True


def test_the_tab_shows_the_engines_backtest_and_follows_a_drag_only_when_it_ends(view, qtbot):
    tab = view.backtest_tab
    assert tab.backtest is None  # hidden: not computed
    view.chart_tabs.setCurrentWidget(tab)
    assert shows(tab, view.document.scenario)
    assert view.current_answer is not None
    assert view.current_answer.rolling_backtest is tab.backtest  # part of the answer
    before = tab.backtest
    # Coverage drawn: the points are the shares, the bars their intervals.
    _, y = tab.observed_points.getData()
    assert np.allclose(y, [before.coverage_80 * 100, before.coverage_50 * 100])
    # The record is drawn against the fans.
    x, y = tab.record_curve.xData, tab.record_curve.yData
    assert 2013 in x and np.isnan(y[list(x).index(2021)])

    slider = view.findChild(QSlider, "growth_pct")
    slider.setSliderDown(True)
    slider.setValue(slider.value() - 200)  # growth 20 points lower
    qtbot.waitUntil(
        lambda: (
            view.current_projection is not None
            and view.projected_scenario == view.document.scenario
            and view.summary_panel.projection is view.current_projection
        )
    )
    assert view.document.scenario["growth_pct"] != default_scenario()["growth_pct"]
    assert tab.backtest is before  # not on the drag path
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: tab.backtest is not before)
    assert shows(tab, view.document.scenario)


def test_hidden_it_waits_and_the_reach_is_the_users(view, qtbot):
    tab = view.backtest_tab
    view.chart_tabs.setCurrentWidget(tab)
    first = tab.backtest
    view.chart_tabs.setCurrentWidget(view.debt_chart)
    view.document.set_param("volatility_pct", 20.0)
    qtbot.waitUntil(
        lambda: (
            view.summary_panel.projection is view.current_projection
            and view.projected_scenario == view.document.scenario
        )
    )
    assert tab.backtest is first
    view.chart_tabs.setCurrentWidget(tab)
    assert shows(tab, view.document.scenario)
    tab.reach_spin.setValue(2)
    assert shows(tab, view.document.scenario, reach=2)
    assert tab.backtest.reach_years == 2


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_in_the_tab_and_the_dialog(window, qtbot, name):
    assert window.open_preset(name)
    view = window.view
    view.chart_tabs.setCurrentWidget(view.backtest_tab)
    scenario = load_preset(name)
    qtbot.waitUntil(lambda: shows(view.backtest_tab, scenario))
    dialog = window.fit_to_history()
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    years = sorted(
        int(y) for y, v in zip(HISTORY.years, HISTORY.values, strict=True) if np.isfinite(v)
    )
    assert (dialog.first_spin.value(), dialog.last_spin.value()) == (years[0], years[-1])
    for exclude in (False, True) if scenario.shocks else (False,):
        dialog.exclude_check.setChecked(exclude)
        fit = fit_history(
            HISTORY, years[0], years[-1], shocks=scenario.shocks, exclude_shock_years=exclude
        )
        assert dialog.fit is not None and dialog.fit.to_json_dict() == fit.to_json_dict()
        assert dialog.growth_label.text() == fit_growth_text(fit)
        assert dialog.volatility_label.text() == fit_volatility_text(fit)
    assert dialog.exclude_check.isEnabled() == bool(scenario.shocks)


def test_apply_sets_growth_volatility_and_notes_in_one_undo_step(window, qtbot):
    doc = window.document
    before = doc.scenario
    dialog = window.fit_to_history()
    qtbot.addWidget(dialog)
    dialog.set_years(2011, 2020)
    fit = fit_history(HISTORY, 2011, 2020)
    fitted = fitted_params(fit)
    steps = doc.undo_stack.count()
    assert dialog.apply()
    after = doc.scenario
    assert after["growth_pct"] == fitted.growth_pct != before["growth_pct"]
    assert after["volatility_pct"] == fitted.volatility_pct != before["volatility_pct"]
    assert after.notes == before.notes.rstrip() + "\n\n" + fit_note(fit, fitted)
    assert doc.undo_stack.count() == steps + 1
    assert doc.undo_stack.undoText() == UNDO_TEXT
    # The window follows: the summary is computed for the fitted scenario.
    qtbot.waitUntil(lambda: window.view.projected_scenario == after)
    doc.undo_stack.undo()
    assert doc.scenario == before  # growth, volatility and notes all restored
    doc.undo_stack.redo()
    assert doc.scenario == after


def test_apply_holds_a_fit_outside_the_range_and_says_so(window, qtbot):
    dialog = window.fit_to_history()
    qtbot.addWidget(dialog)
    dialog.set_years(2018, 2024)  # the border closure's collapse and rebound
    fit = dialog.fit
    assert fit is not None and fit.volatility_pct > SPECS["volatility_pct"].maximum
    assert "held to its range" in dialog.apply_label.text()
    assert dialog.apply()
    assert window.document.scenario["volatility_pct"] == SPECS["volatility_pct"].maximum
    assert "held to its range" in window.document.scenario.notes


def test_too_few_years_cannot_be_applied(window, qtbot):
    dialog = window.fit_to_history()
    qtbot.addWidget(dialog)
    before = window.document.scenario
    dialog.set_years(2020, 2023)
    assert dialog.fit is None and not dialog.apply_button.isEnabled()
    assert "at least 2 are needed" in dialog.scope_label.text()
    assert not dialog.apply()
    dialog.set_years(2024, 2024)
    assert "must be before last year" in dialog.error
    assert window.document.scenario == before
    dialog.set_years(2011, 2024)
    assert dialog.apply_button.isEnabled()
