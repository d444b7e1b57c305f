"""The window fits the screens people have: every chart part and panel lies inside the
area that shows it, from the 1024x640 minimum to 1920x1080, at 1x and 2x scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .layout_probe import parts_outside as _parts_outside


def parts_outside(window, qtbot) -> list[str]:
    """Once the layout has settled (pyqtgraph places labels after the range is set)."""
    try:
        qtbot.waitUntil(lambda: _parts_outside(window) == [], timeout=2000)
    except qtbot.TimeoutError:
        pass  # the assertion below names what is outside
    return _parts_outside(window)


SIZES = [(1024, 640), (1216, 648), (1280, 720), (1920, 1080)]
PROBE = Path(__file__).with_name("layout_probe.py")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_part_is_inside_its_view(window, qtbot, width, height):
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.size().width() == width)
    assert parts_outside(window, qtbot) == []


def test_a_narrow_chart_wraps_its_key_rather_than_outgrowing_its_view(window, qtbot):
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    chart = window.view.projection_chart
    narrow = chart.legend.columnCount
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: chart.legend.columnCount > narrow)
    assert parts_outside(window, qtbot) == []


def test_the_window_never_opens_below_its_minimum(window):
    window.resize(600, 400)
    assert (window.width(), window.height()) == (1024, 640)


@pytest.mark.parametrize(("width", "height"), [(1024, 640), (1280, 720), (1920, 1080)])
def test_at_twice_the_scale_every_part_is_inside_its_view(tmp_path, width, height):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    shot = tmp_path / f"x2-{width}.png"
    r = subprocess.run(
        [sys.executable, str(PROBE), str(width), str(height), str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["dpr"] == 2.0
    assert result["size"] == [width, height]
    assert result["outside"] == []
    assert shot.stat().st_size > 0


@pytest.mark.parametrize("log", [True, False])
def test_the_money_axis_reads_in_dollars_at_95_percent_growth_to_2050(window, qtbot, log):
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    view = window.view
    view.set_log(log)
    window.document.set_params({"growth_pct": 95.0, "horizon_year": 2050}, "steep")
    axis = view.projection_chart.getAxis("left")
    top = 1e6 if not log else 6.0  # above $1T: the axis has refitted to the steep path
    qtbot.waitUntil(lambda: axis.range[1] > top)
    assert "x1e" not in axis.labelString() and "e+" not in axis.labelString()
    low, high = axis.range
    labels = [
        text
        for spacing, values in axis.tickValues(low, high, axis.height())
        for text in axis.tickStrings(values, axis.scale, spacing)
    ]
    assert labels and all(
        t.lstrip("-").startswith("$") and "e+" not in t and "e-" not in t for t in labels
    )
    assert any(t.endswith(("T", "B")) for t in labels)  # the top of the range, in big units


def test_money_ticks_from_a_cent_to_the_largest_value():
    from forecaster.engine.formatting import money_tick

    assert money_tick(1e-8) == "$0.01"
    assert money_tick(0.5) == "$500K"
    assert money_tick(100) == "$100M"
    assert money_tick(1000) == "$1B"
    assert money_tick(2.5e6) == "$2.5T"
    assert "e+" not in money_tick(1e21)
    assert money_tick(-4e12) == "-$4,000,000T"
