"""The rolling backtest and the fit to history on the command line (issue 11).

What the command line writes is compared with the engine run on the same scenario, so
these tests prove the figures are the engine's, not only that keys are present.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from forecaster.cli import main
from forecaster.engine.calibration import fit_history, rolling_backtest
from forecaster.engine.formatting import fit_lines, rolling_backtest_lines
from forecaster.engine.projection import MAX_STEPS
from forecaster.io import default_scenario, list_presets, load_history, load_preset

HISTORY = load_history()


def roundtrip(value: object) -> object:
    """As JSON carries it (tuples become lists; floats keep every digit)."""
    return json.loads(json.dumps(value))


def test_one_real_run_writes_the_engines_backtest_and_fit(tmp_path):
    out = tmp_path / "s.json"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "forecaster",
            "--headless",
            "--preset",
            "Sanctions 2016-2017",
            "--backtest-years",
            "3",
            "--fit-history",
            "2011",
            "2020",
            "--fit-exclude-shock-years",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    scenario = load_preset("Sanctions 2016-2017")
    bt = rolling_backtest(scenario, HISTORY, 3)
    fit = fit_history(HISTORY, 2011, 2020, shocks=scenario.shocks, exclude_shock_years=True)
    summary = json.loads(out.read_text())
    assert summary["rolling_backtest"] == roundtrip(bt.to_json_dict())
    assert summary["fit"] == roundtrip(fit.to_json_dict())
    rolling = summary["rolling_backtest"]
    for key in ("reach_years", "pairs", "coverage_80", "coverage_50", "crps_musd"):
        assert key in rolling
    assert rolling["reach_years"] == 3 and rolling["pairs"] == bt.pairs > 0
    assert set(rolling["rows"][0]) >= {
        "origin", "year", "actual", "p10", "p50", "p90", "pit", "crps", "naive_crps"
    }  # fmt: skip
    assert fit.left_out_years == (2016, 2017, 2018)
    assert summary["fit"]["left_out_years"] == [2016, 2017, 2018]
    # The text summary says each in two lines, the formatting module's.
    lines = r.stdout.splitlines()
    for expected in (*rolling_backtest_lines(bt), *fit_lines(fit)):
        assert expected in lines


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_on_the_command_line_shows_the_engines_figures(name, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["--headless", "--preset", name, "--json", str(out)]) == 0
    scenario = load_preset(name)
    bt = rolling_backtest(scenario, HISTORY)
    summary = json.loads(out.read_text())
    assert summary["rolling_backtest"] == roundtrip(bt.to_json_dict())
    assert summary["rolling_backtest"]["reach_years"] == 5
    assert summary["fit"] is None  # asked for with --fit-history only
    text = capsys.readouterr().out.splitlines()
    assert text[-2:] == rolling_backtest_lines(bt)
    assert f"held {bt.inside_80} of {bt.pairs}" in text[-2]


def test_the_default_scenario_json_always_carries_the_backtest(capfd):
    assert main(["--headless", "--json", "-"]) == 0
    summary = json.loads(capfd.readouterr().out)
    bt = rolling_backtest(default_scenario(), HISTORY)
    assert summary["rolling_backtest"]["coverage_80"] == bt.coverage_80
    assert summary["rolling_backtest"]["skill"] == bt.skill


@pytest.mark.parametrize("years", ["1", str(MAX_STEPS)])
def test_backtest_years_at_both_ends_of_the_range(years, capfd):
    assert main(["--headless", "--backtest-years", years, "--json", "-"]) == 0
    summary = json.loads(capfd.readouterr().out)
    bt = rolling_backtest(default_scenario(), HISTORY, int(years))
    assert summary["rolling_backtest"] == roundtrip(bt.to_json_dict())


def test_fit_history_without_the_shock_option_keeps_every_change(capsys):
    assert main(["--headless", "--fit-history", "2011", "2020"]) == 0
    out = capsys.readouterr().out.splitlines()
    fit = fit_history(HISTORY, 2011, 2020)
    assert out[-2:] == fit_lines(fit)
    assert fit.changes == 9 and "shock years" not in out[-2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--backtest-years", "0"],
            f"--backtest-years: 0 is out of range (allowed 1 to {MAX_STEPS})",
        ),
        (
            ["--backtest-years", str(MAX_STEPS + 1)],
            f"--backtest-years: {MAX_STEPS + 1} is out of range (allowed 1 to {MAX_STEPS})",
        ),
        (["--backtest-years", "-3"], "--backtest-years: -3 is out of range"),
        (["--backtest-years", "five"], "argument --backtest-years: invalid int value: 'five'"),
        (
            ["--fit-history", "2019", "2011"],
            "--fit-history 2019 2011: first year 2019 must be before last year 2011",
        ),
        (
            ["--fit-history", "2020", "2023"],
            "--fit-history 2020 2023: 2020-2023 holds 1 yearly change between consecutive "
            "years with figures; at least 2 are needed",
        ),
        (["--fit-history", "1900", "1950"], "--fit-history 1900 1950: 1900-1950 holds 0"),
        (["--fit-history", "2011"], "argument --fit-history: expected 2 arguments"),
        (["--fit-history", "2011", "x"], "argument --fit-history: invalid int value: 'x'"),
        (
            ["--fit-exclude-shock-years"],
            "--fit-exclude-shock-years goes with --fit-history FIRST LAST",
        ),
    ],
)
def test_bad_backtest_and_fit_input_is_one_line_and_status_2(args, message, capsys):
    assert main(["--headless", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("forecaster: ")
    assert message in err[0]


@pytest.mark.parametrize("args", [["--backtest-years", "5"], ["--fit-history", "2011", "2020"]])
def test_backtest_and_fit_options_need_headless(args, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "forecaster: --backtest-years and --fit-history need --headless; in the window, "
        "use the Backtest tab and Scenario > Fit to History"
    ]


def test_help_describes_the_new_options(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--backtest-years K" in text and "--fit-history FIRST LAST" in text
    assert "--fit-exclude-shock-years" in text and "90% intervals" in text
