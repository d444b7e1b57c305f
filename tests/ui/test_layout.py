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
