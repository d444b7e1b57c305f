"""Goal seek, sensitivity and backtest, checked against full projections."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecaster.engine import Scenario, Shock, backtest, goal_seek, project, sensitivity
from forecaster.engine.history import HistorySeries
from forecaster.io import load_history, load_preset


def defaults(**changes) -> Scenario:
    return Scenario().with_params(**changes).validated()


@pytest.mark.parametrize("percentile", [50, 90])
def test_goal_seek_brings_the_percentile_to_the_target(percentile):
    s = defaults()
    seek = goal_seek(s, percentile)
    assert seek.status == "ok"
    p = project(s.with_params(growth_pct=seek.growth_pct).validated())
    assert p.at_target_year(percentile) == pytest.approx(1000.0, rel=1e-6)


def test_goal_seek_p90_needs_less_growth_than_p50():
    s = defaults()
    assert goal_seek(s, 90).growth_pct < goal_seek(s, 50).growth_pct


def test_goal_seek_with_nothing_else_matches_the_growth_needed():
    s = defaults(volatility_pct=0.0, debt_reinvest_pct=0.0)
    assert goal_seek(s).growth_pct == pytest.approx(project(s).required_growth_pct, abs=1e-5)


def test_goal_seek_says_clearly_when_no_growth_in_range_reaches_it():
    s = defaults().with_shocks([Shock(2015, 100.0, None)]).validated()
    seek = goal_seek(s)
    assert seek.status == "never" and seek.growth_pct is None
    assert "no growth in range" in seek.message


def test_goal_seek_says_when_any_growth_reaches_it():
    seek = goal_seek(defaults(target_turnover_musd=50.0))  # the debt trade alone is $54.8M
    assert seek.status == "always" and seek.growth_pct is None


@settings(max_examples=60, deadline=None)
@given(st.floats(-50, 100), st.floats(0, 80), st.floats(1, 5000), st.integers(2014, 2030))
def test_goal_seek_answer_is_consistent_with_projection(growth, vol, target, year):
    s = defaults(
        growth_pct=growth, volatility_pct=vol, target_turnover_musd=target, target_year=year
    )
    seek = goal_seek(s)
    if seek.status == "ok":
        p = project(s.with_params(growth_pct=seek.growth_pct).validated())
        assert p.at_target_year(50) == pytest.approx(target, rel=1e-5)
    elif seek.status == "never":
        assert project(s.with_params(growth_pct=100.0).validated()).at_target_year(50) < target
    else:
        assert project(s.with_params(growth_pct=-50.0).validated()).at_target_year(50) >= target


def test_sensitivity_rows_match_full_projections_and_are_sorted():
    s = defaults()
    rows = sensitivity(s)
    base = project(s).at_target_year(50)
    swings = [r.swing for r in rows]
    assert swings == sorted(swings, reverse=True)
    assert rows[0].key == "growth_pct"
    for row in rows:
        low = project(s.with_params(**{row.key: row.low_value}).validated()).at_target_year(50)
        high = project(s.with_params(**{row.key: row.high_value}).validated()).at_target_year(50)
        assert row.low_delta == pytest.approx(low - base, abs=1e-6)
        assert row.high_delta == pytest.approx(high - base, abs=1e-6)
    keys = {r.key for r in rows}
    assert "seed" not in keys and "target_year" not in keys
    writeoff = next(r for r in rows if r.key == "debt_writeoff_pct")
    assert writeoff.high_delta == pytest.approx(-54.8)  # 100% written off: no debt trade


def test_backtest_compares_only_years_with_a_figure_after_the_base_year():
    p = project(load_preset("Status quo"))
    bt = backtest(p, load_history())
    assert 2013 not in bt.years and 2021 not in bt.years  # base year; no dollar figure
    assert 2020 in bt.years
    i = list(bt.years).index(2020)
    assert bt.actual[i] == pytest.approx(42.74)
    assert bt.projected[i] == pytest.approx(p.deterministic[2020 - 2013])
    assert bt.mean_abs_error == pytest.approx(np.mean(np.abs(bt.projected - bt.actual)))


def test_backtest_of_the_2014_plan_is_far_off_and_status_quo_close():
    history = load_history()
    plan = backtest(project(load_preset("2014 plan")), history).mean_abs_error
    quo = backtest(project(load_preset("Status quo")), history).mean_abs_error
    assert plan > 500 and quo < 20


def test_backtest_with_no_overlap_says_so():
    history = HistorySeries(np.array([2000]), np.array([10.0]), ("reported",), ("x",), ("",))
    bt = backtest(project(defaults()), history)
    assert bt.mean_abs_error is None and len(bt.years) == 0
