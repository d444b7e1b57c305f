"""Sharing the story: the one-page report, chart images that explain themselves, the
Table tab and its paste, the CSV without float noise.

Real files are written and opened: the PDF's text is read with poppler's pdftotext
and its page rendered with pdftoppm (both skipped where poppler-utils is absent); the
SVG is rendered with librsvg's rsvg-convert (skipped where absent) and compared with
the PNG Qt paints.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog

from forecaster import __version__
from forecaster.engine.answer import answer
from forecaster.engine.formatting import money
from forecaster.engine.params import PARAMS
from forecaster.engine.projection import PERCENTILES, project
from forecaster.io import load_history, load_preset
from forecaster.io.export import TABLE_COLUMNS
from forecaster.ui.chart_image import caption_for, explained_image, make_chart
from forecaster.ui.report import default_page_size, report_pdf
from forecaster.ui.table_tab import COLUMNS

from .test_export import pixels

SVG_NS = "{http://www.w3.org/2000/svg}"
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
RSVG = shutil.which("rsvg-convert")
SHOCKED = "Sanctions 2016-2017"


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        [PDFTOTEXT, "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def open_shocked(window, growth: float = 12.5):
    """The preset with shocks, with one parameter changed from the default."""
    assert window.open_preset(SHOCKED)
    window.document.set_param("growth_pct", growth)
    window.view.refresh_now()
    return window.document.scenario


# --- the report ----------------------------------------------------------------


def test_report_from_the_window_is_one_page_with_the_whole_story(window, dialogs, tmp_path):
    scenario = open_shocked(window)
    dialogs.answer("save_file", tmp_path / "brief")
    assert window.export_report_action.isEnabled()
    window.export_report_action.trigger()
    path = tmp_path / "brief.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) == 1
    # The dialog was offered the scenario's name and both page sizes, the locale's first.
    asked = dialogs.of("save_file")[-1].text
    assert "PDF, A4 page" in asked and "PDF, Letter page" in asked
    assert "Exported brief.pdf" in window.statusBar().currentMessage()
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(pdf_text(path).split())
    result = window.view.current_answer
    assert SHOCKED in text
    assert f"Forecaster {__version__}" in text
    assert "This scenario misses the target" in text
    assert money(result.target_musd) in text  # the target
    assert f"Actual {result.target_year} $42.7M" in text  # the target-year actual
    assert "TASS (tass.com/economy/1258635)" in text  # a source
    assert "Russian customs" in text and "ITC mirror data" in text  # the series
    for spec in PARAMS:  # every parameter, with its unit
        assert spec.label in text, spec.label
    assert "Annual growth * 12.5%/yr (default 36.6%/yr)" in text  # changed, marked
    assert "Growth volatility 30.0%" in text
    for shock in scenario.shocks:  # the shocks and their labels
        assert f"{shock.start_year}: {shock.depth_pct:g}% cut" in text
        assert " ".join(shock.label.split()) in text
    assert "Mean absolute error" in text  # the backtest
    assert "Rajin" in text  # the notes


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_report_page_renders_with_the_chart(tmp_path):
    scenario = load_preset(SHOCKED)
    projection, history = project(scenario), load_history()
    data, page = report_pdf(scenario, projection, history, answer(scenario, projection, history))
    (tmp_path / "r.pdf").write_bytes(data)
    subprocess.run(
        [PDFTOPPM, "-r", "60", "-png", "-singlefile", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
        check=True,
    )
    image = QImage(str(tmp_path / "p.png"))
    assert not image.isNull()
    rgb = pixels(image).astype(int)
    ink = np.any(np.abs(rgb - 255) > 40, axis=2)
    rows = np.nonzero(ink.any(axis=1))[0]
    h = ink.shape[0]
    assert rows.min() < h * 0.1 and rows.max() > h * 0.75  # from the title to the sources
    # The bands' blue (P25-P75, BGR order) covers a real area: the chart is there.
    band = np.all(np.abs(rgb - np.array([213, 188, 148])) < 30, axis=2)
    assert np.count_nonzero(band) > 1500
    assert page.font_pt >= 6.0 and not page.notes_shortened


def test_page_size_follows_the_locale_and_the_choice(window, tmp_path, monkeypatch):
    assert default_page_size(QLocale("en_US")) == "letter"
    assert default_page_size(QLocale("de_DE")) == "a4"
    assert default_page_size(QLocale("en_GB")) == "a4"

    def save_as_letter(parent, caption, folder, filters, *args, **kwargs):
        letter = next(f for f in filters.split(";;") if "Letter" in f)
        return str(tmp_path / "letter.pdf"), letter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as_letter))
    assert window.export_report()
    data = (tmp_path / "letter.pdf").read_bytes()
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", data)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == (612, 792)
    assert "Letter page" in window.statusBar().currentMessage()


def test_long_notes_still_make_one_page_and_say_they_were_shortened(tmp_path):
    scenario = load_preset(SHOCKED)
    scenario = type(scenario)(
        name=scenario.name,
        notes=("A long note that goes on. " * 40 + "\n") * 19,
        params=scenario.params,
        shocks=scenario.shocks,
    ).validated()
    projection, history = project(scenario), load_history()
    data, page = report_pdf(scenario, projection, history, answer(scenario, projection, history))
    assert pdf_pages(data) == 1
    assert page.notes_shortened and page.font_pt == 6.0
    if PDFTOTEXT is not None:
        (tmp_path / "long.pdf").write_bytes(data)
        text = " ".join(pdf_text(tmp_path / "long.pdf").split())
        assert "shortened to fit the page" in text
        assert "2024: $34.0M" in text  # the sources are still there, after the notes


# --- chart images ------------------------------------------------------------------


def export_chart(window, dialogs, kind, path, width, height) -> bool:
    dialogs.answer("chart_size", (width, height))
    dialogs.answer("save_file", path)
    return window.export_chart(kind)


def test_png_and_svg_carry_the_title_verdict_and_footer(window, dialogs, tmp_path):
    open_shocked(window)
    assert export_chart(window, dialogs, "png", tmp_path / "c.png", 1000, 620)
    assert export_chart(window, dialogs, "svg", tmp_path / "c.svg", 1000, 620)
    image = QImage(str(tmp_path / "c.png"))
    assert image.text("Title") == SHOCKED
    assert "misses the target" in image.text("Description")
    assert f"Forecaster {__version__}" in image.text("Description")
    root = ET.parse(tmp_path / "c.svg").getroot()
    assert root.findtext(f"{SVG_NS}title") == SHOCKED
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert SHOCKED in texts
    assert any(t.startswith("This scenario misses the target: P50") for t in texts)
    assert any(f"Forecaster {__version__}" in t for t in texts)
    assert any("3 shocks" in t for t in texts)  # key assumptions in the footer
    # The title is drawn, in the top band of the image, above the chart.
    ink = np.any(np.abs(pixels(image).astype(int) - 255) > 80, axis=2)
    assert ink[: int(620 * 0.06)].sum() > 300


def _title_height(image: QImage) -> int:
    """Rows of ink in the title line (the first block of rows with ink)."""
    ink = np.any(np.abs(pixels(image).astype(int) - 255) > 80, axis=2).any(axis=1)
    rows = np.nonzero(ink)[0]
    start = rows[0]
    end = start
    while end + 1 < len(ink) and ink[end + 1]:
        end += 1
    return int(end - start + 1)


def test_text_is_sized_for_the_image_not_the_screen():
    scenario = load_preset(SHOCKED)
    projection, history = project(scenario), load_history()
    caption = caption_for(scenario, answer(scenario, projection, history))
    chart = make_chart(projection, history)
    small = _title_height(explained_image(chart, caption, 1000, 620))
    large = _title_height(explained_image(chart, caption, 3000, 1860))
    assert large == pytest.approx(3 * small, rel=0.15)


@pytest.mark.skipif(RSVG is None, reason="rsvg-convert (librsvg2-bin) is not installed")
@pytest.mark.parametrize("size", [(900, 560), (2000, 1250)])
def test_svg_in_rsvg_convert_looks_like_qt_png(window, dialogs, tmp_path, size):
    open_shocked(window)
    width, height = size
    assert export_chart(window, dialogs, "png", tmp_path / "q.png", width, height)
    assert export_chart(window, dialogs, "svg", tmp_path / "q.svg", width, height)
    subprocess.run(
        [RSVG, "-b", "white", str(tmp_path / "q.svg"), "-o", str(tmp_path / "r.png")], check=True
    )
    qt, rsvg = QImage(str(tmp_path / "q.png")), QImage(str(tmp_path / "r.png"))
    assert (rsvg.width(), rsvg.height()) == (width, height)
    a, b = pixels(qt).astype(int), pixels(rsvg).astype(int)
    ink_a = np.any(np.abs(a - 255) > 60, axis=2)
    ink_b = np.any(np.abs(b - 255) > 60, axis=2)
    overlap = np.count_nonzero(ink_a & ink_b) / max(np.count_nonzero(ink_a | ink_b), 1)
    assert overlap > 0.85, overlap
    # No stroke blown up to a band (a cosmetic pen scaled with the data): the share of
    # dark pixels is about the same.
    dark_a = np.count_nonzero(np.all(a < 120, axis=2))
    dark_b = np.count_nonzero(np.all(b < 120, axis=2))
    assert dark_b == pytest.approx(dark_a, rel=0.25)


# --- the table and the CSV ----------------------------------------------------


def test_table_tab_copies_tab_separated_text_that_parses_back(window, qtbot):
    view = window.view
    open_shocked(window)
    view.chart_tabs.setCurrentWidget(view.table_tab)
    projection = view.current_projection
    model = view.table_tab.model
    assert model.rowCount() == len(projection.years)
    view.table_tab.copy_button.click()
    text = QGuiApplication.clipboard().text()
    lines = text.rstrip("\n").split("\n")
    header = lines[0].split("\t")
    assert header == [name for name, _ in COLUMNS]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == len(projection.years)
    for i, row in enumerate(rows):
        assert int(row[0]) == int(projection.years[i])
        for q in PERCENTILES:
            cell = row[header.index(f"P{q} ($M)")]
            assert float(cell) == pytest.approx(round(float(projection.bands[q][i]), 6), abs=1e-9)
            assert len(cell.split(".")[-1]) <= 6 if "." in cell else True
        det = float(row[header.index("Deterministic ($M)")])
        assert det == pytest.approx(projection.deterministic[i], abs=1e-6)
    # The 2014 row has KOTRA's figure; the later years without a figure paste empty.
    history = load_history()
    y2014 = rows[int(np.nonzero(projection.years == 2014)[0][0])]
    assert float(y2014[header.index("Actual ($M)")]) == history.value_in(2014)
    assert y2014[header.index("Actual: series")] == "KOTRA"
    assert rows[-1][header.index("Actual ($M)")] == ""
    # Ctrl+C copies the selection only, with its headers.
    table = view.table_tab.view
    table.setFocus()
    table.selectionModel().clearSelection()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().rstrip("\n").split("\n")
    assert copied[0].split("\t") == header and len(copied) == 2
    assert copied[1].split("\t")[0] == str(int(projection.years[1]))


def test_table_stays_off_the_drag_path(window):
    view = window.view
    view.chart_tabs.setCurrentWidget(view.table_tab)
    before = view.table_tab.model.tsv()
    view.control_panel.sigDragStarted.emit("growth_pct")
    window.document.set_param("growth_pct", 5.0)
    view.refresh_now()
    assert view.table_tab.model.tsv() == before  # not while dragging
    view.control_panel.sigDragFinished.emit("growth_pct")
    assert view.table_tab.model.tsv() != before  # on release
    # Hidden: not updated until shown.
    view.chart_tabs.setCurrentWidget(view.debt_chart)
    shown = view.table_tab.model.tsv()
    window.document.set_param("growth_pct", 20.0)
    view.refresh_now()
    assert view.table_tab.model.tsv() == shown
    view.chart_tabs.setCurrentWidget(view.table_tab)
    assert view.table_tab.model.tsv() != shown


def test_csv_export_has_no_float_noise_and_is_named_after_the_file(
    window, dialogs, tmp_path, scenario_file
):
    path = scenario_file(name="A scenario name", filename="my-plan.forecast.json")
    assert window.open_file(path)
    dialogs.answer("save_file", tmp_path / "out")
    assert window.export_table()
    assert "my-plan.csv" in dialogs.of("save_file")[-1].text
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == TABLE_COLUMNS
    numbers = [c for row in rows[1:] for c in row if re.fullmatch(r"-?\d+(\.\d+)?", c)]
    assert len(numbers) > 100
    assert all(len(c.split(".")[1]) <= 6 for c in numbers if "." in c)
    assert not [c for c in numbers if "." in c and c.endswith("0")]  # trailing zeros dropped
    # The debt figure that used to read 1095.9999999999998:
    outstanding = [row[TABLE_COLUMNS.index("debt_outstanding_musd")] for row in rows[1:]]
    assert outstanding[0] == "1096"
