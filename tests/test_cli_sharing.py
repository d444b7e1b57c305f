"""The batch run: one headless command writes the CSV, the JSON, the chart and the report,
with no display, as a real subprocess; bad sharing options are one line and status 2."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from forecaster.io import load_preset, save_scenario
from forecaster.io.schema import schema_json


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "forecaster", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def no_display_env() -> dict[str, str]:
    """The environment of a server or CI job: no display, no Qt platform chosen."""
    env = dict(os.environ)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    return env


def test_one_headless_run_writes_every_output_without_a_display(tmp_path):
    scenario = load_preset("Sanctions 2016-2017").with_params(growth_pct=3.0)
    source = tmp_path / "brief.forecast.json"
    save_scenario(scenario, source)
    out = {k: tmp_path / f"brief.{k}" for k in ("csv", "json", "svg", "pdf")}
    r = run(
        "--headless",
        str(source),
        "--csv",
        str(out["csv"]),
        "--json",
        str(out["json"]),
        "--chart",
        str(out["svg"]),
        "--size",
        "900x560",
        "--report",
        str(out["pdf"]),
        "--page-size",
        "letter",
        env=no_display_env(),
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "Scenario: Sanctions 2016-2017" in r.stdout
    with open(out["csv"], newline="", encoding="utf-8") as f:
        assert len(list(csv.reader(f))) == 2030 - 2013 + 2
    assert json.loads(out["json"].read_text())["verdict"] == "missed"
    root = ET.parse(out["svg"]).getroot()
    assert (root.get("width"), root.get("height")) == ("900", "560")
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "Sanctions 2016-2017"
    pdf = out["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert box is not None and (round(float(box[1])), round(float(box[2]))) == (612, 792)


def test_png_chart_from_a_preset(tmp_path):
    path = tmp_path / "plan.png"
    r = run("--headless", "--preset", "2014 plan", "--chart", str(path), env=no_display_env())
    assert r.returncode == 0, r.stderr
    assert path.read_bytes().startswith(b"\x89PNG")
    assert b"2014 plan" in path.read_bytes()  # the PNG's Title text chunk


@pytest.mark.parametrize(
    "args, message",
    [
        (["--chart", "x.gif"], "--chart: 'x.gif' must end in .png or .svg"),
        (["--chart", "-"], "--chart: '-' must end in .png or .svg"),
        (["--chart", "x.png", "--size", "12x"], "--size: '12x' is not WIDTHxHEIGHT"),
        (["--chart", "x.png", "--size", "100x500"], "--size: width 100 is out of range"),
        (["--size", "800x500"], "--size is the size of the --chart image"),
        (["--report", "r.txt"], "--report: 'r.txt' must end in .pdf"),
        (["--page-size", "a4"], "--page-size is the page of the --report"),
        (["--report", "r.pdf", "--page-size", "a5"], "argument --page-size: invalid choice"),
        (["--csv", "same.pdf", "--report", "same.pdf"], "two outputs name the same file"),
    ],
)
def test_bad_sharing_options_are_one_line(tmp_path, args, message):
    r = subprocess.run(
        [sys.executable, "-m", "forecaster", "--headless", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_chart_and_report_need_headless():
    r = run("--report", "r.pdf")
    assert r.returncode == 2 and "need --headless" in r.stderr


def test_print_schema_is_the_shipped_schema():
    r = run("--print-schema")
    assert r.returncode == 0
    assert r.stdout == schema_json()
