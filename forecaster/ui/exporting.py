"""Exports from the window: the per-year table as CSV, the bare projection chart as PNG,
and what both share with the captioned PNG/SVG images of ``chart_image``.

pyqtgraph 0.14.0's exporters need workarounds, and tests/ui/test_export.py opens
the files to prove they hold the chart at the asked size:

- ImageExporter ties the height to the width through the chart's on-screen aspect
  ratio (rounding through float), so a chosen width x height is not what comes out;
  and scaling the on-screen layout up stretches fonts, ticks and markers with it
  (pyqtgraph#16, #562). The chart is laid out at the asked size for the duration of
  the export, and both sizes are set without the coupling signal.
- SVGExporter fails on every plot that has a ViewBox with this Qt ("not enough values
  to unpack": Qt now closes the clip path with "Z", pyqtgraph#3495), and writes no
  width/height (pyqtgraph#1157). Since Qt 6.5 QSvgGenerator writes SVG 1.1 with clip
  paths, so ``chart_image``'s SVG comes from Qt's generator, driven through pyqtgraph's
  Exporter base class so items draw in export mode (vector symbols, not cached pixmaps).
- Axes draw from cached QPictures, which Qt rescales by DPI on playback; the SVG
  generator is given the pictures' DPI so axes line up with the curves.
- The background belongs to the view, not the scene, so a scene render is
  transparent; both exports paint the chart's background colour first.
- An export is always light, with pens at their 1x width, whatever the screen shows
  (dark scheme, 2x scale): the chart is drawn in ``theme.LIGHT`` for the export and
  given back its screen look afterwards.

Files written here go through io's atomic writer (``forecaster.io.atomic``), not
QSaveFile: one writer for every file the app writes, so each keeps the replaced
file's mode, refuses a named pipe or device in place of the file, asks before a
read-only file is replaced (``ReadOnlyExport``), removes its own stale temporary
files, and never leaves an existing file half-written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QImageWriter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forecaster.engine import HistorySeries, Projection
from forecaster.io import write_table_csv
from forecaster.io.atomic import ReadOnlyTarget, WriteError, atomic_write_bytes
from forecaster.io.files import display_name

from . import theme

MIN_SIDE = 200
MAX_SIDE = 5000  # 5000 x 5000 ARGB is 100 MB: plenty for print, still safe to allocate
PNG_FILTER = "PNG images (*.png)"
SVG_FILTER = "SVG drawings (*.svg)"
CSV_FILTER = "CSV tables (*.csv)"


class ExportError(Exception):
    """An export could not be written; the message says what and why."""


class ReadOnlyExport(ExportError):
    """The file to export over is read-only; the window asks before replacing it."""


# --- the table ---------------------------------------------------------------


def export_table_csv(
    path: str | os.PathLike[str],
    projection: Projection,
    history: HistorySeries | None,
    replace_read_only: bool = False,
) -> None:
    """The per-year table (io.write_table_csv writes it atomically)."""
    try:
        write_table_csv(path, projection, history, replace_read_only=replace_read_only)
    except OSError as e:
        raise _export_error(path, e) from None


def _export_error(path: str | os.PathLike[str], e: OSError) -> ExportError:
    reason = e.reason if isinstance(e, WriteError) else (e.strerror or str(e))
    kind = ReadOnlyExport if isinstance(e, ReadOnlyTarget) else ExportError
    return kind(f"cannot write {display_name(path)}: {reason}")


# --- the chart -----------------------------------------------------------------


def chart_image(plot: pg.PlotWidget, width: int, height: int) -> QImage:
    """The chart drawn at exactly ``width`` x ``height`` pixels on its background."""
    _check_size(width, height)
    with _laid_out_at(plot, width, height) as item:
        exporter = ImageExporter(item)
        params = exporter.parameters()
        # blockSignal: setting one side must not rescale the other (see module docstring).
        params.param("width").setValue(width, blockSignal=exporter.widthChanged)
        params.param("height").setValue(height, blockSignal=exporter.heightChanged)
        params.param("background").setValue(background_color(plot))
        image = exporter.export(toBytes=True)
    if not isinstance(image, QImage) or image.size() != QSize(width, height):
        raise ExportError(f"the chart could not be drawn at {width} x {height}")
    return image


def export_chart_png(
    plot: pg.PlotWidget,
    path: str | os.PathLike[str],
    width: int,
    height: int,
    replace_read_only: bool = False,
) -> None:
    write_file_atomically(path, png_bytes(chart_image(plot, width, height)), replace_read_only)


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG (its text chunks included)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter, not QImage.save: the same PNG, with a format PySide6's stubs accept.
    if not QImageWriter(buffer, QByteArray(b"PNG")).write(image):
        raise ExportError("the chart could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def background_color(plot: pg.PlotWidget) -> QColor:
    """The chart's own background, or white where the chart has a transparent one."""
    brush = plot.backgroundBrush()
    color = QColor(brush.color())
    if brush.style() == Qt.BrushStyle.NoBrush or color.alpha() == 0:
        return QColor("white")
    return color


def write_file_atomically(
    path: str | os.PathLike[str], data: bytes, replace_read_only: bool = False
) -> None:
    """The old file stays whole unless the new one is complete (see the module notes)."""
    try:
        atomic_write_bytes(Path(path), data, replace_read_only=replace_read_only)
    except OSError as e:
        raise _export_error(path, e) from None


def _check_size(width: int, height: int) -> None:
    for side, value in (("width", width), ("height", height)):
        if not MIN_SIDE <= int(value) <= MAX_SIDE:
            raise ExportError(f"{side} {value} px is out of range ({MIN_SIDE} to {MAX_SIDE} px)")


@contextmanager
def _laid_out_at(plot: pg.PlotWidget, width: int, height: int) -> Iterator[pg.PlotItem]:
    """Lay the plot item out at the export size, then give it back its on-screen size.

    Axes, tick labels and the legend are placed for the asked size instead of
    being scaled up from the screen's; nothing is painted in between, so the
    window never shows the temporary layout.
    """
    item = plot.getPlotItem()
    apply_colors = getattr(plot, "apply_colors", None)  # the app's charts; any PlotWidget works
    if apply_colors is not None:
        apply_colors(theme.LIGHT, 1.0)
    old = item.geometry()
    item.setGeometry(QRectF(old.topLeft(), QSizeF(width, height)))
    # QGraphicsLayout applies sizes on a posted event; the export needs them now.
    item.layout.activate()
    try:
        yield item
    finally:
        item.setGeometry(old)
        item.layout.activate()
        if apply_colors is not None:
            apply_colors(theme.colors())
        # Autorange is queued until the next paint; refit at screen size now so the
        # export-size range is never seen (by the crosshair, by readers of viewRange).
        plot.scene().prepareForPaint()


def _svg_in_pixels(svg: bytes, width: int, height: int) -> bytes:
    # QSvgGenerator states the size in millimetres at the screen's DPI; a chart export
    # is asked for in pixels, so the root element says so (viewBox is already in px).
    text = svg.decode("utf-8")
    head_end = text.index(">", text.index("<svg"))
    head, rest = text[:head_end], text[head_end:]
    head = re.sub(r'\swidth="[^"]*"', f' width="{width}"', head, count=1)
    head = re.sub(r'\sheight="[^"]*"', f' height="{height}"', head, count=1)
    return (head + rest).encode("utf-8")


# --- the size dialog -------------------------------------------------------------


class ChartSizeDialog(QDialog):
    """Asks for the width and height of an exported chart, in pixels."""

    def __init__(self, width: int, height: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.width_box = QSpinBox()
        self.width_box.setObjectName("export_width")
        self.height_box = QSpinBox()
        self.height_box.setObjectName("export_height")
        for box, value in ((self.width_box, width), (self.height_box, height)):
            box.setRange(MIN_SIDE, MAX_SIDE)
            box.setSingleStep(50)
            box.setSuffix(" px")
            box.setValue(int(value))
            box.setAccelerated(True)
        form = QFormLayout()
        form.addRow("&Width:", self.width_box)
        form.addRow("&Height:", self.height_box)
        hint = QLabel(
            "The image has a title, the verdict and the assumptions; its text grows with its size."
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def chosen_size(self) -> tuple[int, int]:
        return self.width_box.value(), self.height_box.value()

    @staticmethod
    def get_size(
        parent: QWidget | None, width: int, height: int, title: str = "Export Chart"
    ) -> tuple[int, int] | None:
        """The chosen size, or None when cancelled."""
        dialog = ChartSizeDialog(width, height, title, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.chosen_size()
        finally:
            dialog.deleteLater()
