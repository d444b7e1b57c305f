"""Exports through the window: the files are opened and checked, not just found.

PNG: the image has exactly the asked size and holds a chart (many colours, the
chart's background, the P50 line's blue). SVG: width, height and viewBox are the
asked size, it has path elements, and Qt renders it. CSV: one row per year.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from forecaster.io import load_history
from forecaster.io.export import TABLE_COLUMNS
from forecaster.ui.chart_image import caption_for, explained_image
from forecaster.ui.exporting import (
    MAX_SIDE,
    ExportError,
    background_color,
    chart_image,
    export_chart_png,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    return (
        np.frombuffer(ptr, dtype=np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
        .reshape(image.height(), image.width(), 4)[..., :3]
        .copy()
    )


def assert_holds_a_chart(image: QImage, background: QColor) -> None:
    data = pixels(image)
    colours = np.unique(data.reshape(-1, 3), axis=0)
    assert len(colours) > 50, "a uniform or nearly blank image"
    bg = np.array([background.blue(), background.green(), background.red()])  # BGRA order
    corner = data[2, -3]
    assert np.all(np.abs(corner.astype(int) - bg) <= 2), "background not painted"
    # Drawn content spread over the image, not squeezed into a corner.
    ink = np.any(np.abs(data.astype(int) - bg) > 30, axis=2)
    rows, cols = np.nonzero(ink)
    h, w = ink.shape
    assert rows.min() < h * 0.2 and rows.max() > h * 0.8
    assert cols.min() < w * 0.2 and cols.max() > w * 0.8


def export_chart(window, dialogs, kind, path, width, height) -> bool:
    dialogs.answer("chart_size", (width, height))
    dialogs.answer("save_file", path)
    return window.export_chart(kind)


@pytest.mark.parametrize("width, height", [(1000, 600), (480, 900)])
def test_png_export_has_the_asked_size_and_holds_the_chart(
    window, dialogs, tmp_path, width, height
):
    window.resize(1400, 900)
    path = tmp_path / "chart.png"
    assert export_chart(window, dialogs, "png", path, width, height)
    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (width, height)
    assert_holds_a_chart(image, background_color(window.view.projection_chart))
    assert f"({width} × {height})" in window.statusBar().currentMessage()


def test_png_export_adds_the_suffix_and_remembers_the_size(window, dialogs, tmp_path):
    assert export_chart(window, dialogs, "png", tmp_path / "no-suffix", 800, 500)
    assert QImage(str(tmp_path / "no-suffix.png")).width() == 800
    assert window.preferences.export_size((1, 1)) == (800, 500)
    dialogs.answer("chart_size", None)
    assert not window.export_chart("png")
    assert dialogs.of("chart_size")[-1].text == "800x500"


def test_svg_export_has_the_asked_size_and_paths(window, dialogs, tmp_path):
    path = tmp_path / "chart.svg"
    assert export_chart(window, dialogs, "svg", path, 1200, 700)
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == ("1200", "700")
    assert [float(v) for v in root.get("viewBox").split()] == [0, 0, 1200, 700]
    shapes = [e for tag in ("path", "polyline", "polygon") for e in root.iter(f"{SVG_NS}{tag}")]
    assert len(shapes) > 20
    # No clips: Qt's generator misplaces them (see chart_image.bake_cosmetic_strokes).
    assert not root.findall(f".//{SVG_NS}clipPath")
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert window.document.scenario.name in texts  # the title, as text
    assert "2020" in texts  # axis labels as text, not pixels
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    assert (renderer.defaultSize().width(), renderer.defaultSize().height()) == (1200, 700)


def test_svg_renders_like_the_png(window, dialogs, tmp_path):
    """Same layout in both formats (the SVG's axes used to shrink to 72/96)."""
    chart = window.view.projection_chart
    caption = caption_for(window.view.projected_scenario, window.view.current_answer)
    png = explained_image(chart, caption, 900, 600)
    assert export_chart(window, dialogs, "svg", tmp_path / "c.svg", 900, 600)
    rendered = QImage(900, 600, QImage.Format.Format_RGB32)
    rendered.fill(QColor("white"))
    painter = QPainter(rendered)
    QSvgRenderer(str(tmp_path / "c.svg")).render(painter)
    painter.end()
    a, b = pixels(png).astype(int), pixels(rendered).astype(int)
    ink_a = np.any(np.abs(a - 255) > 60, axis=2)
    ink_b = np.any(np.abs(b - 255) > 60, axis=2)
    overlap = np.count_nonzero(ink_a & ink_b) / max(np.count_nonzero(ink_a | ink_b), 1)
    assert overlap > 0.6


def test_export_leaves_the_chart_on_screen_unchanged(window, dialogs, tmp_path, qtbot):
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    chart = window.view.projection_chart
    # Let the axes settle first: pyqtgraph widens the y-axis for its tick labels on
    # the first redraw after showing, with or without an export.
    window.document.set_param("growth_pct", 30.0)
    window.view.refresh_now()
    for _ in range(3):  # paint, then the axis's posted layout request, then paint again
        chart.grab()
        QApplication.processEvents()
    before = chart.grab().toImage()
    x_range = chart.getPlotItem().getViewBox().viewRange()
    assert export_chart(window, dialogs, "png", tmp_path / "a.png", 1600, 400)
    assert export_chart(window, dialogs, "svg", tmp_path / "a.svg", 300, 1200)
    assert chart.getPlotItem().getViewBox().viewRange() == x_range
    assert chart.grab().toImage() == before


def test_pinned_overlays_are_in_the_export(window, dialogs, tmp_path):
    chart = window.view.projection_chart
    plain = pixels(chart_image(chart, 800, 500))
    window.document.set_param("growth_pct", 10.0)
    window.compare.pin_current()
    window.view.refresh_now()
    with_pin = pixels(chart_image(chart, 800, 500))
    colour = QColor(window.compare.board.pins[0].color)
    target = np.array([colour.blue(), colour.green(), colour.red()])
    near = lambda img: np.count_nonzero(np.all(np.abs(img.astype(int) - target) < 40, axis=2))  # noqa: E731
    assert near(with_pin) > near(plain) + 50


def test_csv_export_is_the_per_year_table(window, dialogs, tmp_path):
    window.document.set_param("growth_pct", 20.0)
    window.view.refresh_now()
    dialogs.answer("save_file", tmp_path / "table")
    assert window.export_csv_action.isEnabled()
    window.export_csv_action.trigger()
    with open(tmp_path / "table.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    projection = window.view.current_projection
    assert tuple(rows[0]) == TABLE_COLUMNS
    assert [int(r[0]) for r in rows[1:]] == [int(y) for y in projection.years]
    p50 = TABLE_COLUMNS.index("p50_musd")
    assert float(rows[-1][p50]) == pytest.approx(projection.p50[-1], rel=1e-5)
    actual = TABLE_COLUMNS.index("actual_musd")
    assert float(rows[1][actual]) == pytest.approx(load_history().value_in(2013))


def test_export_error_is_shown_not_raised(window, dialogs, tmp_path):
    assert not export_chart(window, dialogs, "png", tmp_path / "missing" / "x.png", 800, 500)
    dialogs.answer("save_file", tmp_path / "missing" / "t.csv")
    assert not window.export_table()
    errors = dialogs.of("critical")
    assert len(errors) == 2
    assert "x.png" in errors[0].text and "t.csv" in errors[1].text


def test_export_refused_before_writing_keeps_an_existing_file(window, tmp_path, monkeypatch):
    path = tmp_path / "keep.png"
    export_chart_png(window.view.projection_chart, path, 400, 300)
    original = path.read_bytes()
    with pytest.raises(ExportError):
        export_chart_png(window.view.projection_chart, path, 10, 300)  # too small
    assert path.read_bytes() == original


def test_size_limits(window):
    with pytest.raises(ExportError, match="out of range"):
        chart_image(window.view.projection_chart, MAX_SIDE + 1, 500)
