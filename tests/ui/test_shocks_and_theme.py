"""Shocks on the chart and in the editor; dark mode and 2x pens (issue 9, parts 6 and 7).

What a user sees: each shock's start marked and named inside the projection, the
readout naming it, new shocks that follow the last one, long labels elided with the
whole label in the tooltip, undo of a removal giving back every field; in a dark
scheme dark charts with light text, a dark summary, light exports; lines as thick at
2x as at 1x.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from forecaster.engine import project
from forecaster.engine.params import Shock
from forecaster.io import default_scenario, load_history
from forecaster.ui import theme
from forecaster.ui.charts import ProjectionChart
from forecaster.ui.controls import ControlPanel
from forecaster.ui.document import ScenarioDocument
from forecaster.ui.exporting import chart_image
from forecaster.ui.view import ScenarioView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

LONG = "UN Security Council resolution 2397 on refined petroleum and crude oil"
SHOCKS = (
    Shock(2017, 40.0, None, LONG),
    Shock(2018, 25.0, 3.5, "Sanctions {2018}"),  # braces: InfLineLabel formats its text
    Shock(2020, 60.0, 1.5, ""),  # no label: "Shock 3"
    Shock(2030, 10.0, 2.0, "At the right edge"),
)


def scenario_with(shocks):
    return default_scenario().with_shocks(shocks).validated()


# --- the chart ------------------------------------------------------------------


@pytest.fixture
def chart(qtbot) -> ProjectionChart:
    widget = ProjectionChart(history=load_history())
    qtbot.addWidget(widget)
    widget.resize(760, 480)
    scenario = scenario_with(SHOCKS)
    widget.set_projection(project(scenario))
    widget.set_shocks(scenario.shocks)
    widget.show()
    qtbot.waitExposed(widget)
    widget.getPlotItem().getViewBox().updateAutoRange()
    return widget


def test_each_shock_start_is_marked_and_labelled_inside_the_plot(chart, qtbot):
    view = chart.getPlotItem().getViewBox()
    (x0, x1), _ = view.viewRange()
    assert x0 <= 2017 and 2030 <= x1  # all four starts are on the chart
    lines = chart.shock_lines()
    assert [line.value() for line in lines] == [s.start_year for s in SHOCKS]
    texts = [line.label.toPlainText() for line in lines]
    assert texts[0].endswith("…") and LONG.startswith(texts[0][:-1])  # elided
    assert texts[1:] == ["Sanctions {2018}", "Shock 3", "At the right edge"]
    assert LONG in lines[0].toolTip()  # the whole name where it was cut
    plot_rect = view.sceneBoundingRect()
    for line, text in zip(lines, texts, strict=True):
        assert line.isVisible() and line.label.isVisible(), text
        assert plot_rect.contains(line.label.sceneBoundingRect()), text
    # Neighbouring years do not write over each other.
    boxes = [line.label.sceneBoundingRect() for line in lines[:3]]
    assert not boxes[0].intersects(boxes[1]) and not boxes[1].intersects(boxes[2])


def test_hover_readout_names_the_shock_of_that_year(chart, qtbot):
    view = chart.getPlotItem().getViewBox()
    target = chart.mapFromScene(view.mapViewToScene(QPointF(2020, math.log10(300.0))))
    QTest.mouseMove(chart.viewport(), target + QPoint(3, 3))
    QTest.mouseMove(chart.viewport(), target)
    qtbot.waitUntil(lambda: chart.readout.isVisible())
    text = chart.readout.textItem.toPlainText()
    assert text.startswith("2020")
    assert "Shock starts: Shock 3 (−60 %, half-life 1.5 yr)" in text
    assert "Shock starts" not in chart.readout_text(2019)
    assert "Shock starts: UN Security" in chart.readout_text(2017)
    assert "permanent" in chart.readout_text(2017)


def test_markers_are_reused_and_follow_the_shocks(chart):
    lines = chart.shock_lines()
    fewer = (replace(SHOCKS[1], label="Renamed"),)
    chart.set_shocks(fewer)
    assert chart.shock_lines() == lines[:1]  # the same item, relabelled and moved
    assert lines[0].value() == 2018 and lines[0].label.toPlainText() == "Renamed"
    assert all(not line.isVisible() for line in lines[1:])
    chart.set_shocks(SHOCKS)
    assert chart.shock_lines() == lines  # no new items
    assert all(line.isVisible() for line in lines)


# --- the editor -----------------------------------------------------------------


@pytest.fixture
def document() -> ScenarioDocument:
    return ScenarioDocument(default_scenario())


@pytest.fixture
def panel(qtbot, document) -> ControlPanel:
    widget = ControlPanel(document)
    qtbot.addWidget(widget)
    widget.resize(380, 1600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_new_shock_starts_after_the_last_one_with_a_numbered_name(panel, document):
    editor = panel.shock_editor
    base = int(document.scenario["base_year"])
    editor.add_button.click()
    assert (document.scenario.shocks[0].start_year, document.scenario.shocks[0].label) == (
        base + 1,
        "Shock 1",
    )
    editor.row(0).start.setValue(2022)
    editor.add_button.click()
    assert document.scenario.shocks[1].start_year == 2023
    assert document.scenario.shocks[1].label == "Shock 2"
    editor.row(1).start.setValue(2050)  # the last allowed year
    editor.add_button.click()
    assert document.scenario.shocks[2].start_year == 2050
    editor.row(0).remove.click()  # "Shock 2", "Shock 3" are left
    editor.add_button.click()
    labels = [s.label for s in document.scenario.shocks]
    assert labels == ["Shock 2", "Shock 3", "Shock 4"]


def test_a_long_label_is_elided_with_the_whole_label_in_the_tooltip(panel, document, qtbot):
    document.set_shocks([Shock(2016, 30.0, 2.0, LONG)])
    entry = panel.shock_editor.row(0).label
    panel.shock_editor.add_button.setFocus()
    qtbot.waitUntil(lambda: not entry.hasFocus())
    qtbot.waitUntil(lambda: entry.width() < panel.width())  # the new row laid out
    shown = entry.shown_text()
    assert shown.endswith("…") and LONG.startswith(shown[:-1]) and len(shown) < len(LONG)
    assert entry.fontMetrics().horizontalAdvance(shown) < entry.width()
    assert LONG in entry.toolTip()
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    assert entry.shown_text() == LONG  # editing shows the whole text


def _fields(row) -> tuple:
    return (
        row.start.value(),
        row.depth.value(),
        row.half_life.text(),
        row.half_life.isEnabled(),
        row.permanent.isChecked(),
        row.label.text(),
    )


EDITOR_SHOCKS = (
    Shock(2015, 40.0, 6.5, "Healing A"),
    Shock(2017, 35.0, None, "Permanent B"),
    Shock(2019, 20.0, 3.5, "Healing C"),
    Shock(2021, 15.0, None, "Permanent D"),
)


@pytest.mark.parametrize("removed", range(len(EDITOR_SHOCKS)))
def test_undo_of_a_remove_restores_every_field(panel, document, removed):
    editor = panel.shock_editor
    document.set_shocks(list(EDITOR_SHOCKS))
    shown = [_fields(editor.row(i)) for i in range(len(EDITOR_SHOCKS))]
    for shock, fields in zip(EDITOR_SHOCKS, shown, strict=True):
        permanent = shock.half_life_years is None
        half_life = "never" if permanent else f"{shock.half_life_years:.1f} yr"
        assert fields == (
            shock.start_year,
            shock.depth_pct,
            half_life,
            not permanent,
            permanent,
            shock.label,
        )
    editor.row(removed).remove.click()
    assert document.scenario.shocks == EDITOR_SHOCKS[:removed] + EDITOR_SHOCKS[removed + 1 :]
    document.undo_stack.undo()
    assert document.scenario.shocks == EDITOR_SHOCKS
    assert [_fields(editor.row(i)) for i in range(len(EDITOR_SHOCKS))] == shown
    # Unticking "Permanent" heals with the same half-life whichever row it sits in: the
    # editor holds no value of its own.
    for i, shock in enumerate(EDITOR_SHOCKS):
        if shock.half_life_years is None:
            editor.row(i).permanent.click()
            assert document.scenario.shocks[i] == replace(shock, half_life_years=2.0)
    # Editing one shock leaves the others exactly as the document has them.
    editor.row(0).depth.setValue(41.0)
    assert document.scenario.shocks[1:] == tuple(
        replace(s, half_life_years=2.0) if s.half_life_years is None else s
        for s in EDITOR_SHOCKS[1:]
    )


# --- dark mode --------------------------------------------------------------------


@pytest.fixture
def dark_scheme(qapp):
    """Switch the application to a dark scheme the way a desktop does: the style hint
    (a request offscreen Qt cannot honour) and the dark palette that comes with it."""
    hints = QGuiApplication.styleHints()
    light = qapp.palette()

    def go_dark() -> None:
        hints.setColorScheme(Qt.ColorScheme.Dark)
        qapp.setPalette(theme.dark_palette())

    def go_light() -> None:
        hints.setColorScheme(Qt.ColorScheme.Light)
        qapp.setPalette(light)

    yield go_dark, go_light
    hints.unsetColorScheme()
    qapp.setPalette(light)


def lightness(image: QImage, x: int, y: int) -> int:
    return QColor(image.pixel(x, y)).lightness()


def text_extremes(image: QImage, x0: int, x1: int, y0: int, y1: int) -> tuple[int, int]:
    """The darkest and the lightest pixel in a region (text on its background)."""
    values = [lightness(image, x, y) for x in range(x0, x1) for y in range(y0, y1)]
    return min(values), max(values)


@pytest.fixture
def view(qtbot) -> ScenarioView:
    document = ScenarioDocument(scenario_with(SHOCKS[:2]))
    widget = ScenarioView(document)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.chart_tabs.setCurrentWidget(widget.tornado_chart)
    widget.ensure_tornado()
    return widget


def _charts(view: ScenarioView):
    return (view.projection_chart, view.debt_chart, view.tornado_chart)


def _chart_looks(chart) -> tuple[int, tuple[int, int]]:
    """The background's lightness (a corner) and the left axis's text extremes."""
    image = chart.grab().toImage()
    axis = chart.getPlotItem() if hasattr(chart, "getPlotItem") else chart.outstanding_plot
    rect = chart.mapFromScene(axis.getAxis("left").sceneBoundingRect()).boundingRect()
    rect = rect.intersected(image.rect().adjusted(0, 0, -1, -1))
    dpr = image.devicePixelRatio()
    return lightness(image, 2, 2), text_extremes(
        image,
        int(rect.left() * dpr),
        int(rect.right() * dpr),
        int(rect.top() * dpr),
        int(rect.bottom() * dpr),
    )


def test_dark_scheme_darkens_every_chart_and_the_summary_and_back(view, dark_scheme, qtbot):
    go_dark, go_light = dark_scheme
    for chart in _charts(view):
        background, (darkest, _lightest) = _chart_looks(chart)
        assert background > 230 and darkest < 80, chart.objectName()  # dark text on white

    go_dark()
    qtbot.waitUntil(lambda: all(chart.colors.dark for chart in _charts(view)))
    for chart in _charts(view):
        background, (_darkest, lightest) = _chart_looks(chart)
        assert background < 50, chart.objectName()
        assert lightest > 190, chart.objectName()  # light tick labels
    summary = view.summary_panel
    record = summary.record_label.grab().toImage()
    assert lightness(record, record.width() - 3, record.height() // 2) < 80  # dark box
    assert theme.tone(summary.record_label) in {"record", "record_missed"}

    go_light()
    qtbot.waitUntil(lambda: not any(chart.colors.dark for chart in _charts(view)))
    for chart in _charts(view):
        background, (darkest, _lightest) = _chart_looks(chart)
        assert background > 230 and darkest < 80, chart.objectName()
    record = summary.record_label.grab().toImage()
    assert lightness(record, record.width() - 3, record.height() // 2) > 200


def test_control_messages_follow_the_scheme(panel, document, dark_scheme, qtbot):
    go_dark, go_light = dark_scheme
    status = panel.shock_editor.status
    panel.shock_editor.add_button.click()
    row = panel.shock_editor.row(0)
    row.label.setText("bad\tlabel")
    row.label.editingFinished.emit()
    assert status.isVisible()
    assert status.palette().color(status.foregroundRole()).lightness() < 128
    go_dark()
    qtbot.waitUntil(lambda: status.styleSheet() == theme.tone_style("error", dark=True))
    assert QColor(theme.TONES["error"][1].split(":")[1].strip(" ;")).lightness() > 150
    go_light()
    qtbot.waitUntil(lambda: status.styleSheet() == theme.tone_style("error", dark=False))


def test_an_export_made_while_dark_is_light(view, dark_scheme, qtbot):
    go_dark, _ = dark_scheme
    go_dark()
    chart = view.projection_chart
    qtbot.waitUntil(lambda: chart.colors.dark)
    image = chart_image(chart, 800, 500)
    assert lightness(image, 2, 2) > 250
    # Tick labels in the export are dark on white.
    axis = chart.getPlotItem().getAxis("left")
    width = int(axis.width())
    darkest, _ = text_extremes(image, 2, max(width - 2, 3), 60, 440)
    assert darkest < 80
    assert chart.colors.dark  # the screen keeps its dark look
    assert lightness(chart.grab().toImage(), 2, 2) < 50


# --- 2x scale -----------------------------------------------------------------------

_MEASURE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from forecaster.engine import project
    from forecaster.io import default_scenario
    from forecaster.ui.charts import ProjectionChart
    from forecaster.ui import theme
    chart = ProjectionChart()
    chart.resize(700, 450)
    chart.set_projection(project(default_scenario()))
    chart.set_log(False)
    chart.show()
    for _ in range(5):
        app.processEvents()
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    view = chart.getPlotItem().getViewBox()
    box = chart.mapFromScene(view.sceneBoundingRect()).boundingRect()
    y = chart.mapFromScene(view.mapViewToScene(QPointF(2015, 1000.0))).y()
    target = QColor(theme.LIGHT.target)
    def near(c):
        return abs(c.red() - target.red()) + abs(c.green() - target.green()) \\
            + abs(c.blue() - target.blue()) < 120
    # Down each column of the left half of the plot, across the target line only (the
    # labels sit at its right end and at the bottom): its thickness in device pixels.
    runs = []
    for x in range(int((box.left() + 10) * ratio), int(box.center().x() * ratio)):
        run = sum(
            near(QColor(image.pixel(x, yy)))
            for yy in range(int((y - 8) * ratio), int((y + 8) * ratio))
        )
        if run:
            runs.append(run)
    runs.sort()
    best = runs[len(runs) // 2]  # the median column: the dashes, not their ends
    print(ratio, best)
    """
)


def _target_line_thickness(scale: str) -> tuple[float, int]:
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    ).stdout.split()
    return float(out[-2]), int(out[-1])


def test_pens_keep_their_visual_width_at_2x():
    ratio_1, thick_1 = _target_line_thickness("1")
    ratio_2, thick_2 = _target_line_thickness("2")
    assert (ratio_1, ratio_2) == (1.0, 2.0)
    assert thick_1 >= 1
    # Twice the device pixels at twice the scale: the same width on screen.
    assert thick_2 >= 2 * thick_1 - 1, (thick_1, thick_2)


def test_the_app_follows_a_scheme_reported_without_a_palette(qapp, dark_scheme, qtbot):
    """Where the platform reports a dark scheme but gives Qt no dark palette, the
    theme module sets one, so the window and the charts agree."""
    theme.follow_system()
    follower = qapp.findChild(QObject, "forecaster_scheme_follower")
    assert follower is not None
    assert not theme.is_dark()
    follower.align(Qt.ColorScheme.Dark)
    assert theme.is_dark() and theme.colors() is theme.DARK
    follower.align(Qt.ColorScheme.Light)
    assert not theme.is_dark() and theme.colors() is theme.LIGHT


def test_is_dark_reads_the_application_palette(qapp, dark_scheme):
    go_dark, go_light = dark_scheme
    assert theme.colors() is theme.LIGHT
    go_dark()
    assert theme.colors() is theme.DARK
    assert QApplication.palette().color(QApplication.palette().ColorRole.Window).lightness() < 128
    go_light()
    assert theme.colors() is theme.LIGHT
