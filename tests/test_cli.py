"""The headless command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from forecaster.engine import project
from forecaster.engine.params import PARAMS
from forecaster.io import list_presets, load_preset, save_scenario


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "forecaster", *args], capture_output=True, text=True, timeout=timeout
    )


def test_headless_default_summary_reads_as_a_person_expects():
    r = run("--headless")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Scenario: 2014 plan" in out
    assert "About: Russia–DPRK trade turnover against the $1,000M-a-year target for 2020" in out
    # The plan reaches the target on paper, and the record beside it says what happened.
    assert (
        "Verdict: This scenario reaches the target (P50 $1,059M in 2020 against $1,000M), "
        "but the record shows it was missed." in out
    )
    assert "What happened: 2020 turnover $42.7M — 4% of the target (Russian customs)." in out
    assert "Source: TASS" in out
    assert "Median path: first crosses in 2020" in out
    assert "Growth needed from the base-year turnover with nothing else: 36.6%/yr" in out
    assert "Chance of reaching it in 2020:" in out and "Goal seek" in out
    assert "Backtest against history" in out


def test_headless_writes_csv_and_json_with_the_promised_keys(tmp_path):
    r = run(
        "--headless",
        "--preset",
        "Status quo",
        "--csv",
        str(tmp_path / "t.csv"),
        "--json",
        str(tmp_path / "s.json"),
    )
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    for key in (
        "crossing_year",
        "p_reach_in_target_year",
        "p_reach_by_target_year",
        "target_year_p10",
        "target_year_p50",
        "target_year_p90",
        "required_growth_pct",
    ):
        assert key in summary
    assert summary["verdict"] == "missed"
    assert summary["actual_target_year_musd"] == pytest.approx(42.74)
    assert summary["record"]["series"] == "Russian customs"
    assert summary["crossing_year"] is None
    p = project(load_preset("Status quo"))
    assert summary["target_year_p50"] == pytest.approx(p.at_target_year(50))
    rows = list(csv.DictReader((tmp_path / "t.csv").read_text().splitlines()))
    assert [int(r["year"]) for r in rows] == list(range(2013, 2031))
    assert {
        "deterministic_musd",
        "p10_musd",
        "p50_musd",
        "p90_musd",
        "debt_outstanding_musd",
        "debt_paid_musd",
    } <= set(rows[0])
    row2020 = next(r for r in rows if r["year"] == "2020")
    assert float(row2020["p50_musd"]) == pytest.approx(p.at_target_year(50), rel=1e-5)
    assert float(row2020["actual_musd"]) == pytest.approx(42.74)
    assert row2020["actual_series"] == "Russian customs"


def test_headless_reads_a_saved_file_and_applies_overrides(tmp_path):
    path = tmp_path / "mine.forecast.json"
    save_scenario(load_preset("Sanctions 2016-2017"), path)
    r = run("--headless", str(path), "--growth-pct", "60", "--json", str(tmp_path / "s.json"))
    assert r.returncode == 0, r.stderr
    summary = json.loads((tmp_path / "s.json").read_text())
    expected = project(load_preset("Sanctions 2016-2017").with_params(growth_pct=60.0).validated())
    assert summary["target_year_p50"] == pytest.approx(expected.at_target_year(50))


def test_every_parameter_is_a_command_line_option():
    r = run("--help")
    assert r.returncode == 0
    for spec in PARAMS:
        assert "--" + spec.key.replace("_", "-") in r.stdout


def test_list_presets_and_version():
    r = run("--list-presets")
    assert r.returncode == 0 and r.stdout.split("\n")[:-1] == list_presets()
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("forecaster ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--headless", "--growth-pct", "500"],
            "growth_pct: 500.0 is out of range (allowed -50 to 100 %/yr)",
        ),
        (["--headless", "--growth-pct", "nan"], "growth_pct: nan is not a finite number"),
        (["--headless", "--draws", "ten"], "argument --draws: invalid int value: 'ten'"),
        (["--headless", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["--headless", "/no/such/file.forecast.json"], "no such file"),
        (["--headless", "--preset", "Utopia"], "'Utopia' is not a preset"),
        (["--headless", "--target-year", "2040"], "target_year: 2040 must be after base_year 2013"),
        (
            ["--csv", "x.csv"],
            "--csv, --json, --chart, --report, --size, --page-size and --force need --headless",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert message in lines[0] and lines[0].startswith("forecaster: ")
    assert "Traceback" not in r.stderr


def test_bad_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.forecast.json"
    bad.write_text('{"format": "forecaster-scenario", "version": 1, "parameters": NaN}')
    r = run("--headless", str(bad))
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "forecaster: bad.forecast.json: not valid JSON: NaN is not allowed (numbers must be finite)"
    )


def test_unwritable_output_exits_2_with_one_line(tmp_path):
    r = run("--headless", "--csv", str(tmp_path / "missing-folder" / "t.csv"))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "cannot write" in r.stderr
