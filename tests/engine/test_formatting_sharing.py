"""The words and numbers the report, the chart images and the table use."""

from __future__ import annotations

import re

import pytest

from forecaster.engine.calibration import fit_history, rolling_backtest
from forecaster.engine.formatting import (
    changed_params,
    fit_text,
    key_assumptions,
    param_value,
    plain_number,
    rolling_backtest_text,
    shock_text,
)
from forecaster.engine.params import SPECS, Scenario, Shock
from forecaster.io import load_history, load_preset


@pytest.mark.parametrize(
    "value, text",
    [
        (1095.9999999999998, "1096"),
        (54.79999999999999, "54.8"),
        (-0.0000001, "0"),
        (0.1234564, "0.123456"),
        (1e-7, "0"),
        (123456789.5, "123456789.5"),
        (7, "7"),
    ],
)
def test_plain_number_has_no_float_noise(value, text):
    assert plain_number(value) == text
    assert float(plain_number(value)) == pytest.approx(value, abs=5e-7)


def test_param_values_carry_their_unit():
    assert param_value(SPECS["base_turnover_musd"], 112.7) == "$112.7M"
    assert param_value(SPECS["debt_total_busd"], 10.96) == "$10.96B"
    assert param_value(SPECS["growth_pct"], -5.0) == "-5.0%/yr"
    assert param_value(SPECS["debt_term_years"], 20) == "20 years"
    assert param_value(SPECS["draws"], 10000) == "10,000"
    assert param_value(SPECS["seed"], 20140605) == "20140605"


def test_shocks_and_assumptions_in_words():
    s = Scenario().with_shocks([Shock(2016, 30.0, 2.0, "x"), Shock(2018, 45.0, None)])
    assert shock_text(s.shocks[0]) == "2016: 30% cut, halves every 2 years"
    assert shock_text(s.shocks[1]) == "2018: 45% cut, permanent"
    text = key_assumptions(s.with_params(growth_pct=12.5))
    assert "Base 2013 $112.7M" in text and "growth 12.5%/yr" in text and "2 shocks" in text
    assert changed_params(s.with_params(growth_pct=12.5)) == ["growth_pct"]


def test_rolling_backtest_and_fit_in_words():
    history = load_history()
    rb = rolling_backtest(load_preset("Status quo"), history)
    text = rolling_backtest_text(rb)
    assert f"{rb.pairs} forecast-year pairs" in text
    assert f"held the actual {rb.coverage_80 * 100:.0f}% of the time (80% expected)" in text
    fit = fit_history(history, 2013, 2020)
    text = fit_text(fit)
    assert text.startswith("Fit to the record 2013–2020")
    assert re.search(r"growth -?\d+\.\d%/yr \(90%: ", text)
