"""The rolling backtest and the fit as part of the one answer, and their words."""

from __future__ import annotations

import math

import pytest

from forecaster.engine import SPECS, project
from forecaster.engine.answer import answer, with_rolling_backtest
from forecaster.engine.calibration import fit_history, fitted_params, rolling_backtest
from forecaster.engine.formatting import (
    calibration_word,
    coverage_text,
    fit_applied_text,
    fit_lines,
    fit_note,
    rolling_backtest_lines,
    summary_lines,
)
from forecaster.io import default_scenario, list_presets, load_history, load_preset

from .test_calibration import history_of

HISTORY = load_history()


def test_the_answer_runs_the_backtest_only_when_asked():
    s = default_scenario()
    plain = answer(s, project(s), HISTORY)
    assert plain.rolling_backtest is None and plain.fit is None
    assert plain.to_json()["rolling_backtest"] is None and plain.to_json()["fit"] is None
    assert not any(line.startswith("Rolling backtest") for line in summary_lines(plain))
    full = answer(s, project(s), HISTORY, backtest_years=3)
    expected = rolling_backtest(s, HISTORY, 3)
    assert full.rolling_backtest is not None
    assert full.rolling_backtest.to_json_dict() == expected.to_json_dict()
    assert full.to_json()["rolling_backtest"] == expected.to_json_dict()
    later = with_rolling_backtest(plain, s, HISTORY, 3)
    assert later.rolling_backtest is not None
    assert later.rolling_backtest.to_json_dict() == expected.to_json_dict()
    assert later.verdict == plain.verdict and later.p50 == plain.p50
    # Without a history there is nothing to backtest against.
    assert answer(s, project(s), None, backtest_years=5).rolling_backtest is None


@pytest.mark.parametrize("name", list_presets())
def test_summary_says_backtest_and_fit_in_two_lines_each(name):
    s = load_preset(name)
    fit = fit_history(HISTORY, 2011, 2020, shocks=s.shocks, exclude_shock_years=True)
    a = answer(s, project(s), HISTORY, backtest_years=5, fit=fit)
    lines = summary_lines(a)
    bt = rolling_backtest(s, HISTORY, 5)
    assert lines[-4:] == [*rolling_backtest_lines(bt), *fit_lines(fit)]
    assert len(rolling_backtest_lines(bt)) == 2 and len(fit_lines(fit)) == 2
    assert a.to_json()["fit"] == fit.to_json_dict()
    # Counts said are the rows' own.
    inside = sum(r.p10 <= r.actual <= r.p90 for r in bt.rows)
    assert f"held {inside} of {len(bt.rows)} " in coverage_text(bt, 80)
    inside = sum(r.p25 <= r.actual <= r.p75 for r in bt.rows)
    assert f"held {inside} of {len(bt.rows)} " in coverage_text(bt, 50)


def test_coverage_words_follow_the_interval_against_nominal():
    assert calibration_word((0.0, 0.07), 0.8) == "too narrow"
    assert calibration_word((0.66, 0.87), 0.5) == "too wide"
    assert calibration_word((0.66, 0.87), 0.8) == "consistent with it"
    assert calibration_word((0.5, 0.6), 0.5) == "consistent with it"


def test_no_pairs_are_said_plainly():
    s = default_scenario().with_params(
        base_year=2024, base_turnover_musd=34.0, horizon_year=2030, target_year=2030
    )
    bt = rolling_backtest(s, HISTORY)
    assert bt.pairs == 0
    lines = rolling_backtest_lines(bt)
    assert len(lines) == 2 and lines[0].startswith("Rolling backtest: no pairs to score")


def test_fitted_params_are_on_the_controls_grid_and_inside_their_ranges():
    fit = fit_history(HISTORY, 2011, 2020)
    fitted = fitted_params(fit)
    for key, value in (("growth_pct", fit.growth_pct), ("volatility_pct", fit.volatility_pct)):
        spec = SPECS[key]
        got = getattr(fitted, key)
        assert abs(got - value) <= spec.step / 2 + 1e-9
        assert math.isclose(got / spec.step, round(got / spec.step), abs_tol=1e-9)
    assert fitted.clamped == ()
    # A record that swings wildly fits a volatility above the control's 80% maximum.
    wild = fit_history(history_of([2000, 2001, 2002, 2003], [10.0, 40.0, 5.0, 50.0]), 2000, 2003)
    assert wild.volatility_pct > 80
    held = fitted_params(wild)
    assert held.volatility_pct == SPECS["volatility_pct"].maximum
    assert held.clamped == ("volatility_pct",)
    assert "held to its range" in fit_applied_text(held)
    note = fit_note(wild, held)
    assert note.startswith("Fitted to history (2000–2003, 3 yearly changes)")
    assert "Set growth" in note and "volatility 80%" in note
